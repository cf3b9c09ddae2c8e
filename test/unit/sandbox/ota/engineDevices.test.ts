// Simulated devices and the task state machine over time: behaviours, retries, timeouts, offline devices,
// push rate, pulls. Manual clock: one lifecycle minute is advance(MINUTE).
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Behaviour } from '../../../../src/sandbox/ota/model';
import type { StaticJobRequest } from '../../../../src/sandbox/ota/requests';
import { Harness, MINUTE } from './harness';

let h: Harness;

afterEach(async () => {
	await h?.close();
});

async function rollout(behaviour: Behaviour, extra: Partial<StaticJobRequest> = {}) {
	h = await Harness.start({ devices: 1 });
	h.engine.setDevices({ deviceNames: ['dev-00001'] }, { behaviour });
	const job = h.engine.createStaticJob(await h.firmware(), { productKey: h.productKey, targetSelection: 'ALL', ...extra });
	return { job, task: job.tasks[0] };
}

void describe('behaviours', () => {
	const outcomes: Array<[Behaviour, string, string, string]> = [
		['ok', 'SUCCEEDED', '', '2.0.0'],
		['fail', 'FAILED', 'upgrade failed', '1.0.0'],
		['fail-download', 'FAILED', 'download failed', '1.0.0'],
		['fail-checksum', 'FAILED', 'check failed', '1.0.0'],
		['fail-flash', 'FAILED', 'burn failed', '1.0.0'],
		['wrong-version', 'FAILED', 'report version is not conform', '2.0.0-dirty'],
	];
	for (const [behaviour, status, desc, version] of outcomes) {
		void test(`${behaviour}: ${status}${desc ? ` (${desc})` : ''}, device on ${version}`, async () => {
			const { task } = await rollout(behaviour);
			h.advance(5 * MINUTE);
			assert.equal(task.status, status);
			assert.equal(task.desc, desc);
			assert.equal(h.device('dev-00001').versions.default, version);
			const seen = h.transitions.filter((t) => t.task === task).map((t) => t.to);
			assert.deepEqual(seen, ['QUEUED', 'NOTIFIED', 'IN_PROGRESS', status]);
		});
	}

	void test('progress is reported on the way: 0 → 70 → 100, a failing flash keeps 70', async () => {
		const { task } = await rollout('fail-flash');
		h.advance(3_000);
		assert.equal(task.progress, 0);
		h.advance(30_000);
		assert.equal(task.progress, 70);
		h.advance(MINUTE);
		assert.equal(task.progress, 70);
	});

	void test('slow devices take ten times longer', async () => {
		const { task } = await rollout('slow');
		h.advance(5 * MINUTE);
		assert.equal(task.status, 'IN_PROGRESS');
		h.advance(6 * MINUTE);
		assert.equal(task.status, 'SUCCEEDED');
	});

	void test('never-reports stays NOTIFIED: the timeout clock never starts', async () => {
		const { task } = await rollout('never-reports', { timeoutInMinutes: 5 });
		h.advance(60 * MINUTE);
		assert.equal(task.status, 'NOTIFIED');
		assert.equal(task.timeoutAt, undefined);
	});

	void test('crash-loop reports success, then the old version again', async () => {
		const { task } = await rollout('crash-loop');
		h.advance(2 * MINUTE);
		assert.equal(task.status, 'SUCCEEDED');
		assert.equal(h.device('dev-00001').versions.default, '2.0.0');
		h.advance(10 * MINUTE);
		assert.equal(h.device('dev-00001').versions.default, '1.0.0');
		assert.equal(task.status, 'SUCCEEDED', 'a finished task is not judged again');
	});

	void test('a device already on the version it is pushed just reports it', async () => {
		h = await Harness.start({ devices: 1 });
		const fw = await h.firmware({ status: 0 });
		h.engine.setDevices({ deviceNames: ['dev-00001'] }, { versions: { default: '2.0.0' } });
		const job = h.engine.createVerifyJob(fw, { productKey: h.productKey, deviceNames: ['dev-00001'] });
		h.advance(MINUTE);
		assert.equal(job.tasks[0].status, 'SUCCEEDED');
		assert.equal(h.packages.pushes.length, 0, 'nothing downloaded');
	});
});

