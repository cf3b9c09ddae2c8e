// Show Upload Commands… with several files selected: Upload Firmware's packaging question and, for each answer, the
// plan Upload would carry out (one package, a package per file, more files than one package holds). Nothing written,
// and nothing sent but the read-only lookups Upload makes. Single files and the same-content lookup: uploadCommands.test.ts.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands, UPLOAD_COMMANDS_SCHEME } from '../../src/vscode/constants';
import { espImage } from '../support/firmware';
import { errorTexts, fileUri, useSuite } from './helpers/ota';

/** Two files to select: `<prefix>-app.bin`, an image that declares `version`, and `<prefix>-data.bin`, which declares none. */
function appAndData(prefix: string, version: string): [vscode.Uri, vscode.Uri] {
	const app = fileUri(`${prefix}-app.bin`);
	const data = fileUri(`${prefix}-data.bin`);
	writeFileSync(app.fsPath, espImage({ app: { version } }));
	writeFileSync(data.fsPath, randomBytes(4096));
	return [app, data];
}

describe('IoT OTA Show Upload Commands: several files', () => {
	const ctx = useSuite();

	const sent = (): string[] => ctx.sandbox.requests.entries.map((e) => `${e.target} ${e.action}`);
	const show = (uri: vscode.Uri, selection?: vscode.Uri[]) =>
		vscode.commands.executeCommand<vscode.TextEditor | undefined>(Commands.showUploadCommands, uri, selection);

	it("asks Upload's packaging question; one package: the package's plan after its questions; only reads are sent", async () => {
		const { api, sandbox } = ctx;
		const [app, data] = appAndData('cmds', '2.4.0');
		api.testSeam.queue(
			{ id: 'upload.packaging', pick: 'One package with these 2 files' },
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '2.4.0' },
			{ id: 'create.firmwareName', input: 'cmds-2_4_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(Commands.showUploadCommands, app, [app, data]);
		const text = editor?.document.getText() ?? '';
		const lines = text.split('\n');
		assert.ok(lines.includes('  1. POST GenerateOTAUploadURL  FileSuffix=bin'), text);
		assert.ok(lines.includes('  3. POST GenerateOTAUploadURL  FileSuffix=bin'), text);
		const register = lines.find((line) => line.startsWith('  5. POST CreateOTAFirmware  '));
		assert.ok(register?.includes(` ProductKey=${sandbox.productKey} `), text);
		assert.ok(register?.includes(' DestVersion=2.4.0 '), text);
		assert.ok(register?.includes(' MultiFiles.1.Name=cmds-app.bin '), text);
		assert.ok(register?.includes(' MultiFiles.2.Name=cmds-data.bin '), text);
		const curls = lines.filter((line) => line.trimStart().startsWith('curl '));
		assert.equal(curls.length, 2, text);
		[app, data].forEach((uri, index) =>
			assert.ok(curls[index].endsWith(`-F 'file=@"${uri.fsPath}";type=application/octet-stream' "$Host"`), curls[index]),
		);
		assert.equal(text.includes(sandbox.accessKeySecret), false, 'the AccessKey secret is not in the text');
		const sent = sandbox.requests.entries.map((e) => `${e.target} ${e.action}`);
		assert.deepEqual(
			sent,
			['api QueryProductList', 'api ListOTAModuleByProduct', 'api QueryProduct'],
			"the product pick reads the product list, the module question the product's modules, then the upload's product check; nothing else is sent",
		);
		const packaging = api.testSeam.calls.find((c) => c.id === 'upload.packaging');
		assert.equal(packaging?.text, 'Upload 2 firmware files as', "Upload's own question");
		assert.deepEqual(packaging.options, ['One package with these 2 files', 'A package per file']);
		assert.equal(errorTexts(api).length, 0);
	});

	it("a package per file: each file's plan under its number, its own suffix question and lookup; no product list, no registration", async () => {
		const { api } = ctx;
		const [app, data] = appAndData('cmds-each', '3.4.0');
		api.testSeam.queue(
			{ id: 'upload.packaging', pick: 'A package per file' },
			{ id: 'upload.suffix', pick: 'bin' },
			{ id: 'upload.suffix', pick: 'bin' },
		);
		const text = (await show(app, [app, data]))?.document.getText() ?? '';
		const lines = text.split('\n');
		assert.equal(lines[1], '2 files, each uploaded on its own, one after the other (a package per file).', text);
		assert.deepEqual(
			lines.filter((line) => /^Upload \d+ of 2:$/.test(line)),
			['Upload 1 of 2:', 'Upload 2 of 2:'],
		);
		assert.deepEqual(
			lines.filter((line) => line.startsWith('  1. POST GenerateOTAUploadURL  ')),
			['  1. POST GenerateOTAUploadURL  FileSuffix=bin', '  1. POST GenerateOTAUploadURL  FileSuffix=bin'],
			"each file's own ticket",
		);
		const curls = lines.filter((line) => line.trimStart().startsWith('curl '));
		assert.equal(curls.length, 2, text);
		[app, data].forEach((uri, index) =>
			assert.ok(curls[index].endsWith(`-F 'file=@"${uri.fsPath}";type=application/octet-stream' "$Host"`), curls[index]),
		);
		assert.ok(
			lines.includes(
				'Same-content lookup (ListOTAFirmware): no package of version 3.4.0 with the same content was found (any product).',
			),
			text,
		);
		assert.equal(text.includes('CreateOTAFirmware'), false, 'no package, no registration');
		assert.deepEqual(sent(), ['api ListOTAFirmware'], 'only the lookup of the image that declares its version, as Upload makes it');
		assert.equal(api.testSeam.calls.filter((c) => c.id === 'upload.suffix').length, 2);
		assert.equal(
			api.testSeam.calls.some((c) => c.id.startsWith('create.')),
			false,
			"no package's questions",
		);
		assert.equal(errorTexts(api).length, 0);
	});

	it('the packaging question dismissed: nothing opens, nothing more is asked or sent, no error', async () => {
		const { api } = ctx;
		const [app, data] = appAndData('cmds-dismiss', '3.5.0');
		const opened = (): string[] =>
			vscode.workspace.textDocuments.filter((d) => d.uri.scheme === UPLOAD_COMMANDS_SCHEME).map((d) => d.uri.path);
		const before = opened();
		const active = vscode.window.activeTextEditor?.document.uri.toString();
		api.testSeam.queue({ id: 'upload.packaging', cancel: true });
		assert.equal(await show(app, [app, data]), undefined);
		assert.deepEqual(
			api.testSeam.calls.map((c) => c.id),
			['upload.packaging'],
			'no suffix, product or other question after it',
		);
		assert.deepEqual(opened(), before, 'no plan document');
		assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), active, 'the editor in front stays');
		assert.deepEqual(sent(), []);
		assert.deepEqual(errorTexts(api), [], 'dismissing is no error');
	});

	it('more files selected than one package holds: each file planned as Upload uploads it, one by one, without the packaging question', async () => {
		const { api } = ctx;
		const versioned = fileUri('cmds-many-00.bin');
		writeFileSync(versioned.fsPath, espImage({ app: { version: '2.8.0' } }));
		const others = Array.from({ length: 20 }, (_, index) => {
			const uri = fileUri(`cmds-many-${String(index + 1).padStart(2, '0')}.bin`);
			writeFileSync(uri.fsPath, randomBytes(1024));
			return uri;
		});
		const uris = [versioned, ...others];
		api.testSeam.queue(...uris.map(() => ({ id: 'upload.suffix', pick: 'bin' })));
		const text = (await show(versioned, uris))?.document.getText() ?? '';
		const lines = text.split('\n');
		assert.equal(
			lines[1],
			'21 files, each uploaded on its own, one after the other (a multi-file package holds at most 20 files).',
			text,
		);
		assert.deepEqual(
			lines.filter((line) => /^Upload \d+ of 21:$/.test(line)),
			uris.map((_, index) => `Upload ${index + 1} of 21:`),
		);
		const curls = lines.filter((line) => line.trimStart().startsWith('curl '));
		uris.forEach((uri, index) =>
			assert.ok(curls[index]?.endsWith(`-F 'file=@"${uri.fsPath}";type=application/octet-stream' "$Host"`), text),
		);
		assert.equal(text.includes('CreateOTAFirmware'), false, 'no package, no registration');
		assert.ok(
			lines.includes(
				'Same-content lookup (ListOTAFirmware): no package of version 2.8.0 with the same content was found (any product).',
			),
		);
		assert.deepEqual(
			sent(),
			['api ListOTAFirmware'],
			'the one image that declares its version is looked up, as Upload does; no product list',
		);
		assert.equal(api.testSeam.calls.filter((c) => c.id === 'upload.suffix').length, 21, "each file's own suffix question");
		assert.equal(
			api.testSeam.calls.some((c) => c.id === 'upload.packaging' || c.id === 'create.product'),
			false,
		);
		assert.equal(errorTexts(api).length, 0);
	});
});
