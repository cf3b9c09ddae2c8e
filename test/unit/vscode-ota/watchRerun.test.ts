// The watch the extension starts after Retry Failed or Confirm (WatchRequest.afterRerun): a COMPLETED job whose re-run
// task is still open is watched until the task ends (core watchJob's afterRerun, docs/protocols.md §10.7 A8); any other
// watch ends on COMPLETED at once. A fake account stands for the platform; the rest of the service runs as in the extension.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OtaConnection } from '../../../src/vscode/ota/contract';
import { FakeOta, job, tasks } from '../lifecycle/fakeOta';
import { access, HeldMemento, service } from './watchFakes';

/** A COMPLETED job with one SUCCEEDED task and one re-run task QUEUED, watched with or without afterRerun. */
async function watchCompleted(afterRerun: boolean) {
	const list = tasks('J', { QUEUED: 1, SUCCEEDED: 1 });
	const fake = new FakeOta().add(job('J', { jobStatus: 'COMPLETED' }), list);
	const connection = { profile: { name: 'p' }, lifecycle: fake } as unknown as OtaConnection;
	const test = await service({
		state: new HeldMemento(),
		access: access({ connect: async () => connection, forProfile: async () => connection }),
		interval: { minMs: 0, maxMs: 0 },
	});
	const firstProgress = test.next((e) => e.jobId === 'J' && e.type === 'progress');
	const ended = test.next((e) => e.jobId === 'J' && e.type === 'ended');
	await test.watches.watch({ jobId: 'J', afterRerun });
	return { test, list, firstProgress, ended };
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

	void test('any other watch of a COMPLETED job ends at once', async () => {
		const { test, ended } = await watchCompleted(false);
		const end = (await ended).snapshot;
		assert.deepEqual([end.outcome, end.progress?.counts.QUEUED], ['failed', 1]);
		test.watches.dispose();
	});
});