void describe('timeouts and retries', () => {
	void test('a timeout counts from the first progress report and is never retried', async () => {
		const { task } = await rollout('slow', { timeoutInMinutes: 5, srcVersions: ['1.0.0'], retryInterval: 0, retryCount: 5 });
		const pushedAt = h.clock;
		h.advance(21_000); // a slow device's first report comes 20 s after the push
		assert.equal(task.status, 'IN_PROGRESS');
		assert.equal(task.timeoutAt, pushedAt + 20_000 + 5 * MINUTE);
		h.advance(5 * MINUTE);
		assert.equal(task.status, 'FAILED');
		assert.equal(task.desc, 'timeout');
		assert.equal(task.retriesLeft, 5);
	});

	void test('failures are retried after RetryInterval, RetryCount times, only when SrcVersions were named', async () => {
		const { task } = await rollout('fail-flash', { srcVersions: ['1.0.0'], retryInterval: 10, retryCount: 2, timeoutInMinutes: 60 });
		h.advance(2 * MINUTE);
		assert.equal(task.status, 'IN_PROGRESS', 'while a retry is pending the task keeps its status');
		assert.equal(task.retriesLeft, 1);
		assert.notEqual(task.retryAt, undefined);
		h.advance(11 * MINUTE);
		assert.equal(task.retriesLeft, 0);
		assert.equal(task.status, 'IN_PROGRESS');
		h.advance(11 * MINUTE);
		assert.equal(task.status, 'FAILED');
		assert.equal(task.desc, 'burn failed');
		assert.equal(h.packages.pushes.length, 3, 'the package was pushed (and downloaded) three times');
	});

	void test('without SrcVersions the same RetryCount gives no retry', async () => {
		const { task } = await rollout('fail', { retryInterval: 10, retryCount: 2 });
		h.advance(2 * MINUTE);
		assert.equal(task.status, 'FAILED');
	});

	void test('a device that starts working during the retry interval succeeds on the retry', async () => {
		const { task } = await rollout('fail-download', { srcVersions: ['1.0.0'], retryInterval: 10, retryCount: 1 });
		h.advance(2 * MINUTE);
		h.engine.setDevices({ deviceNames: ['dev-00001'] }, { behaviour: 'ok' });
		h.advance(12 * MINUTE);
		assert.equal(task.status, 'SUCCEEDED');
	});
});

