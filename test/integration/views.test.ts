// The IoT OTA views inside a real VS Code: container, Firmware Files discovery + watcher, account. The Uploads view
// (history rows, export, statuses) is in viewsUploads.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, Views } from '../../src/vscode/constants';
import type { ProfileStore } from '../../src/vscode/credentials/profileStore';
import type { ProfileRecord } from '../../src/vscode/model';
import { AccountTreeProvider } from '../../src/vscode/views/accountTree';
import type { FirmwareNode } from '../../src/vscode/views/firmwareTree';
import type { ViewsHandle } from '../../src/vscode/views/index';
import { openViews } from './helpers/views';

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
		views = await openViews();
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
