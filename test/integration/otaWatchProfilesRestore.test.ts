// Saved watches restored after a reload, and their profiles, in a real VS Code against the suite's sandbox fleet: a
// saved watch of a profile gone from this machine is not resumed, and a Watch Job while saved watches are resumed
// keeps them saved. A profile changed while it is watched: otaWatchProfiles.test.ts.
import * as assert from 'node:assert/strict';
import { StateKeys } from '../../src/vscode/constants';
import type { WatchedJob, WatchEvent } from '../../src/vscode/ota/contract';
import { MemoryMemento } from './helpers/ota';
import { accessWith, names, testWatchService, useWatchSuite } from './helpers/otaWatch';

describe('OTA watches of profiles restored after a reload', function () {
	this.timeout(180_000);
	const ctx = useWatchSuite();

	it('does not resume the saved watches of a profile gone from this machine, says why in one notice, makes no client to learn it and saves once', async () => {
		const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(388, 2) }, needConfirm: true });
		const state = new MemoryMemento();
		const gone: WatchedJob = { jobId: 'JobOfAGoneProfile1', profile: 'removed-in-another-window', since: 1 };
		const gone2: WatchedJob = { ...gone, jobId: 'JobOfAGoneProfile2', since: 3 };
		await state.update(StateKeys.watchedJobs, [gone, { jobId, profile: 'sandbox-user', since: 2 }, gone2]);
		const clientsAskedFor: string[] = [];
		const access = accessWith(ctx, { forProfile: (name) => (clientsAskedFor.push(name), ctx.api.ota.access.forProfile(name)) });
		const test = testWatchService(ctx, { state, access });
		const seen: WatchEvent[] = [];
		test.service.onDidChange((e) => seen.push(e));
		try {
			const counted = test.events((e) => e.jobId === jobId && e.type === 'progress');
			const writesBefore = state.writes.length;
			await test.service.restore();
			assert.equal(state.writes.length - writesBefore, 1, 'the saved list was not written once for the two watches ended');
			assert.ok(!clientsAskedFor.includes(gone.profile), 'clients were asked for to learn whether the profile is there');
			const ofGone = seen.filter((e) => e.jobId === gone.jobId || e.jobId === gone2.jobId);
			assert.deepEqual(
				ofGone.map((e) => [e.jobId, e.type]),
				[
					[gone.jobId, 'ended'],
					[gone2.jobId, 'ended'],
				],
				'resumed, or not told',
			);
			for (const end of ofGone) {
				assert.match(end.snapshot.error ?? '', /^Profile "removed-in-another-window" of this watch has no credentials/);
			}
			assert.deepEqual(
				test.givenUp.map((g) => [g.profile, g.snapshots.map((w) => w.watched.jobId)]),
				[['removed-in-another-window', [gone.jobId, gone2.jobId]]],
				'one notice for the profile',
			);
			assert.deepEqual(
				test.service.list().map((w) => w.watched.jobId),
				[jobId],
			);
			assert.deepEqual(
				(state.get<WatchedJob[]>(StateKeys.watchedJobs) ?? []).map((w) => w.jobId),
				[jobId],
			);
			await counted;
		} finally {
			test.dispose();
			await ctx.fleet.api.cancelTasksByJob({ jobId, unconfirmed: true });
		}
	});

	it('keeps the saved watches it has still to resume when a watch starts meanwhile, so a reload then loses none', async () => {
		const confirm = { needConfirm: true } as const;
		const [saved1, saved2, fresh] = [
			await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(392, 2) }, ...confirm }),
			await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(394, 2) }, ...confirm }),
			await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(396, 2) }, ...confirm }),
		];
		const state = new MemoryMemento();
		await state.update(StateKeys.watchedJobs, [
			{ jobId: saved1, profile: 'sandbox-user', since: 1 },
			{ jobId: saved2, profile: 'sandbox-user', since: 2 },
		]);
		// restore()'s look-up of the profile waits until the test lets it go; the Watch Job's own look-up does not.
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		let lookingUp = () => {};
		const lookedUp = new Promise<void>((resolve) => (lookingUp = resolve));
		const access = accessWith(ctx, {
			hasCredentials: async (name) => {
				lookingUp();
				await held;
				return ctx.api.ota.access.hasCredentials(name);
			},
		});
		const test = testWatchService(ctx, { state, access });
		const savedJobs = () => (state.get<WatchedJob[]>(StateKeys.watchedJobs) ?? []).map((w) => w.jobId).sort();
		try {
			const restoring = test.service.restore();
			await lookedUp;
			await test.service.watch({ jobId: fresh });
			assert.deepEqual(savedJobs(), [fresh, saved1, saved2].sort(), 'a reload now would lose a saved watch');
			release();
			await restoring;
			assert.deepEqual(
				test.service
					.list()
					.map((w) => w.watched.jobId)
					.sort(),
				[fresh, saved1, saved2].sort(),
			);
			assert.deepEqual(savedJobs(), [fresh, saved1, saved2].sort());
		} finally {
			release();
			test.dispose();
			for (const jobId of [saved1, saved2, fresh]) {
				await ctx.fleet.api.cancelTasksByJob({ jobId, unconfirmed: true });
			}
		}
	});
});