void describe('delivery', () => {
	void test('offline devices stay QUEUED until they come online; going offline mid-upgrade stops it until the re-push', async () => {
		h = await Harness.start({ devices: 2 });
		h.engine.setDevices({ deviceNames: ['dev-00002'] }, { behaviour: 'offline' });
		const job = h.engine.createStaticJob(await h.firmware(), {
			productKey: h.productKey,
			targetSelection: 'ALL',
			timeoutInMinutes: 30,
		});
		h.advance(60 * MINUTE);
		assert.deepEqual(h.statuses(job.tasks), { 'dev-00001': 'SUCCEEDED', 'dev-00002': 'QUEUED' });
		h.engine.setDevices({ deviceNames: ['dev-00002'] }, { online: true });
		assert.equal(h.device('dev-00002').behaviour, 'ok');
		h.advance(10_000);
		assert.equal(job.tasks[1].status, 'IN_PROGRESS');
		h.engine.setDevices({ deviceNames: ['dev-00002'] }, { online: false });
		h.advance(20 * MINUTE);
		assert.equal(job.tasks[1].status, 'IN_PROGRESS');
		h.engine.setDevices({ deviceNames: ['dev-00002'] }, { online: true });
		h.advance(2 * MINUTE);
		assert.equal(job.tasks[1].status, 'SUCCEEDED');
	});

	void test('an offline device fails on the timeout only once it has started: QUEUED does not time out', async () => {
		h = await Harness.start({ devices: 1, behaviours: [{ behaviour: 'offline', percent: 100 }] });
		const job = h.engine.createStaticJob(await h.firmware(), { productKey: h.productKey, targetSelection: 'ALL', timeoutInMinutes: 1 });
		h.advance(24 * 60 * MINUTE);
		assert.equal(job.tasks[0].status, 'QUEUED');
	});

	void test('a package deleted mid-rollout: devices not past the download fail (-2), the others finish, the job completes', async () => {
		h = await Harness.start({ devices: 3 });
		h.engine.setDevices({ deviceNames: ['dev-00002'] }, { behaviour: 'slow' });
		h.engine.setDevices({ deviceNames: ['dev-00003'] }, { behaviour: 'offline' });
		const fw = await h.firmware();
		const job = h.engine.createStaticJob(fw, { productKey: h.productKey, targetSelection: 'ALL' });
		h.advance(40_000);
		const [downloaded, downloading, offline] = job.tasks;
		assert.deepEqual([downloaded.progress, downloading.progress], [70, 0]);
		assert.deepEqual(h.statuses(job.tasks), { 'dev-00001': 'IN_PROGRESS', 'dev-00002': 'IN_PROGRESS', 'dev-00003': 'QUEUED' });
		await h.store.deleteFirmware(fw.firmwareId);
		h.advance(48 * 60 * MINUTE);
		assert.deepEqual(h.statuses(job.tasks), { 'dev-00001': 'SUCCEEDED', 'dev-00002': 'FAILED', 'dev-00003': 'QUEUED' });
		assert.equal(h.device('dev-00001').versions.default, '2.0.0', 'a device that had the image installs it');
		assert.equal(downloading.desc, 'the OTA package was deleted');
		h.engine.setDevices({ deviceNames: ['dev-00003'] }, { online: true });
		h.advance(MINUTE);
		assert.deepEqual([offline.status, offline.desc], ['FAILED', 'the OTA package was deleted']);
		assert.equal(job.status, 'COMPLETED');
		const later = h.engine.createStaticJob(await h.firmware({ destVersion: '3.0.0' }), {
			productKey: h.productKey,
			targetSelection: 'ALL',
		});
		assert.deepEqual(h.statuses(later.tasks), { 'dev-00001': 'QUEUED', 'dev-00002': 'QUEUED', 'dev-00003': 'QUEUED' });
	});

	void test('MaximumPerMinute bounds the pushes of every minute', async () => {
		h = await Harness.start({ devices: 100 });
		h.engine.setDevices({}, { behaviour: 'never-reports' });
		const job = h.engine.createStaticJob(await h.firmware(), {
			productKey: h.productKey,
			targetSelection: 'ALL',
			maximumPerMinute: 30,
		});
		const pushedAfter = (ms: number): number => {
			h.advance(ms);
			return job.counts.NOTIFIED;
		};
		assert.ok(pushedAfter(1_000) >= 1);
		assert.equal(pushedAfter(MINUTE - 1_001), 30);
		assert.equal(pushedAfter(MINUTE), 60);
		assert.equal(pushedAfter(2 * MINUTE), 100);
	});

	void test('NeedPush=false: the device pulls its package at its next poll', async () => {
		const { task } = await rollout('ok', { needPush: false });
		h.advance(30_000);
		assert.equal(task.status, 'QUEUED');
		h.advance(3 * MINUTE);
		assert.equal(task.status, 'SUCCEEDED');
	});

	void test('NeedConfirm: tasks wait in CONFIRM until ConfirmOTATask', async () => {
		const { task } = await rollout('ok', { needConfirm: true });
		h.advance(10 * MINUTE);
		assert.equal(task.status, 'CONFIRM');
		h.engine.confirm([task.taskId]);
		h.advance(2 * MINUTE);
		assert.equal(task.status, 'SUCCEEDED');
	});

	void test('the push carries the signed URL, size, sign with the device spelling of the method, and the tags', async () => {
		await rollout('ok', { tags: [{ key: 'env', value: 'lab' }] });
		h.advance(2 * MINUTE);
		const push = h.packages.pushes[0];
		assert.deepEqual(
			{ ...push },
			{
				size: 1234,
				version: '2.0.0',
				url: 'http://oss.invalid/ota/fw1.bin?signed',
				md5: '0123456789abcdef0123456789abcdef',
				sign: '0123456789abcdef0123456789abcdef',
				signMethod: 'Md5',
				extData: { env: 'lab' },
			},
		);
	});
});
