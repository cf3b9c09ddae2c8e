// Contract of the control actions (docs/protocols.md §11.8): CancelOTATaskByJob and its flags, CancelOTATaskByDevice,
// CancelOTAStrategyByJob, ReupgradeOTATask, ConfirmOTATask. Devices are made offline (tasks stay QUEUED),
// never-reports (NOTIFIED) or slow (IN_PROGRESS for a while) through the fault endpoint.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { OtaClient, Params } from './otaClient';
import { allTasks, createPackage, imageWithVersion, jobStatus, setDevices, startOtaSandbox, waitFor, type TaskInfo } from './otaFixtures';

async function fresh(t: TestContext) {
	const { sandbox, client } = await startOtaSandbox({ devices: 6, timeScale: 60 });
	t.after(() => sandbox.stop());
	const pk = sandbox.productKey;
	const firmwareId = await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'), { NeedToVerify: false });
	const createJob = async (extra: Params): Promise<string> =>
		(await client.ok('CreateOTAStaticUpgradeJob', { FirmwareId: firmwareId, ProductKey: pk, TargetSelection: 'SPECIFIC', ...extra }))
			.Data.JobId;
	return { sandbox, client, pk, firmwareId, createJob };
}

const statuses = async (client: OtaClient, jobId: string) =>
	Object.fromEntries((await allTasks(client, jobId)).map((task) => [task.DeviceName, task.TaskStatus]));
const taskOf = async (client: OtaClient, jobId: string, deviceName: string): Promise<TaskInfo> =>
	(await allTasks(client, jobId)).find((task) => task.DeviceName === deviceName) as TaskInfo;

