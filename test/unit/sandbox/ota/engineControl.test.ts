// Control operations of the OTA engine: cancel (by job, scheduled, by device, a dynamic job's strategy), re-run and
// confirm. Listings, modules and persistence are in engineMonitoring.test.ts.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { Harness, MINUTE, refusal } from './harness';

let h: Harness;

afterEach(async () => {
	await h?.close();
});

void describe('cancel', () => {
	void test('CancelOTATaskByJob cancels the flagged states; CancelQueuedTask alone also takes CONFIRM unless told not to', async () => {
		h = await Harness.start({ devices: 4 });
		const fw = await h.firmware();
		const confirmJob = h.engine.createStaticJob(fw, {
			productKey: h.productKey,
			targetSelection: 'SPECIFIC',
			deviceNames: ['dev-00001', 'dev-00002'],
			needConfirm: true,
		});
		h.engine.confirm([confirmJob.tasks[0].taskId]);
		assert.equal(h.engine.cancelTasksByJob(confirmJob.jobId, { queued: true, unconfirmed: false }), 1);
		assert.deepEqual(h.statuses(confirmJob.tasks), { 'dev-00001': 'CANCELED', 'dev-00002': 'CONFIRM' });
		assert.equal(h.engine.cancelTasksByJob(confirmJob.jobId, { queued: true }), 1);
		assert.equal(confirmJob.tasks[1].desc, 'canceled by CancelOTATaskByJob');
		assert.equal(confirmJob.status, 'COMPLETED', 'a static job whose tasks all ended is COMPLETED');

		h.engine.setDevices({ deviceNames: ['dev-00004'] }, { behaviour: 'never-reports' });
		const running = h.engine.createStaticJob(fw, {
			productKey: h.productKey,
			targetSelection: 'SPECIFIC',
			deviceNames: ['dev-00003', 'dev-00004'],
			overwriteMode: 2,
		});
		h.advance(10_000);
		assert.deepEqual(h.statuses(running.tasks), { 'dev-00003': 'IN_PROGRESS', 'dev-00004': 'NOTIFIED' });
		assert.equal(h.engine.cancelTasksByJob(running.jobId, { notified: true }), 1);
		assert.equal(h.engine.cancelTasksByJob(running.jobId, { inProgress: true }), 1);
		h.advance(5 * MINUTE);
		assert.equal(h.device('dev-00003').versions.default, '1.0.0', 'a cancelled device stops its upgrade');
	});

	void test('CancelScheduledTask cancels a PLANNED job and its tasks', async () => {
		h = await Harness.start({ devices: 2 });
		const job = h.engine.createStaticJob(await h.firmware(), {
			productKey: h.productKey,
			targetSelection: 'ALL',
			scheduleTime: h.clock + 60 * MINUTE,
		});
		assert.equal(h.engine.cancelTasksByJob(job.jobId, { scheduled: true }), 2);
		assert.equal(job.status, 'CANCELED');
		h.advance(2 * 60 * MINUTE);
		assert.deepEqual(h.statuses(job.tasks), { 'dev-00001': 'CANCELED', 'dev-00002': 'CANCELED' });
		assert.throws(() => h.engine.cancelTasksByJob('nope', { queued: true }), refusal('iot.ota.InvalidJobId'));
	});

	void test('CancelOTATaskByDevice cancels the package\u2019s unfinished tasks of those devices only', async () => {
		h = await Harness.start({ devices: 3 });
		const fw = await h.firmware();
		const job = h.engine.createStaticJob(fw, { productKey: h.productKey, targetSelection: 'ALL', needConfirm: true });
		assert.equal(h.engine.cancelTasksByDevice(fw, h.productKey, ['dev-00001', 'dev-00003']), 2);
		assert.deepEqual(h.statuses(job.tasks), { 'dev-00001': 'CANCELED', 'dev-00002': 'CONFIRM', 'dev-00003': 'CANCELED' });
		assert.throws(() => h.engine.cancelTasksByDevice(fw, h.productKey, ['ghost']), refusal('iot.device.NotExistedDevice'));
		assert.throws(
			() => h.engine.cancelTasksByDevice(fw, 'a1SandboxGW2', ['gw-00001']),
			refusal('iot.ota.FirmwareAndProductKeyMismatch'),
		);
	});

	void test('CancelOTAStrategyByJob: dynamic jobs only; tasks not pushed yet are cancelled, pushed ones finish', async () => {
		h = await Harness.start({ devices: 2 });
		h.engine.setDevices({ deviceNames: ['dev-00002'] }, { behaviour: 'offline' });
		const fw = await h.firmware();
		const job = h.engine.createDynamicJob(fw, { productKey: h.productKey, srcVersions: ['1.0.0'] });
		h.advance(10_000);
		h.engine.cancelStrategy(job.jobId);
		h.advance(2 * MINUTE);
		assert.deepEqual(h.statuses(job.tasks), { 'dev-00001': 'SUCCEEDED', 'dev-00002': 'CANCELED' });
		assert.throws(() => h.engine.cancelStrategy(job.jobId), refusal('iot.ota.JobHasCanceled'));
		const staticJob = h.engine.createStaticJob(fw, { productKey: h.productKey, targetSelection: 'ALL' });
		assert.throws(() => h.engine.cancelStrategy(staticJob.jobId), refusal('iot.ota.noDynamicJob'));
	});
});

