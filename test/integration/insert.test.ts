// Insert FirmwareUrl: configured targets and the interactive path, per format, undoable, refusing malformed files.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import { errorTexts, fileUri, setSetting, useSuite, waitFor } from './helpers/ota';

async function insertAndUndo(entry: HistoryEntry, uri: vscode.Uri, expect: RegExp): Promise<void> {
	const before = readFileSync(uri.fsPath, 'utf8');
	await vscode.commands.executeCommand(Commands.insertFirmwareUrl, entry);
	const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
	assert.ok(document, `${uri.fsPath} was not opened`);
	const text = document.getText();
	assert.match(text, expect);
	const editor = vscode.window.activeTextEditor;
	assert.equal(editor?.document.uri.toString(), uri.toString(), 'the changed document is shown');
	assert.equal(editor?.document.getText(editor.selection), entry.firmwareUrl, 'the inserted URL is selected');
	await vscode.commands.executeCommand('undo');
	assert.equal(document.getText(), before, 'undo restores the text');
}

describe('IoT OTA insert FirmwareUrl', () => {
	const ctx = useSuite();
	let entry: HistoryEntry;

	before(async () => {
		ctx.api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const uploaded = await vscode.commands.executeCommand<HistoryEntry>(Commands.uploadFirmware, fileUri('firmware.bin'));
		assert.equal(uploaded?.status, 'uploaded');
		entry = uploaded;
	});
	afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

	it('writes into config.jsonc from iotOta.insertTargets, keeping comments, and undo restores it', async () => {
		await setSetting('insertTargets', [{ file: 'config.jsonc', path: 'ota.firmwareUrl' }], vscode.ConfigurationTarget.WorkspaceFolder);
		try {
			const url = entry.firmwareUrl!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
			await insertAndUndo(
				entry,
				fileUri('config.jsonc'),
				new RegExp(`// Device settings[\\s\\S]*// IoT Platform region[\\s\\S]*/\\* OTA:[\\s\\S]*"firmwareUrl": "${url}"`),
			);
			assert.equal(
				ctx.api.testSeam.calls.some((c) => c.id === 'insert.mode'),
				false,
				'configured targets skip the questions',
			);
		} finally {
			await setSetting('insertTargets', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
		}
	});

	for (const [file, key, expect] of [
		['config.yaml', 'ota.firmwareUrl', /firmwareUrl: .*http.*# filled in/],
		['sdkconfig', 'CONFIG_OTA_FIRMWARE_URL', /^CONFIG_OTA_FIRMWARE_URL="http[^"]+"$/m],
		['include/ota_config.h', 'OTA_FIRMWARE_URL', /^#define OTA_FIRMWARE_URL "http[^"]+"$/m],
		['.env', 'FIRMWARE_URL', /^FIRMWARE_URL=.*http/m],
	] as const) {
		it(`asks for the file and key, then inserts into ${file} (undoable)`, async () => {
			const uri = fileUri(...file.split('/'));
			if (file === '.env') {
				writeFileSync(uri.fsPath, '# device env\nDEVICE=esp32\nFIRMWARE_URL=\n');
			}
			ctx.api.testSeam.queue(
				{ id: 'insert.mode', pick: 'Into a config file…' },
				{ id: 'insert.file', pick: (item) => (item as { description?: string }).description === file },
				{ id: 'insert.keyPath', pick: key },
			);
			await insertAndUndo(entry, uri, expect);
			const keyPick = ctx.api.testSeam.calls.find((c) => c.id === 'insert.keyPath');
			assert.equal(keyPick?.options?.[0], key, 'the existing firmware URL key is suggested first');
			assert.ok(
				ctx.api.testSeam.calls.some((c) => c.id === 'insert.remember'),
				'offers to remember the target',
			);
		});
	}

	it('remembers a picked target in iotOta.insertTargets when asked to', async () => {
		ctx.api.testSeam.queue(
			{ id: 'insert.mode', pick: 'Into a config file…' },
			{ id: 'insert.file', pick: (item) => (item as { description?: string }).description === 'sdkconfig' },
			{ id: 'insert.keyPath', input: 'CONFIG_OTA_FIRMWARE_URL' },
			{ id: 'insert.remember', button: 'Remember' },
		);
		try {
			await insertAndUndo(entry, fileUri('sdkconfig'), /CONFIG_OTA_FIRMWARE_URL="http/);
			await waitFor(() => ctx.api.settings.insertTargets(fileUri('sdkconfig')).length > 0, 'the remembered target');
			assert.deepEqual(ctx.api.settings.insertTargets(fileUri('sdkconfig')), [
				{ file: 'sdkconfig', path: 'CONFIG_OTA_FIRMWARE_URL' },
			]);
		} finally {
			await setSetting('insertTargets', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
		}
	});

	it('refuses a malformed file with one clear message and leaves it untouched', async () => {
		const uri = fileUri('broken.json');
		const broken = '{ "ota": { "firmwareUrl": ';
		writeFileSync(uri.fsPath, broken);
		await setSetting('insertTargets', [{ file: 'broken.json', path: 'ota.firmwareUrl' }], vscode.ConfigurationTarget.WorkspaceFolder);
		try {
			await vscode.commands.executeCommand(Commands.insertFirmwareUrl, entry);
		} finally {
			await setSetting('insertTargets', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
		}
		assert.equal(errorTexts(ctx.api).length, 1);
		const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
		assert.equal(document?.getText() ?? broken, broken);
		assert.equal(document?.isDirty ?? false, false);
		assert.equal(readFileSync(uri.fsPath, 'utf8'), broken);
	});

	it('refuses targets that leave the workspace folder', async () => {
		await setSetting('insertTargets', [{ file: '../outside.json', path: 'a' }], vscode.ConfigurationTarget.WorkspaceFolder);
		try {
			await vscode.commands.executeCommand(Commands.insertFirmwareUrl, entry);
		} finally {
			await setSetting('insertTargets', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
		}
		assert.match(errorTexts(ctx.api)[0] ?? '', /outside the workspace folder/);
	});

	it('inserts at the cursor of the active editor, and copies from the palette', async () => {
		const uri = fileUri('notes.txt');
		writeFileSync(uri.fsPath, 'url: \n');
		const editor = await vscode.window.showTextDocument(uri);
		editor.selection = new vscode.Selection(0, 5, 0, 5);
		ctx.api.testSeam.queue({ id: 'insert.mode', pick: 'At the cursor' });
		await vscode.commands.executeCommand(Commands.insertFirmwareUrl, { entry });
		assert.equal(editor.document.getText(), `url: ${entry.firmwareUrl}\n`);
		await vscode.commands.executeCommand('undo');
		assert.equal(editor.document.getText(), 'url: \n');

		ctx.api.testSeam.queue({ id: 'history.pick', pick: 'firmware.bin' });
		const copied = await vscode.commands.executeCommand<string>(Commands.copyFirmwareUrl);
		assert.equal(copied, entry.firmwareUrl);
	});
});
