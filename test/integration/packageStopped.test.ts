// A multi-file OTA package whose registration got no definite answer (a 5xx), and one cancelled during its second
// upload: what the message and the Uploads view's rows say, and Create OTA Firmware on such a row. The package's
// registration itself: package.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import { errorTexts, useSuite } from './helpers/ota';
import { usePackageFiles } from './helpers/package';

describe('IoT OTA multi-file package stopped', () => {
	const ctx = useSuite();
	const { app, spiffs, upload, newRows } = usePackageFiles(ctx);

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
		/may be registered all the same, with pkg-app\.bin, pkg-spiffs\.bin\. Look for it in the OTA Packages view \(product \w+\) before registering again\./;

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
