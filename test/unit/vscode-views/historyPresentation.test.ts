import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REGISTER_WINDOW_MS, type HistoryEntry } from '../../../src/vscode/model';
import {
	anyCountdown,
	detailFields,
	detailValue,
	historyContextValue,
	progressPercent,
	registerWindow,
	statusIcon,
} from '../../../src/vscode/views/historyPresentation';

const T0 = Date.UTC(2025, 0, 1, 12);

function entry(over: Partial<HistoryEntry> = {}): HistoryEntry {
	return {
		id: 'e',
		fileUri: 'file:///w/fw.bin',
		fileName: 'fw.bin',
		size: 10,
		suffix: 'bin',
		profile: 'p',
		region: 'cn-shanghai',
		startedAt: T0,
		status: 'uploaded',
		...over,
	};
}

void test('register window counts down from the end of the upload, then expires', () => {
	const uploaded = entry({ finishedAt: T0 + 60_000 });
	assert.deepEqual(registerWindow(uploaded, T0 + 60_000), { state: 'open', deadline: T0 + 60_000 + REGISTER_WINDOW_MS, minutesLeft: 60 });
	assert.equal((registerWindow(uploaded, T0 + 60_000 + REGISTER_WINDOW_MS - 61_000) as { minutesLeft: number }).minutesLeft, 2);
	assert.equal((registerWindow(uploaded, T0 + 60_000 + REGISTER_WINDOW_MS - 1) as { minutesLeft: number }).minutesLeft, 1);
	assert.equal(registerWindow(uploaded, T0 + 60_000 + REGISTER_WINDOW_MS).state, 'expired');
	assert.equal(registerWindow(entry({ status: 'registered', firmwareId: 'x' }), T0).state, 'none');
	assert.equal(registerWindow(entry({ firmwareId: 'x' }), T0).state, 'none');
	assert.equal(registerWindow(entry({ status: 'failed' }), T0).state, 'none');
	assert.equal(anyCountdown([entry({ status: 'failed' }), uploaded], T0), true);
	assert.equal(anyCountdown([uploaded], T0 + 2 * REGISTER_WINDOW_MS), false);
});

void test('context values and icons follow the status', () => {
	for (const status of ['uploading', 'uploaded', 'registered', 'failed', 'interrupted', 'cancelled'] as const) {
		assert.equal(historyContextValue(entry({ status })), `upload.${status}`);
		assert.ok(statusIcon(entry({ status }), T0).id);
	}
	assert.deepEqual(statusIcon(entry({ status: 'uploading' }), T0), { id: 'loading~spin' });
	assert.equal(statusIcon(entry(), T0).color, 'list.warningForeground');
	assert.equal(statusIcon(entry(), T0 + 2 * REGISTER_WINDOW_MS).color, 'list.errorForeground');
	assert.equal(statusIcon(entry({ status: 'failed' }), T0).color, 'list.errorForeground');
});

void test('a row whose package was deleted offers registration while its upload’s window is open, then not', () => {
	const deleted = entry({ status: 'deleted', finishedAt: T0, firmwareId: 'fw-1', firmwareUrl: 'https://o/fw.bin', deletedAt: T0 + 1 });
	assert.equal(registerWindow(deleted, T0 + 60_000).state, 'open');
	assert.equal(historyContextValue(deleted, T0 + 60_000), 'upload.deleted.registrable');
	assert.equal(statusIcon(deleted, T0 + 60_000).color, 'list.warningForeground');
	assert.equal(historyContextValue(deleted, T0 + REGISTER_WINDOW_MS), 'upload.deleted');
	assert.deepEqual(statusIcon(deleted, T0 + REGISTER_WINDOW_MS), { id: 'trash', color: 'disabledForeground' });
	assert.equal(registerWindow({ ...deleted, reused: true }, T0 + 60_000).state, 'none', 'its URL was another package’s');
	assert.equal(historyContextValue({ ...deleted, reused: true }, T0 + 60_000), 'upload.deleted');
});

void test('progress percent is whole, capped, and absent without data', () => {
	assert.equal(progressPercent(undefined), undefined);
	assert.equal(progressPercent({ bytesSent: 1, totalBytes: 0 }), undefined);
	assert.equal(progressPercent({ bytesSent: 499, totalBytes: 1000 }), 49);
	assert.equal(progressPercent({ bytesSent: 2000, totalBytes: 1000 }), 100);
});

void test('detail rows list only what the entry has', () => {
	assert.deepEqual(detailFields(entry()), ['status', 'size', 'profile']);
	const full = entry({
		md5: 'm',
		sha256: 's',
		gitCommit: 'abc',
		firmwareUrl: 'https://u',
		firmwareId: 'id',
		destVersion: '1.0',
		productKey: 'pk',
		error: 'e',
		requestId: 'r',
	});
	assert.deepEqual(detailFields(full), [
		'status',
		'size',
		'md5',
		'sha256',
		'git',
		'firmwareUrl',
		'firmwareId',
		'version',
		'productKey',
		'profile',
		'error',
		'requestId',
	]);
	assert.equal(detailValue(full, 'profile'), 'p (cn-shanghai)');
	assert.equal(detailValue({ ...full, instance: 'iot-06z00abc' }, 'profile'), 'p (cn-shanghai, iot-06z00abc)', 'an Enterprise instance');
	assert.equal(detailValue({ ...full, instance: 'region-default' }, 'profile'), 'p (cn-shanghai)', 'the default instance');
	assert.equal(detailValue(full, 'firmwareUrl'), 'https://u');
	assert.equal(detailValue(full, 'size'), '10');
});
