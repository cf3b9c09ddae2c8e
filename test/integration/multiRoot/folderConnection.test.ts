// Per-folder connection settings in a multi-root workspace (the harness opens product-a and product-b, see
// test/harness/workspace.mjs createMultiRootWorkspace): iotOta.region / endpoint / iotInstanceId are resource-scoped,
// so a file's upload, registration and upload commands use its folder's values, and so do the Verify… and Watch Job that
// follow a registration; one package's files must share one. The sandbox runs fast (time scale 60) so a watch ends.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands, StateKeys } from '../../../src/vscode/constants';
import { DEFAULT_INSTANCE, type HistoryEntry } from '../../../src/vscode/model';
import { placeAt } from '../../../src/vscode/ota/access';
import type { VerifyResult } from '../../../src/vscode/ota/actions/verify';
import type { WatchedJob } from '../../../src/vscode/ota/contract';
import { registerPackage } from '../helpers/fleet';
import { errorTexts, MemoryMemento, setSetting, useSuite, waitFor } from '../helpers/ota';
import { watchEvent } from '../helpers/otaFleet';
import { jobRequests, testWatchService } from '../helpers/otaWatch';
import { setFolderSetting, workspaceFolder } from '../helpers/workspaceFolders';

describe('IoT OTA per-folder connection settings (multi-root workspace)', () => {
	const ctx = useSuite({ timeScale: 60 });
	const productA = () => workspaceFolder('product-a');
	const productB = () => workspaceFolder('product-b');
	const fileA = () => vscode.Uri.joinPath(productA().uri, 'fw-a.bin');
	const fileB = () => vscode.Uri.joinPath(productB().uri, 'fw-b.bin');
	const upload = (uri: vscode.Uri) => vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFirmware, uri);

	before(async () => {
		assert.ok(vscode.workspace.workspaceFile, 'a multi-root workspace');
		writeFileSync(fileA().fsPath, randomBytes(4096));
		writeFileSync(fileB().fsPath, randomBytes(6144));
		// The profile is in cn-shanghai on the public instance (helpers/ota.ts signIn): product-a names the sandbox's
		// Enterprise instance, product-b another region.
		await setFolderSetting(productA(), 'iotInstanceId', ctx.sandbox.enterpriseInstanceId);
		await setFolderSetting(productB(), 'region', 'ap-southeast-1');
	});

	after(async () => {
		await setFolderSetting(productA(), 'iotInstanceId', undefined);
		await setFolderSetting(productB(), 'region', undefined);
	});

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

	/** Uploads product-a's file: its Uploads row, uploaded. */
	async function uploadFileA(): Promise<HistoryEntry> {
		const { api } = ctx;
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const entry = await upload(fileA());
		assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		return entry;
	}

	/** Registers an Uploads row of product-a's file as `version` (then the `next` answers), from a clear request log. */
	async function registerRowA(entry: HistoryEntry, version: string, ...next: Parameters<typeof ctx.api.testSeam.queue>) {
		const { api, sandbox } = ctx;
		sandbox.requests.clear();
		api.testSeam.queue(
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: version },
			{ id: 'create.firmwareName', input: `product-a-${version.replaceAll('.', '_')}` },
			{ id: 'create.signMethod', pick: 'MD5' },
			...next,
		);
		const registered = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, { entry });
		assert.equal(registered?.status, 'registered', JSON.stringify(errorTexts(api)));
		return registered;
	}

	/** Uploads product-a's file and registers its Uploads row as `version` (then the `next` answers), from a clear request log. */
	async function registerFileA(version: string, ...next: Parameters<typeof ctx.api.testSeam.queue>): Promise<HistoryEntry> {
		return registerRowA(await uploadFileA(), version, ...next);
	}

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

	it("offers Verify… after a registration in a folder's instance, and the verification goes to that instance too", async () => {
		const { sandbox } = ctx;
		const registered = await registerFileA(
			'1.3.0',
			{ id: 'info', button: 'Verify…' },
			{ id: 'verify.devices', picks: ['dev-00001'] },
			{ id: 'verify.timeout', input: '' },
		);
		const verifyJob = await waitFor(
			() => sandbox.requests.entries.find((e) => e.action === 'CreateOTAVerifyJob'),
			'the verification started from the notification',
		);
		assert.equal(verifyJob.params.FirmwareId, registered.firmwareId);
		const elsewhere = sandbox.requests.entries.filter((e) => e.params.IotInstanceId !== sandbox.enterpriseInstanceId);
		assert.deepEqual(
			elsewhere.map((e) => e.action),
			[],
			"every call of the registration and of its verification went to product-a's instance",
		);
	});

	it("watches the job of that Verify… (Watch Job on its notification) in the folder's instance until it ends", async () => {
		const { api, sandbox } = ctx;
		await setSetting('watch.pauseWhenUnfocusedMinutes', 0);
		const started = watchEvent(api, (e) => e.type === 'started', 'the watch offered after the verification');
		const ended = watchEvent(api, (e) => e.type === 'ended', 'the end of the watched verification');
		const registered = await registerFileA(
			'1.4.0',
			{ id: 'info', button: 'Verify…' },
			{ id: 'verify.devices', picks: ['dev-00002'] }, // dev-00001 may still be busy with the verification above
			{ id: 'verify.timeout', input: '' },
			{ id: 'verify.started', button: 'Watch Job' },
		);
		const { jobId, scope, folder } = (await started).snapshot.watched;
		assert.equal(scope, fileA().toString(), 'the watch keeps the place (saved with it, so a reload resumes it there)');
		assert.equal(folder, productA().uri.toString());
		const end = await ended;
		assert.equal(end.jobId, jobId);
		assert.equal(end.snapshot.outcome, 'succeeded', JSON.stringify([end.snapshot.error, errorTexts(api)]));
		assert.equal(end.snapshot.job?.firmwareId, registered.firmwareId);
		const watchCalls = sandbox.requests.entries.filter((e) => e.params.JobId === jobId && e.action !== 'CreateOTAVerifyJob');
		assert.ok(
			watchCalls.some((e) => e.action === 'QueryOTAJob'),
			JSON.stringify(watchCalls.map((e) => e.action)),
		);
		assert.deepEqual(
			watchCalls.filter((e) => e.params.IotInstanceId !== sandbox.enterpriseInstanceId).map((e) => e.action),
			[],
			"every call of the watch went to product-a's instance",
		);
	});

	it('resumes a saved watch with a place there after a reload, and ends one whose folder is no longer open, saying so', async () => {
		const { api, sandbox } = ctx;
		const registered = await registerFileA('1.5.0');
		const place = placeAt('sandbox-user', fileA());
		api.testSeam.queue({ id: 'verify.devices', picks: ['dev-00003'] }, { id: 'verify.timeout', input: '' });
		const verified = await vscode.commands.executeCommand<VerifyResult>(Commands.verifyOnDevices, {
			firmwareId: registered.firmwareId,
			place,
		});
		assert.ok(verified?.jobId, JSON.stringify(errorTexts(api)));
		const { jobId } = verified;
		const state = new MemoryMemento();
		const removed = 'file:///work/removed-folder';
		await state.update(StateKeys.watchedJobs, [
			{ jobId, profile: place.profile, scope: place.scope, folder: place.folder, since: 1 },
			{ jobId: 'job-of-a-removed-folder', profile: place.profile, scope: `${removed}/fw.bin`, folder: removed, since: 2 },
		] satisfies WatchedJob[]);
		const test = testWatchService(ctx, { state });
		try {
			const ended = test.events((e) => e.jobId === jobId && e.type === 'ended');
			const refused = test.events((e) => e.jobId === 'job-of-a-removed-folder' && e.type === 'ended');
			await test.service.restore();
			const end = await ended;
			assert.equal(end.snapshot.outcome, 'succeeded', JSON.stringify([end.snapshot.error, test.lines]));
			const watchCalls = jobRequests(ctx, jobId).filter((e) => e.action !== 'CreateOTAVerifyJob');
			assert.ok(watchCalls.length > 0);
			assert.deepEqual(
				watchCalls.filter((e) => e.params.IotInstanceId !== sandbox.enterpriseInstanceId).map((e) => e.action),
				[],
				"the resumed watch polled product-a's instance",
			);
			assert.match(
				(await refused).snapshot.error ?? '',
				/^Folder removed-folder is no longer open in this window: .* \(FolderNotOpen\)$/,
			);
			assert.deepEqual(jobRequests(ctx, 'job-of-a-removed-folder'), [], "not sent with the window's settings");
		} finally {
			test.service.dispose();
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
			// The OTA Packages view (shown by an earlier Watch Job's reveal) may reload meanwhile, but here it lists one row per
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
