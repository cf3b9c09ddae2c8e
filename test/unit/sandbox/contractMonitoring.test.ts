// Contract of the monitoring actions (docs/protocols.md §11.7): QueryOTAJob, ListOTAJobByFirmware, ListOTAJobByDevice,
// ListOTATaskByJob, ListOTAUnfinishedTaskByDevice. The devices are offline, so every task stays QUEUED.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Sandbox } from '../../../src/sandbox';
import type { OtaClient } from './otaClient';
import { createPackage, imageWithVersion, setDevices, startOtaSandbox } from './otaFixtures';

const PAGE = 'iot.common.InvalidPageParams';

void describe('sandbox contract: monitoring', () => {
	let sandbox: Sandbox;
	let client: OtaClient;
	let pk: string;
	let firmwareId: string;
	let jobId: string;
	let secondJobId: string;
	before(async () => {
		({ sandbox, client } = await startOtaSandbox({ devices: 120 }));
		pk = sandbox.productKey;
		await setDevices(sandbox, { productKey: pk, match: '*', online: false });
		firmwareId = await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'), { NeedToVerify: false });
		jobId = (
			await client.ok('CreateOTAStaticUpgradeJob', {
				FirmwareId: firmwareId,
				ProductKey: pk,
				TargetSelection: 'ALL',
				TimeoutInMinutes: 15,
			})
		).Data.JobId;
		// Every device is busy in the first job, so the second job's tasks fail at once.
		secondJobId = (
			await client.ok('CreateOTAStaticUpgradeJob', {
				FirmwareId: firmwareId,
				ProductKey: pk,
				TargetSelection: 'SPECIFIC',
				TargetDeviceName: ['dev-00001'],
			})
		).Data.JobId;
	});
	after(() => sandbox.stop());

	void test('QueryOTAJob: JobId required; an unknown job is iot.ota.InvalidJobId "The job is not existed."', async () => {
		await client.fails('QueryOTAJob', {}, 'MissingJobId');
		const unknown = await client.fails('QueryOTAJob', { JobId: 'x'.repeat(26) }, 'iot.ota.InvalidJobId');
		assert.equal(unknown.message, 'The job is not existed.');
		const data = (await client.ok('QueryOTAJob', { JobId: jobId })).Data;
		assert.equal(data.Name, (await client.ok('QueryOTAFirmware', { FirmwareId: firmwareId })).FirmwareInfo.FirmwareName);
		assert.deepEqual([data.FirmwareId, data.ProductKey, data.DestVersion], [firmwareId, pk, '2.0.0']);
	});

	void test('ListOTAJobByFirmware: paging required (PageSize ≤ 200), newest first, items under Data.SimpleOTAJobInfo', async () => {
		const body = await client.ok('ListOTAJobByFirmware', { FirmwareId: firmwareId, CurrentPage: 1, PageSize: 200 });
		assert.deepEqual([body.CurrentPage, body.PageSize, body.PageCount, body.Total], [1, 200, 1, 2]);
		const items = body.Data.SimpleOTAJobInfo;
		assert.deepEqual(
			items.map((j: { JobId: string }) => j.JobId),
			[secondJobId, jobId],
		);
		assert.match(items[0].UtcEndTime, /Z$/, 'the second job ended at once: its only task failed');
		assert.deepEqual(Object.keys(items[1]).sort(), [
			'FirmwareId',
			'JobId',
			'JobStatus',
			'JobType',
			'ProductKey',
			'SelectionType',
			'Tags',
			'TargetSelection',
			'UtcCreate',
			'UtcModified',
			'UtcStartTime',
		]);
		await client.fails('ListOTAJobByFirmware', { FirmwareId: firmwareId, CurrentPage: 1, PageSize: 201 }, PAGE);
		await client.fails('ListOTAJobByFirmware', { FirmwareId: firmwareId, CurrentPage: 1 }, 'MissingPageSize');
		await client.fails(
			'ListOTAJobByFirmware',
			{ FirmwareId: 'x'.repeat(26), CurrentPage: 1, PageSize: 10 },
			'iot.ota.FirmwareNotFound',
		);
	});

	void test('ListOTAJobByDevice: every parameter required (PageSize ≤ 100); the package’s jobs with a task for the device', async () => {
		const params = { FirmwareId: firmwareId, ProductKey: pk, DeviceName: 'dev-00002', CurrentPage: 1, PageSize: 100 };
		const body = await client.ok('ListOTAJobByDevice', params);
		assert.deepEqual(
			body.Data.SimpleOTAJobInfo.map((j: { JobId: string }) => j.JobId),
			[jobId],
		);
		assert.equal((await client.ok('ListOTAJobByDevice', { ...params, DeviceName: 'dev-00001' })).Total, 2);
		await client.fails('ListOTAJobByDevice', { ...params, PageSize: 101 }, PAGE);
		await client.fails('ListOTAJobByDevice', { ...params, DeviceName: undefined }, 'MissingDeviceName');
		await client.fails('ListOTAJobByDevice', { ...params, DeviceName: 'ghost' }, 'iot.device.NotExistedDevice');
		await client.fails('ListOTAJobByDevice', { ...params, ProductKey: 'a1SandboxGW2' }, 'iot.ota.FirmwareAndProductKeyMismatch');
	});

	void test('ListOTATaskByJob: task fields with Progress and Timeout as strings; paging limits; TaskStatus and DeviceNames filters', async () => {
		const page = await client.ok('ListOTATaskByJob', { JobId: jobId, CurrentPage: 2, PageSize: 100 });
		assert.deepEqual([page.CurrentPage, page.PageSize, page.PageCount, page.Total], [2, 100, 2, 120]);
		assert.equal(page.Data.SimpleOTATaskInfo.length, 20);
		const [task] = page.Data.SimpleOTATaskInfo;
		assert.deepEqual(Object.keys(task).sort(), [
			'DestVersion',
			'DeviceName',
			'FirmwareId',
			'IotId',
			'JobId',
			'ProductKey',
			'ProductName',
			'Progress',
			'SrcVersion',
			'TaskDesc',
			'TaskId',
			'TaskStatus',
			'Timeout',
			'UtcCreate',
			'UtcModified',
		]);
		assert.deepEqual(
			[task.DeviceName, task.Progress, task.Timeout, task.TaskStatus, task.SrcVersion],
			['dev-00101', '0.00', '15', 'QUEUED', '1.0.0'],
		);
		const defaults = await client.ok('ListOTATaskByJob', { JobId: jobId });
		assert.deepEqual([defaults.CurrentPage, defaults.PageSize, defaults.Data.SimpleOTATaskInfo.length], [1, 10, 10]);
		const failed = await client.ok('ListOTATaskByJob', { JobId: secondJobId, TaskStatus: 'FAILED' });
		assert.equal(failed.Total, 1);
		assert.equal(failed.Data.SimpleOTATaskInfo[0].Timeout, '', 'no timeout set');
		assert.equal((await client.ok('ListOTATaskByJob', { JobId: jobId, TaskStatus: 'SUCCEEDED' })).Total, 0);
		const named = await client.ok('ListOTATaskByJob', {
			JobId: jobId,
			DeviceNames: ['dev-00007', 'dev-00119'],
			CurrentPage: 5,
			PageSize: 1,
		});
		assert.deepEqual(
			named.Data.SimpleOTATaskInfo.map((x: { DeviceName: string }) => x.DeviceName),
			['dev-00007', 'dev-00119'],
			'DeviceNames.N overrides paging',
		);
		await client.fails('ListOTATaskByJob', { JobId: jobId, PageSize: 101 }, PAGE);
		await client.fails('ListOTATaskByJob', { JobId: jobId, PageSize: 100, CurrentPage: 1001 }, PAGE);
		await client.ok('ListOTATaskByJob', { JobId: jobId, PageSize: 100, CurrentPage: 1000 });
		await client.fails('ListOTATaskByJob', { JobId: jobId, TaskStatus: 'DONE' }, 'iot.firmware.InvalidTaskStatus');
		await client.invalid(
			'ListOTATaskByJob',
			{ JobId: jobId, DeviceNames: Array.from({ length: 51 }, (_, i) => `d${i}`) },
			'DeviceNames.N',
		);
		await client.fails('ListOTATaskByJob', { JobId: 'x'.repeat(26) }, 'iot.ota.InvalidJobId');
	});

	void test('ListOTAUnfinishedTaskByDevice: only Data.SimpleOTATaskInfo, with ModuleName; TaskStatus xor TaskStatusList (≤ 4, unfinished states)', async () => {
		const body = await client.ok('ListOTAUnfinishedTaskByDevice', { ProductKey: pk, DeviceName: 'dev-00001' });
		assert.deepEqual(Object.keys(body).sort(), ['Data', 'RequestId', 'Success']);
		const [task] = body.Data.SimpleOTATaskInfo;
		assert.deepEqual(Object.keys(task).sort(), [
			'DestVersion',
			'DeviceName',
			'FirmwareId',
			'IotId',
			'JobId',
			'ModuleName',
			'ProductKey',
			'ProductName',
			'SrcVersion',
			'TaskId',
			'TaskStatus',
			'UtcCreate',
			'UtcModified',
		]);
		assert.deepEqual([task.JobId, task.TaskStatus, task.ModuleName], [jobId, 'QUEUED', 'default']);
		const byId = { IotId: task.IotId };
		assert.equal(
			(await client.ok('ListOTAUnfinishedTaskByDevice', { ...byId, TaskStatusList: ['CONFIRM', 'QUEUED'] })).Data.SimpleOTATaskInfo
				.length,
			1,
		);
		assert.equal(
			(await client.ok('ListOTAUnfinishedTaskByDevice', { ...byId, TaskStatus: 'NOTIFIED' })).Data.SimpleOTATaskInfo.length,
			0,
		);
		assert.equal((await client.ok('ListOTAUnfinishedTaskByDevice', { ...byId, ModuleName: 'MCU' })).Data.SimpleOTATaskInfo.length, 0);
		const status = 'iot.firmware.InvalidTaskStatus';
		await client.fails('ListOTAUnfinishedTaskByDevice', { ...byId, TaskStatus: 'SUCCEEDED' }, status);
		await client.fails('ListOTAUnfinishedTaskByDevice', { ...byId, TaskStatus: 'QUEUED', TaskStatusList: ['QUEUED'] }, status);
		await client.fails(
			'ListOTAUnfinishedTaskByDevice',
			{ ...byId, TaskStatusList: ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'FAILED'] },
			status,
		);
		await client.fails('ListOTAUnfinishedTaskByDevice', { ...byId, TaskStatusList: ['FAILED'] }, status);
		await client.fails('ListOTAUnfinishedTaskByDevice', { ...byId, ModuleName: 'bad name' }, 'iot.ota.InvalidOtaModuleName');
		await client.fails('ListOTAUnfinishedTaskByDevice', {}, 'iot.ota.EmptyDeviceInfoParams');
		await client.fails('ListOTAUnfinishedTaskByDevice', { DeviceName: 'dev-00001' }, 'iot.prod.NullProductKey');
		await client.fails(
			'ListOTAUnfinishedTaskByDevice',
			{ ProductKey: 'a1Nope', DeviceName: 'dev-00001' },
			'iot.prod.NotExistedProduct',
		);
		await client.fails('ListOTAUnfinishedTaskByDevice', { ProductKey: pk, DeviceName: 'ghost' }, 'iot.device.NotExistedDevice');
	});
});