void describe('re-run and confirm', () => {
	void test('ReupgradeOTATask re-runs FAILED and CANCELED tasks with the same TaskId, Progress and TaskDesc reset', async () => {
		h = await Harness.start({ devices: 2 });
		h.engine.setDevices({ deviceNames: ['dev-00001'] }, { behaviour: 'fail-flash' });
		const job = h.engine.createStaticJob(await h.firmware(), { productKey: h.productKey, targetSelection: 'ALL' });
		h.advance(5 * MINUTE);
		const [failed, succeeded] = job.tasks;
		assert.equal(job.status, 'COMPLETED');
		assert.throws(() => h.engine.reupgrade(job.jobId, [succeeded.taskId]), refusal('iot.ota.FailedTaskNotFound'));
		assert.throws(() => h.engine.reupgrade(job.jobId, [failed.taskId, succeeded.taskId]), refusal('iot.ota.InvalidTaskExist'));
		assert.throws(() => h.engine.reupgrade(job.jobId, ['unknown']), refusal('iot.ota.InvalidTaskId'));
		h.engine.setDevices({ deviceNames: ['dev-00001'] }, { behaviour: 'ok' });
		const rerun = h.engine.reupgrade(job.jobId, [failed.taskId]);
		assert.deepEqual(rerun, [failed]);
		assert.deepEqual(
			{ status: failed.status, progress: failed.progress, desc: failed.desc },
			{ status: 'QUEUED', progress: 0, desc: '' },
		);
		assert.equal(job.status, 'IN_PROGRESS');
		h.advance(5 * MINUTE);
		assert.equal(failed.status, 'SUCCEEDED');
		assert.equal(job.status, 'COMPLETED');
		const other = h.engine.createStaticJob(await h.firmware({ destVersion: '3.0.0' }), {
			productKey: h.productKey,
			targetSelection: 'ALL',
		});
		assert.throws(() => h.engine.reupgrade(job.jobId, [other.tasks[0].taskId]), refusal('iot.ota.UnmatchedJob'));
	});

	void test('ReupgradeOTATask is refused on a cancelled job and for devices busy elsewhere; NeedConfirm jobs confirm again', async () => {
		h = await Harness.start({ devices: 1 });
		const job = h.engine.createStaticJob(await h.firmware(), { productKey: h.productKey, targetSelection: 'ALL', needConfirm: true });
		h.engine.cancelTasksByJob(job.jobId, { unconfirmed: true });
		const blocker = h.engine.createStaticJob(await h.firmware({ destVersion: '3.0.0' }), {
			productKey: h.productKey,
			targetSelection: 'ALL',
			needConfirm: true,
		});
		assert.throws(() => h.engine.reupgrade(job.jobId, [job.tasks[0].taskId]), refusal('iot.ota.DeviceNotReUpgraded'));
		h.engine.cancelTasksByJob(blocker.jobId, { unconfirmed: true });
		h.engine.reupgrade(job.jobId, [job.tasks[0].taskId]);
		assert.equal(job.tasks[0].status, 'CONFIRM');
		const planned = h.engine.createDynamicJob(await h.firmware({ destVersion: '4.0.0' }), {
			productKey: h.productKey,
			srcVersions: ['9.9.9'],
		});
		h.engine.cancelStrategy(planned.jobId);
		assert.throws(() => h.engine.reupgrade(planned.jobId, [job.tasks[0].taskId]), refusal('iot.ota.JobCanceled'));
	});

	void test('ReupgradeOTATask leaves a failed task of a dynamic job alone while the job matched its device again', async () => {
		// Found by the property test (seed 1326594104): the re-run made a second unfinished task for one device.
		h = await Harness.start({ devices: 1 });
		h.engine.setDevices({ deviceNames: ['dev-00001'] }, { behaviour: 'fail-flash' });
		const job = h.engine.createDynamicJob(await h.firmware(), { productKey: h.productKey, srcVersions: ['1.0.0'] });
		h.advance(5 * MINUTE);
		const [failed] = job.tasks;
		assert.equal(failed.status, 'FAILED');
		h.engine.setDevices({ deviceNames: ['dev-00001'] }, { behaviour: 'never-reports', versions: { default: '1.0.0' } });
		const unfinished = () => job.tasks.filter((t) => !['SUCCEEDED', 'FAILED', 'CANCELED'].includes(t.status));
		assert.equal(unfinished().length, 1, 'the dynamic job matched the device again');
		assert.throws(() => h.engine.reupgrade(job.jobId, [failed.taskId]), refusal('iot.ota.DeviceNotReUpgraded'));
		assert.equal(failed.status, 'FAILED');
		assert.equal(unfinished().length, 1);
	});

	void test('ReupgradeOTATask re-runs only the package\u2019s latest verify job: an older one cannot undo a newer verification', async () => {
		h = await Harness.start({ devices: 2 });
		h.packages.verdict = { ok: true, version: '1.9.9' };
		const fw = await h.firmware({ status: 0 });
		const older = h.engine.createVerifyJob(fw, { productKey: h.productKey, deviceNames: ['dev-00001'] });
		h.advance(5 * MINUTE);
		const newer = h.engine.createVerifyJob(fw, { productKey: h.productKey, deviceNames: ['dev-00002'] });
		h.advance(5 * MINUTE);
		assert.deepEqual([older.tasks[0].status, newer.tasks[0].status], ['FAILED', 'FAILED']);
		assert.equal(h.store.getFirmware(fw.firmwareId)?.status, 3);
		assert.throws(() => h.engine.reupgrade(older.jobId, [older.tasks[0].taskId]), refusal('iot.ota.VerifyFirmwareNotAllowed'));
		assert.deepEqual([older.status, older.tasks[0].status], ['COMPLETED', 'FAILED']);

		h.packages.verdict = { ok: true, version: undefined };
		h.engine.reupgrade(newer.jobId, [newer.tasks[0].taskId]);
		assert.equal(h.store.getFirmware(fw.firmwareId)?.status, 2, 'the latest verify job re-runs: verifying again');
		h.advance(5 * MINUTE);
		assert.equal(h.store.getFirmware(fw.firmwareId)?.status, 1);
		assert.throws(() => h.engine.reupgrade(older.jobId, [older.tasks[0].taskId]), refusal('iot.ota.VerifyFirmwareNotAllowed'));
		h.advance(60 * MINUTE);
		assert.equal(h.store.getFirmware(fw.firmwareId)?.status, 1, 'Status and VerifyProgress follow the same (latest) job');
		assert.equal(h.engine.verifyProgress(fw.firmwareId), 100);
	});

	void test('ReupgradeOTATask is refused once the job reached its ScheduleFinishTime (it would reopen with no end)', async () => {
		h = await Harness.start({ devices: 2 });
		h.engine.setDevices({ deviceNames: ['dev-00001'] }, { behaviour: 'fail-flash' });
		h.engine.setDevices({ deviceNames: ['dev-00002'] }, { behaviour: 'never-reports' });
		const job = h.engine.createStaticJob(await h.firmware(), {
			productKey: h.productKey,
			targetSelection: 'ALL',
			scheduleTime: h.clock + 10 * MINUTE,
			scheduleFinishTime: h.clock + 80 * MINUTE,
		});
		h.advance(15 * MINUTE);
		const [failed, open] = job.tasks;
		assert.deepEqual(h.statuses(job.tasks), { 'dev-00001': 'FAILED', 'dev-00002': 'NOTIFIED' });
		h.engine.reupgrade(job.jobId, [failed.taskId]);
		assert.equal(failed.status, 'QUEUED', 'inside the window a failed task is re-run');
		h.advance(70 * MINUTE);
		assert.equal(job.status, 'COMPLETED');
		assert.deepEqual([failed.status, open.status], ['FAILED', 'CANCELED']);
		for (const task of [failed, open]) {
			assert.throws(() => h.engine.reupgrade(job.jobId, [task.taskId]), refusal('iot.ota.OutOfScheduleWindow'));
		}
		assert.deepEqual([job.status, failed.status, open.status], ['COMPLETED', 'FAILED', 'CANCELED']);
	});

	void test('ConfirmOTATask only confirms CONFIRM tasks, and not before the schedule window opens', async () => {
		h = await Harness.start({ devices: 1 });
		const job = h.engine.createStaticJob(await h.firmware(), {
			productKey: h.productKey,
			targetSelection: 'ALL',
			needConfirm: true,
			scheduleTime: h.clock + 10 * MINUTE,
		});
		const id = job.tasks[0].taskId;
		assert.throws(() => h.engine.confirm([id]), refusal('iot.ota.OutOfScheduleWindow'));
		assert.throws(() => h.engine.confirm(['unknown']), refusal('iot.ota.InvalidTaskId'));
		h.advance(11 * MINUTE);
		h.engine.confirm([id]);
		assert.throws(() => h.engine.confirm([id]), refusal('iot.ota.TaskNotConfirmable'));
	});
});
