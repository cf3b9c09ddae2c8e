// "Upload Firmware in Folder…": the Explorer's menu on a folder lists the firmware files below it, and the picked ones
// go through the usual upload of an Explorer selection (package.test.ts covers the package flow itself).
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import { FOLDER_FILES_MAX } from '../../src/vscode/upload/folderFirmwareRules';
import { espImage } from '../support/firmware';
import { errorTexts, fileUri, useSuite } from './helpers/ota';

describe('IoT OTA upload from a folder', () => {
	const ctx = useSuite();
	const root = () => fileUri('folder-upload');
	const app = () => fileUri('folder-upload', 'dual', '.pio', 'build', 'esp32dev', 'firmware.bin');
	const spiffs = () => fileUri('folder-upload', 'dual', 'data', 'spiffs.bin');
	const ignored = () => fileUri('folder-upload', 'dual', 'node_modules', 'tool', 'blob.bin');
	const uploadFolder = (...segments: string[]) =>
		vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFromFolder, fileUri('folder-upload', ...segments));

	before(() => {
		for (const uri of [app(), spiffs(), ignored()]) {
			mkdirSync(vscode.Uri.joinPath(uri, '..').fsPath, { recursive: true });
		}
		writeFileSync(spiffs().fsPath, randomBytes(8704));
		writeFileSync(ignored().fsPath, randomBytes(1024));
		writeFileSync(app().fsPath, espImage({ app: { version: '5.2.0' } }));
		const newer = new Date(Date.now() + 60_000);
		utimesSync(app().fsPath, newer, newer);
		mkdirSync(fileUri('folder-upload', 'empty').fsPath, { recursive: true });
		writeFileSync(fileUri('folder-upload', 'empty', 'notes.txt').fsPath, 'no firmware here');
	});

	after(() => {
		rmSync(root().fsPath, { recursive: true, force: true });
		return vscode.commands.executeCommand(Commands.refresh);
	});

	it('lists the firmware files below the folder, newest (checked) first; both picked as one package are registered', async () => {
		const { api, sandbox } = ctx;
		api.testSeam.queue(
			{ id: 'upload.folderPick', picks: ['.pio/build/esp32dev/firmware.bin', 'data/spiffs.bin'] },
			{ id: 'upload.packaging', pick: 'One package with these 2 files' },
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '5.2.0' },
			{ id: 'create.firmwareName', input: 'folder-pair-5_2_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const last = await uploadFolder('dual');
		assert.equal(last?.status, 'registered', JSON.stringify(errorTexts(api)));
		const pick = api.testSeam.calls.find((c) => c.id === 'upload.folderPick');
		assert.equal(pick?.text, 'Upload firmware in folder-upload/dual');
		assert.deepEqual(pick?.options, ['.pio/build/esp32dev/firmware.bin', 'data/spiffs.bin'], 'newest first, node_modules left out');
		assert.deepEqual(pick?.checked, ['.pio/build/esp32dev/firmware.bin'], 'the newest is checked');
		assert.match(pick?.details?.[1] ?? '', /^8\.5 KB · /, 'each row gives the size');
		assert.deepEqual(api.testSeam.calls.find((c) => c.id === 'upload.packaging')?.options, [
			'One package with these 2 files',
			'A package per file',
		]);
		const create = sandbox.requests.entries.find((e) => e.action === 'CreateOTAFirmware')?.params ?? {};
		assert.equal(create.FirmwareName, 'folder-pair-5_2_0');
		assert.equal(create['MultiFiles.1.Name'], 'firmware.bin');
		assert.equal(create['MultiFiles.2.Name'], 'spiffs.bin');
		const rows = api.history.all().filter((e) => e.firmwareId === last.firmwareId);
		assert.deepEqual(rows.map((e) => e.fileUri).sort(), [app().toString(), spiffs().toString()].sort());
		assert.ok(rows.every((e) => e.status === 'registered'));
		assert.equal(api.testSeam.pending(), 0);
	});

	it('a folder without firmware: one message naming the folder and what was searched, with Open Setting; nothing else', async () => {
		const { api, sandbox } = ctx;
		assert.equal(await uploadFolder('empty'), undefined);
		const messages = api.testSeam.calls.filter((c) => c.kind === 'message');
		assert.equal(messages.length, 1, JSON.stringify(messages));
		assert.equal(messages[0].id, 'upload.noBuild');
		assert.equal(messages[0].severity, 'warning');
		assert.match(
			messages[0].text,
			/^No firmware file found in folder-upload\/empty\. .*PlatformIO, ESP-IDF, Zephyr and the patterns in the iotOta\.firmwarePatterns setting.*allowed suffix \(bin, dav, apk, tar, gz, tar\.gz, zip, gzip\), outside node_modules and \.git\./,
		);
		assert.deepEqual(messages[0].options, ['Open Setting']);
		assert.equal(
			api.testSeam.calls.some((c) => c.id === 'upload.folderPick'),
			false,
		);
		assert.deepEqual(sandbox.requests.entries, []);
	});

	it('a folder with more firmware files than are listed offers the newest of them (the search returns them in no order)', async () => {
		const { api, sandbox } = ctx;
		const many = (name: string) => fileUri('folder-upload', 'many', name);
		mkdirSync(fileUri('folder-upload', 'many').fsPath, { recursive: true });
		// Three times as many as are listed; the newest third are the ones to offer.
		const names = Array.from({ length: 3 * FOLDER_FILES_MAX }, (_, i) => `fw-${String(i).padStart(4, '0')}.bin`);
		const start = Date.now() - 3_600_000;
		names.forEach((name, i) => {
			writeFileSync(many(name).fsPath, 'x');
			utimesSync(many(name).fsPath, new Date(start + i * 1000), new Date(start + i * 1000));
		});
		api.testSeam.queue({ id: 'upload.folderPick', cancel: true });
		assert.equal(await uploadFolder('many'), undefined);
		const pick = api.testSeam.calls.find((c) => c.id === 'upload.folderPick');
		assert.deepEqual(pick?.options, names.slice(-FOLDER_FILES_MAX).reverse(), 'the newest, newest first');
		assert.deepEqual(pick?.checked, [names.at(-1)]);
		assert.deepEqual(sandbox.requests.entries, []);
	});

	it('several folders selected: each is searched, paths relative to the workspace folder, none twice; any-case suffixes (App.Bin)', async () => {
		const { api, sandbox } = ctx;
		const multi = (...segments: string[]) => fileUri('folder-upload', 'multi', ...segments);
		const files = [multi('a', 'App.Bin'), multi('a', 'inner', 'inner.bin'), multi('b', 'fw.BIN'), multi('c', 'other.bin')];
		const start = Date.now() - 60_000;
		files.forEach((uri, i) => {
			mkdirSync(vscode.Uri.joinPath(uri, '..').fsPath, { recursive: true });
			writeFileSync(uri.fsPath, randomBytes(512));
			utimesSync(uri.fsPath, new Date(start + i * 1000), new Date(start + i * 1000));
		});
		api.testSeam.queue({ id: 'upload.folderPick', cancel: true });
		// Right-clicked on b, with a, a/inner (inside a), b and a file of c selected: the file's folder is not searched.
		const selection = [multi('a'), multi('a', 'inner'), multi('b'), multi('c', 'other.bin')];
		assert.equal(await vscode.commands.executeCommand(Commands.uploadFromFolder, multi('b'), selection), undefined);
		const pick = api.testSeam.calls.find((c) => c.id === 'upload.folderPick');
		assert.equal(pick?.text, 'Upload firmware in folder-upload/multi/a, folder-upload/multi/b');
		assert.deepEqual(
			pick?.options,
			['folder-upload/multi/b/fw.BIN', 'folder-upload/multi/a/inner/inner.bin', 'folder-upload/multi/a/App.Bin'],
			'newest first, each file once',
		);
		assert.deepEqual(sandbox.requests.entries, []);
	});

	it('a chosen folder inside node_modules is searched, alone or with others; a node_modules below it is not', async () => {
		const { api, sandbox } = ctx;
		const nm = (...segments: string[]) => fileUri('folder-upload', 'nm', ...segments);
		const files = [
			nm('node_modules', 'tool', 'fw', 'tool.bin'),
			nm('node_modules', 'tool', 'fw', 'node_modules', 'dep.bin'),
			nm('app', 'app.bin'),
		];
		const start = Date.now() - 60_000;
		files.forEach((uri, i) => {
			mkdirSync(vscode.Uri.joinPath(uri, '..').fsPath, { recursive: true });
			writeFileSync(uri.fsPath, randomBytes(512));
			utimesSync(uri.fsPath, new Date(start + i * 1000), new Date(start + i * 1000));
		});
		const pickAfter = async (clicked: vscode.Uri, selection?: vscode.Uri[]) => {
			api.testSeam.reset();
			api.testSeam.queue({ id: 'upload.folderPick', cancel: true });
			assert.equal(await vscode.commands.executeCommand(Commands.uploadFromFolder, clicked, selection), undefined);
			return api.testSeam.calls.find((c) => c.id === 'upload.folderPick')?.options;
		};
		const tool = nm('node_modules', 'tool', 'fw');
		assert.deepEqual(await pickAfter(tool), ['tool.bin'], 'alone');
		assert.deepEqual(
			await pickAfter(tool, [tool, nm('app')]),
			['folder-upload/nm/app/app.bin', 'folder-upload/nm/node_modules/tool/fw/tool.bin'],
			'with another folder: paths relative to the workspace folder, which pass through node_modules',
		);
		assert.deepEqual(errorTexts(api), []);
		assert.deepEqual(sandbox.requests.entries, []);
	});

	it('dismissing the list does nothing: no question, no error, no request', async () => {
		const { api, sandbox } = ctx;
		const rows = api.history.all().length;
		api.testSeam.queue({ id: 'upload.folderPick', cancel: true });
		assert.equal(await uploadFolder('dual'), undefined);
		assert.deepEqual(
			api.testSeam.calls.map((c) => c.id),
			['upload.folderPick'],
		);
		assert.deepEqual(sandbox.requests.entries, []);
		assert.equal(api.history.all().length, rows);
	});
});
