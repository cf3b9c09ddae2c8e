// Create OTA Firmware on an Uploads row whose connection moved since the upload (product-a's instance setting removed in
// between, see test/harness/workspace.mjs createMultiRootWorkspace): one modal warning names both places before any
// request; Cancel writes and sends nothing, Register Anyway registers where the settings now point (and the row says so),
// Upload Again Here uploads the file anew there (src/vscode/create/placeWarning.ts, docs/protocols.md §4.3).
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../../src/vscode/constants';
import { DEFAULT_INSTANCE, type HistoryEntry } from '../../../src/vscode/model';
import { errorTexts, useSuite } from '../helpers/ota';
import { setFolderSetting, workspaceFolder } from '../helpers/workspaceFolders';

const WARNING = 'create.placeMoved';

const productA = () => workspaceFolder('product-a');
const setInstance = (value: string | undefined) => setFolderSetting(productA(), 'iotInstanceId', value);

describe('IoT OTA Create on an Uploads row whose connection moved (multi-root workspace)', () => {
	const ctx = useSuite();
	const file = () => vscode.Uri.joinPath(productA().uri, 'fw-moved.bin');

	before(async () => {
		// A visible OTA Packages view reloads when a connection setting changes: the requests counted here are the command's.
		await vscode.commands.executeCommand('workbench.view.explorer');
	});

	/** Uploads the file with product-a's Enterprise instance, then removes that setting: the row's place moved. */
	async function movedRow(): Promise<HistoryEntry> {
		const { api, sandbox } = ctx;
		writeFileSync(file().fsPath, randomBytes(5120)); // new contents: no package of an earlier test offered for them
		await setInstance(sandbox.enterpriseInstanceId);
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const entry = await vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFirmware, file());
		assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		assert.equal(entry.instance, sandbox.enterpriseInstanceId);
		await setInstance(undefined);
		sandbox.requests.clear();
		return entry;
	}

	const create = (entry: HistoryEntry) => vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.createOtaFirmware, { entry });

	afterEach(async () => {
		await setInstance(undefined);
	});

	it('warns once, naming both places, and Cancel sends nothing and changes no row', async () => {
		const { api, sandbox } = ctx;
		const entry = await movedRow();
		const rowsBefore = JSON.stringify(api.history.all());
		const ossBefore = sandbox.stats.ossUploads;
		api.testSeam.queue({ id: WARNING, cancel: true });
		assert.equal(await create(entry), undefined);
		const warnings = api.testSeam.calls.filter((c) => c.id === WARNING);
		assert.equal(warnings.length, 1);
		const [warning] = warnings;
		assert.equal(warning.modal, true);
		assert.equal(warning.severity, 'warning');
		assert.deepEqual(warning.options, ['Upload Again Here', 'Register Anyway']);
		assert.equal(warning.text, 'fw-moved.bin was uploaded elsewhere than it would be registered now.');
		assert.equal(
			warning.detail,
			`Uploaded with profile "sandbox-user", region cn-shanghai, instance ${sandbox.enterpriseInstanceId}.\n` +
				'Registered now with profile "sandbox-user", region cn-shanghai, public instance.\n' +
				"Its FirmwareUrl is a file of the upload's region and instance. Upload Again Here uploads the file with the current settings; Register Anyway registers that FirmwareUrl here.",
		);
		assert.deepEqual(sandbox.requests.entries, [], 'no request before or after the warning');
		assert.equal(sandbox.stats.ossUploads, ossBefore);
		assert.equal(JSON.stringify(api.history.all()), rowsBefore, 'no row written');
		assert.deepEqual(errorTexts(api), []);
		assert.equal(api.testSeam.pending(), 0);
	});

	it('Register Anyway registers where the settings now point, and the row names that place', async () => {
		const { api, sandbox } = ctx;
		const entry = await movedRow();
		api.testSeam.queue(
			{ id: WARNING, button: 'Register Anyway' },
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '2.0.0' },
			{ id: 'create.firmwareName', input: 'moved-2_0_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const registered = await create(entry);
		assert.equal(registered?.status, 'registered', JSON.stringify(errorTexts(api)));
		assert.equal(registered.id, entry.id, 'the same row');
		assert.deepEqual(
			sandbox.requests.entries
				.filter((e) => e.action === 'CreateOTAFirmware')
				.map((e) => [e.params.FirmwareUrl, e.params.IotInstanceId]),
			[[entry.firmwareUrl, undefined]],
			"the upload's FirmwareUrl, registered at the region's default instance",
		);
		assert.deepEqual([registered.profile, registered.region, registered.instance], ['sandbox-user', 'cn-shanghai', DEFAULT_INSTANCE]);
		assert.equal(api.history.get(entry.id)?.instance, DEFAULT_INSTANCE, 'stored so');
		assert.equal(api.testSeam.calls.filter((c) => c.id === WARNING).length, 1);
	});

	it('Upload Again Here uploads the file anew where the settings now point, registering nothing', async () => {
		const { api, sandbox } = ctx;
		const entry = await movedRow();
		const ossBefore = sandbox.stats.ossUploads;
		api.testSeam.queue({ id: WARNING, button: 'Upload Again Here' }, { id: 'upload.suffix', pick: 'bin' });
		const again = await create(entry);
		assert.equal(again?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		assert.notEqual(again.id, entry.id, 'a new Uploads row');
		assert.equal(again.fileUri, entry.fileUri);
		assert.notEqual(again.firmwareUrl, entry.firmwareUrl, 'a fresh FirmwareUrl');
		assert.deepEqual([again.profile, again.region, again.instance], ['sandbox-user', 'cn-shanghai', DEFAULT_INSTANCE]);
		assert.equal(sandbox.stats.ossUploads, ossBefore + 1);
		const tickets = sandbox.requests.entries.filter((e) => e.action === 'GenerateOTAUploadURL');
		assert.deepEqual(
			tickets.map((e) => e.params.IotInstanceId),
			[undefined],
		);
		assert.deepEqual(
			sandbox.requests.entries.filter((e) => e.action === 'CreateOTAFirmware'),
			[],
		);
		assert.equal(api.history.get(entry.id)?.status, 'uploaded', 'the old row is left as it was');
		assert.equal(api.testSeam.pending(), 0);
	});
});
