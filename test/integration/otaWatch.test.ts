// Live watching in a real VS Code against the suite's sandbox fleet (fast time scale, so rollouts end within a test):
// the job row and its groups update in place, the status-bar item, the end notification with Show Failures, the guard's
// halt notification, a watch resumed from the window's state after a reload, polling that stops when nothing is
// watched, and several watches within the account's QPS budget (the sandbox's QPS meter).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startSandbox } from '../../src/sandbox';
import { Commands, StateKeys, Views } from '../../src/vscode/constants';
import { SecretMask } from '../../src/vscode/log';
import type { WatchedJob } from '../../src/vscode/ota/contract';
import type { JobNode } from '../../src/vscode/ota/nodes';
import { JobWatchService } from '../../src/vscode/ota/watchService';
import { WindowActivity } from '../../src/vscode/ota/windowActivity';
import {
	assertNoSeamErrors,
	extensionApi,
	MemoryMemento,
	resetExtensionState,
	setSetting,
	signIn,
	stopSuite,
	waitFor,
	type SuiteContext,
} from './helpers/ota';
import { description, Fleet, jobNode, label, packageNode, watchEvent } from './helpers/otaFleet';

const names = (from: number, count: number) => Array.from({ length: count }, (_, i) => `dev-${String(from + i).padStart(5, '0')}`);

