// The IoT OTA actions on packages: Delete Package, Copy FirmwareId/JobId, Diagnose and its fix, "Verify…" after
// Create OTA Firmware, the fleet "Start Local Sandbox" seeds from the settings, and when the OTA connections are made
// anew — against the sandbox fleet. The job and task actions are in otaActionsTasks.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startVerification } from '../../src/core/lifecycle';
import { Commands, EXTENSION_ID } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import type { DiagnoseResult, RegisterVersionResult } from '../../src/vscode/ota/actions/diagnose';
import type { DeleteResult } from '../../src/vscode/ota/actions/packageActions';
import { espImage } from '../support/firmware';
import { fleetDevice, lifecycle, registerPackage, tasksIn, writes } from './helpers/fleet';
import { errorTexts, fileUri, setSetting, useSuite, waitFor } from './helpers/ota';

describe('IoT OTA actions on packages and connections', () => {
	const ctx = useSuite({ devices: 40, timeScale: 600 });

	const call = (id: string) => ctx.api.testSeam.calls.filter((c) => c.id === id);

	it('Delete Package names the package, its version and its jobs in a modal, and deletes only when confirmed', async () => {
		const { api, sandbox } = ctx;
		const pkg = await registerPackage(sandbox, { needToVerify: true });
		const { job } = await startVerification(lifecycle(sandbox), { firmwareId: pkg.firmwareId, deviceNames: [fleetDevice(30)] });
		await tasksIn(sandbox, job.jobId, 'SUCCEEDED', 1);
		sandbox.requests.clear();
		api.testSeam.queue({ id: 'delete.confirm', cancel: true });
		assert.equal(await vscode.commands.executeCommand(Commands.deletePackage, { firmwareId: pkg.firmwareId }), undefined);
		const [modal] = call('delete.confirm');
		assert.equal(modal.modal, true);
		assert.equal(modal.text, `Delete OTA package ${pkg.firmwareName} version ${pkg.destVersion}?`);
		assert.deepEqual(modal.options, ['Delete Package']);
		assert.deepEqual(writes(sandbox.requests.entries), []);

		api.testSeam.queue({ id: 'delete.confirm', button: 'Delete Package' });
		const result = await vscode.commands.executeCommand<DeleteResult>(Commands.deletePackage, { firmwareId: pkg.firmwareId });
		assert.equal(result?.deleted, true, JSON.stringify(errorTexts(api)));
		assert.match(modal.detail ?? '', new RegExp(`FirmwareId ${pkg.firmwareId}`));
		assert.match(modal.detail ?? '', new RegExp(`Verification ${job.jobId}`));
		assert.deepEqual(
			writes(sandbox.requests.entries).map((r) => [r.action, r.params.FirmwareId]),
			[['DeleteOTAFirmware', pkg.firmwareId]],
		);
	});

	it('Delete Package counts every job of the package, beyond the first page of 100', async () => {
		const { api, sandbox } = ctx;
		const pkg = await registerPackage(sandbox, { needToVerify: false });
		const firmware = sandbox.ota.firmware(pkg.firmwareId);
		assert.ok(firmware);
		for (let i = 0; i < 101; i++) {
			// Made in the engine directly: 101 API calls would only slow the test down.
			sandbox.ota.createStaticJob(firmware, {
				productKey: sandbox.productKey,
				targetSelection: 'SPECIFIC',
				deviceNames: [fleetDevice(40)],
			});
		}
		api.testSeam.queue({ id: 'delete.confirm', cancel: true });
		assert.equal(await vscode.commands.executeCommand(Commands.deletePackage, { firmwareId: pkg.firmwareId }), undefined);
		const [modal] = call('delete.confirm');
		const counted = /Jobs of this package \(([^)]*)\)/.exec(modal.detail ?? '')?.[1] ?? '';
		const total = [...counted.matchAll(/(\d+) /g)].reduce((sum, m) => sum + Number(m[1]), 0);
		assert.equal(total, 101, modal.detail);
	});

	it('Copy FirmwareId and Copy JobId put the id on the clipboard', async () => {
		await vscode.commands.executeCommand(Commands.copyFirmwareId, { firmwareId: 'FwId123' });
		assert.equal(await vscode.env.clipboard.readText(), 'FwId123');
		await vscode.commands.executeCommand(Commands.copyJobId, { jobId: 'JobId456' });
		assert.equal(await vscode.env.clipboard.readText(), 'JobId456');
	});

	it('Diagnose explains a wrong-version failure, and its fix registers the image with the version it reports', async () => {
		const { api, sandbox } = ctx;
		const image = espImage({ app: { version: '3.0.0' } });
		const pkg = await registerPackage(sandbox, { needToVerify: true, destVersion: '3.0.1', image });
		const { job } = await startVerification(lifecycle(sandbox), { firmwareId: pkg.firmwareId, deviceNames: [fleetDevice(35)] });
		await tasksIn(sandbox, job.jobId, 'FAILED', 1);

		const result = await vscode.commands.executeCommand<DiagnoseResult>(Commands.diagnose, { jobId: job.jobId });
		assert.deepEqual(
			result?.report.findings.map((f) => f.diagnosis?.code),
			['version-mismatch'],
			JSON.stringify(errorTexts(api)),
		);
		const text = (await vscode.workspace.openTextDocument(result.uri)).getText();
		assert.ok(text.includes("the device reports 3.0.0: the image's version differs from DestVersion 3.0.1"), text);
		assert.ok(text.includes(`## ${fleetDevice(35)} — Failed`), text);
		const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', result.uri);
		const fix = lenses.find((lens) => lens.command?.title.includes("Register with the image's version (3.0.0)"));
		assert.ok(fix?.command, `lenses: ${lenses.map((l) => l.command?.title).join(' | ')}`);

		sandbox.requests.clear();
		api.testSeam.queue({ id: 'diagnose.registerVersion', input: 'fixed-3_0_0' });
		const registered = await vscode.commands.executeCommand<RegisterVersionResult>(
			fix.command.command,
			...(fix.command.arguments ?? []),
		);
		assert.equal(registered?.destVersion, '3.0.0', JSON.stringify(errorTexts(api)));
		const [created] = writes(sandbox.requests.entries);
		assert.equal(created.action, 'CreateOTAFirmware');
		assert.equal(created.params.DestVersion, '3.0.0');
		assert.equal(created.params.FirmwareUrl, pkg.firmwareUrl, 'the same file');
		const { job: again } = await startVerification(lifecycle(sandbox), {
			firmwareId: registered.firmwareId,
			deviceNames: [fleetDevice(36)],
		});
		await tasksIn(sandbox, again.jobId, 'SUCCEEDED', 1);
	});

	it('offers Verify… right after Create OTA Firmware, which starts the verification of the new package', async () => {
		const { api, sandbox } = ctx;
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const entry = await vscode.commands.executeCommand<HistoryEntry>(Commands.uploadFirmware, fileUri('firmware.bin'));
		assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		api.testSeam.reset();
		api.testSeam.queue(
			{ id: 'create.product', pick: (item) => item.description === sandbox.productKey },
			{ id: 'create.destVersion', input: '4.0.0' },
			{ id: 'create.firmwareName', input: 'verify-after-create' },
			{ id: 'create.signMethod', pick: 'MD5' },
			{ id: 'info', button: 'Verify…' },
			{ id: 'verify.devices', picks: [fleetDevice(37)] },
			{ id: 'verify.timeout', input: '' },
		);
		const registered = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, entry);
		assert.ok(registered?.firmwareId, JSON.stringify(errorTexts(api)));
		const verifyJob = await waitFor(
			() => sandbox.requests.entries.find((r) => r.action === 'CreateOTAVerifyJob'),
			'the verification started from the notification',
		);
		assert.equal(verifyJob.params.FirmwareId, registered.firmwareId);
		assert.equal(verifyJob.params['TargetDeviceName.1'], fleetDevice(37));
		assert.ok(call('info').some((c) => c.options?.includes('Verify…')));
	});

	it('Delete Package on a registered Uploads row marks the row deleted: its state, description and menu follow', async () => {
		const { api, sandbox } = ctx;
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const entry = await vscode.commands.executeCommand<HistoryEntry>(Commands.uploadFirmware, fileUri('firmware.bin'));
		assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		assert.equal(
			entry.folder,
			vscode.workspace.getWorkspaceFolder(fileUri('firmware.bin'))?.uri.toString(),
			'the row records its folder',
		);
		api.testSeam.queue(
			{ id: 'create.product', pick: (item) => item.description === sandbox.productKey },
			{ id: 'create.destVersion', input: '5.0.0' },
			{ id: 'create.firmwareName', input: 'deleted-from-row' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const registered = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, entry);
		assert.ok(registered?.firmwareId, JSON.stringify(errorTexts(api)));
		const rowItem = () => {
			const node = api.views.uploads.getChildren().find((n) => n.type === 'upload' && n.entry.id === entry.id);
			assert.ok(node);
			return api.views.uploads.getTreeItem(node);
		};
		const menu = (contextValue: string | undefined) =>
			(
				vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON.contributes.menus['view/item/context'] as {
					command: string;
					when: string;
				}[]
			)
				.filter(({ when }) => when.startsWith('view == iotOta.uploads && viewItem '))
				.filter(({ when }) => {
					const [, op, value] = /viewItem (==|=~) \/?(.+?)\/?$/.exec(when) ?? [];
					return op === '==' ? value === contextValue : new RegExp(value).test(contextValue ?? '');
				})
				.map(({ command }) => command);
		assert.equal(rowItem().contextValue, 'upload.registered');
		assert.ok(menu(rowItem().contextValue).includes(Commands.deletePackage));

		api.testSeam.queue({ id: 'delete.confirm', button: 'Delete Package' });
		const result = await vscode.commands.executeCommand<DeleteResult>(Commands.deletePackage, { entry: registered });
		assert.deepEqual(result, { firmwareId: registered.firmwareId, deleted: true }, JSON.stringify(errorTexts(api)));
		const row = api.history.get(entry.id);
		assert.deepEqual(
			[row?.status, row?.firmwareId, row?.firmwareUrl, row?.md5, row?.destVersion],
			['deleted', registered.firmwareId, registered.firmwareUrl, registered.md5, '5.0.0'],
		);
		const item = rowItem();
		assert.equal(item.contextValue, 'upload.deleted.registrable');
		assert.match(String(item.description), /^Package deleted · register within \d+ min · 5\.0\.0 · /);
		assert.match((item.tooltip as vscode.MarkdownString).value, /Package deleted:/);
		const offered = menu(item.contextValue);
		for (const gone of [Commands.verifyOnDevices, Commands.revealPackage, Commands.deletePackage]) {
			assert.ok(!offered.includes(gone), `${gone} is no longer offered`);
		}
		for (const kept of [Commands.createOtaFirmware, Commands.uploadFirmware]) {
			assert.ok(offered.includes(kept), `${kept} is offered`);
		}
	});

	it('Start Local Sandbox seeds the fleet of the iotOta.sandbox settings, and a bad iotOta.image.versionMarker does not stop it', async () => {
		const { api } = ctx;
		await setSetting('image.versionMarker', '(');
		await setSetting('sandbox.devices', 7);
		await setSetting('sandbox.behaviours', { offline: 30 });
		await setSetting('sandbox.timeScale', 100);
		try {
			await vscode.commands.executeCommand(Commands.startSandbox);
			const started = await api.sandbox();
			assert.ok(started, JSON.stringify(errorTexts(api)));
			const devicesPage = await lifecycle(started).queryDevices({ productKey: started.productKey, pageSize: 50 });
			assert.equal(devicesPage.total, 7);
			assert.equal(devicesPage.items.filter((d) => d.status === 'OFFLINE').length, 2);
			assert.equal(started.ota.timeScale, 100);
			assert.deepEqual(errorTexts(api), []);
		} finally {
			await vscode.commands.executeCommand(Commands.stopSandbox);
			await setSetting('image.versionMarker', undefined);
			await setSetting('sandbox.devices', undefined);
			await setSetting('sandbox.behaviours', undefined);
			await setSetting('sandbox.timeScale', undefined);
		}
	});

	it('makes the OTA connections anew (and reloads the tree) only when a setting of how the account is reached changes', async () => {
		const { api } = ctx;
		let renewed = 0;
		const subscription = api.ota.access.onDidChange(() => renewed++);
		// Registered after the extension's listeners, so they have run when this resolves.
		const changed = (key: string) =>
			new Promise<void>((resolve) => {
				const listener = vscode.workspace.onDidChangeConfiguration((event) => {
					if (event.affectsConfiguration(`iotOta.${key}`)) {
						listener.dispose();
						resolve();
					}
				});
			});
		try {
			for (const [key, value] of [
				['statusBar.resultSeconds', 7],
				['upload.maxAttempts', 2],
				['watch.pauseWhenUnfocusedMinutes', 9],
			] as const) {
				const done = changed(key);
				await setSetting(key, value);
				await done;
				await setSetting(key, undefined);
			}
			assert.equal(renewed, 0, 'settings that do not reach the account leave the connections alone');
			const done = changed('iotInstanceId');
			await setSetting('iotInstanceId', 'iot-cn-test0000001');
			await done;
			assert.equal(renewed, 1, 'the instance id makes them anew');
		} finally {
			subscription.dispose();
			await setSetting('iotInstanceId', undefined);
		}
	});
});
