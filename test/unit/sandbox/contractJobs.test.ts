// Contract of the job-creating actions (docs/protocols.md §11.5–§11.7): what they answer, what QueryOTAJob then
// reports, which tasks they create, and the refusals that depend on state. Devices are taken offline where a test
// needs its tasks to stay where they are.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { Sandbox, SandboxOptions } from '../../../src/sandbox';
import type { OtaClient } from './otaClient';
import { allTasks, countByStatus, createPackage, imageWithVersion, setDevices, startOtaSandbox, uploadDeviceList } from './otaFixtures';

const ID = /^[A-Za-z0-9]{26}$/;
const UTC_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const ALL_DEVICES = ['dev-00001', 'dev-00002', 'dev-00003', 'dev-00004', 'dev-00005'];

interface Setup {
	sandbox: Sandbox;
	client: OtaClient;
	pk: string;
	/** A package created with NeedToVerify=false (batches allowed). */
	firmwareId: string;
}

async function fresh(t: TestContext, opts: SandboxOptions = {}, offline = ALL_DEVICES): Promise<Setup> {
	const { sandbox, client } = await startOtaSandbox(opts);
	t.after(() => sandbox.stop());
	if (offline.length > 0) {
		await setDevices(sandbox, { devices: offline, online: false });
	}
	const firmwareId = await createPackage(client, sandbox.productKey, '2.0.0', imageWithVersion('2.0.0'), { NeedToVerify: false });
	return { sandbox, client, pk: sandbox.productKey, firmwareId };
}

const job = async (client: OtaClient, jobId: string) => (await client.ok('QueryOTAJob', { JobId: jobId })).Data;

