// Live watching in a real VS Code against the suite's sandbox fleet (fast time scale, so rollouts end within a test):
// the job row and its groups update in place, the row of a watch waiting for the Local Sandbox, the status-bar item, the
// end notification with Show Failures, the guard's halt notification, a guard that acts while the window is idle, and a
// guard set on a watched job. When a watch polls: otaWatchPolling.test.ts; the watches and their profiles:
// otaWatchProfiles.test.ts and otaWatchProfilesRestore.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseHaltAt } from '../../src/core/lifecycle';
import { Commands, SANDBOX_PROFILE, StateKeys } from '../../src/vscode/constants';
import type { WatchedJob } from '../../src/vscode/ota/contract';
import type { JobNode } from '../../src/vscode/ota/nodes';
import { withLocalSandbox } from './helpers/localSandbox';
import { assertNoSeamErrors, signIn, waitFor } from './helpers/ota';
import { description, jobNode, label, packageNode, watchEvent } from './helpers/otaFleet';
import { names, testWatchService, useWatchSuite, withViewHidden } from './helpers/otaWatch';

describe('OTA live watching', function () {
	this.timeout(180_000);
	const ctx = useWatchSuite();

	async function watchedJobNode(jobId: string): Promise<JobNode> {
		const pkg = await packageNode(ctx.api, ctx.sandbox.productKey, ctx.firmwareId);
		return jobNode(ctx.api, pkg, jobId);
	}

	it('updates the job row and its groups in place, shows the status-bar item and notifies the end with Show Failures, Diagnose and Retry Failed', async () => {
		const devices = names(10, 20);
		ctx.sandbox.ota.setDevices({ deviceNames: ['dev-00012', 'dev-00017'] }, { behaviour: 'fail-flash' });
		// Slow devices (every step ten times longer) keep the job running for seconds after the watch starts.
		ctx.sandbox.ota.setDevices({ deviceNames: ['dev-00013', 'dev-00014', 'dev-00015'] }, { behaviour: 'slow' });
		const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: devices } });
		const node = await watchedJobNode(jobId);
		ctx.api.testSeam.queue({ id: 'ota.jobEnded', button: 'Show Failures' });
		const ended = watchEvent(ctx.api, (e) => e.jobId === jobId && e.type === 'ended', 'the end of the watched job');
		const counted = watchEvent(ctx.api, (e) => e.jobId === jobId && e.type === 'progress', 'the first refresh');

		await vscode.commands.executeCommand(Commands.watchJob, node);
		const first = await counted;
		assert.equal(node.watched, true);
		assert.match(node.contextValue, /^ota\.job \w+ upgrade watched/);
		assert.equal(node.progress, first.snapshot.progress, 'the row shows the watch’s counts');
		assert.match(description(ctx.api, node), new RegExp(`^${jobId} · In progress · \\d+/20 ✓.* · watching$`));
		await waitFor(() => /^\$\(eye\) OTA \d+\/20 ✓/.test(ctx.api.watchStatusBar().text), 'the status-bar item');
		assert.equal(ctx.api.watchStatusBar().visible, true);
		assert.equal(ctx.api.watchStatusBar().command, Commands.revealJob);
		assert.deepEqual(ctx.api.watchStatusBar().arguments, [{ jobId }]);
		assert.match(ctx.api.watchStatusBar().tooltip, new RegExp(`\`${jobId}\``));

		const end = await ended;
		assert.equal(end.snapshot.outcome, 'failed');
		assert.equal(ctx.api.ota.tree.cache.get(node.id), node, 'the same row, updated in place');
		assert.equal(description(ctx.api, node), `${jobId} · Completed · 18/20 ✓ · 2 ✗`);
		assert.match(node.contextValue, /^ota\.job COMPLETED upgrade unwatched hasFailed$/);
		const groups = await ctx.api.ota.tree.getChildren(node);
		assert.deepEqual(
			groups.map((g) => label(ctx.api, g)),
			['Failed (2)', 'Succeeded (18)'],
		);
		await waitFor(() => ctx.api.watchStatusBar().text === '$(error) OTA 18/20 ✓ · 2 ✗', 'the final status-bar text');
		const notice = ctx.api.testSeam.messages('warning').find((m) => m.id === 'ota.jobEnded');
		assert.ok(notice, 'no end notification');
		assert.equal(notice.text, `Rollout to chosen devices ${jobId} ended: 18 of 20 tasks succeeded, 2 failed, 0 canceled.`);
		assert.deepEqual(notice.options, ['Show Failures', 'Diagnose', 'Retry Failed', 'Show Job']);
		assert.equal(notice.answer, 'Show Failures');
		await waitFor(() => ctx.api.ota.treeView.selection[0]?.id === `ota:group:${jobId}:FAILED`, 'the failed tasks to be revealed');
		const failed = await ctx.api.ota.tree.getChildren(groups[0]);
		assert.deepEqual(failed.map((t) => label(ctx.api, t)).sort(), ['dev-00012', 'dev-00017']);
		await vscode.commands.executeCommand(Commands.revealJob, { jobId }); // the status-bar item's click
		assert.equal(ctx.api.ota.treeView.selection[0]?.id, node.id);
		assert.equal(ctx.api.ota.watches.isWatched(jobId), false);
		assertNoSeamErrors(ctx.api);
		ctx.sandbox.ota.setDevices({}, { behaviour: 'ok' });
	});

	it('says on the job row that its watch waits for the Local Sandbox (a saved watch of its profile resumed while it is stopped)', () =>
		withViewHidden(async () => {
			const { api } = ctx;
			const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(150, 2) }, needConfirm: true });
			try {
				await withLocalSandbox(ctx, 4, { dispose() {} }, async () => {
					// Stopped, its profile kept (with its credentials): a saved watch of that profile waits for it.
					await vscode.commands.executeCommand(Commands.stopSandbox);
					await signIn(ctx); // the view lists the suite's product again, without starting the Local Sandbox
					const node = await watchedJobNode(jobId);
					assert.doesNotMatch(description(api, node), /watch/);
					const saved: WatchedJob[] = [{ jobId, profile: SANDBOX_PROFILE, since: Date.now() }];
					await api.context.workspaceState.update(StateKeys.watchedJobs, saved);
					const resumed = watchEvent(api, (e) => e.jobId === jobId && e.type === 'resumed', 'the saved watch to resume');
					await api.ota.watchService.restore(); // as after a reload
					assert.equal((await resumed).snapshot.phase, 'waiting');
					assert.equal(api.localSandbox.running, false, 'the waiting watch started the Local Sandbox');
					assert.match(description(api, node), new RegExp(`^${jobId} · .* · watch waiting for the Local Sandbox$`));
					await api.ota.watches.unwatch(jobId);
					assert.doesNotMatch(description(api, node), /watch/);
				});
			} finally {
				await api.ota.watches.unwatch(jobId);
				await ctx.fleet.api.cancelTasksByJob({ jobId, unconfirmed: true });
			}
		}));

	it('notifies when the guard halts the job, and watches on until the tasks in progress end', async () => {
		const devices = names(40, 80);
		ctx.sandbox.ota.setDevices({ deviceNames: devices, percent: 25 }, { behaviour: 'fail-flash' });
		const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: devices }, maximumPerMinute: 10 });
		const halted = watchEvent(ctx.api, (e) => e.jobId === jobId && e.type === 'halted', 'the guard to halt the job');
		const ended = watchEvent(ctx.api, (e) => e.jobId === jobId && e.type === 'ended', 'the end of the halted job');

		await vscode.commands.executeCommand(Commands.watchJob, { jobId, haltAt: '10:4' });
		const halt = await halted;
		assert.ok(halt.snapshot.halt && halt.snapshot.halt.verdict.failurePercent >= 10 && halt.snapshot.halt.verdict.finished >= 4);
		await waitFor(() => ctx.api.testSeam.messages('warning').find((m) => m.id === 'ota.jobHalted'), 'the halt notification');
		const notice = ctx.api.testSeam.messages('warning').find((m) => m.id === 'ota.jobHalted');
		assert.match(
			notice?.text ?? '',
			new RegExp(
				`^The guard halted Rollout to chosen devices ${jobId}: \\d+ of \\d+ finished tasks failed \\([\\d.]+ % ≥ 10 %\\)\\.`,
			),
		);
		assert.deepEqual(notice?.options, ['Show Failures', 'Diagnose', 'Retry Failed', 'Show Job']);
		const stored = () => ctx.api.context.workspaceState.get<WatchedJob[]>(StateKeys.watchedJobs, []).find((w) => w.jobId === jobId);
		await waitFor(() => stored() && stored()?.guard === undefined, 'the guard to be dropped from the saved watch');

		const end = await ended;
		const { counts } = end.snapshot.progress ?? { counts: undefined };
		assert.ok(counts);
		assert.equal(counts.QUEUED + counts.NOTIFIED + counts.CONFIRM + counts.IN_PROGRESS, 0, 'nothing left open');
		assert.ok(counts.CANCELED > 0, 'the guard cancelled what had not started');
		ctx.sandbox.ota.setDevices({}, { behaviour: 'ok' });
	});

	it('keeps polling a watch with a halt guard while the window is idle, so the guard still halts the job', async () => {
		const devices = names(160, 40);
		ctx.sandbox.ota.setDevices({ deviceNames: devices, percent: 25 }, { behaviour: 'fail-flash' });
		const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: devices }, maximumPerMinute: 10 });
		const idle = testWatchService(ctx, { focused: false, pauseAfterMs: 1 });
		try {
			const haltedOrPaused = idle.events((e) => e.type === 'halted' || e.type === 'paused');
			await idle.service.watch({ jobId, guard: parseHaltAt('10:4') });
			assert.equal((await haltedOrPaused).type, 'halted', 'the guarded watch paused instead of halting the job');
			assert.ok(ctx.sandbox.ota.taskCounts(jobId).CANCELED > 0, 'the guard cancelled what had not started');
		} finally {
			idle.dispose();
			ctx.sandbox.ota.setDevices({}, { behaviour: 'ok' });
		}
	});

	it('restarts the polling of a watched job with the guard a second Watch Job sets', async () => {
		const devices = names(220, 40);
		ctx.sandbox.ota.setDevices({ deviceNames: devices, percent: 25 }, { behaviour: 'fail-flash' });
		const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: devices }, maximumPerMinute: 10 });
		const test = testWatchService(ctx);
		try {
			const first = test.events((e) => e.type === 'progress');
			await test.service.watch({ jobId });
			await first;
			const haltedOrEnded = test.events((e) => e.type === 'halted' || e.type === 'ended');
			await test.service.watch({ jobId, guard: parseHaltAt('10:4') });
			assert.deepEqual(test.service.get(jobId)?.watched.guard, parseHaltAt('10:4'));
			assert.equal((await haltedOrEnded).type, 'halted', 'the running watch kept polling without the new guard');
		} finally {
			test.dispose();
			ctx.sandbox.ota.setDevices({}, { behaviour: 'ok' });
		}
	});
});