describe('OTA live watching', function () {
	this.timeout(180_000);
	let ctx: SuiteContext;
	let fleet: Fleet;
	let firmwareId: string;

	async function watchedJobNode(jobId: string): Promise<JobNode> {
		const pkg = await packageNode(ctx.api, ctx.sandbox.productKey, firmwareId);
		return jobNode(ctx.api, pkg, jobId);
	}

	/** Resolves once the sandbox changed `count` tasks of the job (the job is alive whether or not anyone watches). */
	function sandboxTaskChanges(jobId: string, count: number): Promise<void> {
		return new Promise((resolve) => {
			let seen = 0;
			const listener = ({ task }: { task: { job: { jobId: string } } }) => {
				if (task.job.jobId === jobId && ++seen >= count) {
					ctx.sandbox.events.off('taskChanged', listener);
					resolve();
				}
			};
			ctx.sandbox.events.on('taskChanged', listener);
		});
	}

	before(async () => {
		const api = await extensionApi();
		await resetExtensionState(api);
		const sandbox = await startSandbox({ devices: 400, timeScale: 60 });
		ctx = { api, sandbox };
		fleet = new Fleet(sandbox);
		await signIn(ctx);
		await setSetting('watch.pauseWhenUnfocusedMinutes', 0);
		firmwareId = (await fleet.registerFirmware()).firmwareId;
		await fleet.verify(firmwareId, ['dev-00001']);
		await vscode.commands.executeCommand(`${Views.packages}.focus`);
	});

	after(async () => {
		// A visible OTA Packages view reloads when the account changes: later suites count their sandbox's calls.
		await vscode.commands.executeCommand('workbench.view.explorer');
		for (const watch of ctx?.api.ota.watches.list() ?? []) {
			await ctx.api.ota.watches.unwatch(watch.watched.jobId);
		}
		fleet?.dispose();
		ctx?.sandbox.ota.setDevices({}, { behaviour: 'ok' });
		await stopSuite(ctx);
	});

	it('updates the job row and its groups in place, shows the status-bar item and notifies the end with Show Failures', async () => {
		const devices = names(10, 20);
		ctx.sandbox.ota.setDevices({ deviceNames: ['dev-00012', 'dev-00017'] }, { behaviour: 'fail-flash' });
		// Slow devices (every step ten times longer) keep the job running for seconds after the watch starts.
		ctx.sandbox.ota.setDevices({ deviceNames: ['dev-00013', 'dev-00014', 'dev-00015'] }, { behaviour: 'slow' });
		const jobId = await fleet.rollOut({ firmwareId, target: { kind: 'devices', deviceNames: devices } });
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
		await waitFor(() => /^\$\(eye\) OTA \d+\/20 ✓/.test(ctx.api.ota.statusBar.current.text), 'the status-bar item');
		assert.deepEqual(ctx.api.ota.statusBar.current.command, { id: Commands.revealJob, arg: { jobId } });
		assert.match(ctx.api.ota.statusBar.current.tooltip, new RegExp(`\`${jobId}\``));

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
		await waitFor(() => ctx.api.ota.statusBar.current.text === '$(error) OTA 18/20 ✓ · 2 ✗', 'the final status-bar text');
		const notice = ctx.api.testSeam.messages('warning').find((m) => m.id === 'ota.jobEnded');
		assert.ok(notice, 'no end notification');
		assert.equal(notice.text, `Rollout to chosen devices ${jobId} ended: 18 of 20 tasks succeeded, 2 failed, 0 canceled.`);
		assert.deepEqual(notice.options, ['Show Failures', 'Show Job']);
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

	it('notifies when the guard halts the job, and watches on until the tasks in progress end', async () => {
		const devices = names(40, 80);
		ctx.sandbox.ota.setDevices({ deviceNames: devices, percent: 25 }, { behaviour: 'fail-flash' });
		const jobId = await fleet.rollOut({ firmwareId, target: { kind: 'devices', deviceNames: devices }, maximumPerMinute: 10 });
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
		assert.deepEqual(notice?.options, ['Show Failures', 'Show Job']);
		const stored = () => ctx.api.context.workspaceState.get<WatchedJob[]>(StateKeys.watchedJobs, []).find((w) => w.jobId === jobId);
		await waitFor(() => stored() && stored()?.guard === undefined, 'the guard to be dropped from the saved watch');

		const end = await ended;
		const { counts } = end.snapshot.progress ?? { counts: undefined };
		assert.ok(counts);
		assert.equal(counts.QUEUED + counts.NOTIFIED + counts.CONFIRM + counts.IN_PROGRESS, 0, 'nothing left open');
		assert.ok(counts.CANCELED > 0, 'the guard cancelled what had not started');
		ctx.sandbox.ota.setDevices({}, { behaviour: 'ok' });
	});

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
		const jobId = await fleet.rollOut({ firmwareId, target: { kind: 'devices', deviceNames: names(130, 4) }, needConfirm: true });
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
			after.restore();
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
			const waiting = await fleet.api.listTasksByJob({ jobId, status: 'CONFIRM' });
			await fleet.api.confirmTasks(waiting.items.map((t) => t.taskId));
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
		const log = vscode.window.createOutputChannel('IoT OTA watch pause test', { log: true });
		let focus: ((focused: boolean) => void) | undefined;
		const window = {
			focused: () => false,
			onDidChange: (listener: (focused: boolean) => void) => ((focus = listener), { dispose() {} }),
		};
		const service = new JobWatchService({
			state: new MemoryMemento(),
			access: ctx.api.ota.access,
			activity: new WindowActivity(window, () => 1),
			log,
			mask: new SecretMask(),
		});
		const jobId = await fleet.rollOut({ firmwareId, target: { kind: 'devices', deviceNames: names(360, 40) }, maximumPerMinute: 10 });
		try {
			const paused = new Promise<void>((resolve) => service.onDidChange((e) => e.type === 'paused' && resolve()));
			await service.watch({ jobId });
			await paused;
			assert.equal(service.get(jobId)?.phase, 'paused');
			const polls = () => (ctx.sandbox.stats.apiCalls.ListOTATaskByJob ?? 0) + (ctx.sandbox.stats.apiCalls.QueryOTAJob ?? 0);
			const before = polls();
			await sandboxTaskChanges(jobId, 10);
			assert.equal(polls(), before, 'no refresh while paused');
			const counted = new Promise<void>((resolve) => service.onDidChange((e) => e.type === 'progress' && resolve()));
			focus?.(true);
			await counted;
			assert.ok(polls() > before, 'polling went on after the focus came back');
			assert.equal(service.get(jobId)?.phase, 'watching');
		} finally {
			service.dispose();
			log.dispose();
			await fleet.api.cancelTasksByJob({ jobId, queued: true, notified: true, inProgress: true });
		}
	});

	it('stops polling when nothing is watched, while the job goes on', async () => {
		const jobId = await fleet.rollOut({ firmwareId, target: { kind: 'devices', deviceNames: names(200, 80) }, maximumPerMinute: 10 });
		const counted = watchEvent(ctx.api, (e) => e.jobId === jobId && e.type === 'progress', 'the first refresh');
		await vscode.commands.executeCommand(Commands.watchJob, { jobId });
		await counted;
		assert.equal(ctx.api.ota.watchService.running, 1);
		assert.ok(ctx.api.ota.statusBar.current.visible);

		await vscode.commands.executeCommand(Commands.stopWatchingJob, { jobId });
		assert.equal(ctx.api.ota.watchService.running, 0);
		assert.equal(ctx.api.ota.watches.list().length, 0);
		assert.equal(ctx.api.ota.statusBar.current.visible, false);
		const polls = () => (ctx.sandbox.stats.apiCalls.ListOTATaskByJob ?? 0) + (ctx.sandbox.stats.apiCalls.QueryOTAJob ?? 0);
		const before = polls();
		await sandboxTaskChanges(jobId, 10);
		assert.equal(polls(), before, 'no refresh after Stop Watching');
		await fleet.api.cancelTasksByJob({ jobId, queued: true, notified: true, inProgress: true });
	});

	it('watches several jobs at once within the account’s QPS budget, measured by the sandbox', async () => {
		// Slow devices (every step ten times longer) keep the three jobs running while they are watched together.
		ctx.sandbox.ota.setDevices({ deviceNames: [...names(300, 15), ...names(320, 15), ...names(340, 15)] }, { behaviour: 'slow' });
		const jobs = [
			await fleet.rollOut({ firmwareId, target: { kind: 'devices', deviceNames: names(300, 15) } }),
			await fleet.rollOut({ firmwareId, target: { kind: 'devices', deviceNames: names(320, 15) } }),
			await fleet.rollOut({ firmwareId, target: { kind: 'devices', deviceNames: names(340, 15) } }),
		];
		// The suite's own client (these jobs) has limiters of its own: its calls leave the meter's one-second window first.
		await new Promise((resolve) => setTimeout(resolve, 1100));
		ctx.sandbox.stats.reset();
		const ends = jobs.map((jobId) =>
			watchEvent(ctx.api, (e) => e.jobId === jobId && e.type === 'ended', `the end of ${jobId}`, 150_000),
		);
		for (const jobId of jobs) {
			await vscode.commands.executeCommand(Commands.watchJob, { jobId });
		}
		await waitFor(() => /^\$\(eye\) OTA 3 jobs · /.test(ctx.api.ota.statusBar.current.text), 'the status item for 3 jobs');
		// The tree reads alongside the watches, through the same limiters.
		ctx.api.ota.tree.refresh();
		await ctx.api.ota.tree.getChildren(await packageNode(ctx.api, ctx.sandbox.productKey, firmwareId));
		await Promise.all(ends);
		const maxQps = ctx.sandbox.stats.maxQps[ctx.sandbox.accessKeyId];
		assert.ok(maxQps > 1 && maxQps <= 10, `the account's busiest second held ${maxQps} calls`);
		assert.equal(ctx.sandbox.stats.apiErrors['Throttling.User'], undefined, 'the gateway never throttled');
		assert.equal(ctx.api.ota.watchService.running, 0);
	});
});