void describe('sandbox contract: creating jobs', () => {
	void test('CreateOTAVerifyJob: Data{JobId, UtcCreate}; the package verifies (Status 2) and cannot be verified twice or rolled out', async (t) => {
		const { client, pk } = await fresh(t);
		const firmwareId = await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'));
		const verify = (extra: Record<string, unknown> = {}) => ({
			FirmwareId: firmwareId,
			ProductKey: pk,
			TargetDeviceName: ['dev-00001', 'dev-00002'],
			...extra,
		});
		await client.fails('CreateOTAVerifyJob', verify({ TargetDeviceName: ['dev-00001', 'ghost'] }), 'iot.device.NotExistedDevice');
		await client.fails('CreateOTAVerifyJob', verify({ ProductKey: 'a1SandboxGW2' }), 'iot.ota.FirmwareAndProductKeyMismatch');
		await client.fails('CreateOTAVerifyJob', verify({ ProductKey: 'a1Nope' }), 'iot.prod.NotExistedProduct');
		const body = await client.ok(
			'CreateOTAVerifyJob',
			verify({ Tag: [{ Key: 'build', Value: '42' }], TimeoutInMinutes: 30, NeedPush: false }),
		);
		assert.deepEqual(Object.keys(body.Data).sort(), ['JobId', 'UtcCreate']);
		assert.match(body.Data.JobId, ID);
		assert.match(body.Data.UtcCreate, UTC_MS);
		const data = await job(client, body.Data.JobId);
		assert.deepEqual(
			[data.JobType, data.JobStatus, data.SelectionType, data.TargetSelection, data.TimeoutInMinutes, data.NeedPush],
			['VERIFY_FIRMWARE', 'IN_PROGRESS', 'STATIC', 'SPECIFIC', 30, false],
		);
		assert.deepEqual(data.Tags, { OtaTagDTO: [{ Key: 'build', Value: '42' }] });
		assert.equal((await client.ok('QueryOTAFirmware', { FirmwareId: firmwareId })).FirmwareInfo.Status, 2);
		await client.fails('CreateOTAVerifyJob', verify(), 'iot.ota.VerifyFirmwareNotAllowed');
		await client.fails(
			'CreateOTAStaticUpgradeJob',
			{ FirmwareId: firmwareId, ProductKey: pk, TargetSelection: 'ALL' },
			'iot.ota.FirmwareNotVerified',
		);
		await client.fails(
			'CreateOTADynamicUpgradeJob',
			{ FirmwareId: firmwareId, ProductKey: pk, SrcVersion: ['1.0.0'] },
			'iot.ota.FirmwareNotVerified',
		);
	});

	void test('CreateOTAStaticUpgradeJob ALL: QueryOTAJob reports every option; SrcVersion.N picks the devices; NeedConfirm tasks wait', async (t) => {
		const { sandbox, client, pk, firmwareId } = await fresh(t);
		await setDevices(sandbox, { devices: ['dev-00005'], version: '0.9.0' });
		const body = await client.ok('CreateOTAStaticUpgradeJob', {
			FirmwareId: firmwareId,
			ProductKey: pk,
			TargetSelection: 'ALL',
			SrcVersion: ['1.0.0', '1.0.1'],
			TimeoutInMinutes: 60,
			RetryInterval: 30,
			RetryCount: 2,
			MaximumPerMinute: 100,
			OverwriteMode: 2,
			NeedConfirm: true,
			Tag: [
				{ Key: 'a', Value: '1' },
				{ Key: 'b.c', Value: '2' },
			],
		});
		const data = await job(client, body.Data.JobId);
		assert.deepEqual(data.SrcVersions, { SrcVersion: ['1.0.0', '1.0.1'] });
		assert.deepEqual(
			[
				data.TimeoutInMinutes,
				data.RetryInterval,
				data.RetryCount,
				data.MaximumPerMinute,
				data.OverwriteMode,
				data.NeedConfirm,
				data.NeedPush,
			],
			[60, 30, 2, 100, 2, true, true],
		);
		assert.deepEqual(
			[data.JobType, data.SelectionType, data.TargetSelection, data.DownloadProtocol, data.MultiModuleMode],
			['UPGRADE_FIRMWARE', 'STATIC', 'ALL', 'HTTPS', false],
		);
		for (const absent of [
			'GrayPercent',
			'DynamicMode',
			'GroupId',
			'GroupName',
			'UtcEndTime',
			'UtcScheduleTime',
			'UtcScheduleFinishTime',
		]) {
			assert.equal(data[absent], undefined, absent);
		}
		assert.match(data.UtcStartTime, UTC_MS);
		const tasks = await allTasks(client, body.Data.JobId);
		assert.deepEqual(
			tasks.map((task) => task.DeviceName),
			ALL_DEVICES.slice(0, 4),
			'dev-00005 runs 0.9.0, not a listed SrcVersion',
		);
		assert.deepEqual(countByStatus(tasks), { CONFIRM: 4 });
	});

	void test('GRAY: GrayPercent as a string with 2 or 3 decimals, the device count rounded down but at least 1', async (t) => {
		const { client, pk, firmwareId } = await fresh(t, { devices: 5 });
		const gray = await client.ok('CreateOTAStaticUpgradeJob', {
			FirmwareId: firmwareId,
			ProductKey: pk,
			TargetSelection: 'GRAY',
			GrayPercent: '33.333',
		});
		assert.equal((await job(client, gray.Data.JobId)).GrayPercent, '33.333');
		assert.equal((await allTasks(client, gray.Data.JobId)).length, 1, '33.333 % of 5 is 1');
		const other = await createPackage(client, pk, '2.0.1', imageWithVersion('2.0.1'), { NeedToVerify: false });
		const tiny = await client.ok('CreateOTAStaticUpgradeJob', {
			FirmwareId: other,
			ProductKey: pk,
			TargetSelection: 'GRAY',
			GrayPercent: '0.5',
		});
		assert.equal((await job(client, tiny.Data.JobId)).GrayPercent, '0.50');
		assert.equal((await allTasks(client, tiny.Data.JobId)).length, 1, 'at least one device');
	});

	void test('a scheduled batch is PLANNED with its UtcScheduleTime and UtcScheduleFinishTime and no UtcStartTime', async (t) => {
		const { client, pk, firmwareId } = await fresh(t);
		const start = Date.now() + 10 * 60_000;
		const finish = start + 2 * 3600_000;
		const body = await client.ok('CreateOTAStaticUpgradeJob', {
			FirmwareId: firmwareId,
			ProductKey: pk,
			TargetSelection: 'ALL',
			ScheduleTime: start,
			ScheduleFinishTime: finish,
		});
		const data = await job(client, body.Data.JobId);
		assert.equal(data.JobStatus, 'PLANNED');
		assert.deepEqual(
			[data.UtcScheduleTime, data.UtcScheduleFinishTime],
			[new Date(start).toISOString(), new Date(finish).toISOString()],
		);
		assert.equal(data.UtcStartTime, undefined);
	});

	void test('GROUP: the static group’s members, with GroupId and GroupName; a dynamic group or an unknown one is refused', async (t) => {
		const { client, pk, firmwareId } = await fresh(t);
		const groups = (await client.ok('QueryDeviceGroupList', {})).Data.GroupInfo as Array<{ GroupId: string; GroupName: string }>;
		const lab = groups.find((g) => g.GroupName === 'sandbox-lab');
		assert.ok(lab);
		const dynamicGroup = (await client.ok('QueryDeviceGroupList', { GroupTypes: ['LINK_PLATFORM_DYNAMIC'] })).Data.GroupInfo[0];
		const group = (groupId: string) => ({
			FirmwareId: firmwareId,
			ProductKey: pk,
			TargetSelection: 'GROUP',
			GroupId: groupId,
			GroupType: 'LINK_PLATFORM',
		});
		await client.fails('CreateOTAStaticUpgradeJob', group(dynamicGroup.GroupId), 'iot.ota.InvalidGroupType');
		await client.fails('CreateOTAStaticUpgradeJob', group('nope'), 'iot.group.NotExistedGroup');
		const body = await client.ok('CreateOTAStaticUpgradeJob', group(lab.GroupId));
		const data = await job(client, body.Data.JobId);
		assert.deepEqual([data.TargetSelection, data.GroupId, data.GroupName], ['GROUP', lab.GroupId, 'sandbox-lab']);
		assert.deepEqual(
			(await allTasks(client, body.Data.JobId)).map((task) => task.DeviceName),
			ALL_DEVICES.slice(0, 3),
		);
	});

	void test('SPECIFIC: named devices must exist; a device-list file skips unknown names', async (t) => {
		const { client, pk, firmwareId } = await fresh(t);
		const specific = { FirmwareId: firmwareId, ProductKey: pk, TargetSelection: 'SPECIFIC' };
		await client.fails(
			'CreateOTAStaticUpgradeJob',
			{ ...specific, TargetDeviceName: ['dev-00001', 'ghost'] },
			'iot.device.NotExistedDevice',
		);
		const fileUrl = await uploadDeviceList(client, 'dev-00002\nghost\ndev-00004\n');
		const body = await client.ok('CreateOTAStaticUpgradeJob', { ...specific, DnListFileUrl: fileUrl });
		assert.deepEqual(
			(await allTasks(client, body.Data.JobId)).map((task) => task.DeviceName),
			['dev-00002', 'dev-00004'],
		);
	});

	void test('CreateOTADynamicUpgradeJob: SelectionType DYNAMIC, TargetSelection ALL, DynamicMode; one running per package', async (t) => {
		const { client, pk, firmwareId } = await fresh(t);
		const body = await client.ok('CreateOTADynamicUpgradeJob', { FirmwareId: firmwareId, ProductKey: pk, SrcVersion: ['1.0.0'] });
		const data = await job(client, body.Data.JobId);
		assert.deepEqual(
			[data.SelectionType, data.TargetSelection, data.DynamicMode, data.JobStatus],
			['DYNAMIC', 'ALL', 1, 'IN_PROGRESS'],
		);
		assert.equal((await allTasks(client, body.Data.JobId)).length, 5, 'DynamicMode 1 takes the devices that match now');
		await client.fails(
			'CreateOTADynamicUpgradeJob',
			{ FirmwareId: firmwareId, ProductKey: pk, SrcVersion: ['1.0.0'] },
			'iot.ota.DynamicJobAlreadyExisted',
		);
		const later = await createPackage(client, pk, '2.0.1', imageWithVersion('2.0.1'), { NeedToVerify: false });
		const dynamicGroup = (await client.ok('QueryDeviceGroupList', { GroupTypes: ['LINK_PLATFORM_DYNAMIC'] })).Data.GroupInfo[0];
		const onGroup = await client.ok('CreateOTADynamicUpgradeJob', {
			FirmwareId: later,
			ProductKey: pk,
			GroupId: dynamicGroup.GroupId,
			GroupType: 'LINK_PLATFORM_DYNAMIC',
			DynamicMode: 2,
		});
		const groupJob = await job(client, onGroup.Data.JobId);
		assert.deepEqual([groupJob.GroupId, groupJob.GroupName, groupJob.DynamicMode], [dynamicGroup.GroupId, dynamicGroup.GroupName, 2]);
		assert.equal((await allTasks(client, onGroup.Data.JobId)).length, 0, 'DynamicMode 2 waits for new version reports');
	});

	void test('a delta package only takes its own SrcVersion and devices running it', async (t) => {
		const { sandbox, client, pk } = await fresh(t);
		await setDevices(sandbox, { devices: ['dev-00002'], version: '0.9.0' });
		const delta = await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'), { Type: 1, SrcVersion: '1.0.0' });
		await client.fails(
			'CreateOTAVerifyJob',
			{ FirmwareId: delta, ProductKey: pk, TargetDeviceName: ['dev-00002'] },
			'iot.ota.DeviceVersionNotMatchSrcVersion',
		);
		const deltaNoVerify = await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'), {
			Type: 1,
			SrcVersion: '1.0.0',
			NeedToVerify: false,
		});
		await client.fails(
			'CreateOTAStaticUpgradeJob',
			{ FirmwareId: deltaNoVerify, ProductKey: pk, TargetSelection: 'ALL', SrcVersion: ['0.9.0'] },
			'iot.ota.InvalidSrcVersionList',
		);
		const body = await client.ok('CreateOTAStaticUpgradeJob', { FirmwareId: deltaNoVerify, ProductKey: pk, TargetSelection: 'ALL' });
		assert.ok(!(await allTasks(client, body.Data.JobId)).some((task) => task.DeviceName === 'dev-00002'));
	});

	void test('one unfinished task per device: OverwriteMode 1 fails the new task, 2 cancels the pending one', async (t) => {
		const { client, pk, firmwareId } = await fresh(t);
		const first = await client.ok('CreateOTAStaticUpgradeJob', {
			FirmwareId: firmwareId,
			ProductKey: pk,
			TargetSelection: 'SPECIFIC',
			TargetDeviceName: ['dev-00001'],
		});
		const other = await createPackage(client, pk, '2.0.1', imageWithVersion('2.0.1'), { NeedToVerify: false });
		const keep = await client.ok('CreateOTAStaticUpgradeJob', {
			FirmwareId: other,
			ProductKey: pk,
			TargetSelection: 'SPECIFIC',
			TargetDeviceName: ['dev-00001'],
		});
		const [refused] = await allTasks(client, keep.Data.JobId);
		assert.equal(refused.TaskStatus, 'FAILED');
		assert.notEqual(refused.TaskDesc, '');
		const replace = await client.ok('CreateOTAStaticUpgradeJob', {
			FirmwareId: other,
			ProductKey: pk,
			TargetSelection: 'SPECIFIC',
			TargetDeviceName: ['dev-00001'],
			OverwriteMode: 2,
		});
		assert.equal((await allTasks(client, replace.Data.JobId))[0].TaskStatus, 'QUEUED');
		assert.equal((await allTasks(client, first.Data.JobId))[0].TaskStatus, 'CANCELED');
	});
});
