// Several firmware files selected in the explorer, made one multi-file OTA package (MultiFiles.N). "A package per file"
// is upload.test.ts's multi-selection case.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands, Views } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import { espImage, flipByte, mcubootImage } from '../support/firmware';
import { errorTexts, fileUri, useSuite } from './helpers/ota';
import { packageNode, productNode } from './helpers/otaFleet';

describe('IoT OTA multi-file package', () => {
	const ctx = useSuite();
	const app = () => fileUri('pkg-app.bin');
	const spiffs = () => fileUri('pkg-spiffs.bin');
	const sha256 = (uri: vscode.Uri) => createHash('sha256').update(readFileSync(uri.fsPath)).digest('hex');
	const upload = (uris: vscode.Uri[]) => vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFirmware, uris[0], uris);

	before(() => {
		writeFileSync(app().fsPath, espImage({ app: { version: '5.1.0' } }));
		writeFileSync(spiffs().fsPath, randomBytes(20 * 1024));
	});

	after(() => vscode.commands.executeCommand('workbench.view.explorer'));

	it('registers the selected files as one package; the notification names each file; the OTA Packages view lists it', async () => {
		const { api, sandbox } = ctx;
		await vscode.commands.executeCommand(`${Views.packages}.focus`);
		await api.ota.tree.getChildren(await productNode(api, sandbox.productKey)); // loaded before the package exists
		sandbox.requests.clear();
		api.testSeam.queue(
			{ id: 'upload.packaging', pick: 'One package with these 2 files' },
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '5.1.0' },
			{ id: 'create.firmwareName', input: 'fw-and-fs-5_1_0' },
			{ id: 'create.signMethod', pick: 'SHA256' },
		);
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'hold' });
		const running = upload([app(), spiffs()]);
		await sandbox.faults.whenHeld('oss', 'PostObject');
		const appUploading = Date.now();
		const uploading = api.statusBar().text;
		sandbox.faults.release();
		const last = await running;
		assert.match(uploading, /pkg-app\.bin/, 'the status bar names the file uploading');
		const after = api.statusBar();
		assert.ok(
			!after.visible || !/pkg-/.test(after.text),
			`the status bar lets the file go once the package is registered: ${after.text}`,
		);
		assert.equal(last?.status, 'registered', JSON.stringify(errorTexts(api)));
		assert.deepEqual(api.testSeam.calls.find((c) => c.id === 'upload.packaging')?.options, [
			'One package with these 2 files',
			'A package per file',
		]);
		assert.equal(api.testSeam.calls.find((c) => c.id === 'create.destVersion')?.value, '5.1.0', 'the version the image declares');
		// The focused OTA Packages view may read the product's packages (ListOTAFirmware) at any time meanwhile (VS Code
		// 1.90 renders it later than the latest), so only the tickets and the registration are the flow's to count.
		const sent = sandbox.requests.entries.filter((e) => e.target === 'api').map((e) => e.action);
		assert.deepEqual(
			sent.filter((a) => a === 'GenerateOTAUploadURL' || a === 'CreateOTAFirmware'),
			['GenerateOTAUploadURL', 'GenerateOTAUploadURL', 'CreateOTAFirmware'],
		);
		const create = sandbox.requests.entries.find((e) => e.action === 'CreateOTAFirmware')?.params ?? {};
		assert.equal(create['MultiFiles.1.Name'], 'pkg-app.bin');
		assert.equal(create['MultiFiles.2.Name'], 'pkg-spiffs.bin');
		assert.equal(create['MultiFiles.1.SignValue'], sha256(app()));
		assert.equal(create['MultiFiles.2.Size'], String(20 * 1024));
		assert.equal(create.DestVersion, '5.1.0');
		assert.equal(create.FirmwareUrl, undefined);

		const reports = api.testSeam.calls.find((c) => c.id === 'package.upload')?.reports ?? [];
		assert.ok(reports.includes('File 1 of 2: pkg-app.bin'), reports.join(' | '));
		assert.ok(reports.includes('File 2 of 2: pkg-spiffs.bin'), reports.join(' | '));
		const firmwareId = last.firmwareId ?? '';
		const rows = api.history.all().filter((e) => e.firmwareId === firmwareId);
		assert.deepEqual(rows.map((e) => e.fileName).sort(), ['pkg-app.bin', 'pkg-spiffs.bin']);
		assert.ok(rows.every((e) => e.status === 'registered' && e.signMethod === 'SHA256'));
		const appRow = rows.find((e) => e.fileName === 'pkg-app.bin');
		assert.ok((appRow?.startedAt ?? Infinity) <= appUploading, "a row has its file's upload times, not the registration's");
		const spiffsStarted = rows.find((e) => e.fileName === 'pkg-spiffs.bin')?.startedAt;
		assert.ok(
			appRow?.finishedAt !== undefined && spiffsStarted !== undefined && appRow.finishedAt <= spiffsStarted,
			'the files went up one after the other, each row with its own times',
		);
		const pkg = await packageNode(api, sandbox.productKey, firmwareId);
		assert.equal(pkg.firmware.firmwareName, 'fw-and-fs-5_1_0');
		assert.match(
			api.testSeam.messages('info').find((c) => c.id === 'package.registered')?.text ?? '',
			/^Registered 2 files as OTA package fw-and-fs-5_1_0/,
		);
		assert.deepEqual(api.testSeam.errors, []);
	});

	it('asks before registering under a DestVersion an image contradicts; a damaged image is refused before any request', async () => {
		const { api, sandbox } = ctx;
		const uploads = sandbox.stats.ossUploads;
		api.testSeam.queue(
			{ id: 'upload.packaging', pick: 'One package with these 3 files' },
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '6.0.0' },
			{ id: 'create.versionMismatch', cancel: true },
		);
		writeFileSync(fileUri('pkg-mcu.bin').fsPath, mcubootImage());
		assert.equal(await upload([app(), fileUri('pkg-mcu.bin'), spiffs()]), undefined);
		const warning = api.testSeam.calls.find((c) => c.id === 'create.versionMismatch');
		assert.match(warning?.text ?? '', /^pkg-app\.bin declares version 5\.1\.0 \(.*\) but DestVersion is 6\.0\.0/);
		assert.match(
			warning?.detail ?? '',
			/^pkg-mcu\.bin declares version 1\.4\.2\+7 \(.*\) but DestVersion is 6\.0\.0/,
			'every file it allows',
		);
		assert.deepEqual(warning?.options, ['Register as 6.0.0']);

		writeFileSync(fileUri('pkg-broken.bin').fsPath, flipByte(espImage(), -1));
		sandbox.requests.clear();
		api.testSeam.reset();
		api.testSeam.queue({ id: 'upload.packaging', pick: 'One package with these 2 files' });
		assert.equal(await upload([spiffs(), fileUri('pkg-broken.bin')]), undefined);
		assert.match(errorTexts(api).join(' | '), /pkg-broken\.bin: The image is damaged/);
		assert.deepEqual(sandbox.requests.entries, [], 'nothing was sent');
		assert.equal(sandbox.stats.ossUploads, uploads);
	});

	it('does not offer one package for more files than a package holds (20): each is uploaded on its own', async () => {
		const { api, sandbox } = ctx;
		const many = Array.from({ length: 21 }, (_, i) => fileUri(`pkg-many-${i}.bin`));
		for (const uri of many) {
			writeFileSync(uri.fsPath, randomBytes(1024));
		}
		const uploads = sandbox.stats.ossUploads;
		api.testSeam.reset();
		api.testSeam.queue(...many.map(() => ({ id: 'upload.suffix', pick: 'bin' })));
		await upload(many);
		assert.equal(
			api.testSeam.calls.some((c) => c.id === 'upload.packaging'),
			false,
			'no packaging question',
		);
		assert.equal(sandbox.stats.ossUploads, uploads + 21);
		assert.deepEqual(api.testSeam.errors, []);
	});

	it("asks the suffix of a file whose name has none, as for one file; the others keep their name's", async () => {
		const { api, sandbox } = ctx;
		const image = fileUri('pkg-data.img');
		writeFileSync(image.fsPath, randomBytes(4 * 1024));
		sandbox.requests.clear();
		api.testSeam.queue(
			{ id: 'upload.packaging', pick: 'One package with these 2 files' },
			{ id: 'upload.suffix', pick: 'bin' },
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '5.1.0' },
			{ id: 'create.firmwareName', input: 'app-and-img-5_1_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const last = await upload([app(), image]);
		assert.equal(last?.status, 'registered', JSON.stringify(errorTexts(api)));
		const asked = api.testSeam.calls.filter((c) => c.id === 'upload.suffix');
		assert.deepEqual(
			asked.map((c) => c.text),
			['OTA file suffix for pkg-data.img'],
		);
		const create = sandbox.requests.entries.find((e) => e.action === 'CreateOTAFirmware')?.params ?? {};
		assert.equal(create['MultiFiles.2.Name'], 'pkg-data.img');
		assert.match(create['MultiFiles.2.Url'] ?? '', /\.bin$/);
		assert.match(create['MultiFiles.1.Url'] ?? '', /\.bin$/);
	});

	/** The rows the Uploads view shows for entries added since `before` (history is newest first). */
	const newRows = (before: number) => {
		const { api } = ctx;
		const added = api.history.all().slice(0, api.history.all().length - before);
		const shown = api.views.uploads.getChildren().flatMap((node) => (node.type === 'upload' ? [node.entry.id] : []));
		assert.ok(
			added.every((entry) => shown.includes(entry.id)),
			'each row is in the Uploads view',
		);
		return added.map((entry) => ({
			fileName: entry.fileName,
			status: entry.status,
			firmwareUrl: entry.firmwareUrl,
			firmwareId: entry.firmwareId,
		}));
	};

	it('a refused registration shows in the status bar and names the files left unregistered', async () => {
		const { api, sandbox } = ctx;
		const before = api.history.all().length;
		api.testSeam.queue(
			{ id: 'upload.packaging', pick: 'One package with these 2 files' },
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '5.1.0' },
			{ id: 'create.firmwareName', input: 'fw-and-fs-5_1_0' }, // taken by the first test
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		assert.equal(await upload([app(), spiffs()]), undefined);
		assert.match(
			errorTexts(api).join(' | '),
			/Nothing was registered\. Uploaded and left unregistered .*: pkg-app\.bin, pkg-spiffs\.bin\./,
		);
		assert.equal(api.statusBar().text, '$(error) fw-and-fs-5_1_0');
		const rows = newRows(before);
		assert.deepEqual(
			rows.map(({ fileName, status, firmwareId }) => ({ fileName, status, firmwareId })).reverse(),
			[
				{ fileName: 'pkg-app.bin', status: 'uploaded', firmwareId: undefined },
				{ fileName: 'pkg-spiffs.bin', status: 'uploaded', firmwareId: undefined },
			],
			'the uploaded files are rows of the Uploads view, to register within the window',
		);
		assert.ok(rows.every((row) => /^http/.test(row.firmwareUrl ?? '')));
	});

	/** "One package" of app and spiffs, as `firmwareName`, whose CreateOTAFirmware gets a 500 (no definite answer). */
	const uploadAnswerLost = (firmwareName: string) => {
		const { api, sandbox } = ctx;
		api.testSeam.queue(
			{ id: 'upload.packaging', pick: 'One package with these 2 files' },
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '5.1.0' },
			{ id: 'create.firmwareName', input: firmwareName },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 500, code: 'InternalError' });
		return upload([app(), spiffs()]);
	};
	const mayBeRegistered =
		/may be registered all the same, with pkg-app\.bin, pkg-spiffs\.bin\. Check the package list \(iot-ota firmware list, the OTA Packages view, or OTA Upgrade → Firmware in the console\) before registering again\./;

	it('a registration without a definite answer (a 5xx): the message says to check the package list; the rows say so too', async () => {
		const { api } = ctx;
		const before = api.history.all().length;
		assert.equal(await uploadAnswerLost('lost-answer-5_1_0'), undefined);
		const [shown, ...others] = errorTexts(api);
		assert.deepEqual(others, []);
		assert.match(shown, mayBeRegistered);
		assert.doesNotMatch(shown, /Nothing was registered/);
		// The files are kept (if the package is not there, nowhere else has their FirmwareUrls), each row naming the
		// package that may hold them, so that registering one on its own is not taken for the package.
		const rows = api.history.all().slice(0, api.history.all().length - before);
		assert.deepEqual(rows.map(({ fileName, status }) => ({ fileName, status })).reverse(), [
			{ fileName: 'pkg-app.bin', status: 'uploaded' },
			{ fileName: 'pkg-spiffs.bin', status: 'uploaded' },
		]);
		assert.ok(
			rows.every((row) => mayBeRegistered.test(row.error ?? '')),
			JSON.stringify(rows.map((row) => row.error)),
		);
	});

	it('Create OTA Firmware on a row of a package that may be registered asks first: dismissed, nothing is sent; Create Anyway registers it', async () => {
		const { api, sandbox } = ctx;
		assert.equal(await uploadAnswerLost('asked-first-5_1_0'), undefined);
		const row = api.history.all().find((entry) => entry.fileName === 'pkg-app.bin');
		assert.ok(row);
		assert.match(row.error ?? '', mayBeRegistered);
		api.testSeam.reset();
		sandbox.requests.clear();
		sandbox.faults.clear();
		assert.equal(await vscode.commands.executeCommand(Commands.createOtaFirmware, row), undefined);
		const [asked, ...more] = api.testSeam.calls;
		assert.deepEqual(more, [], 'nothing else is asked');
		assert.equal(asked?.id, 'create.mayBeRegistered');
		assert.equal(asked.modal, true);
		assert.equal(asked.severity, 'warning');
		assert.equal(
			asked.text,
			'pkg-app.bin may already be registered, as a file of an OTA package. Check the OTA Packages view (or the package list) first.',
		);
		assert.match(asked.detail ?? '', mayBeRegistered, "the core's text of the package that may hold it");
		assert.deepEqual(asked.options, ['Create Anyway']);
		assert.deepEqual(
			sandbox.requests.entries.map((e) => e.action),
			[],
		);
		assert.deepEqual(errorTexts(api), [], 'dismissing is no error');
		assert.equal(api.history.get(row.id)?.status, 'uploaded');

		api.testSeam.queue(
			{ id: 'create.mayBeRegistered', button: 'Create Anyway' },
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '5.1.0' },
			{ id: 'create.firmwareName', input: 'app-alone-5_1_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const registered = await vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.createOtaFirmware, row);
		assert.equal(registered?.status, 'registered', JSON.stringify([errorTexts(api), api.testSeam.errors]));
		assert.equal(registered.error, undefined, 'registered, the row no longer warns');
		assert.equal(sandbox.requests.entries.filter((e) => e.action === 'CreateOTAFirmware').length, 1);
	});

	it('rows that cannot be saved after a stopped package: the package error is still the one shown', async () => {
		const { api } = ctx;
		const before = api.history.all().length;
		Object.assign(api.history, { add: () => Promise.reject(new Error('the workspace state is not writable')) });
		try {
			assert.equal(await uploadAnswerLost('unsaved-rows-5_1_0'), undefined);
		} finally {
			Reflect.deleteProperty(api.history, 'add');
		}
		const shown = errorTexts(api);
		assert.equal(shown.length, 1, JSON.stringify(shown));
		assert.match(shown[0], mayBeRegistered);
		assert.equal(api.history.all().length, before);
	});

	it('a cancel during the second upload keeps the first file as an uploaded row of the Uploads view', async () => {
		const { api, sandbox } = ctx;
		const before = api.history.all().length;
		api.testSeam.reset();
		api.testSeam.queue(
			{ id: 'upload.packaging', pick: 'One package with these 2 files' },
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '5.1.0' },
			{ id: 'create.firmwareName', input: 'cancelled-5_1_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'hold', times: 2 });
		const running = upload([app(), spiffs()]);
		await sandbox.faults.whenHeld('oss', 'PostObject');
		sandbox.faults.release();
		await sandbox.faults.whenHeld('oss', 'PostObject');
		await vscode.commands.executeCommand(Commands.cancelUpload);
		sandbox.faults.release();
		assert.equal(await running, undefined);
		assert.deepEqual(
			newRows(before).map(({ fileName, status }) => ({ fileName, status })),
			[{ fileName: 'pkg-app.bin', status: 'uploaded' }],
		);
		assert.deepEqual(errorTexts(api), [], 'a cancel is no error');
	});
});
