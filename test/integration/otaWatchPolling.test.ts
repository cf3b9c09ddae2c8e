// When a watch polls, in a real VS Code against the suite's sandbox fleet: a watch resumed from the window's state after
// a reload, polling paused while the window is idle, polling that stops when nothing is watched (also after two Watch
// Job calls at once), Stop Watching Job, Watch Job from the palette, a watch that can never succeed, and several watches
// within the account's QPS budget (the sandbox's QPS meter). What a watch shows and its guard: otaWatch.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseHaltAt } from '../../src/core/lifecycle';
import { Commands, StateKeys } from '../../src/vscode/constants';
import { SecretMask } from '../../src/vscode/log';
import type { WatchedJob, WatchEvent, WatchStart } from '../../src/vscode/ota/contract';
import { JobWatchService } from '../../src/vscode/ota/watchService';
import { WindowActivity } from '../../src/vscode/ota/windowActivity';
import { waitFor } from './helpers/ota';
import { FAST_WATCH, packageNode, watchEvent } from './helpers/otaFleet';
import { jobGoesOnFor, jobRequests, names, testWatchService, useWatchSuite } from './helpers/otaWatch';

describe('OTA watch polling', function () {
	this.timeout(180_000);
	const ctx = useWatchSuite();
	it('resumes a watch from the window’s state after a reload, without re-creating anything', async () => {
		const log = vscode.window.createOutputChannel('IoT OTA watch resume test', { log: true });
		const focused = { focused: () => true, onDidChange: () => ({ dispose() {} }) };
		const service = () =>
			new JobWatchService({
				state: ctx.api.context.workspaceState,
				access: ctx.api.ota.access,
				activity: new WindowActivity(focused, () => 0),
				log,
				mask: new SecretMask(),
			});
		const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(130, 4) }, needConfirm: true });
		const before = service();
		await before.watch({ jobId });
		before.dispose(); // the window goes away: polling stops, the watch stays in the window's state
		assert.ok(ctx.api.context.workspaceState.get<WatchedJob[]>(StateKeys.watchedJobs, []).some((w) => w.jobId === jobId));
		const creates = () =>
			Object.entries(ctx.sandbox.stats.apiCalls)
				.filter(([action]) => action.startsWith('Create'))
				.map(([, n]) => n);

		const createdBefore = creates();
		const after = service();
		try {
			const resumed = new Promise<void>((resolve) =>
				after.onDidChange((e) => e.jobId === jobId && e.type === 'resumed' && resolve()),
			);
			const counted = new Promise<number>((resolve) =>
				after.onDidChange((e) => e.jobId === jobId && e.type === 'progress' && resolve(e.snapshot.progress?.counts.CONFIRM ?? -1)),
			);
			await after.restore();
			await resumed;
			assert.equal(await counted, 4, 'the resumed watch counts the tasks waiting for confirmation');
			assert.deepEqual(
				after.list().map((w) => w.watched.jobId),
				[jobId],
			);
			assert.deepEqual(creates(), createdBefore, 'nothing was created on the platform');
			const ended = new Promise<string | undefined>((resolve) =>
				after.onDidChange((e) => e.jobId === jobId && e.type === 'ended' && resolve(e.snapshot.outcome)),
			);
			const waiting = await ctx.fleet.api.listTasksByJob({ jobId, status: 'CONFIRM' });
			await ctx.fleet.api.confirmTasks(waiting.items.map((t) => t.taskId));
			assert.equal(await ended, 'succeeded');
			await waitFor(
				() => !ctx.api.context.workspaceState.get<WatchedJob[]>(StateKeys.watchedJobs, []).some((w) => w.jobId === jobId),
				'the ended watch to leave the state',
			);
		} finally {
			after.dispose();
			log.dispose();
		}
	});

	it('pauses polling while the window has been unfocused for long, and goes on once it is focused', async () => {
		const idle = testWatchService(ctx, { focused: false, pauseAfterMs: 1 });
		const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(360, 40) }, maximumPerMinute: 10 });
		try {
			const paused = idle.events((e) => e.type === 'paused');
			await idle.service.watch({ jobId });
			await paused;
			assert.equal(idle.service.get(jobId)?.phase, 'paused');
			ctx.sandbox.requests.clear();
			await jobGoesOnFor(ctx, jobId, 2 * FAST_WATCH.maxMs);
			assert.equal(jobRequests(ctx, jobId).length, 0, 'no refresh while paused, over two of the longest intervals');
			const counted = idle.events((e) => e.type === 'progress');
			idle.focus(true);
			await counted;
			assert.ok(jobRequests(ctx, jobId).length > 0, 'polling went on after the focus came back');
			assert.equal(idle.service.get(jobId)?.phase, 'watching');
		} finally {
			idle.dispose();
			await ctx.fleet.api.cancelTasksByJob({ jobId, queued: true, notified: true, inProgress: true });
		}
	});

	it('stops polling when nothing is watched, also after two Watch Job calls for the job at once, with or without a new guard', async () => {
		const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(200, 80) }, maximumPerMinute: 10 });
		const test = testWatchService(ctx);
		try {
			const counted = test.events((e) => e.jobId === jobId && e.type === 'progress');
			const [one, two] = await Promise.all([test.service.watch({ jobId }), test.service.watch({ jobId })]);
			assert.equal(one.snapshot.watched.since, two.snapshot.watched.since, 'one watch');
			await counted;
			// Two guard changes at once restart the polling once each, one after the other: still one loop to stop.
			await Promise.all([
				test.service.watch({ jobId, guard: parseHaltAt('50:100') }),
				test.service.watch({ jobId, guard: parseHaltAt('60:100') }),
			]);
			await test.service.unwatch(jobId);
			assert.equal(test.service.isWatched(jobId), false);
			ctx.sandbox.requests.clear();
			await jobGoesOnFor(ctx, jobId, 2 * FAST_WATCH.maxMs);
			assert.equal(jobRequests(ctx, jobId).length, 0, 'no refresh after Stop Watching, over two of the longest intervals');
		} finally {
			test.dispose();
			await ctx.fleet.api.cancelTasksByJob({ jobId, queued: true, notified: true, inProgress: true });
		}
	});

	it('Stop Watching Job forgets the watch and hides the status-bar item, while the job goes on', async () => {
		const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(280, 10) }, maximumPerMinute: 10 });
		const counted = watchEvent(ctx.api, (e) => e.jobId === jobId && e.type === 'progress', 'the first refresh');
		await vscode.commands.executeCommand(Commands.watchJob, { jobId });
		await counted;
		await waitFor(() => ctx.api.watchStatusBar().visible, 'the status-bar item');
		const stopped = watchEvent(ctx.api, (e) => e.jobId === jobId && e.type === 'stopped', 'the stop');
		await vscode.commands.executeCommand(Commands.stopWatchingJob, { jobId });
		await stopped;
		assert.equal(ctx.api.ota.watches.list().length, 0);
		assert.equal(ctx.api.watchStatusBar().visible, false);
		assert.equal(ctx.api.context.workspaceState.get<WatchedJob[]>(StateKeys.watchedJobs, []).length, 0);
		await ctx.fleet.api.cancelTasksByJob({ jobId, queued: true, notified: true, inProgress: true });
	});

	it('Watch Job from the palette picks the product, the package and the job, like the other job commands', async () => {
		const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(380, 4) }, needConfirm: true });
		ctx.api.testSeam.queue(
			{ id: 'create.product', pick: (item) => item.description === ctx.sandbox.productKey },
			{ id: 'ota.packagePick', pick: (item) => item.detail === ctx.firmwareId },
			{ id: 'ota.jobPick', pick: (item) => item.description?.endsWith(jobId) === true },
		);
		try {
			const start = await vscode.commands.executeCommand<WatchStart>(Commands.watchJob);
			assert.equal(start?.snapshot.watched.jobId, jobId, JSON.stringify(ctx.api.testSeam.messages('error')));
			assert.equal(start.started, true);
			assert.equal(ctx.api.ota.watches.isWatched(jobId), true);
		} finally {
			await ctx.api.ota.watches.unwatch(jobId);
			await ctx.fleet.api.cancelTasksByJob({ jobId, unconfirmed: true });
		}
	});

	/** Watches the job through the extension, waits for its first refresh, then runs `breakIt` and waits for the watch to end. */
	async function watchUntilGivenUp(jobId: string, breakIt: () => Promise<void>): Promise<WatchEvent> {
		const counted = watchEvent(ctx.api, (e) => e.jobId === jobId && e.type === 'progress', 'the first refresh');
		await vscode.commands.executeCommand(Commands.watchJob, { jobId });
		await counted;
		ctx.api.testSeam.reset();
		const ended = watchEvent(ctx.api, (e) => e.jobId === jobId && e.type === 'ended', 'the watch to end', 90_000);
		await breakIt();
		const end = await ended;
		assert.equal(end.snapshot.outcome, undefined, 'given up, not finished');
		assert.equal(ctx.api.ota.watches.isWatched(jobId), false);
		assert.equal(ctx.api.context.workspaceState.get<WatchedJob[]>(StateKeys.watchedJobs, []).length, 0, 'not resumed after a reload');
		await waitFor(() => ctx.api.testSeam.messages('warning').some((m) => m.id === 'ota.watchAbandoned'), 'the notice');
		return end;
	}

	it('ends the watch of a job that is gone with one notification, instead of retrying forever', async () => {
		const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(290, 4) }, needConfirm: true });
		try {
			const end = await watchUntilGivenUp(jobId, async () => {
				for (const action of ['QueryOTAJob', 'ListOTATaskByJob']) {
					ctx.sandbox.faults.add({ target: 'api', action, kind: 'status', status: 400, code: 'iot.ota.InvalidJobId', times: 20 });
				}
			});
			assert.match(end.snapshot.error ?? '', /iot\.ota\.InvalidJobId/);
			const notices = ctx.api.testSeam.messages('warning').filter((m) => m.id === 'ota.watchAbandoned');
			assert.equal(notices.length, 1);
			assert.match(notices[0].text, new RegExp(`^Stopped watching .*${jobId}: .*iot\\.ota\\.InvalidJobId`));
		} finally {
			ctx.sandbox.faults.clear();
			await ctx.fleet.api.cancelTasksByJob({ jobId, unconfirmed: true });
		}
	});

	it('watches several jobs at once within the account’s QPS budget, measured by the sandbox', async () => {
		// Slow devices (every step ten times longer) keep the three jobs running while they are watched together.
		ctx.sandbox.ota.setDevices({ deviceNames: [...names(300, 15), ...names(320, 15), ...names(340, 15)] }, { behaviour: 'slow' });
		// The suite's own calls (Fleet) use another AccessKeyId: the meter, reset here, counts the extension's alone.
		const jobs = [
			await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(300, 15) } }),
			await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(320, 15) } }),
			await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(340, 15) } }),
		];
		ctx.sandbox.stats.reset();
		const ends = jobs.map((jobId) =>
			watchEvent(ctx.api, (e) => e.jobId === jobId && e.type === 'ended', `the end of ${jobId}`, 150_000),
		);
		for (const jobId of jobs) {
			await vscode.commands.executeCommand(Commands.watchJob, { jobId });
		}
		await waitFor(() => /^\$\(eye\) OTA 3 jobs · /.test(ctx.api.watchStatusBar().text), 'the status item for 3 jobs');
		// The tree reads alongside the watches, through the same limiters.
		ctx.api.ota.tree.refresh();
		await ctx.api.ota.tree.getChildren(await packageNode(ctx.api, ctx.sandbox.productKey, ctx.firmwareId));
		await Promise.all(ends);
		const maxQps = ctx.sandbox.stats.maxQps[ctx.sandbox.accessKeyId];
		assert.ok(maxQps > 1 && maxQps <= 10, `the account's busiest second held ${maxQps} calls`);
		assert.equal(ctx.sandbox.stats.apiErrors['Throttling.User'], undefined, 'the gateway never throttled');
		assert.deepEqual(ctx.api.ota.watches.list(), [], 'every watch ended');
	});
});
