import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderStatus, shortName, type StatusCommandIds } from '../../../src/vscode/upload/statusBarRender';

const commands: StatusCommandIds = {
	upload: 'up',
	showProgress: 'progress',
	showResult: 'result',
	insert: 'insert',
	copy: 'copy',
	showLog: 'log',
};
const MB = 1024 * 1024;

void test('idle is hidden unless showWhenIdle', () => {
	assert.equal(renderStatus({ kind: 'idle' }, { showWhenIdle: false, commands }).visible, false);
	const shown = renderStatus({ kind: 'idle' }, { showWhenIdle: true, commands });
	assert.equal(shown.visible, true);
	assert.equal(shown.command, 'up');
	assert.match(shown.text, /^\$\(cloud-upload\) /);
});

void test('uploading shows percent, name and rate; clicking opens the progress menu', () => {
	const view = renderStatus(
		{
			kind: 'uploading',
			fileName: 'fw.bin',
			phase: 'uploading',
			bytesSent: 42 * MB,
			totalBytes: 100 * MB,
			bytesPerSecond: 3.1 * MB,
			attempt: 1,
		},
		{ showWhenIdle: false, commands },
	);
	assert.equal(view.text, '$(cloud-upload) 42% fw.bin · 3.1 MB/s');
	assert.equal(view.command, 'progress');
	assert.match(view.tooltip, /command:progress/);
	const ticket = renderStatus(
		{ kind: 'uploading', fileName: 'fw.bin', phase: 'ticket', bytesSent: 0, totalBytes: 1, bytesPerSecond: 0, attempt: 1 },
		{ showWhenIdle: false, commands },
	);
	assert.match(ticket.text, /fw\.bin · ticket$/);
	const retry = renderStatus(
		{ kind: 'uploading', fileName: 'fw.bin', phase: 'retrying', bytesSent: 0, totalBytes: 1, bytesPerSecond: 0, attempt: 2 },
		{ showWhenIdle: false, commands },
	);
	assert.match(retry.text, /retry 2$/);
});

void test('done shows a check and a tooltip with URL, size, MD5 and time; failed uses the error background', () => {
	const done = renderStatus(
		{
			kind: 'done',
			fileName: 'fw.bin',
			firmwareUrl: 'https://b.oss/ota/x.bin',
			size: 2 * MB,
			md5: 'a'.repeat(32),
			durationMs: 6000,
			finishedAt: Date.UTC(2026, 0, 1),
		},
		{ showWhenIdle: false, commands },
	);
	assert.equal(done.text, '$(check) fw.bin');
	assert.match(done.tooltip, /https:\/\/b\.oss\/ota\/x\.bin/);
	assert.match(done.tooltip, /2\.0 MB/);
	assert.match(done.tooltip, /a{32}/);
	assert.match(done.tooltip, /6 s/);
	assert.match(done.tooltip, /command:insert\)/);
	const linked = renderStatus(
		{
			kind: 'done',
			fileName: 'fw.bin',
			firmwareUrl: 'u',
			size: 1,
			md5: 'm',
			durationMs: 1,
			finishedAt: 0,
			entryRef: { id: 'e1', fileUri: 'file:///fw.bin', status: 'uploaded' },
		},
		{ showWhenIdle: false, commands },
	);
	const link = /command:insert\?([^)]+)\)/.exec(linked.tooltip);
	assert.deepEqual(JSON.parse(decodeURIComponent(link?.[1] ?? '')), [{ id: 'e1', fileUri: 'file:///fw.bin', status: 'uploaded' }]);
	const failed = renderStatus(
		{ kind: 'failed', fileName: 'fw_1.bin', message: 'Boom (Code)', finishedAt: 0 },
		{ showWhenIdle: false, commands },
	);
	assert.equal(failed.text, '$(error) fw_1.bin');
	assert.equal(failed.background, 'error');
	assert.match(failed.tooltip, /Upload of fw\\_1\\\.bin failed/, 'file names are markdown-escaped');
});

void test('shortName keeps both ends of long names', () => {
	assert.equal(shortName('fw.bin'), 'fw.bin');
	const long = shortName('a-very-long-firmware-name-for-the-device-v1.2.3.bin', 20);
	assert.equal(long.length, 20);
	assert.match(long, /^a-very-lon…/);
	assert.match(long, /1\.2\.3\.bin$/);
});
