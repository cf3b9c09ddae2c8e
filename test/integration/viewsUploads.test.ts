// The Uploads view inside a real VS Code: history rows of the real store, the JSON export, each status and progress,
// rows a crashed host left uploading.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/constants';
import { HistoryStore } from '../../src/vscode/history';
import { REGISTER_WINDOW_MS, type HistoryEntry } from '../../src/vscode/model';
import type { ViewsHandle } from '../../src/vscode/views/index';
import { UploadsTreeProvider } from '../../src/vscode/views/uploadsTree';
import { extensionApi, fileUri, MemoryMemento, resetExtensionState } from './helpers/ota';
import { openViews } from './helpers/views';

function entry(id: string, over: Partial<HistoryEntry> = {}): HistoryEntry {
	return {
		id,
		fileUri: 'file:///w/fw.bin',
		fileName: `${id}.bin`,
		size: 48 * 1024,
		suffix: 'bin',
		profile: 'dev',
		region: 'cn-shanghai',
		startedAt: Date.now(),
		status: 'uploaded',
		...over,
	};
}
describe('IoT OTA Uploads view', () => {
	let views: ViewsHandle;

	before(async () => {
		views = await openViews();
	});

	it('renders history rows of the real store with status context values', async () => {
		const id = `views-test-${Date.now()}`;
		await views.history.add(
			entry(id, { finishedAt: Date.now(), md5: 'd41d8cd98f00b204e9800998ecf8427e', firmwareUrl: 'https://ota.example/fw.bin' }),
		);
		try {
			const node = views.uploads.getChildren().find((n) => n.type === 'upload' && n.entry.id === id);
			assert.ok(node);
			const item = views.uploads.getTreeItem(node);
			assert.equal(item.contextValue, 'upload.uploaded');
			assert.match(String(item.description), /register within 60 min/);
			assert.ok(item.iconPath instanceof vscode.ThemeIcon);
			const details = views.uploads.getChildren(node).map((d) => views.uploads.getTreeItem(d));
			assert.ok(
				details.some(
					(d) => d.label === 'MD5' && d.description === 'd41d8cd98f00b204e9800998ecf8427e' && d.contextValue === 'uploadDetail',
				),
			);
			await views.history.update(id, { status: 'registered', firmwareId: 'fw-123', destVersion: '1.2.0' });
			const registered = views.uploads.getChildren().find((n) => n.type === 'upload' && n.entry.id === id);
			assert.ok(registered);
			const registeredItem = views.uploads.getTreeItem(registered);
			assert.equal(registeredItem.contextValue, 'upload.registered');
			assert.match(String(registeredItem.description), /^Registered · 1\.2\.0 · /);
		} finally {
			await views.history.remove(id);
		}
	});

	it('exports the upload history as JSON: newest first, workspace-relative paths, no secrets; an empty history only says so', async () => {
		const api = await extensionApi();
		await resetExtensionState(api);
		assert.equal(await vscode.commands.executeCommand(Commands.exportHistory), undefined);
		assert.deepEqual(
			api.testSeam.calls.map((c) => `${c.kind} ${c.id}`),
			['message history.exportEmpty'],
			'one message, no save dialog',
		);
		api.testSeam.reset();

		const secret = 'ExportMustNotLeakThisSecret';
		await api.profiles.save(
			{ name: 'export-test', accessKeyId: 'LTAI5tExportKeyId', region: 'cn-shanghai', hasSecurityToken: false, kind: 'user' },
			secret,
		);
		const startedAt = Date.now() - 120_000;
		const inside = fileUri('.pio', 'build', 'esp32dev', 'firmware.bin');
		await api.history.add(
			entry('older', {
				fileUri: inside.toString(),
				fileName: 'firmware.bin',
				startedAt,
				finishedAt: startedAt + 5000,
				md5: 'd41d8cd98f00b204e9800998ecf8427e',
				firmwareUrl: 'https://ota.example/firmware.bin',
			}),
		);
		await api.history.add(
			entry('newer', {
				fileUri: vscode.Uri.file('/elsewhere/fw.bin').toString(),
				startedAt: startedAt + 60_000,
				status: 'failed',
				error: 'AccessDenied: the detail stays out',
			}),
		);
		const target = fileUri('exported-history.json');
		try {
			api.testSeam.queue({ id: 'history.exportFile', save: target });
			const written = await vscode.commands.executeCommand<vscode.Uri>(Commands.exportHistory);
			assert.equal(written?.toString(), target.toString());
			const dialog = api.testSeam.calls.find((c) => c.id === 'history.exportFile');
			// sv-SE writes dates as YYYY-MM-DD.
			assert.equal(
				dialog?.value,
				fileUri(`iot-ota-uploads-${new Date().toLocaleDateString('sv-SE')}.json`).toString(),
				'default: dated name in the first folder',
			);
			const text = fs.readFileSync(target.fsPath, 'utf8');
			const data = JSON.parse(text) as { exportedAt: string; uploads: Array<Record<string, unknown>> };
			assert.ok(Math.abs(Date.parse(data.exportedAt) - Date.now()) < 60_000, data.exportedAt);
			assert.deepEqual(
				data.uploads.map((u) => u.filePath),
				[vscode.Uri.file('/elsewhere/fw.bin').fsPath, '.pio/build/esp32dev/firmware.bin'],
			);
			assert.equal(data.uploads[1].startedAt, new Date(startedAt).toISOString());
			assert.equal(data.uploads[1].finishedAt, new Date(startedAt + 5000).toISOString());
			assert.equal(data.uploads[1].md5, 'd41d8cd98f00b204e9800998ecf8427e');
			assert.equal(data.uploads[1].firmwareUrl, 'https://ota.example/firmware.bin');
			for (const absent of [secret, 'LTAI5tExportKeyId', 'the detail stays out']) {
				assert.ok(!text.includes(absent), `${absent} is in the export`);
			}
			const done = api.testSeam.messages('info').find((c) => c.id === 'history.exported');
			assert.match(done?.text ?? '', /^Exported 2 upload\(s\) to exported-history\.json\.$/);
		} finally {
			fs.rmSync(target.fsPath, { force: true });
			await resetExtensionState(api);
		}
	});

	it('shows each status, progress, and an expired registration window', async () => {
		const store = new HistoryStore(new MemoryMemento());
		const provider = new UploadsTreeProvider(store);
		try {
			const old = Date.now() - REGISTER_WINDOW_MS - 60_000;
			await store.add(entry('late', { startedAt: old, finishedAt: old }));
			await store.add(entry('up', { status: 'uploading' }));
			store.setProgress('up', 420, 1000);
			await store.add(entry('bad', { status: 'failed', error: 'AccessDenied' }));
			const byId = new Map(provider.getChildren().map((n) => [n.entry.id, provider.getTreeItem(n)]));
			assert.match(String(byId.get('up')?.description), /^Uploading 42% · /);
			assert.equal(byId.get('up')?.contextValue, 'upload.uploading');
			assert.match(String(byId.get('late')?.description), /registration window expired/);
			assert.equal(byId.get('bad')?.contextValue, 'upload.failed');
		} finally {
			provider.dispose();
			store.dispose();
		}
	});

	it('markInterrupted turns rows a crashed host left uploading into interrupted ones', async () => {
		const memento = new MemoryMemento();
		await memento.update('iotOta.history', [
			entry('crashed', { status: 'uploading' }),
			entry('done', { status: 'registered', firmwareId: 'f', startedAt: 1 }),
		]);
		const store = new HistoryStore(memento);
		const provider = new UploadsTreeProvider(store);
		let changed = 0;
		const sub = provider.onDidChangeTreeData(() => changed++);
		try {
			assert.equal(await store.markInterrupted(), 1);
			assert.equal(changed, 1);
			const items = provider.getChildren().map((n) => provider.getTreeItem(n));
			assert.deepEqual(
				items.map((i) => i.contextValue),
				['upload.interrupted', 'upload.registered'],
			);
			assert.ok(String((items[0].tooltip as vscode.MarkdownString).value).includes('reloaded or closed'));
		} finally {
			sub.dispose();
			provider.dispose();
			store.dispose();
		}
	});
});
