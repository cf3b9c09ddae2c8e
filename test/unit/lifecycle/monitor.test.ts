import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCancelled } from '../../../src/core/errors';
import {
	DEFAULT_INTERVAL_POLICY,
	JobMonitor,
	LIFECYCLE_LIMITS,
	nextInterval,
	planRefresh,
	throughput,
	watchJob,
	type JobProgress,
	type TaskChange,
} from '../../../src/core/lifecycle';
import { emptyCounts } from '../../../src/core/lifecycle/monitorPlan';
import { FakeOta, job, steppedClock, task, tasks } from './fakeOta';

void describe('counting plan', () => {
	void test('unknown and small jobs are listed whole in one call', () => {
		assert.deepEqual(planRefresh({}), { mode: 'list' });
		assert.deepEqual(planRefresh({ total: 100 }), { mode: 'list' });
	});

	void test('large jobs are counted per status; CONFIRM only when the job can have such tasks', () => {
		assert.deepEqual(planRefresh({ total: 101, needConfirm: false, counts: emptyCounts() }), {
			mode: 'count',
			statuses: ['QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED'],
		});
		assert.equal((planRefresh({ total: 5000, needConfirm: true }) as { statuses: string[] }).statuses.length, 7);
		const seenConfirm = { ...emptyCounts(), CONFIRM: 3 };
		assert.equal((planRefresh({ total: 5000, needConfirm: false, counts: seenConfirm }) as { statuses: string[] }).statuses.length, 7);
	});
});

void describe('refresh interval policy', () => {
	const policy = DEFAULT_INTERVAL_POLICY;

	void test('a change brings the interval back to the minimum; no change grows it by the back-off up to the maximum', () => {
		assert.equal(nextInterval(undefined, false, 1, policy), 2000);
		assert.equal(nextInterval(20_000, true, 1, policy), 2000);
		assert.equal(nextInterval(2000, false, 1, policy), 3000);
		assert.equal(nextInterval(3000, false, 1, policy), 4500);
		assert.equal(nextInterval(25_000, false, 1, policy), 30_000);
	});

	void test('a refresh never uses more than its share of the action QPS', () => {
		// 14 calls at half of 10 QPS need 2.8 s; 100 calls need 20 s, even beyond the maximum.
		assert.equal(nextInterval(undefined, true, 14, policy), 2800);
		assert.equal(nextInterval(undefined, true, 100, { ...policy, maxMs: 5000 }), 20_000);
	});
});

void test('throughput over the window and the ETA of what is left', () => {
	const samples = [
		{ at: 0, finished: 0 },
		{ at: 30_000, finished: 50 },
		{ at: 60_000, finished: 100 },
	];
	assert.deepEqual(throughput(samples, 300), { perMinute: 100, etaMs: 180_000 });
	assert.deepEqual(throughput(samples.slice(0, 1), 300), {});
	assert.deepEqual(
		throughput(
			[
				{ at: 0, finished: 5 },
				{ at: 10_000, finished: 5 },
			],
			10,
		),
		{ perMinute: 0 },
	);
});

