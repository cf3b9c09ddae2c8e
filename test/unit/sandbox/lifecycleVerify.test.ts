// Lifecycle scenarios end to end over HTTP with the independent client: verifying a package on test devices.
// Simulated time runs 600× (a lifecycle minute in 0.1 s); the tests wait on the state the API reports.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OtaClient } from './otaClient';
import { allTasks, createPackage, imageWithVersion, jobStatus, setDevices, startOtaSandbox, waitFor } from './otaFixtures';

const FAST = { devices: 5, timeScale: 600 };
const firmwareInfo = async (client: OtaClient, firmwareId: string) =>
	(await client.ok('QueryOTAFirmware', { FirmwareId: firmwareId })).FirmwareInfo;
const versionOf = async (client: OtaClient, productKey: string, deviceName: string) =>
	(await client.ok('QueryDeviceDetail', { ProductKey: productKey, DeviceName: deviceName })).Data.FirmwareVersion as string;

void describe('lifecycle over HTTP: verification', () => {
	void test('verify on 3 devices: every task SUCCEEDED, the package Status 1, and it can then be rolled out', async (t) => {
		const { sandbox, client } = await startOtaSandbox(FAST);
		t.after(() => sandbox.stop());
		const pk = sandbox.productKey;
		const firmwareId = await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'));
		assert.equal((await firmwareInfo(client, firmwareId)).Status, 0);
		await client.fails(
			'CreateOTAStaticUpgradeJob',
			{ FirmwareId: firmwareId, ProductKey: pk, TargetSelection: 'ALL' },
			'iot.ota.FirmwareNotVerified',
		);

		const verify = await client.ok('CreateOTAVerifyJob', {
			FirmwareId: firmwareId,
			ProductKey: pk,
			TargetDeviceName: ['dev-00001', 'dev-00002', 'dev-00003'],
		});
		const jobId = verify.Data.JobId as string;
		await waitFor(
			'the verify job to complete',
			() => jobStatus(client, jobId),
			(s) => s === 'COMPLETED',
		);
		const tasks = await allTasks(client, jobId);
		assert.deepEqual(
			tasks.map((task) => [task.DeviceName, task.TaskStatus, task.Progress, task.SrcVersion]),
			[
				['dev-00001', 'SUCCEEDED', '100.00', '1.0.0'],
				['dev-00002', 'SUCCEEDED', '100.00', '1.0.0'],
				['dev-00003', 'SUCCEEDED', '100.00', '1.0.0'],
			],
		);
		const job = (await client.ok('QueryOTAJob', { JobId: jobId })).Data;
		assert.deepEqual([job.JobType, job.SelectionType, job.TargetSelection], ['VERIFY_FIRMWARE', 'STATIC', 'SPECIFIC']);
		assert.match(job.UtcEndTime, /Z$/);
		const info = await firmwareInfo(client, firmwareId);
		assert.deepEqual([info.Status, info.VerifyProgress], [1, 100]);
		assert.equal(await versionOf(client, pk, 'dev-00002'), '2.0.0');
		assert.equal(await versionOf(client, pk, 'dev-00004'), '1.0.0');
		const modules = await client.ok('ListOTAModuleVersionsByDevice', {
			ProductKey: pk,
			DeviceName: 'dev-00001',
			CurrentPage: 1,
			PageSize: 10,
		});
		assert.equal(modules.Data.SimpleOTAModuleInfo[0].ModuleVersion, '2.0.0');

		// A verified package can be rolled out; the three devices already on 2.0.0 are skipped.
		const rollout = await client.ok('CreateOTAStaticUpgradeJob', { FirmwareId: firmwareId, ProductKey: pk, TargetSelection: 'ALL' });
		const rolloutTasks = await allTasks(client, rollout.Data.JobId);
		assert.deepEqual(rolloutTasks.map((task) => task.DeviceName).sort(), ['dev-00004', 'dev-00005']);
		await client.fails(
			'CreateOTAVerifyJob',
			{ FirmwareId: firmwareId, ProductKey: pk, TargetDeviceName: ['dev-00004'] },
			'iot.ota.VerifyFirmwareNotAllowed',
		);
	});

	void test('an image compiled as 2.0.0 registered as DestVersion 3.0.0 fails verification: "report version is not conform", Status 3', async (t) => {
		const { sandbox, client } = await startOtaSandbox(FAST);
		t.after(() => sandbox.stop());
		const pk = sandbox.productKey;
		const firmwareId = await createPackage(client, pk, '3.0.0', imageWithVersion('2.0.0'));
		const verify = await client.ok('CreateOTAVerifyJob', {
			FirmwareId: firmwareId,
			ProductKey: pk,
			TargetDeviceName: ['dev-00001', 'dev-00002', 'dev-00003'],
		});
		const jobId = verify.Data.JobId as string;
		await waitFor(
			'the verify job to complete',
			() => jobStatus(client, jobId),
			(s) => s === 'COMPLETED',
		);
		const tasks = await allTasks(client, jobId);
		assert.deepEqual(
			tasks.map((task) => [task.TaskStatus, task.TaskDesc]),
			Array.from({ length: 3 }, () => ['FAILED', 'report version is not conform']),
		);
		const info = await firmwareInfo(client, firmwareId);
		assert.deepEqual([info.Status, info.VerifyProgress], [3, 100]);
		// The devices run what the image really is.
		assert.equal(await versionOf(client, pk, 'dev-00001'), '2.0.0');
		await client.fails(
			'CreateOTAStaticUpgradeJob',
			{ FirmwareId: firmwareId, ProductKey: pk, TargetSelection: 'ALL' },
			'iot.ota.FirmwareNotVerified',
		);
		// A failed verification may be run again (Status 3 → 2; the device is offline, so it stays verifying).
		assert.equal(await setDevices(sandbox, { devices: ['dev-00004'], online: false }), 1);
		await client.ok('CreateOTAVerifyJob', { FirmwareId: firmwareId, ProductKey: pk, TargetDeviceName: ['dev-00004'] });
		assert.equal((await firmwareInfo(client, firmwareId)).Status, 2);
	});
});
