// Lifecycle scenarios end to end over HTTP with the independent client: batches and their control.
// Simulated time runs 600× (a lifecycle minute in 0.1 s); the tests wait on the state the API reports.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TaskRecord } from '../../../src/sandbox/ota';
import { allTasks, countByStatus, createPackage, imageWithVersion, jobStatus, setDevices, startOtaSandbox, waitFor } from './otaFixtures';

const SCALE = 600;
const unverified = { NeedToVerify: false };

void describe('lifecycle over HTTP: batches', () => {
	void test('GRAY 20 % of 1,000 devices: 200 tasks, all upgraded; an ALL batch then finds the other 800', async (t) => {
		const { sandbox, client } = await startOtaSandbox({ devices: 1000, timeScale: SCALE });
		t.after(() => sandbox.stop());
		const pk = sandbox.productKey;
		const firmwareId = await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'), unverified);
		const gray = await client.ok('CreateOTAStaticUpgradeJob', {
			FirmwareId: firmwareId,
			ProductKey: pk,
			TargetSelection: 'GRAY',
			GrayPercent: '20',
		});
		const jobId = gray.Data.JobId as string;
		const job = (await client.ok('QueryOTAJob', { JobId: jobId })).Data;
		assert.deepEqual([job.TargetSelection, job.GrayPercent], ['GRAY', '20.00']);
		assert.equal((await client.ok('ListOTATaskByJob', { JobId: jobId, PageSize: 1 })).Total, 200);
		await waitFor(
			'the gray batch to complete',
			() => jobStatus(client, jobId),
			(s) => s === 'COMPLETED',
		);
		const tasks = await allTasks(client, jobId);
		assert.deepEqual(countByStatus(tasks), { SUCCEEDED: 200 });
		assert.equal(new Set(tasks.map((task) => task.DeviceName)).size, 200);
		const rest = await client.ok('CreateOTAStaticUpgradeJob', { FirmwareId: firmwareId, ProductKey: pk, TargetSelection: 'ALL' });
		assert.equal((await client.ok('ListOTATaskByJob', { JobId: rest.Data.JobId, PageSize: 1 })).Total, 800);
	});

	void test('cancel queued tasks: devices offline keep theirs QUEUED until CancelOTATaskByJob cancels them', async (t) => {
		const { sandbox, client } = await startOtaSandbox({ devices: 10, timeScale: SCALE });
		t.after(() => sandbox.stop());
		const pk = sandbox.productKey;
		const offline = ['dev-00003', 'dev-00005', 'dev-00007', 'dev-00009'];
		assert.equal(await setDevices(sandbox, { devices: offline, online: false }), 4);
		const firmwareId = await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'), unverified);
		const jobId = (await client.ok('CreateOTAStaticUpgradeJob', { FirmwareId: firmwareId, ProductKey: pk, TargetSelection: 'ALL' }))
			.Data.JobId;
		const settled = await waitFor(
			'the online devices to finish',
			() => allTasks(client, jobId),
			(tasks) => countByStatus(tasks).SUCCEEDED === 6,
		);
		assert.deepEqual(countByStatus(settled), { SUCCEEDED: 6, QUEUED: 4 });
		assert.deepEqual(
			settled.filter((task) => task.TaskStatus === 'QUEUED').map((task) => task.DeviceName),
			offline,
		);
		assert.equal(await jobStatus(client, jobId), 'IN_PROGRESS');
		const unfinished = await client.ok('ListOTAUnfinishedTaskByDevice', { ProductKey: pk, DeviceName: 'dev-00003' });
		assert.deepEqual(
			unfinished.Data.SimpleOTATaskInfo.map((task: { JobId: string; TaskStatus: string }) => [task.JobId, task.TaskStatus]),
			[[jobId, 'QUEUED']],
		);

		await client.ok('CancelOTATaskByJob', { JobId: jobId, CancelQueuedTask: true });
		const after = await allTasks(client, jobId);
		assert.deepEqual(countByStatus(after), { SUCCEEDED: 6, CANCELED: 4 });
		assert.ok(after.filter((task) => task.TaskStatus === 'CANCELED').every((task) => task.TaskDesc !== ''));
		assert.equal(await jobStatus(client, jobId), 'COMPLETED');
		assert.equal(
			(await client.ok('ListOTAUnfinishedTaskByDevice', { ProductKey: pk, DeviceName: 'dev-00003' })).Data.SimpleOTATaskInfo.length,
			0,
		);
	});

	void test('reupgrade failed tasks: two devices fail to flash, are fixed, and ReupgradeOTATask brings them to SUCCEEDED', async (t) => {
		const { sandbox, client } = await startOtaSandbox({ devices: 4, timeScale: SCALE });
		t.after(() => sandbox.stop());
		const pk = sandbox.productKey;
		const flaky = ['dev-00002', 'dev-00004'];
		await setDevices(sandbox, { devices: flaky, behaviour: 'fail-flash' });
		const firmwareId = await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'), unverified);
		const jobId = (await client.ok('CreateOTAStaticUpgradeJob', { FirmwareId: firmwareId, ProductKey: pk, TargetSelection: 'ALL' }))
			.Data.JobId;
		await waitFor(
			'the batch to complete',
			() => jobStatus(client, jobId),
			(s) => s === 'COMPLETED',
		);
		const failed = (await allTasks(client, jobId)).filter((task) => task.TaskStatus === 'FAILED');
		assert.deepEqual(
			failed.map((task) => task.DeviceName),
			flaky,
		);
		assert.ok(failed.every((task) => task.TaskDesc !== ''));

		await setDevices(sandbox, { devices: flaky, behaviour: 'ok' });
		const reupgraded = await client.ok('ReupgradeOTATask', { JobId: jobId, TaskId: failed.map((task) => task.TaskId) });
		assert.deepEqual(Object.keys(reupgraded).sort(), ['RequestId', 'Success']);
		const done = await waitFor(
			'the re-run tasks to succeed',
			() => allTasks(client, jobId),
			(tasks) => countByStatus(tasks).SUCCEEDED === 4,
		);
		assert.deepEqual(
			done.filter((task) => flaky.includes(task.DeviceName)).map((task) => task.TaskId),
			failed.map((task) => task.TaskId),
			'the same tasks ran again',
		);
		await waitFor(
			'the batch to complete again',
			() => jobStatus(client, jobId),
			(s) => s === 'COMPLETED',
		);
	});

	void test('a device offline from the start stays QUEUED past the timeout; one that drops off mid-upgrade FAILS with "timeout"', async (t) => {
		const { sandbox, client } = await startOtaSandbox({ devices: 3, timeScale: SCALE });
		t.after(() => sandbox.stop());
		const pk = sandbox.productKey;
		await setDevices(sandbox, { devices: ['dev-00003'], online: false });
		// dev-00002 leaves the network right after its first progress report: the timeout clock has started.
		const dropOff = ({ task }: { task: TaskRecord }): void => {
			if (task.device.deviceName === 'dev-00002' && task.status === 'IN_PROGRESS' && task.device.online) {
				sandbox.ota.setDevices({ deviceNames: ['dev-00002'] }, { online: false });
			}
		};
		sandbox.events.on('taskChanged', dropOff);
		const firmwareId = await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'), unverified);
		const jobId = (
			await client.ok('CreateOTAStaticUpgradeJob', {
				FirmwareId: firmwareId,
				ProductKey: pk,
				TargetSelection: 'ALL',
				// 3 s of real time at 600×: far more than a healthy device needs for its real download.
				TimeoutInMinutes: 30,
			})
		).Data.JobId;
		const timedOut = await waitFor(
			'the timeout',
			() => allTasks(client, jobId),
			(tasks) => tasks.some((task) => task.TaskStatus === 'FAILED'),
		);
		const byDevice = Object.fromEntries(timedOut.map((task) => [task.DeviceName, task]));
		assert.deepEqual([byDevice['dev-00002'].TaskStatus, byDevice['dev-00002'].TaskDesc], ['FAILED', 'timeout']);
		assert.equal(byDevice['dev-00003'].TaskStatus, 'QUEUED', 'no progress report, no timeout');
		await waitFor(
			'dev-00001 to finish',
			() => allTasks(client, jobId),
			(tasks) => tasks[0].TaskStatus === 'SUCCEEDED',
		);
		assert.equal(await jobStatus(client, jobId), 'IN_PROGRESS');

		// Back online, the queued device gets its push; the timed-out task is not retried.
		sandbox.events.off('taskChanged', dropOff);
		await setDevices(sandbox, { devices: ['dev-00002', 'dev-00003'], online: true });
		await waitFor(
			'the batch to complete',
			() => jobStatus(client, jobId),
			(s) => s === 'COMPLETED',
		);
		const final = Object.fromEntries((await allTasks(client, jobId)).map((task) => [task.DeviceName, task.TaskStatus]));
		assert.deepEqual(final, { 'dev-00001': 'SUCCEEDED', 'dev-00002': 'FAILED', 'dev-00003': 'SUCCEEDED' });
	});
});
