// Command table, palette hiding and explorer menu wiring, checked in a real extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../src/vscode/constants';
import { WindowPrompter } from '../../src/vscode/ui/prompter';
import { extensionApi, resetExtensionState, setSetting, waitFor } from './helpers/ota';

interface MenuItem {
	command: string;
	when?: string;
	group?: string;
}

function manifest(): {
	contributes: { commands: Array<{ command: string; category?: string; title: string }>; menus: Record<string, MenuItem[]> };
} {
	const extension = vscode.extensions.getExtension(EXTENSION_ID);
	assert.ok(extension);
	return extension.packageJSON;
}

/**
 * Accepts the active quick-pick item until `answer` settles. The quick input appears in the workbench some time after
 * the extension asked for it, and an accept before that finds no active item and does nothing; so the accept is
 * repeated (each one awaited) and the loop ends on the event itself, the prompt's answer.
 */
async function acceptOnceShown<T>(answer: Promise<T>, timeoutMs = 15_000): Promise<T> {
	let settled = false;
	const done = answer.then(
		() => (settled = true),
		() => (settled = true),
	);
	const deadline = Date.now() + timeoutMs;
	while (!settled) {
		assert.ok(Date.now() < deadline, `no quick input accepted the selection within ${timeoutMs / 1000} s`);
		await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
		await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 50))]);
	}
	return answer;
}

