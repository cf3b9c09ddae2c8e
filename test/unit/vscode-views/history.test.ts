import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import { recordRegistered } from '../../../src/core/flow/record';
import { HistoryStore } from '../../../src/vscode/history';
import { loadHistoryRows, sanitizeHistoryEntry } from '../../../src/vscode/historyRows';
import { StateKeys } from '../../../src/vscode/constants';
import type { HistoryEntry } from '../../../src/vscode/model';

class MemoryMemento implements vscode.Memento {
	readonly values = new Map<string, unknown>();
	writes = 0;
	keys(): readonly string[] {
		return [...this.values.keys()];
	}
	get<T>(key: string, defaultValue?: T): T | undefined {
		return this.values.has(key) ? (structuredClone(this.values.get(key)) as T) : defaultValue;
	}
	async update(key: string, value: unknown): Promise<void> {
		this.writes++;
		await new Promise((resolve) => setTimeout(resolve, 1));
		this.values.set(key, structuredClone(value));
	}
}

function entry(id: string, over: Partial<HistoryEntry> = {}): HistoryEntry {
	return {
		id,
		fileUri: `file:///ws/.pio/build/esp32/${id}.bin`,
		fileName: `${id}.bin`,
		size: 1024,
		suffix: 'bin',
		profile: 'default',
		region: 'cn-shanghai',
		startedAt: 1_700_000_000_000,
		status: 'uploaded',
		...over,
	};
}

void test('sanitize keeps known fields, drops unknown ones and redacts signing parameters', () => {
	const dirty = {
		...entry('a'),
		accessKeySecret: 'S3cretValue',
		error: 'failed https://x.oss.com/o?Signature=abcd&OSSAccessKeyId=LTAI1',
		md5: 42,
	};
	const clean = sanitizeHistoryEntry(dirty);
	assert.ok(clean);
	assert.equal('accessKeySecret' in clean, false);
	assert.equal('md5' in clean, false);
	assert.equal(clean.error?.includes('abcd'), false);
	assert.equal(JSON.stringify(clean).includes('S3cretValue'), false);
});

void test('sanitize keeps the image summary and the reuse flag, only their known fields', () => {
	const sourceParts = { entry: 'fw/app.bin', source: 'mcuboot-header', more: 1 };
	const declared = { version: '1.4.2+7', aliases: ['1.4.2.7', 7], source: 'MCUboot header', sourceParts, secret: 'x' };
	const clean = sanitizeHistoryEntry({ ...entry('i'), reused: true, image: { format: 'mcuboot', declared, checks: ['big'] } });
	assert.deepEqual(
		{ reused: clean?.reused, image: clean?.image },
		{
			reused: true,
			image: {
				format: 'mcuboot',
				declared: {
					version: '1.4.2+7',
					aliases: ['1.4.2.7'],
					source: 'MCUboot header',
					sourceParts: { entry: 'fw/app.bin', source: 'mcuboot-header' },
				},
			},
		},
	);
	const unknownSource = sanitizeHistoryEntry({
		...entry('l'),
		image: { format: 'zip', declared: { ...declared, sourceParts: { entry: 7, source: 'toString' } } },
	});
	assert.equal(unknownSource?.image?.declared?.sourceParts, undefined, 'only a short entry name and a known kind of source are kept');
	const odd = sanitizeHistoryEntry({ ...entry('j'), reused: 'yes', image: { format: 'elf', declared } });
	assert.deepEqual({ reused: odd?.reused, image: odd?.image }, { reused: undefined, image: undefined });
	assert.deepEqual(sanitizeHistoryEntry({ ...entry('k'), image: { format: 'zip', declared: { version: '' } } })?.image, {
		format: 'zip',
	});
});

void test('sanitize keeps the module, the delta type and its SrcVersion; a row without them (older ones) reads as before', () => {
	const delta = sanitizeHistoryEntry({ ...entry('m'), status: 'registered', moduleName: 'MCU', type: 1, srcVersion: '1.0.0' });
	assert.deepEqual([delta?.moduleName, delta?.type, delta?.srcVersion], ['MCU', 1, '1.0.0']);
	const odd = sanitizeHistoryEntry({ ...entry('n'), moduleName: 7, type: 2, srcVersion: '' });
	assert.deepEqual(odd, entry('n'));
	assert.deepEqual(sanitizeHistoryEntry(entry('o')), entry('o'));
});

