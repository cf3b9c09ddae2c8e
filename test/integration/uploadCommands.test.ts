// Show Upload Commands…: Upload Firmware's plan as text (the text of `iot-ota upload FILE --dry-run`): nothing written,
// and nothing sent but the read-only lookups Upload makes before uploading. One file here, with the same-content lookup;
// several files selected: uploadCommandsSelection.test.ts.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { prepareFlow, runFlow } from '../../src/core/flow';
import { IotClient } from '../../src/core/iotClient';
import { SEEDED_PRODUCTS } from '../../src/sandbox/storeRecords';
import { Commands, StateKeys, UPLOAD_COMMANDS_SCHEME } from '../../src/vscode/constants';
import { espImage } from '../support/firmware';
import { errorTexts, fileUri, useSuite } from './helpers/ota';

describe('IoT OTA Show Upload Commands', () => {
	const ctx = useSuite();

	it('opens the plan of firmware.bin (no version declared): the ticket, the curl line with the file last, no secret; no request', async () => {
		const { api, sandbox } = ctx;
		const firmware = fileUri('firmware.bin');
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(Commands.showUploadCommands, firmware);
		assert.ok(editor, JSON.stringify(errorTexts(api)));
		assert.equal(editor.document.uri.scheme, UPLOAD_COMMANDS_SCHEME, 'a read-only document: closing it asks nothing');
		assert.equal(editor.document.isDirty, false);
		assert.equal(editor.document.languageId, 'shellscript');
		const text = editor.document.getText();
		const lines = text.split('\n');
		assert.equal(lines[0], 'Dry run: nothing is changed.');
		assert.ok(lines.includes('  1. POST GenerateOTAUploadURL  FileSuffix=bin'), text);
		const endpoint = new URL(sandbox.endpoint).host;
		assert.ok(
			lines.includes(`     aliyun iot GenerateOTAUploadURL --region cn-shanghai --endpoint ${endpoint} --insecure --FileSuffix bin`),
			text,
		);
		const curl = lines.find((line) => line.trimStart().startsWith('curl '));
		assert.ok(curl?.endsWith(`-F 'file=@"${firmware.fsPath}";type=application/octet-stream' "$Host"`), text);
		assert.equal(text.includes('CreateOTAFirmware'), false, 'nothing is registered without Create');
		assert.equal(text.includes(sandbox.accessKeySecret), false, 'the AccessKey secret is not in the text');
		assert.equal(text.includes(sandbox.accessKeyId), false, 'nor the AccessKey ID');
		assert.deepEqual(sandbox.requests.entries, []);
		assert.equal(sandbox.stats.ossUploads, 0);
		assert.equal(api.testSeam.calls.find((c) => c.id === 'upload.suffix')?.options?.[0], 'bin', "the upload's own suffix question");
		assert.equal(errorTexts(api).length, 0);
	});

	it("from the palette: its file dialog's button says Show Commands; the tab keeps a non-ASCII file name readable", async () => {
		const { api, sandbox } = ctx;
		const firmware = fileUri('固件 Gerät #1.bin');
		writeFileSync(firmware.fsPath, randomBytes(2048));
		api.testSeam.queue({ id: 'upload.pickFile', files: [firmware] }, { id: 'upload.suffix', pick: 'bin' });
		const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(Commands.showUploadCommands);
		assert.ok(editor, JSON.stringify(errorTexts(api)));
		const dialog = api.testSeam.calls.find((c) => c.id === 'upload.pickFile');
		assert.equal(dialog?.text, 'Select the firmware file whose upload commands to show');
		assert.deepEqual(dialog.options, ['Show Commands']);
		assert.equal(path.posix.basename(editor.document.uri.path), 'Upload commands 固件 Gerät #1.bin.sh');
		assert.equal(editor.document.languageId, 'shellscript');
		const text = editor.document.getText();
		assert.ok(text.startsWith('Dry run: nothing is changed.'), 'the document holds the plan, found again by its encoded URI');
		assert.ok(text.includes(`file=@"${firmware.fsPath}"`), text);
		assert.deepEqual(sandbox.requests.entries, []);
	});

	it("the tab's title shows a file name's bidi override as ?: the name cannot reorder what the title says", async () => {
		const { api } = ctx;
		const firmware = fileUri('cmds-\u202Efdp.bin');
		writeFileSync(firmware.fsPath, randomBytes(2048));
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(Commands.showUploadCommands, firmware);
		assert.ok(editor, JSON.stringify(errorTexts(api)));
		assert.equal(path.posix.basename(editor.document.uri.path), 'Upload commands cmds-?fdp.bin.sh');
		assert.ok(editor.document.getText().startsWith('Dry run: nothing is changed.'));
	});

	const sent = (): string[] => ctx.sandbox.requests.entries.map((e) => `${e.target} ${e.action}`);
	const show = (uri: vscode.Uri, selection?: vscode.Uri[]) =>
		vscode.commands.executeCommand<vscode.TextEditor | undefined>(Commands.showUploadCommands, uri, selection);

	it('an image that declares its version: the read-only lookup Upload makes, and nothing found says so', async () => {
		const { api } = ctx;
		const versioned = fileUri('cmds-versioned.bin');
		writeFileSync(versioned.fsPath, espImage({ app: { version: '2.6.0' } }));
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const text = (await show(versioned))?.document.getText() ?? '';
		const lines = text.split('\n');
		assert.ok(
			lines.includes(
				'Same-content lookup (ListOTAFirmware): no package of version 2.6.0 with the same content was found (any product).',
			),
			text,
		);
		assert.ok(lines.includes('  1. POST GenerateOTAUploadURL  FileSuffix=bin'), text);
		assert.deepEqual(sent(), ['api ListOTAFirmware'], 'only the lookup Upload makes before uploading');
		assert.equal(errorTexts(api).length, 0);
	});

	it('an image already registered: the package Upload would offer, the calls Upload Anyway makes; only the lookup is sent', async () => {
		const { api, sandbox } = ctx;
		const versioned = fileUri('cmds-registered.bin');
		writeFileSync(versioned.fsPath, espImage({ app: { version: '2.7.0' } }));
		const client = new IotClient({ region: 'cn-shanghai', endpoint: sandbox.endpoint, credentials: sandbox.sts });
		const prepared = await prepareFlow({ filePath: versioned.fsPath, suffix: 'bin', create: { productKey: sandbox.productKey } });
		const { created } = await runFlow(client, prepared);
		sandbox.requests.clear();
		const { ossUploads } = sandbox.stats;
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const text = (await show(versioned))?.document.getText() ?? '';
		const lines = text.split('\n');
		const at = lines.indexOf(
			"Same version and content already registered (version 2.7.0); Upload asks first whether to use one instead (the last used product's first):",
		);
		assert.ok(at > 0, text);
		assert.match(
			lines[at + 1],
			new RegExp(`^ {2}"${created?.firmwareName}" \\(FirmwareId ${created?.firmwareId}, product .*\\(${sandbox.productKey}\\)\\)$`),
		);
		assert.equal(lines[at + 2], '  Use Existing Package: nothing would be uploaded. Upload Anyway: the calls below.');
		assert.ok(lines.includes('  1. POST GenerateOTAUploadURL  FileSuffix=bin'), text);
		assert.equal(text.includes(sandbox.accessKeySecret), false, 'the AccessKey secret is not in the text');
		assert.deepEqual(sent(), ['api ListOTAFirmware'], 'the list items carry their sign and URL: no QueryOTAFirmware');
		assert.equal(sandbox.stats.ossUploads, ossUploads, 'nothing uploaded');
		assert.equal(
			api.testSeam.calls.some((c) => c.id === 'upload.duplicate'),
			false,
			'the plan lists the offer; it does not ask it',
		);
		assert.equal(errorTexts(api).length, 0);
	});

	it("the same image in two products: the last used product's package is listed first, the one Upload asks about", async () => {
		const { api, sandbox } = ctx;
		const versioned = fileUri('cmds-two-products.bin');
		writeFileSync(versioned.fsPath, espImage({ app: { version: '2.9.0' } }));
		const client = new IotClient({ region: 'cn-shanghai', endpoint: sandbox.endpoint, credentials: sandbox.sts });
		const [older, newer] = [SEEDED_PRODUCTS[0].productKey, SEEDED_PRODUCTS[1].productKey];
		for (const productKey of [older, newer]) {
			await runFlow(
				client,
				await prepareFlow({ filePath: versioned.fsPath, suffix: 'bin', create: { productKey, firmwareName: `two-${productKey}` } }),
			);
		}
		await api.context.workspaceState.update(StateKeys.lastProductKey, older);
		try {
			api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
			const lines = ((await show(versioned))?.document.getText() ?? '').split('\n');
			const at = lines.findIndex((line) => line.startsWith('Same version and content already registered (version 2.9.0)'));
			assert.ok(at > 0, lines.join('\n'));
			assert.deepEqual(
				lines.slice(at + 1, at + 3).map((line) => /\((\w+)\)\)$/.exec(line)?.[1]),
				[older, newer],
				lines.join('\n'),
			);
		} finally {
			await api.context.workspaceState.update(StateKeys.lastProductKey, undefined);
		}
		assert.equal(errorTexts(api).length, 0);
	});

	it("a lookup that fails fails the plan with its error, as the CLI's dry run does; nothing else is sent", async () => {
		const { api, sandbox } = ctx;
		const versioned = fileUri('cmds-lookup-fails.bin');
		writeFileSync(versioned.fsPath, espImage({ app: { version: '2.10.0' } }));
		sandbox.faults.add({ target: 'api', action: 'ListOTAFirmware', kind: 'status', status: 403, code: 'Forbidden.RAM', times: 10 });
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const editor = await show(versioned);
		assert.equal(editor, undefined, 'no plan: it could not say whether Upload would offer a package');
		assert.match(errorTexts(api).join(' | '), /Forbidden\.RAM/);
		assert.deepEqual([...new Set(sent())], ['api ListOTAFirmware']);
	});
});
