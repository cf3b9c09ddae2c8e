// The IoT OTA views inside a real VS Code: container, discovery + watcher, history rendering, account.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID, Views } from '../../src/vscode/constants';
import type { ProfileStore } from '../../src/vscode/credentials/profileStore';
import { HistoryStore } from '../../src/vscode/history';
import { REGISTER_WINDOW_MS, type HistoryEntry, type ProfileRecord } from '../../src/vscode/model';
import { AccountTreeProvider } from '../../src/vscode/views/accountTree';
import type { FirmwareNode } from '../../src/vscode/views/firmwareTree';
import type { ViewsHandle } from '../../src/vscode/views/index';
import { UploadsTreeProvider } from '../../src/vscode/views/uploadsTree';
import { extensionApi, fileUri, MemoryMemento, resetExtensionState } from './helpers/ota';

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

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) {
			return value;
		}
		if (Date.now() > deadline) {
			throw new Error(`Timed out waiting for ${what}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

function workspaceRoot(): string {
	const folder = vscode.workspace.workspaceFolders?.[0];
	assert.ok(folder, 'no workspace folder is open');
	return folder.uri.fsPath;
}

describe('IoT OTA views', () => {
	let views: ViewsHandle;

	before(async () => {
		views = (await extensionApi()).views;
		await vscode.commands.executeCommand('workbench.view.extension.iotOta');
	});

	it('contributes the container and its three views, which open', async () => {
		const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON;
		assert.deepEqual(
			pkg.contributes.views[Views.container].map((v: { id: string }) => v.id),
			[Views.firmware, Views.uploads, Views.packages, Views.account],
		);
		for (const id of [Views.firmware, Views.uploads, Views.account]) {
			await vscode.commands.executeCommand(`${id}.focus`);
		}
		await until('the firmware view to be visible', () => (views.firmwareView.visible ? true : undefined));
		await vscode.commands.executeCommand(`${Views.firmware}.focus`);
	});

	it('finds the fixture build outputs with size and origin', async () => {
		const files = await views.firmware.files();
		const paths = files.map((f) => f.relativePath);
		assert.ok(paths.includes('.pio/build/esp32dev/firmware.bin'), `found: ${paths.join(', ')}`);
		assert.ok(paths.includes('build/app.tar.gz'), `found: ${paths.join(', ')}`);
		assert.ok(!paths.includes('firmware.bin'), 'a loose file at the root is not a build output');
		const roots = await views.firmware.getChildren();
		const pio = roots.find((n: FirmwareNode) => n.type === 'file' && n.file.relativePath === '.pio/build/esp32dev/firmware.bin');
		assert.ok(pio && pio.type === 'file');
		assert.equal(pio.uri.fsPath, path.join(workspaceRoot(), '.pio', 'build', 'esp32dev', 'firmware.bin'));
		const item = views.firmware.getTreeItem(pio);
		assert.equal(item.contextValue, 'firmwareFile');
		assert.equal(item.label, 'firmware.bin');
		assert.match(String(item.description), /^esp32dev · 48\.0 KB · /);
		assert.ok(item.tooltip instanceof vscode.MarkdownString);
	});

	it('lists a new PlatformIO build after the file watcher fires, and drops it when deleted', async () => {
		const dir = path.join(workspaceRoot(), '.pio', 'build', 'x');
		const file = path.join(dir, 'firmware.bin');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(file, Buffer.alloc(2048, 0xe9));
		try {
			const found = await until('the new firmware to be listed', async () =>
				(await views.firmware.files()).find((f) => f.relativePath === '.pio/build/x/firmware.bin'),
			);
			assert.equal(found.size, 2048);
			assert.equal(found.origin, 'x');
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
		await until('the deleted firmware to disappear', async () =>
			(await views.firmware.files()).some((f) => f.relativePath === '.pio/build/x/firmware.bin') ? undefined : true,
		);
	});

	it('follows iotOta.firmwarePatterns and recognises the ESP-IDF app through flasher_args.json', async () => {
		const root = workspaceRoot();
		const config = vscode.workspace.getConfiguration('iotOta');
		fs.writeFileSync(path.join(root, 'build', 'hello_world.bin'), Buffer.alloc(1024, 0xe9));
		fs.writeFileSync(path.join(root, 'build', 'ota_data_initial.bin'), Buffer.alloc(8192, 0xff));
		fs.writeFileSync(
			path.join(root, 'build', 'flasher_args.json'),
			JSON.stringify({
				app: { file: 'hello_world.bin' },
				otadata: { file: 'ota_data_initial.bin' },
				extra_esptool_args: { chip: 'esp32c3' },
			}),
		);
		await config.update('firmwarePatterns', ['./*.bin'], vscode.ConfigurationTarget.Workspace);
		try {
			const files = await until('the glob and the ESP-IDF app to be listed', async () => {
				const list = await views.firmware.files();
				return list.some((f) => f.relativePath === 'firmware.bin') && list.some((f) => f.kind === 'esp-idf') ? list : undefined;
			});
			const app = files.find((f) => f.relativePath === 'build/hello_world.bin');
			assert.equal(app?.kind, 'esp-idf');
			assert.equal(app?.origin, 'esp32c3');
			assert.equal(files.find((f) => f.relativePath === 'firmware.bin')?.kind, 'custom');
			assert.ok(!files.some((f) => f.relativePath === 'build/ota_data_initial.bin'), 'serial-only images are not listed');
		} finally {
			await config.update('firmwarePatterns', undefined, vscode.ConfigurationTarget.Workspace);
			for (const name of ['hello_world.bin', 'ota_data_initial.bin', 'flasher_args.json']) {
				fs.rmSync(path.join(root, 'build', name), { force: true });
			}
		}
		await until('the glob match to go', async () =>
			(await views.firmware.files()).some((f) => f.relativePath === 'firmware.bin') ? undefined : true,
		);
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

	it('account view: welcome when signed out; profile, secret state and others when signed in', async () => {
		const profiles: ProfileRecord[] = [];
		let active: string | undefined;
		const changed = new vscode.EventEmitter<void>();
		const fake = {
			list: () => profiles,
			active: () => profiles.find((p) => p.name === active),
			getCredentials: async (name?: string) =>
				(name ?? active) === 'dev' ? { accessKeyId: 'LTAI5tExampleKeyId', accessKeySecret: 'never-shown-secret' } : undefined,
			onDidChange: changed.event,
		} as unknown as ProfileStore;
		const provider = new AccountTreeProvider({
			profiles: fake,
			sandboxRunning: () => false,
			onDidChangeSandbox: new vscode.EventEmitter<void>().event,
		});
		try {
			assert.deepEqual(await provider.getChildren(), []);
			profiles.push(
				{ name: 'dev', accessKeyId: 'LTAI5tExampleKeyId', region: 'cn-shanghai', hasSecurityToken: false, kind: 'user' },
				{
					name: 'prod',
					accessKeyId: 'LTAI5tOtherKeyIdXX',
					region: 'ap-southeast-1',
					iotInstanceId: 'iot-06z00',
					hasSecurityToken: false,
					kind: 'user',
				},
			);
			active = 'dev';
			const roots = await provider.getChildren();
			const rootItems = roots.map((n) => provider.getTreeItem(n));
			assert.deepEqual(
				rootItems.map((i) => i.contextValue),
				['account.profile', 'account.otherProfiles', 'account.sandbox.stopped'],
			);
			const details = (await provider.getChildren(roots[0])).map((n) => provider.getTreeItem(n));
			const text = JSON.stringify(details.map((d) => [d.label, d.description]));
			assert.ok(text.includes('cn-shanghai'), text);
			assert.ok(text.includes('LTAI****eyId'), text);
			assert.ok(
				!text.includes('never-shown-secret') && !text.includes('LTAI5tExampleKeyId'),
				'secrets and full key ids stay out of the view',
			);
			const others = (await provider.getChildren(roots[1])).map((n) => provider.getTreeItem(n));
			assert.equal(others[0].label, 'prod');
			assert.equal(others[0].command?.command, 'iotOta.switchProfile');
			active = undefined;
			assert.equal(provider.getTreeItem((await provider.getChildren())[0]).contextValue, 'account.signedOut');
		} finally {
			provider.dispose();
			changed.dispose();
		}
	});
});
