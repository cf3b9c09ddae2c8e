// Create OTA Firmware: product pick, version detection, validation while typing, FirmwareId stored, no duplicates, cancel
// (and Delete Package of a package a cancel left registered).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import { errorTexts, fileUri, md5Of, useSuite, waitFor } from './helpers/ota';

describe('IoT OTA create OTA firmware', () => {
	const ctx = useSuite();

	before(() => writeFileSync(fileUri('version.txt').fsPath, '2.5.0\n'));

	async function uploadFirmware(): Promise<HistoryEntry> {
		ctx.api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const entry = await vscode.commands.executeCommand<HistoryEntry>(Commands.uploadFirmware, fileUri('firmware.bin'));
		assert.equal(entry?.status, 'uploaded');
		ctx.api.testSeam.reset();
		return entry;
	}

	it('registers an upload and stores the FirmwareId in its history entry', async () => {
		const { api, sandbox } = ctx;
		const entry = await uploadFirmware();
		api.testSeam.queue(
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '2.5.0' },
			{ id: 'create.firmwareName', input: 'firmware-2_5_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const registered = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, { entry });
		assert.equal(registered?.status, 'registered', JSON.stringify(errorTexts(api)));
		assert.ok(registered.firmwareId);
		assert.equal(api.history.get(entry.id)?.firmwareId, registered.firmwareId);
		assert.equal(registered.productKey, sandbox.productKey);
		assert.equal(registered.signMethod, 'MD5');
		const version = api.testSeam.calls.find((c) => c.id === 'create.destVersion');
		assert.equal(version?.value, '2.5.0', 'DestVersion prefilled from version.txt');
		const name = api.testSeam.calls.find((c) => c.id === 'create.firmwareName');
		assert.equal(
			name?.value,
			`firmware-2_5_0-${entry.sha256?.slice(0, 8)}`,
			'FirmwareName default from the file, version and content tag, sanitised',
		);
		assert.equal(sandbox.stats.apiCalls.CreateOTAFirmware, 1);

		api.testSeam.reset();
		const again = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, registered);
		assert.equal(again?.firmwareId, registered.firmwareId);
		assert.equal(sandbox.stats.apiCalls.CreateOTAFirmware, 1, 'no second registration');
	});

	it('validates fields as they are typed (an invalid DestVersion never reaches the API)', async () => {
		const { api, sandbox } = ctx;
		const entry = await uploadFirmware();
		const calls = sandbox.stats.apiCalls.CreateOTAFirmware ?? 0;
		api.testSeam.queue(
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '2.5.0 beta!' },
		);
		assert.equal(await vscode.commands.executeCommand(Commands.createOtaFirmware, entry), undefined);
		const version = api.testSeam.calls.find((c) => c.id === 'create.destVersion');
		assert.match(version?.validation ?? '', /DestVersion/);
		assert.equal(sandbox.stats.apiCalls.CreateOTAFirmware ?? 0, calls);
		assert.equal(api.history.get(entry.id)?.status, 'uploaded');
	});

	it('falls back to typing the ProductKey when QueryProductList fails', async () => {
		const { api, sandbox } = ctx;
		const entry = await uploadFirmware();
		sandbox.faults.add({ target: 'api', action: 'QueryProductList', kind: 'status', status: 403, code: 'Forbidden.RAM', times: 10 });
		api.testSeam.queue(
			{ id: 'create.product', pick: 'Enter a ProductKey…' },
			{ id: 'create.productKey', input: sandbox.productKey },
			{ id: 'create.destVersion', input: '3.0.0' },
			{ id: 'create.firmwareName', input: 'typed-3_0_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const registered = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, entry);
		sandbox.faults.clear();
		assert.equal(registered?.status, 'registered', JSON.stringify(errorTexts(api)));
		const productPick = api.testSeam.calls.find((c) => c.id === 'create.product');
		assert.deepEqual([productPick?.options, productPick?.icons], [['Enter a ProductKey…'], ['edit']]);
	});

	it('warns past the 60-minute window, and re-hashes the file when the entry has no digest', async () => {
		const { api, sandbox } = ctx;
		const entry = await uploadFirmware();
		const created = sandbox.stats.apiCalls.CreateOTAFirmware ?? 0;
		await api.history.update(entry.id, { finishedAt: Date.now() - 61 * 60 * 1000 });
		api.testSeam.queue({ id: 'create.lateConfirm', cancel: true });
		assert.equal(await vscode.commands.executeCommand(Commands.createOtaFirmware, entry), undefined);
		assert.match(api.testSeam.calls.find((c) => c.id === 'create.lateConfirm')?.text ?? '', /60 minutes/);
		assert.equal(sandbox.stats.apiCalls.CreateOTAFirmware ?? 0, created);

		await api.history.update(entry.id, { finishedAt: Date.now(), md5: undefined, sha256: undefined });
		assert.equal(api.history.get(entry.id)?.md5, undefined);
		api.testSeam.queue(
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '2.7.0' },
			{ id: 'create.firmwareName', input: 'rehashed-2_7_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		sandbox.requests.clear();
		const registered = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, entry);
		assert.equal(registered?.status, 'registered', JSON.stringify(errorTexts(api)));
		assert.equal(sandbox.stats.apiCalls.CreateOTAFirmware, created + 1);
		const sent = sandbox.requests.entries.filter((r) => r.action === 'CreateOTAFirmware');
		assert.equal(sent.length, 1);
		assert.equal(sent[0].params.SignMethod, 'MD5');
		assert.equal(sent[0].params.FirmwareSign, md5Of(fileUri('firmware.bin')), 'the sign is the MD5 of the file, hashed again');
		assert.equal(registered.signMethod, 'MD5');
	});

	it('shows the registration as a progress notification that Cancel Upload on the entry stops', async () => {
		const { api, sandbox } = ctx;
		const entry = await uploadFirmware();
		const created = sandbox.stats.apiCalls.CreateOTAFirmware ?? 0;
		// The look-up for a package with the same content (the registration's first call) is held until the cancel.
		sandbox.faults.add({ target: 'api', action: 'ListOTAFirmware', kind: 'hold' });
		api.testSeam.queue(
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: '2.8.0' },
			{ id: 'create.firmwareName', input: 'cancelled-2_8_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const running = vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.createOtaFirmware, entry);
		try {
			await sandbox.faults.whenHeld('api', 'ListOTAFirmware');
			const progress = api.testSeam.calls.filter((c) => c.kind === 'progress');
			assert.deepEqual(
				progress.map((c) => [c.id, c.text]),
				[['create.progress', 'Registering cancelled-2_8_0…']],
			);
			await vscode.commands.executeCommand(Commands.cancelUpload, entry);
			assert.equal(await running, undefined, 'the registration went on after Cancel Upload');
		} finally {
			sandbox.faults.clear();
		}
		assert.equal(sandbox.stats.apiCalls.CreateOTAFirmware ?? 0, created, 'CreateOTAFirmware was sent');
		assert.equal(api.history.get(entry.id)?.firmwareId, undefined);
		assert.deepEqual(errorTexts(api), [], 'a cancel is no error');
	});

	it('a cancel that leaves the package registered: its Delete Package deletes it with the profile that registered it, not the active one', async () => {
		const { api, sandbox } = ctx;
		const entry = await uploadFirmware();
		// Another profile is active meanwhile: its key cannot sign for the sandbox's account.
		await api.profiles.save(
			{ name: 'other', accessKeyId: sandbox.accessKeyId, region: 'cn-shanghai', hasSecurityToken: false, kind: 'user' },
			'not-the-secret',
		);
		await api.profiles.setActive('other');
		try {
			sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'hold' });
			sandbox.faults.add({ target: 'api', action: 'DeleteOTAFirmware', kind: 'status', status: 400, code: 'InvalidParameter' });
			api.testSeam.queue(
				{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
				{ id: 'create.destVersion', input: '2.9.0' },
				{ id: 'create.firmwareName', input: 'left-2_9_0' },
				{ id: 'create.signMethod', pick: 'MD5' },
				{ id: 'error', button: 'Delete Package' },
				{ id: 'delete.confirm', button: 'Delete Package' },
			);
			const running = vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.createOtaFirmware, entry);
			await sandbox.faults.whenHeld('api', 'CreateOTAFirmware');
			await vscode.commands.executeCommand(Commands.cancelUpload, entry);
			sandbox.faults.release();
			assert.equal(await running, undefined);
			const [left] = errorTexts(api);
			const firmwareId = /the OTA firmware (\S+) registered just before could not be deleted/.exec(left ?? '')?.[1];
			assert.ok(firmwareId && sandbox.ota.firmware(firmwareId), left);
			const deleted = await waitFor(
				() => api.testSeam.messages('info').find((c) => c.text.startsWith('Deleted OTA package left-2_9_0')),
				'Delete Package of the error',
			);
			assert.ok(deleted);
			assert.equal(sandbox.ota.firmware(firmwareId), undefined, 'deleted on the platform');
			assert.deepEqual(errorTexts(api), [left], 'Delete Package failed');
		} finally {
			await api.profiles.setActive('sandbox-user');
			await api.profiles.remove('other');
		}
	});

	it('does not register twice when a package with the same FirmwareUrl already exists', async () => {
		const { api, sandbox } = ctx;
		const entry = await uploadFirmware();
		const answers = (name: string) => [
			{ id: 'create.product', pick: (item: vscode.QuickPickItem) => item.description === sandbox.productKey },
			{ id: 'create.destVersion', input: '2.6.0' },
			{ id: 'create.firmwareName', input: name },
			{ id: 'create.signMethod', pick: 'SHA256' },
		];
		api.testSeam.queue(...answers('first-2_6_0'));
		const first = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, entry);
		assert.equal(first?.status, 'registered', JSON.stringify(errorTexts(api)));
		// Pretend the answer of that call was lost: the entry forgets it was registered, the user retries.
		await api.history.update(entry.id, { status: 'uploaded', firmwareId: undefined });
		const created = sandbox.stats.apiCalls.CreateOTAFirmware;
		api.testSeam.queue(...answers('second-2_6_0'));
		const retried = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, entry);
		assert.equal(retried?.firmwareId, first.firmwareId);
		assert.equal(sandbox.stats.apiCalls.CreateOTAFirmware, created);
	});
});