void describe('sandbox contract: control', () => {
	void test('CancelOTATaskByJob: one flag at least; CancelQueuedTask takes CONFIRM along unless CancelUnconfirmedTask=false', async (t) => {
		const { sandbox, client, createJob } = await fresh(t);
		await setDevices(sandbox, { devices: ['dev-00001', 'dev-00002', 'dev-00003'], online: false });
		const jobId = await createJob({ TargetDeviceName: ['dev-00001', 'dev-00002', 'dev-00003'], NeedConfirm: true });
		await client.invalid('CancelOTATaskByJob', { JobId: jobId }, 'CancelScheduledTask');
		await client.invalid('CancelOTATaskByJob', { JobId: jobId, CancelUnconfirmedTask: false }, 'CancelScheduledTask');
		await client.fails('CancelOTATaskByJob', { CancelQueuedTask: true }, 'MissingJobId');
		await client.fails('CancelOTATaskByJob', { JobId: 'x'.repeat(26), CancelQueuedTask: true }, 'iot.ota.InvalidJobId');
		await client.ok('ConfirmOTATask', { TaskId: [(await taskOf(client, jobId, 'dev-00001')).TaskId] });
		assert.deepEqual(await statuses(client, jobId), { 'dev-00001': 'QUEUED', 'dev-00002': 'CONFIRM', 'dev-00003': 'CONFIRM' });
		const answer = await client.ok('CancelOTATaskByJob', { JobId: jobId, CancelQueuedTask: true, CancelUnconfirmedTask: false });
		assert.deepEqual(Object.keys(answer).sort(), ['RequestId', 'Success']);
		assert.deepEqual(await statuses(client, jobId), { 'dev-00001': 'CANCELED', 'dev-00002': 'CONFIRM', 'dev-00003': 'CONFIRM' });
		await client.ok('CancelOTATaskByJob', { JobId: jobId, CancelQueuedTask: true });
		assert.deepEqual(await statuses(client, jobId), { 'dev-00001': 'CANCELED', 'dev-00002': 'CANCELED', 'dev-00003': 'CANCELED' });
	});

	void test('CancelOTATaskByJob: CancelNotifiedTask and CancelInProgressTask each take their state only', async (t) => {
		const { sandbox, client, createJob } = await fresh(t);
		await setDevices(sandbox, { devices: ['dev-00004'], behaviour: 'never-reports' });
		await setDevices(sandbox, { devices: ['dev-00005'], behaviour: 'slow' });
		const jobId = await createJob({ TargetDeviceName: ['dev-00004', 'dev-00005'] });
		await waitFor(
			'a NOTIFIED and an IN_PROGRESS task',
			() => statuses(client, jobId),
			(s) => s['dev-00004'] === 'NOTIFIED' && s['dev-00005'] === 'IN_PROGRESS',
		);
		await client.ok('CancelOTATaskByJob', { JobId: jobId, CancelNotifiedTask: true });
		assert.deepEqual(await statuses(client, jobId), { 'dev-00004': 'CANCELED', 'dev-00005': 'IN_PROGRESS' });
		await client.ok('CancelOTATaskByJob', { JobId: jobId, CancelInProgressTask: true });
		assert.deepEqual(await statuses(client, jobId), { 'dev-00004': 'CANCELED', 'dev-00005': 'CANCELED' });
		assert.equal(await jobStatus(client, jobId), 'COMPLETED');
	});

	void test('CancelOTATaskByJob: CancelScheduledTask cancels a PLANNED batch', async (t) => {
		const { client, createJob } = await fresh(t);
		const jobId = await createJob({ TargetDeviceName: ['dev-00001'], ScheduleTime: Date.now() + 3600_000 });
		assert.equal(await jobStatus(client, jobId), 'PLANNED');
		await client.ok('CancelOTATaskByJob', { JobId: jobId, CancelScheduledTask: true });
		assert.equal(await jobStatus(client, jobId), 'CANCELED');
		assert.deepEqual(await statuses(client, jobId), { 'dev-00001': 'CANCELED' });
	});

	void test('CancelOTATaskByDevice: the package’s unfinished tasks of those devices, of one job when JobId is given', async (t) => {
		const { sandbox, client, pk, firmwareId, createJob } = await fresh(t);
		await setDevices(sandbox, { devices: ['dev-00001', 'dev-00002'], online: false });
		const first = await createJob({ TargetDeviceName: ['dev-00001'] });
		const second = await createJob({ TargetDeviceName: ['dev-00002'] });
		const cancel = (extra: Params) => ({ FirmwareId: firmwareId, ProductKey: pk, DeviceName: ['dev-00001', 'dev-00002'], ...extra });
		await client.fails('CancelOTATaskByDevice', cancel({ DeviceName: undefined }), 'MissingDeviceName');
		await client.invalid(
			'CancelOTATaskByDevice',
			cancel({ DeviceName: Array.from({ length: 201 }, (_, i) => `d${i}`) }),
			'DeviceName.N',
		);
		await client.invalid('CancelOTATaskByDevice', cancel({ DeviceName: ['dev-00001', 'dev-00001'] }), 'DeviceName.N');
		await client.fails('CancelOTATaskByDevice', cancel({ DeviceName: ['ghost'] }), 'iot.device.NotExistedDevice');
		await client.fails('CancelOTATaskByDevice', cancel({ ProductKey: 'a1SandboxGW2' }), 'iot.ota.FirmwareAndProductKeyMismatch');
		await client.fails('CancelOTATaskByDevice', cancel({ JobId: 'x'.repeat(26) }), 'iot.ota.InvalidJobId');
		await client.ok('CancelOTATaskByDevice', cancel({ JobId: second }));
		assert.deepEqual(
			[await statuses(client, first), await statuses(client, second)],
			[{ 'dev-00001': 'QUEUED' }, { 'dev-00002': 'CANCELED' }],
		);
		await client.ok('CancelOTATaskByDevice', cancel({}));
		assert.deepEqual(await statuses(client, first), { 'dev-00001': 'CANCELED' });
	});

	void test('CancelOTAStrategyByJob: dynamic jobs only, once', async (t) => {
		const { client, pk, firmwareId, createJob } = await fresh(t);
		const staticJob = await createJob({ TargetDeviceName: ['dev-00001'] });
		await client.fails('CancelOTAStrategyByJob', { JobId: staticJob }, 'iot.ota.noDynamicJob');
		const dynamic = (await client.ok('CreateOTADynamicUpgradeJob', { FirmwareId: firmwareId, ProductKey: pk, SrcVersion: ['0.0.1'] }))
			.Data.JobId;
		const answer = await client.ok('CancelOTAStrategyByJob', { JobId: dynamic });
		assert.deepEqual(Object.keys(answer).sort(), ['RequestId', 'Success']);
		assert.equal(await jobStatus(client, dynamic), 'CANCELED');
		await client.fails('CancelOTAStrategyByJob', { JobId: dynamic }, 'iot.ota.JobHasCanceled');
		await client.fails('CancelOTAStrategyByJob', {}, 'MissingJobId');
		// Its tasks cannot be re-run any more.
		await client.fails('ReupgradeOTATask', { JobId: dynamic, TaskId: ['x'.repeat(26)] }, 'iot.ota.JobCanceled');
	});

	void test('ReupgradeOTATask: 1–10 FAILED or CANCELED tasks of the job; they run again', async (t) => {
		const { sandbox, client, pk, firmwareId, createJob } = await fresh(t);
		await setDevices(sandbox, { devices: ['dev-00001', 'dev-00002', 'dev-00003'], online: false });
		const jobId = await createJob({ TargetDeviceName: ['dev-00001', 'dev-00002'] });
		const otherJob = await createJob({ TargetDeviceName: ['dev-00003'] });
		const [one, two] = await allTasks(client, jobId);
		const [other] = await allTasks(client, otherJob);
		await client.fails('ReupgradeOTATask', { TaskId: [one.TaskId] }, 'MissingJobId');
		await client.fails('ReupgradeOTATask', { JobId: jobId }, 'MissingTaskId');
		await client.fails(
			'ReupgradeOTATask',
			{ JobId: jobId, TaskId: Array.from({ length: 11 }, (_, i) => `t${i}`) },
			'iot.ota.TooManyOtaTask',
		);
		await client.fails('ReupgradeOTATask', { JobId: jobId, TaskId: ['x'.repeat(26)] }, 'iot.ota.InvalidTaskId');
		await client.fails('ReupgradeOTATask', { JobId: jobId, TaskId: [other.TaskId] }, 'iot.ota.UnmatchedJob');
		await client.fails('ReupgradeOTATask', { JobId: jobId, TaskId: [one.TaskId] }, 'iot.ota.FailedTaskNotFound');
		await client.ok('CancelOTATaskByDevice', { FirmwareId: firmwareId, ProductKey: pk, DeviceName: ['dev-00001'] });
		await client.fails('ReupgradeOTATask', { JobId: jobId, TaskId: [one.TaskId, two.TaskId] }, 'iot.ota.InvalidTaskExist');
		await client.ok('CancelOTATaskByJob', { JobId: jobId, CancelQueuedTask: true });
		await client.ok('ReupgradeOTATask', { JobId: jobId, TaskId: [one.TaskId, two.TaskId] });
		assert.deepEqual(await statuses(client, jobId), { 'dev-00001': 'QUEUED', 'dev-00002': 'QUEUED' });
		await setDevices(sandbox, { devices: ['dev-00001', 'dev-00002'], online: true });
		await waitFor(
			'the re-run tasks to succeed',
			() => statuses(client, jobId),
			(s) => s['dev-00001'] === 'SUCCEEDED' && s['dev-00002'] === 'SUCCEEDED',
		);
	});

	void test('ConfirmOTATask: ≤ 10 CONFIRM tasks, inside the schedule window; confirmed tasks are pushed', async (t) => {
		const { client, createJob } = await fresh(t);
		const jobId = await createJob({ TargetDeviceName: ['dev-00001', 'dev-00002'], NeedConfirm: true });
		const planned = await createJob({ TargetDeviceName: ['dev-00003'], NeedConfirm: true, ScheduleTime: Date.now() + 3600_000 });
		const [one, two] = await allTasks(client, jobId);
		await client.fails('ConfirmOTATask', {}, 'MissingTaskId');
		await client.fails('ConfirmOTATask', { TaskId: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'iot.ota.TooManyOtaTask');
		await client.fails('ConfirmOTATask', { TaskId: ['x'.repeat(26)] }, 'iot.ota.InvalidTaskId');
		await client.fails('ConfirmOTATask', { TaskId: [(await allTasks(client, planned))[0].TaskId] }, 'iot.ota.OutOfScheduleWindow');
		const answer = await client.ok('ConfirmOTATask', { TaskId: [one.TaskId] });
		assert.deepEqual(Object.keys(answer).sort(), ['RequestId', 'Success']);
		await client.fails('ConfirmOTATask', { TaskId: [one.TaskId] }, 'iot.ota.TaskNotConfirmable');
		await waitFor(
			'the confirmed task to succeed',
			() => statuses(client, jobId),
			(s) => s['dev-00001'] === 'SUCCEEDED',
		);
		assert.equal((await statuses(client, jobId))['dev-00002'], 'CONFIRM', 'the unconfirmed one waits');
		await client.ok('ConfirmOTATask', { TaskId: [two.TaskId] });
		await waitFor(
			'the batch to complete',
			() => jobStatus(client, jobId),
			(s) => s === 'COMPLETED',
		);
	});
});
