// The watch the extension starts after Retry Failed or Confirm (WatchRequest.afterRerun): a COMPLETED job whose re-run
// task is still open is watched until the task ends (core watchJob's afterRerun, docs/protocols.md §10.7 A8); any other
// watch ends on COMPLETED at once. A fake account stands for the platform; the rest of the service runs as in the extension.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StateKeys } from '../../../src/vscode/constants';
import type { OtaConnection } from '../../../src/vscode/ota/contract';
import { FakeOta, job, tasks } from '../lifecycle/fakeOta';
import { access, HeldMemento, service } from './watchFakes';

/** The service over a COMPLETED job with one SUCCEEDED task and one re-run task QUEUED. */
async function completedJob(state = new HeldMemento()) {
	const list = tasks('J', { QUEUED: 1, SUCCEEDED: 1 });
	const fake = new FakeOta().add(job('J', { jobStatus: 'COMPLETED' }), list);
	const connection = { profile: { name: 'p' }, lifecycle: fake } as unknown as OtaConnection;
	const test = await service({
		state,
		access: access({ connect: async () => connection, forProfile: async () => connection, hasCredentials: async () => true }),
		interval: { minMs: 0, maxMs: 0 },
	});
	const firstProgress = test.next((e) => e.jobId === 'J' && e.type === 'progress');
	const ended = test.next((e) => e.jobId === 'J' && e.type === 'ended');
	return { test, list, firstProgress, ended };
}

/** That job watched with or without afterRerun. */
async function watchCompleted(afterRerun: boolean) {
	const watching = await completedJob();
	await watching.test.watches.watch({ jobId: 'J', afterRerun });
	return watching;
}

/** That job's watch resumed after a reload from the saved record `saved` holds. */
async function resumeCompleted(saved: Record<string, unknown>) {
	const state = new HeldMemento();
	await state.update(StateKeys.watchedJobs, [{ jobId: 'J', profile: 'p', since: 1, ...saved }]);
	const watching = await completedJob(state);
	await watching.test.watches.restore();
	return { ...watching, state };
}

void describe('a watch after Retry Failed or Confirm', () => {
	void test('waits for the re-run task of a job kept COMPLETED (the watch records that it follows a re-run)', async () => {
		const { test, list, firstProgress, ended } = await watchCompleted(true);
		assert.equal((await firstProgress).snapshot.progress?.counts.QUEUED, 1);
		assert.equal(test.watches.get('J')?.watched.afterRerun, true);
		assert.equal(test.watches.isWatched('J'), true, 'still watched while the re-run task is open');
		list[0].status = 'SUCCEEDED';
		const end = (await ended).snapshot;
		assert.deepEqual([end.outcome, end.progress?.counts.SUCCEEDED], ['succeeded', 2]);
		test.watches.dispose();
	});

	void test('resumed after a reload, a watch saved with afterRerun still waits for the re-run task', async () => {
		const { test, list, firstProgress, ended } = await resumeCompleted({ afterRerun: true });
		assert.equal((await firstProgress).snapshot.watched.afterRerun, true);
		assert.equal(test.watches.isWatched('J'), true, 'still watched while the re-run task is open');
		list[0].status = 'SUCCEEDED';
		assert.equal((await ended).snapshot.outcome, 'succeeded');
		test.watches.dispose();
	});

	void test('a saved afterRerun that is not true is dropped: the resumed watch ends on COMPLETED and saves none', async () => {
		const { test, state, ended } = await resumeCompleted({ afterRerun: 'yes' });
		const end = (await ended).snapshot;
		assert.deepEqual([end.outcome, end.watched.afterRerun], ['failed', undefined]);
		assert.deepEqual(state.get(StateKeys.watchedJobs), []);
		test.watches.dispose();
	});

	void test('a running watch asked again after a re-run goes on as one after a re-run', async () => {
		const running = job('J', { jobStatus: 'IN_PROGRESS' });
		const list = tasks('J', { QUEUED: 1, SUCCEEDED: 1 });
		const connection = { profile: { name: 'p' }, lifecycle: new FakeOta().add(running, list) } as unknown as OtaConnection;
		const test = await service({
			state: new HeldMemento(),
			access: access({ connect: async () => connection, forProfile: async () => connection }),
			interval: { minMs: 0, maxMs: 0 },
		});
		const ended = test.next((e) => e.jobId === 'J' && e.type === 'ended');
		const firstProgress = test.next((e) => e.jobId === 'J' && e.type === 'progress');
		await test.watches.watch({ jobId: 'J' });
		await firstProgress;
		await test.watches.watch({ jobId: 'J', afterRerun: true });
		assert.equal(test.watches.get('J')?.watched.afterRerun, true);
		const completed = test.next((e) => e.jobId === 'J' && e.type === 'progress' && e.snapshot.job?.jobStatus === 'COMPLETED');
		running.jobStatus = 'COMPLETED';
		assert.equal(await Promise.race([completed.then(() => 'watching'), ended.then(() => 'ended')]), 'watching');
		list[0].status = 'SUCCEEDED';
		assert.equal((await ended).snapshot.outcome, 'succeeded');
		test.watches.dispose();
	});

	void test('any other watch of a COMPLETED job ends at once', async () => {
		const { test, ended } = await watchCompleted(false);
		const end = (await ended).snapshot;
		assert.deepEqual([end.outcome, end.progress?.counts.QUEUED], ['failed', 1]);
		test.watches.dispose();
	});
});