void describe('JobMonitor', () => {
	void test('a 100,000-task job is counted in a handful of calls per refresh, reading Total of PageSize-1 pages', async () => {
		const fake = new FakeOta().add(
			job('BIG', { needConfirm: false }),
			tasks('BIG', { SUCCEEDED: 60_000, FAILED: 250, IN_PROGRESS: 30_000, QUEUED: 9_750 }),
		);
		const monitor = new JobMonitor(fake, 'BIG');
		const first = await monitor.refresh();
		// The first refresh lists one page to learn the size, then counts.
		assert.deepEqual(first.progress.counts, { ...emptyCounts(), SUCCEEDED: 60_000, FAILED: 250, IN_PROGRESS: 30_000, QUEUED: 9_750 });
		fake.calls.length = 0;
		const second = await monitor.refresh();
		const counting = fake.called('listTasksByJob').filter((c) => (c.args as { pageSize: number }).pageSize === 1);
		assert.equal(counting.length, 6, 'one PageSize-1 call per possible status');
		assert.ok(second.progress.calls <= 8, `calls per refresh: ${second.progress.calls}`);
		assert.equal(second.progress.summary.total, 100_000);
		assert.equal(second.changes.length, 0, 'failures already reported are not fetched again');
	});

	void test('large jobs: only new failures are fetched in detail, each reported once with a diagnosis', async () => {
		const list = tasks('J', { SUCCEEDED: 150, IN_PROGRESS: 50 });
		const fake = new FakeOta().add(job('J'), list);
		const monitor = new JobMonitor(fake, 'J');
		await monitor.refresh();
		list[199].status = 'FAILED';
		list[199].taskDesc = 'report version is not conform';
		fake.calls.length = 0;
		const { changes } = await monitor.refresh();
		assert.deepEqual(
			changes.map((c) => [c.task.taskId, c.diagnosis?.code]),
			[[list[199].taskId, 'version-mismatch']],
		);
		const detail = fake.called('listTasksByJob').filter((c) => (c.args as { status?: string; pageSize: number }).pageSize === 100);
		assert.equal(detail.length, 1);
		assert.equal((await monitor.refresh()).changes.length, 0);
	});

	void test('large jobs: after a retry, later failures and re-failures of retried tasks are still reported', async () => {
		const list = tasks('J', { SUCCEEDED: 150, IN_PROGRESS: 50 });
		list.forEach((t) => (t.utcModified = '2025-01-01T00:00:00.000Z'));
		const fake = new FakeOta().add(job('J'), list);
		const monitor = new JobMonitor(fake, 'J');
		await monitor.refresh();
		const fail = (index: number, at: string): void => void Object.assign(list[index], { status: 'FAILED', utcModified: at });
		fail(150, '2025-01-01T00:01:00.000Z');
		assert.deepEqual(
			(await monitor.refresh()).changes.map((c) => c.task.taskId),
			[list[150].taskId],
		);
		Object.assign(list[150], { status: 'QUEUED', utcModified: '2025-01-01T00:02:00.000Z' }); // retried
		fail(151, '2025-01-01T00:03:00.000Z');
		assert.deepEqual(
			(await monitor.refresh()).changes.map((c) => c.task.taskId),
			[list[151].taskId],
			'a new failure while fewer tasks are FAILED than were ever seen',
		);
		fail(150, '2025-01-01T00:04:00.000Z');
		assert.deepEqual(
			(await monitor.refresh()).changes.map((c) => c.task.taskId),
			[list[150].taskId],
			'the retried task failed again',
		);
		assert.deepEqual((await monitor.refresh()).changes, [], 'nothing is reported twice');
	});

	void test('large jobs: the last page of FAILED read stays within the paging depth of ListOTATaskByJob (100,000)', async () => {
		const fake = new FakeOta().add(job('J'), tasks('J', { FAILED: 100_150, IN_PROGRESS: 10 }));
		const monitor = new JobMonitor(fake, 'J');
		await monitor.refresh();
		const pages = fake
			.called('listTasksByJob')
			.map((c) => c.args as { status?: string; pageSize: number; currentPage?: number })
			.filter((q) => q.status === 'FAILED' && q.pageSize === 100);
		assert.deepEqual(
			pages.map((q) => q.currentPage),
			[1, 1000],
		);
		for (const q of pages) {
			assert.ok((q.currentPage ?? 1) * q.pageSize <= LIFECYCLE_LIMITS.taskPageDepth);
		}
	});

	void test('small jobs: one call gives every task; each status change is reported once', async () => {
		const list = tasks('V', { QUEUED: 3 });
		const fake = new FakeOta().add(job('V', { jobType: 'VERIFY_FIRMWARE' }), list);
		const monitor = new JobMonitor(fake, 'V');
		const first = await monitor.refresh();
		assert.equal(first.changes.length, 0, 'the first refresh reports only failed tasks');
		assert.equal(fake.called('listTasksByJob').length, 1);
		list[0].status = 'NOTIFIED';
		const second = await monitor.refresh();
		assert.deepEqual(
			second.changes.map((c) => [c.task.deviceName, c.previous, c.task.status]),
			[['dev-00001', 'QUEUED', 'NOTIFIED']],
		);
		assert.equal(second.progress.changed, true);
	});
});