void test('sanitize keeps the folder a row was uploaded from; a row without one (older ones) reads as before', () => {
	const row = sanitizeHistoryEntry({ ...entry('f'), folder: 'file:///work/a' });
	assert.equal(row?.folder, 'file:///work/a');
	assert.equal(sanitizeHistoryEntry({ ...entry('g'), folder: 7 })?.folder, undefined);
	assert.equal('folder' in (sanitizeHistoryEntry(entry('h')) ?? {}), false);
});

void test('sanitize keeps the instance a row recorded; a row without one (older ones) reads as before', () => {
	assert.equal(sanitizeHistoryEntry({ ...entry('i'), instance: 'iot-06z00abc' })?.instance, 'iot-06z00abc');
	assert.equal(sanitizeHistoryEntry({ ...entry('j'), instance: { id: 'iot-06z00abc' } })?.instance, undefined);
	assert.equal('instance' in (sanitizeHistoryEntry(entry('k')) ?? {}), false);
});

void test('sanitize keeps when a package was deleted on a deleted row only', () => {
	assert.equal(sanitizeHistoryEntry(entry('d', { status: 'deleted', firmwareId: 'fw-1', deletedAt: 5 }))?.deletedAt, 5);
	assert.equal(sanitizeHistoryEntry(entry('r', { status: 'registered', firmwareId: 'fw-2', deletedAt: 5 }))?.deletedAt, undefined);
	assert.equal(sanitizeHistoryEntry({ ...entry('n', { status: 'deleted' }), deletedAt: 'yesterday' })?.deletedAt, undefined);
});

void test('malformed rows are dropped on load; duplicates keep the first; sorted newest first; capped', () => {
	const raw = [
		entry('old', { startedAt: 1 }),
		{ id: 'no-file' },
		null,
		'text',
		entry('bad-status', { status: 'weird' as HistoryEntry['status'] }),
		entry('bad-suffix', { suffix: 'exe' as HistoryEntry['suffix'] }),
		entry('new', { startedAt: 3 }),
		entry('new', { startedAt: 99 }),
		entry('mid', { startedAt: 2 }),
	];
	assert.deepEqual(
		loadHistoryRows(raw).map((e) => e.id),
		['new', 'mid', 'old'],
	);
	assert.deepEqual(
		loadHistoryRows(raw, 2).map((e) => e.id),
		['new', 'mid'],
	);
	assert.deepEqual(loadHistoryRows({ not: 'an array' }), []);
});

void test('add / update / remove persist and fire onDidChange', async () => {
	const memento = new MemoryMemento();
	const store = new HistoryStore(memento);
	let changes = 0;
	const sub = store.onDidChange(() => changes++);
	await store.add(entry('a', { startedAt: 1 }));
	await store.add(entry('b', { startedAt: 2 }));
	assert.deepEqual(
		store.all().map((e) => e.id),
		['b', 'a'],
	);
	const updated = await store.update('a', { status: 'registered', firmwareId: 'fw-1', id: 'hijack' });
	assert.equal(updated?.id, 'a');
	assert.equal(store.get('a')?.firmwareId, 'fw-1');
	assert.equal(await store.update('missing', { status: 'failed' }), undefined);
	await store.remove('b');
	assert.deepEqual(
		(memento.get<HistoryEntry[]>(StateKeys.history) ?? []).map((e) => e.id),
		['a'],
	);
	assert.equal(changes, 4);
	sub.dispose();
	await store.remove('a');
	assert.equal(changes, 4);
});

