// Several firmware files selected in the explorer, made one multi-file OTA package (MultiFiles.N): what is registered
// and asked, and a refused registration. One whose registration got no definite answer, or that was cancelled:
// packageStopped.test.ts. "A package per file" is upload.test.ts's multi-selection case.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Views } from '../../src/vscode/constants';
import { DEFAULT_INSTANCE } from '../../src/vscode/model';
import { espImage, flipByte, mcubootImage } from '../support/firmware';
import { errorTexts, fileUri, useSuite } from './helpers/ota';
import { packageNode, productNode } from './helpers/otaFleet';
import { usePackageFiles } from './helpers/package';

describe('IoT OTA multi-file package', () => {
	const ctx = useSuite();
	const { app, spiffs, upload, newRows } = usePackageFiles(ctx);
	const sha256 = (uri: vscode.Uri) => createHash('sha256').update(readFileSync(uri.fsPath)).digest('hex');

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
		assert.deepEqual(
			rows.map((e) => [e.region, e.instance]),
			[
				['cn-shanghai', DEFAULT_INSTANCE],
				['cn-shanghai', DEFAULT_INSTANCE],
			],
			'each row names where its package is: the sandbox profile sends no IotInstanceId',
		);
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
		// Device reads an open OTA view may still make after an earlier suite are not this flow's requests.
		const sent = sandbox.requests.entries.filter((e) => !/^(QueryDevice|BatchQueryDeviceDetail)$/.test(e.action));
		assert.deepEqual(sent, [], 'nothing was sent');
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
		// The tooltip says what the notification says: the core's hint and the code, not the message alone.
		assert.match(api.statusBar().tooltip, /FirmwareName is unique in the account.*AlreadyExistedFirmwareName/s);
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
});