void describe('watchJob', () => {
	void test('ends "succeeded" when every task succeeded; refreshes faster after changes, slower without', async () => {
		const list = tasks('J', { QUEUED: 4 });
		const fake = new FakeOta().add(job('J'), list);
		const clock = steppedClock(fake);
		fake.onAdvance = [
			() => undefined,
			() => list.forEach((t) => (t.status = 'IN_PROGRESS')),
			() => list.forEach((t) => (t.status = 'SUCCEEDED')),
		];
		const progress: JobProgress[] = [];
		const result = await watchJob(fake, 'J', { now: clock.now, sleep: clock.sleep, onProgress: (p) => progress.push(p) });
		assert.equal(result.outcome, 'succeeded');
		assert.deepEqual(clock.waits, [2000, 3000, 2000]);
		assert.equal(progress.at(-1)?.summary.succeeded, 4);
		assert.equal(fake.called('cancelTasksByJob').length, 0);
	});

	void test('ends "failed" when a task failed, with the failure reported as a task change', async () => {
		const list = tasks('J', { SUCCEEDED: 2, FAILED: 1 });
		list[2].taskDesc = 'timeout';
		const fake = new FakeOta().add(job('J', { jobStatus: 'COMPLETED' }), list);
		const clock = steppedClock(fake);
		const changes: TaskChange[] = [];
		const result = await watchJob(fake, 'J', { now: clock.now, sleep: clock.sleep, onTask: (c) => changes.push(c) });
		assert.equal(result.outcome, 'failed');
		assert.equal(changes.find((c) => c.task.status === 'FAILED')?.diagnosis?.code, 'timeout');
	});

	void test('after a re-run, a COMPLETED job is watched until no task is queued, notified or in progress; CONFIRM does not hold it', async () => {
		const list = tasks('J', { QUEUED: 1, NOTIFIED: 1, CONFIRM: 1, SUCCEEDED: 1 });
		const fake = new FakeOta().add(job('J', { jobStatus: 'COMPLETED' }), list);
		const clock = steppedClock(fake);
		fake.onAdvance = [() => (list[0].status = 'IN_PROGRESS'), () => list.slice(0, 2).forEach((t) => (t.status = 'SUCCEEDED'))];
		const rerun = await watchJob(fake, 'J', { now: clock.now, sleep: clock.sleep, afterRerun: true });
		assert.equal(clock.waits.length, 2, 'two waits: until both open tasks ended');
		assert.deepEqual([rerun.outcome, rerun.progress.counts.SUCCEEDED, rerun.progress.counts.CONFIRM], ['failed', 3, 1]);

		list.slice(0, 2).forEach((t) => (t.status = 'QUEUED'));
		const plain = await watchJob(fake, 'J', { now: clock.now, sleep: clock.sleep });
		assert.deepEqual([plain.outcome, plain.progress.counts.QUEUED], ['failed', 2], 'any other watch ends on COMPLETED at once');
	});

	void test('the guard halts a static job: cancels unconfirmed, queued and notified tasks, nothing in progress', async () => {
		const list = [
			...tasks('J', { SUCCEEDED: 18, FAILED: 2 }),
			...tasks('J', { IN_PROGRESS: 5, QUEUED: 70, NOTIFIED: 5 }).map((t, i) => ({ ...t, taskId: `X${i}` })),
		];
		const fake = new FakeOta().add(job('J'), list);
		const clock = steppedClock(fake);
		const result = await watchJob(fake, 'J', { now: clock.now, sleep: clock.sleep, guard: { failurePercent: 10, minFinished: 20 } });
		assert.equal(result.outcome, 'halted');
		assert.deepEqual(
			fake.calls.filter((c) => c.method.startsWith('cancel')),
			[{ method: 'cancelTasksByJob', args: { jobId: 'J', queued: true, notified: true, unconfirmed: true } }],
		);
		assert.equal(result.progress.counts.IN_PROGRESS, 5, 'tasks in progress run on');
		assert.equal(result.progress.counts.CANCELED, 75);
		assert.match(result.halt?.verdict.reason ?? '', /2 of 20 finished tasks failed \(10 % ≥ 10 %\)/);
	});

	void test('the guard halts a dynamic job: its strategy first, then the tasks not started', async () => {
		const fake = new FakeOta().add(job('D', { selectionType: 'DYNAMIC' }), tasks('D', { SUCCEEDED: 9, FAILED: 1, QUEUED: 5 }));
		const clock = steppedClock(fake);
		const result = await watchJob(fake, 'D', { now: clock.now, sleep: clock.sleep, guard: { failurePercent: 5, minFinished: 10 } });
		assert.equal(result.outcome, 'halted');
		assert.deepEqual(
			fake.calls.filter((c) => c.method.startsWith('cancel')).map((c) => c.method),
			['cancelStrategy', 'cancelTasksByJob'],
		);
	});

	void test('below the minimum of finished tasks the guard waits', async () => {
		const list = tasks('J', { FAILED: 3, QUEUED: 7 });
		const fake = new FakeOta().add(job('J'), list);
		const clock = steppedClock(fake);
		fake.onAdvance = [() => list.forEach((t) => t.status === 'QUEUED' && (t.status = 'SUCCEEDED'))];
		const result = await watchJob(fake, 'J', { now: clock.now, sleep: clock.sleep, guard: { failurePercent: 50, minFinished: 11 } });
		assert.equal(result.outcome, 'failed');
		assert.equal(fake.called('cancelTasksByJob').length, 0);
	});

	void test('an abort stops watching and never cancels anything', async () => {
		const fake = new FakeOta().add(job('J'), tasks('J', { IN_PROGRESS: 3 }));
		const controller = new AbortController();
		const clock = steppedClock(fake);
		fake.onAdvance = [() => controller.abort()];
		const error = await watchJob(fake, 'J', { now: clock.now, sleep: clock.sleep, signal: controller.signal }).catch((e: unknown) => e);
		assert.ok(isCancelled(error), String(error));
		assert.deepEqual(
			fake.calls.map((c) => c.method).filter((m) => !['queryJob', 'listTasksByJob'].includes(m)),
			[],
		);
	});

	void test('a CANCELED job is never "succeeded", not even one without tasks', async () => {
		const fake = new FakeOta().add(job('J', { jobStatus: 'CANCELED' }), []);
		const clock = steppedClock(fake);
		assert.equal((await watchJob(fake, 'J', { now: clock.now, sleep: clock.sleep })).outcome, 'failed');
		const emptyDynamic = new FakeOta().add(job('D', { jobStatus: 'CANCELED', selectionType: 'DYNAMIC' }), []);
		assert.equal((await watchJob(emptyDynamic, 'D', { now: clock.now, sleep: clock.sleep })).outcome, 'failed');
	});

	void test('a dynamic job ends CANCELED (its strategy stopped): "succeeded" when it had tasks and every one succeeded', async () => {
		const fake = new FakeOta().add(job('D', { jobStatus: 'CANCELED', selectionType: 'DYNAMIC' }), [task('D', 1, 'SUCCEEDED')]);
		const clock = steppedClock(fake);
		assert.equal((await watchJob(fake, 'D', { now: clock.now, sleep: clock.sleep })).outcome, 'succeeded');
	});

	void test('a COMPLETED job without tasks (every device was already on the version) succeeded', async () => {
		const fake = new FakeOta().add(job('J', { jobStatus: 'COMPLETED' }), []);
		const clock = steppedClock(fake);
		assert.equal((await watchJob(fake, 'J', { now: clock.now, sleep: clock.sleep })).outcome, 'succeeded');
	});

	void test('a job whose tasks are all terminal ends even while its status still says IN_PROGRESS', async () => {
		const fake = new FakeOta().add(job('J'), [task('J', 1, 'SUCCEEDED')]);
		const clock = steppedClock(fake);
		assert.equal((await watchJob(fake, 'J', { now: clock.now, sleep: clock.sleep })).outcome, 'succeeded');
		assert.deepEqual(clock.waits, []);
	});
});