describe('IoT OTA commands', () => {
	before(async () => {
		await resetExtensionState(await extensionApi());
	});

	it('registers every id of the command table and contributes each with one category', async () => {
		const registered = new Set(await vscode.commands.getCommands(true));
		const contributed = manifest().contributes.commands;
		for (const id of Object.values(Commands)) {
			assert.ok(registered.has(id), `${id} is not registered`);
			assert.ok(
				contributed.some((c) => c.command === id),
				`${id} is not contributed`,
			);
		}
		assert.equal(new Set(contributed.map((c) => c.category)).size, 1, 'all commands share one category');
	});

	it('hides context-only commands from the palette and gates state-dependent ones', () => {
		const palette = manifest().contributes.menus.commandPalette;
		const when = (id: string) => palette.find((item) => item.command === id)?.when;
		assert.equal(when(Commands.revealFile), 'false');
		assert.equal(when(Commands.removeHistoryEntry), 'false');
		assert.equal(when(Commands.cancelUpload), 'iotOta.uploading');
		assert.equal(when(Commands.stopSandbox), 'iotOta.sandboxRunning');
		assert.equal(when(Commands.uploadFirmware), undefined, 'upload stays in the palette (it asks for a file)');
		assert.equal(when(Commands.insertFirmwareUrl), undefined, 'insert stays in the palette (it asks for an upload)');
	});

	it('puts the view commands in their title bars only when the view has rows, and keeps them in the palette', () => {
		const menus = manifest().contributes.menus;
		const titleBar = (id: string) => menus['view/title'].filter((item) => item.command === id);
		assert.deepEqual(titleBar(Commands.exportHistory), [
			{ command: Commands.exportHistory, when: 'view == iotOta.uploads && iotOta.historyCount > 0', group: 'navigation@5' },
		]);
		assert.deepEqual(titleBar(Commands.uploadLatestBuild), [
			{ command: Commands.uploadLatestBuild, when: 'view == iotOta.firmware && iotOta.firmwareCount > 0', group: 'navigation@2' },
		]);
		for (const id of [Commands.exportHistory, Commands.uploadLatestBuild]) {
			assert.equal(
				menus.commandPalette.some((item) => item.command === id),
				false,
				`${id} explains itself when there is nothing to act on`,
			);
		}
	});

	it('offers the upload on firmware file names in the explorer, .tar.gz included', () => {
		const item = manifest().contributes.menus['explorer/context'].find((m) => m.command === Commands.uploadFirmware);
		assert.ok(item?.when);
		const regex = /resourceFilename =~ \/(.+?)\/(i?) /.exec(item.when);
		assert.ok(regex, item.when);
		const pattern = new RegExp(regex[1].replace(/\\\\/g, '\\'), regex[2]);
		for (const name of ['firmware.bin', 'app.tar.gz', 'FW.ZIP', 'x.dav', 'a.apk', 'b.gzip', 'c.tar']) {
			assert.ok(pattern.test(name), `${name} should match`);
		}
		for (const name of ['fw.hex', 'notes.txt', 'bin']) {
			assert.equal(pattern.test(name), false, `${name} should not match`);
		}
		assert.match(item.when, /!explorerResourceIsFolder/);
		assert.match(item.when, /resourceExtname in iotOta\.extraFirmwareExtnames/);
		assert.match(item.when, /resourceFilename in iotOta\.extraFirmwareNames/);
	});

	it('offers Show Upload Commands… wherever a firmware file offers Upload Firmware (Explorer and Firmware Files)', () => {
		const menus = manifest().contributes.menus;
		const whens = (menu: string, command: string) => menus[menu].filter((m) => m.command === command).map((m) => m.when);
		assert.deepEqual(whens('explorer/context', Commands.showUploadCommands), whens('explorer/context', Commands.uploadFirmware));
		const onFirmwareItem = 'view == iotOta.firmware && viewItem == firmwareFile';
		assert.deepEqual(whens('view/item/context', Commands.showUploadCommands), [onFirmwareItem]);
		assert.ok(whens('view/item/context', Commands.uploadFirmware).includes(onFirmwareItem));
	});

	it('offers Upload Firmware in Folder… on Explorer folders only (the upload stays on files), and not in the palette', () => {
		const menus = manifest().contributes.menus;
		assert.deepEqual(
			menus['explorer/context'].filter((m) => m.command === Commands.uploadFromFolder),
			[{ command: Commands.uploadFromFolder, when: 'explorerResourceIsFolder', group: '8_iotOta@2' }],
		);
		assert.equal(menus.commandPalette.find((m) => m.command === Commands.uploadFromFolder)?.when, 'false', 'it needs a folder');
	});

	it('mirrors iotOta.firmwarePatterns into the context keys of the explorer menu', async () => {
		const api = await extensionApi();
		const hex = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'build', 'fw-app.ota');
		await vscode.workspace.fs.writeFile(hex, new Uint8Array([1, 2, 3]));
		await setSetting('firmwarePatterns', ['*.hex', 'fw-*.ota']);
		const values = await waitFor(() => {
			const current = api.firmwarePatternContext();
			return current.names.includes('fw-app.ota') && current;
		}, 'the pattern context keys');
		assert.ok(values.extnames.includes('.hex') && values.extnames.includes('.HEX'));
		await setSetting('firmwarePatterns', undefined);
		await waitFor(() => api.firmwarePatternContext().extnames.length === 0, 'the keys to clear');
		await vscode.workspace.fs.delete(hex);
	});

	it('starts the local sandbox as the active profile, uploads through it, and stops it', async () => {
		const api = await extensionApi();
		const before = api.profiles.active()?.name;
		await vscode.commands.executeCommand(Commands.startSandbox);
		const sandbox = await api.sandbox();
		assert.ok(sandbox, 'the sandbox is running');
		const profile = api.profiles.active();
		assert.equal(profile?.kind, 'sandbox');
		assert.equal(profile?.endpoint, sandbox.endpoint);
		assert.equal((await api.profiles.getCredentials(profile.name))?.accessKeySecret, sandbox.accessKeySecret);
		assert.ok(!api.persistedState().includes(sandbox.accessKeySecret), 'the sandbox secret is only in SecretStorage');
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const entry = await vscode.commands.executeCommand<{ status: string }>(
			Commands.uploadFirmware,
			vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'firmware.bin'),
		);
		assert.equal(entry?.status, 'uploaded', JSON.stringify(api.testSeam.messages('error')));
		assert.equal(
			api.testSeam.calls.some((c) => c.id === 'endpoint.confirm'),
			false,
			'a loopback sandbox endpoint needs no confirmation',
		);
		await vscode.commands.executeCommand(Commands.stopSandbox);
		assert.equal(await api.sandbox(), undefined);
		assert.equal(before, undefined, 'the suite starts signed out');
		assert.equal(api.profiles.active()?.name, 'Local sandbox', 'with no earlier profile the sandbox profile stays active');

		// Uploading with the sandbox profile while it is stopped brings the sandbox back.
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const again = await vscode.commands.executeCommand<{ status: string }>(
			Commands.uploadFirmware,
			vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'firmware.bin'),
		);
		assert.equal(again?.status, 'uploaded', JSON.stringify(api.testSeam.messages('error')));
		assert.ok(await api.sandbox(), 'restarted on demand');
		await vscode.commands.executeCommand(Commands.stopSandbox);
		await resetExtensionState(api);
	});

	it('the real prompter: pick and pick-or-type resolve through the quick input (no seam)', async () => {
		const prompter = new WindowPrompter();
		const picked = prompter.pick('test.pick', [{ label: 'first' }, { label: 'second' }], { title: 'seam-free pick' });
		assert.equal((await acceptOnceShown(picked))?.label, 'first');

		const typed = prompter.pickOrType('test.type', [{ label: 'ota.firmwareUrl' }], {
			title: 'seam-free pick-or-type',
			value: 'ota.url',
			validate: (v) => (v.includes(' ') ? 'no spaces' : undefined),
		});
		assert.equal(await acceptOnceShown(typed), 'ota.url', 'the typed value is offered first and accepted');
	});

	it('shows the log and explains an empty history instead of failing silently', async () => {
		const api = await extensionApi();
		await vscode.commands.executeCommand(Commands.showLog);
		const result = await vscode.commands.executeCommand(Commands.insertFirmwareUrl);
		assert.equal(result, undefined);
		const errors = api.testSeam.messages('error');
		assert.equal(errors.length, 1);
		assert.match(errors[0].text, /No uploaded firmware/);
		assert.ok(errors[0].options?.includes('Show Log'));
	});
});