void test('markPackageDeleted marks the rows of that package and persists; registered again, a row is no longer deleted', async () => {
	const memento = new MemoryMemento();
	const store = new HistoryStore(memento);
	const registered = { status: 'registered' as const, firmwareId: 'fw-1', firmwareUrl: 'https://b.oss.example/ota/a.bin' };
	await store.add(entry('a', { ...registered, finishedAt: 10 }));
	await store.add(entry('b', { ...registered, startedAt: 1_700_000_000_001 }));
	await store.add(entry('c', { status: 'registered', firmwareId: 'fw-2', startedAt: 1 }));
	const writes = memento.writes;
	assert.equal(await store.markPackageDeleted('fw-9', 50), 0);
	assert.equal(memento.writes, writes, 'no row of that package: nothing written');
	assert.equal(await store.markPackageDeleted('fw-1', 50), 2);
	const persisted = new HistoryStore(memento);
	assert.deepEqual(
		persisted.all().map((e) => [e.id, e.status, e.deletedAt]),
		[
			['b', 'deleted', 50],
			['a', 'deleted', 50],
			['c', 'registered', undefined],
		],
	);
	const request = { firmwareUrl: registered.firmwareUrl, productKey: 'pk', destVersion: '1.0.2', firmwareName: 'a 1.0.2' };
	const again = recordRegistered(persisted.get('a')!, { firmwareId: 'fw-3', firmwareName: 'a 1.0.2', adopted: false }, request);
	await persisted.update('a', again);
	assert.deepEqual(
		[persisted.get('a')?.status, persisted.get('a')?.firmwareId, persisted.get('a')?.deletedAt],
		['registered', 'fw-3', undefined],
	);
});

void test('store reloads persisted rows and enforces the cap when adding', async () => {
	const memento = new MemoryMemento();
	const store = new HistoryStore(memento, 3);
	for (let i = 0; i < 5; i++) {
		await store.add(entry(`e${i}`, { startedAt: i }));
	}
	assert.deepEqual(
		store.all().map((e) => e.id),
		['e4', 'e3', 'e2'],
	);
	const reloaded = new HistoryStore(memento, 3);
	assert.deepEqual(
		reloaded.all().map((e) => e.id),
		['e4', 'e3', 'e2'],
	);
});

void test('writes land in call order even when not awaited', async () => {
	const memento = new MemoryMemento();
	const store = new HistoryStore(memento);
	const pending = [
		store.add(entry('a')),
		store.update('a', { status: 'registered' }),
		store.add(entry('b', { startedAt: 2_000_000_000_000 })),
	];
	await Promise.all(pending);
	const persisted = memento.get<HistoryEntry[]>(StateKeys.history) ?? [];
	assert.deepEqual(
		persisted.map((e) => [e.id, e.status]),
		[
			['b', 'uploaded'],
			['a', 'registered'],
		],
	);
});

void test('markInterrupted turns uploading rows into interrupted and counts them', async () => {
	const memento = new MemoryMemento();
	memento.values.set(StateKeys.history, [
		entry('a', { status: 'uploading' }),
		entry('b', { status: 'uploaded' }),
		entry('c', { status: 'uploading', startedAt: 2_000_000_000_000 }),
	]);
	const store = new HistoryStore(memento);
	assert.equal(await store.markInterrupted(), 2);
	assert.deepEqual(
		store.all().map((e) => e.status),
		['interrupted', 'interrupted', 'uploaded'],
	);
	const writes = memento.writes;
	assert.equal(await store.markInterrupted(), 0);
	assert.equal(memento.writes, writes);
});

void test('callers cannot mutate stored rows; malformed adds are refused', async () => {
	const store = new HistoryStore(new MemoryMemento());
	await store.add(entry('a'));
	const copy = store.all()[0];
	copy.status = 'failed';
	assert.equal(store.get('a')?.status, 'uploaded');
	await assert.rejects(store.add({ ...entry('x'), size: -1 }));
	await assert.rejects(store.update('a', { fileUri: '' }));
});

void test('progress lives in memory, fires per whole percent and ends with the upload', async () => {
	const memento = new MemoryMemento();
	const store = new HistoryStore(memento);
	await store.add(entry('u', { status: 'uploading' }));
	const fired: string[] = [];
	store.onDidChangeProgress((id) => fired.push(id));
	store.setProgress('u', 0, 1000);
	store.setProgress('u', 5, 1000);
	store.setProgress('u', 10, 1000);
	store.setProgress('u', 2000, 1000);
	assert.deepEqual(fired, ['u', 'u', 'u']);
	assert.deepEqual(store.progressOf('u'), { bytesSent: 1000, totalBytes: 1000 });
	assert.equal(JSON.stringify(memento.get(StateKeys.history)).includes('bytesSent'), false);
	await store.update('u', { status: 'uploaded' });
	assert.equal(store.progressOf('u'), undefined);
	store.setProgress('u', 1, 1000);
	assert.equal(store.progressOf('u'), undefined);
});
