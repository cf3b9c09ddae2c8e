// Per-folder connection settings in a multi-root workspace (set up by helpers/folderConnection.ts: product-a names the
// sandbox's Enterprise instance, product-b another region): iotOta.region / endpoint / iotInstanceId are resource-scoped,
// so a file's upload, registration, deletion and upload commands use its folder's values, the commands without a file
// the window's; one package's files must share one. (The Verify… and Watch Job that follow a registration:
// folderVerifyWatch.test.ts.)
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../../src/vscode/constants';
import { DEFAULT_INSTANCE } from '../../../src/vscode/model';
import { useFolderConnections } from '../helpers/folderConnection';
import { registerPackage } from '../helpers/fleet';
import { errorTexts, useSuite } from '../helpers/ota';
import { setFolderSetting } from '../helpers/workspaceFolders';

describe('IoT OTA per-folder connection settings (multi-root workspace)', () => {
	const ctx = useSuite();
	const { productA, fileA, fileB, upload, uploadFileA, registerRowA, registerFileA } = useFolderConnections(ctx);

	it("uploads a file of each folder with that folder's instance and region", async () => {
		const { api, sandbox } = ctx;
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const a = await upload(fileA());
		assert.equal(a?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		const ticketA = sandbox.requests.entries.filter((e) => e.action === 'GenerateOTAUploadURL');
		assert.equal(ticketA.length, 1);
		assert.equal(ticketA[0].params.IotInstanceId, sandbox.enterpriseInstanceId, "product-a's instance");
		assert.equal(ticketA[0].params.RegionId, 'cn-shanghai', "the profile's region (product-a sets none)");
		assert.equal(a.region, 'cn-shanghai');
		assert.equal(a.instance, sandbox.enterpriseInstanceId, "the Uploads row names product-a's instance");

		sandbox.requests.clear();
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const b = await upload(fileB());
		assert.equal(b?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		const ticketB = sandbox.requests.entries.filter((e) => e.action === 'GenerateOTAUploadURL');
		assert.equal(ticketB.length, 1);
		assert.equal(ticketB[0].params.IotInstanceId, undefined, "product-a's instance stays in product-a");
		assert.equal(ticketB[0].params.RegionId, 'ap-southeast-1', "product-b's region");
		assert.equal(b.region, 'ap-southeast-1', "the Uploads row names product-b's region");
		assert.equal(b.instance, DEFAULT_INSTANCE, "product-b's row: the region's default instance (no IotInstanceId sent)");
	});

	it("registers an Uploads row with its file's folder's instance", async () => {
		const { sandbox } = ctx;
		const registered = await registerFileA('1.2.0');
		assert.equal(registered.instance, sandbox.enterpriseInstanceId, 'the row names the instance it is registered in');
		const create = sandbox.requests.entries.filter((e) => e.action === 'CreateOTAFirmware');
		assert.equal(create.length, 1);
		assert.equal(create[0].params.IotInstanceId, sandbox.enterpriseInstanceId);
		assert.ok(
			sandbox.requests.entries.every((e) => e.params.IotInstanceId === sandbox.enterpriseInstanceId),
			'every call of the registration (product list, lookups) went to the instance',
		);
	});

	it("a row registered after its folder's instance setting was removed names the instance it was registered in", async () => {
		const { sandbox } = ctx;
		const entry = await uploadFileA();
		assert.equal(entry.instance, sandbox.enterpriseInstanceId);
		await setFolderSetting(productA(), 'iotInstanceId', undefined);
		try {
			ctx.api.testSeam.queue({ id: 'create.placeMoved', button: 'Register Anyway' }); // asked first (createPlaceMoved.test.ts)
			const registered = await registerRowA(entry, '1.2.5');
			const create = sandbox.requests.entries.filter((e) => e.action === 'CreateOTAFirmware');
			assert.deepEqual(
				create.map((e) => e.params.IotInstanceId),
				[undefined],
			);
			assert.deepEqual([registered.region, registered.instance], ['cn-shanghai', DEFAULT_INSTANCE]);
		} finally {
			await setFolderSetting(productA(), 'iotInstanceId', sandbox.enterpriseInstanceId);
		}
	});

	it('Delete Package on a registered Uploads row deletes in the instance its folder registered it in, not the window’s', async () => {
		const { api, sandbox } = ctx;
		const registered = await registerFileA('1.6.0');
		sandbox.requests.clear();
		api.testSeam.queue({ id: 'delete.confirm', button: 'Delete Package' });
		// What the row's context menu passes: the Uploads row, whose record names its profile and file.
		const result = await vscode.commands.executeCommand<{ deleted: boolean }>(Commands.deletePackage, { entry: registered });
		assert.equal(result?.deleted, true, JSON.stringify(errorTexts(api)));
		const deletes = sandbox.requests.entries.filter((e) => e.action === 'DeleteOTAFirmware');
		assert.deepEqual(
			deletes.map((e) => [e.params.FirmwareId, e.params.IotInstanceId]),
			[[registered.firmwareId, sandbox.enterpriseInstanceId]],
		);
		assert.deepEqual(
			sandbox.requests.entries.filter((e) => e.params.IotInstanceId !== sandbox.enterpriseInstanceId).map((e) => e.action),
			[],
			"every call of the delete went to product-a's instance",
		);
	});

	it("the commands without a file (Verify on Devices… from the palette) use the window's settings, even with a folder's file open", async () => {
		const { api, sandbox } = ctx;
		const windowPackage = await registerPackage(sandbox, { needToVerify: true }); // in the profile's (public) instance
		const notes = vscode.Uri.joinPath(productA().uri, 'notes.txt');
		writeFileSync(notes.fsPath, 'product-a');
		await vscode.window.showTextDocument(notes);
		try {
			sandbox.requests.clear();
			api.testSeam.queue({ id: 'ota.packagePick', cancel: true });
			await vscode.commands.executeCommand(Commands.verifyOnDevices, { productKey: sandbox.productKey });
			// The OTA Packages view (if an earlier suite's Watch Job revealed it) may reload meanwhile, but there it lists one row per
			// folder connection (product-a's instance, product-b's region), never with the window's settings: the one call
			// with those is the command's, and its pick shows the window's package (not in product-a's instance).
			const listed = sandbox.requests.entries.filter(
				(e) => e.action === 'ListOTAFirmware' && e.params.ProductKey === sandbox.productKey,
			);
			const windows = listed.filter((e) => e.params.RegionId === 'cn-shanghai' && e.params.IotInstanceId === undefined);
			assert.equal(windows.length, 1, JSON.stringify([listed.map((e) => e.params), errorTexts(api)]));
			const [pick] = api.testSeam.calls.filter((c) => c.id === 'ota.packagePick');
			assert.ok(pick?.options?.includes(windowPackage.firmwareName), JSON.stringify(pick?.options));
			assert.deepEqual(errorTexts(api), []);
		} finally {
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		}
	});

	it("Show Upload Commands names the file's folder's region and instance in its aliyun lines", async () => {
		const { api } = ctx;
		const shown = async (uri: vscode.Uri) => {
			api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
			const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(Commands.showUploadCommands, uri);
			assert.ok(editor, JSON.stringify(errorTexts(api)));
			const line = editor.document
				.getText()
				.split('\n')
				.find((l) => l.trimStart().startsWith('aliyun iot GenerateOTAUploadURL'));
			assert.ok(line, editor.document.getText());
			return line;
		};
		const a = await shown(fileA());
		assert.match(a, /--region cn-shanghai /);
		assert.ok(a.includes(ctx.sandbox.enterpriseInstanceId), a);
		const b = await shown(fileB());
		assert.match(b, /--region ap-southeast-1 /);
		assert.equal(b.includes(ctx.sandbox.enterpriseInstanceId), false, b);
	});

	it('refuses one package of files from folders with different connections, with one message, before any request', async () => {
		const { api, sandbox } = ctx;
		api.testSeam.queue({ id: 'upload.packaging', pick: 'One package with these 2 files' });
		const result = await vscode.commands.executeCommand(Commands.uploadFirmware, fileA(), [fileA(), fileB()]);
		assert.equal(result, undefined);
		const errors = errorTexts(api);
		assert.equal(errors.length, 1, JSON.stringify(errors));
		assert.equal(
			errors[0],
			'fw-a.bin and fw-b.bin are in folders whose settings choose different connections ' +
				`(iotOta.region "cn-shanghai" ≠ "ap-southeast-1", iotOta.iotInstanceId "${sandbox.enterpriseInstanceId}" ≠ (not set)), ` +
				'and one package is registered in one account and instance. Upload them as a package per file, or give the folders the same settings. (PackageConnectionsDiffer)',
		);
		assert.deepEqual(sandbox.requests.entries, [], 'nothing was sent');
		assert.equal(sandbox.stats.ossUploads, 0);
		assert.equal(api.testSeam.pending(), 0);
	});
});
