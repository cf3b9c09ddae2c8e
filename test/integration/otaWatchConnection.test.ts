// The watches and the connection they poll with, in a real VS Code: Stop Local Sandbox ends the watches of its profile
// (also one whose first call is under way; one notice, one save) and nothing starts it again; a saved watch of the
// sandbox's profile waits after a reload until the user starts the sandbox (or asks for its job again, or removes the
// profile); a change of the endpoint setting has every watch poll with a new connection at once.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startSandbox } from '../../src/sandbox';
import { Commands, SANDBOX_PROFILE, StateKeys } from '../../src/vscode/constants';
import type { WatchedJob } from '../../src/vscode/ota/contract';
import { heldAccess, withLocalSandbox } from './helpers/localSandbox';
import { assertNoSeamErrors, MemoryMemento, setSetting, waitFor } from './helpers/ota';
import { watchEvent } from './helpers/otaFleet';
import { names, testWatchService, useWatchSuite, withViewHidden } from './helpers/otaWatch';

describe('OTA watches and their connection', function () {
	this.timeout(240_000);
	const ctx = useWatchSuite();

	it('Stop Local Sandbox ends the watches of its profile, also one whose first call is under way, with one notice and one save, and no retry starts it again', () =>
		withViewHidden(async () => {
			const { api } = ctx;
			// The suite's fleet watch (its own profile) goes on and marks the time; the test's service retries at once.
			const { access, asked, held } = heldAccess(ctx);
			const state = new MemoryMemento();
			const test = testWatchService(ctx, { access, state, retryDelayMs: () => 0, sandbox: api.localSandbox });
			const other = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(390, 2) }, needConfirm: true });
			try {
				await withLocalSandbox(ctx, 12, test, async (rollOut) => {
					const [jobA, jobB, jobC, jobD, jobE] = [
						await rollOut(2),
						await rollOut(4),
						await rollOut(6),
						await rollOut(8),
						await rollOut(10),
					];
					assert.equal(api.profiles.active()?.name, SANDBOX_PROFILE);
					for (const jobId of [jobA, jobB]) {
						const counted = watchEvent(api, (e) => e.jobId === jobId && e.type === 'progress', `the first refresh of ${jobId}`);
						await vscode.commands.executeCommand(Commands.watchJob, { jobId });
						await counted;
					}
					for (const jobId of [jobC, jobD]) {
						await test.service.watch({ jobId, profile: SANDBOX_PROFILE });
						assert.deepEqual(await test.next(jobId, 1), ['progress']);
					}
					await test.service.watch({ jobId: other, profile: 'sandbox-user' });
					held.jobId = jobE;
					const opening = test.service.watch({ jobId: jobE, profile: SANDBOX_PROFILE });
					await held.answered;

					let sandboxChanges = 0;
					const counting = api.onDidChangeSandbox(() => sandboxChanges++);
					const ends = [jobA, jobB].map((jobId) =>
						watchEvent(api, (e) => e.jobId === jobId && e.type === 'ended', `${jobId} to end`),
					);
					const testEnds = [jobC, jobD, jobE].map((jobId) => test.events((e) => e.jobId === jobId && e.type === 'ended'));
					const writesBefore = state.writes.length;
					await vscode.commands.executeCommand(Commands.stopSandbox);
					held.release();
					try {
						const start = await opening;
						assert.equal(start.started, false, 'the watch whose first call was under way went on');
						assert.equal(start.snapshot.phase, 'ended');
						for (const end of [...(await Promise.all(ends)), ...(await Promise.all(testEnds))]) {
							assert.equal(end.snapshot.outcome, undefined, 'given up, not finished');
							assert.equal(end.snapshot.error, 'The Local sandbox was stopped.');
						}
						assert.deepEqual(api.ota.watches.list(), []);
						assert.equal(api.watchStatusBar().visible, false);
						assert.deepEqual(api.context.workspaceState.get<WatchedJob[]>(StateKeys.watchedJobs, []), [], 'ended, not paused');
						const grouped = 'Stopped 2 watches of the Local sandbox: it was stopped.';
						await waitFor(
							() => api.testSeam.messages('warning').some((m) => m.text === grouped),
							'the notice for both watches',
						);
						assert.deepEqual(
							api.testSeam
								.messages()
								.filter((m) => m.id === 'ota.watchAbandoned')
								.map((m) => m.text),
							[grouped],
						);
						assert.deepEqual(
							test.givenUp.map((g) => [g.sandboxStopped, g.snapshots.map((w) => w.watched.jobId)]),
							[[true, [jobC, jobD, jobE]]],
						);
						assert.equal(state.writes.length - writesBefore, 1, 'the saved list was not written once for the watches ended');
						assert.deepEqual(
							(state.get<WatchedJob[]>(StateKeys.watchedJobs) ?? []).map((w) => w.jobId),
							[other],
						);
						// Two refreshes of the other watch: a retry at once of the sandbox's watch would have come meanwhile.
						const askedAtStop = asked.filter((name) => name === SANDBOX_PROFILE).length;
						assert.deepEqual(await test.next(other, 2), ['progress', 'progress']);
						assert.deepEqual(await test.next(other, 2), ['progress', 'progress']);
						assert.equal(
							asked.filter((name) => name === SANDBOX_PROFILE).length,
							askedAtStop,
							'the sandbox profile was reconnected',
						);
						assert.equal(await api.sandbox(), undefined, 'the Local Sandbox runs again');
						assert.equal(sandboxChanges, 1, 'the Local Sandbox started again');
						assertNoSeamErrors(api);
					} finally {
						counting.dispose();
					}
				});
			} finally {
				held.release();
				await ctx.fleet.api.cancelTasksByJob({ jobId: other, unconfirmed: true });
			}
		}));

	it('a saved watch of the Local Sandbox’s profile waits after a reload until the user starts the sandbox; others resume at once', () =>
		withViewHidden(async () => {
			const { api } = ctx;
			const { access, asked } = heldAccess(ctx);
			const other = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(386, 2) }, needConfirm: true });
			const state = new MemoryMemento();
			const test = testWatchService(ctx, { access, state, sandbox: api.localSandbox });
			try {
				await withLocalSandbox(ctx, 8, test, async (rollOut) => {
					const jobId = await rollOut(2);
					await vscode.commands.executeCommand(Commands.stopSandbox); // the window closes with the sandbox stopped
					assert.equal(await api.sandbox(), undefined);
					const saved: WatchedJob[] = [
						{ jobId, profile: SANDBOX_PROFILE, since: 1 },
						{ jobId: other, profile: 'sandbox-user', since: 2 },
					];
					await state.update(StateKeys.watchedJobs, saved);
					let sandboxChanges = 0;
					const counting = api.onDidChangeSandbox(() => sandboxChanges++);
					try {
						const otherRefreshes = test.next(other, 3);
						await test.service.restore();
						assert.equal(test.service.get(jobId)?.phase, 'waiting');
						assert.deepEqual(
							test.service.list().map((w) => w.watched.jobId),
							[jobId, other],
						);
						// Two refreshes of the other watch: the waiting one would have started the sandbox meanwhile.
						assert.deepEqual(await otherRefreshes, ['resumed', 'progress', 'progress']);
						assert.equal(test.service.get(jobId)?.phase, 'waiting');
						assert.equal(asked.includes(SANDBOX_PROFILE), false, 'the waiting watch made clients of the sandbox profile');
						assert.equal(sandboxChanges, 0, 'the Local Sandbox started without the user');
						assert.deepEqual(state.get<WatchedJob[]>(StateKeys.watchedJobs), saved, 'the waiting watch is no longer saved');

						const polled = test.events((e) => e.jobId === jobId && e.type === 'progress');
						await vscode.commands.executeCommand(Commands.startSandbox);
						const local = await api.sandbox();
						assert.ok(local, 'the Local Sandbox did not start');
						assert.equal((await polled).snapshot.progress?.summary.total, 2);
						assert.equal(test.service.get(jobId)?.phase, 'watching');
						assert.ok(
							local.requests.entries.some((r) => r.target === 'api' && r.params.JobId === jobId),
							'the sandbox was not asked about the job',
						);
						assert.equal(sandboxChanges, 1);
					} finally {
						counting.dispose();
					}
				});
			} finally {
				await ctx.fleet.api.cancelTasksByJob({ jobId: other, unconfirmed: true });
			}
		}));

	it('a waiting watch: Stop Watching forgets it and Watch Job polls it at once; removing its profile ends it; none of that starts the sandbox by itself', () =>
		withViewHidden(async () => {
			const { api } = ctx;
			const { access, asked } = heldAccess(ctx);
			const state = new MemoryMemento();
			const first = testWatchService(ctx, { access, state, sandbox: api.localSandbox });
			let second: ReturnType<typeof testWatchService> | undefined;
			const services = { dispose: () => (first.dispose(), second?.dispose()) };
			const sandboxClients = () => asked.filter((name) => name === SANDBOX_PROFILE).length;
			await withLocalSandbox(ctx, 8, services, async (rollOut) => {
				const [jobA, jobB] = [await rollOut(2), await rollOut(4)];
				await vscode.commands.executeCommand(Commands.stopSandbox);
				await state.update(StateKeys.watchedJobs, [
					{ jobId: jobA, profile: SANDBOX_PROFILE, since: 1 },
					{ jobId: jobB, profile: SANDBOX_PROFILE, since: 2 },
				]);
				let sandboxChanges = 0;
				const counting = api.onDidChangeSandbox(() => sandboxChanges++);
				try {
					await first.service.restore();
					assert.deepEqual(
						first.service.list().map((w) => [w.watched.jobId, w.phase]),
						[
							[jobA, 'waiting'],
							[jobB, 'waiting'],
						],
					);
					const stopped = first.events((e) => e.jobId === jobB && e.type === 'stopped');
					await first.service.unwatch(jobB);
					await stopped;
					assert.deepEqual(
						(state.get<WatchedJob[]>(StateKeys.watchedJobs) ?? []).map((w) => w.jobId),
						[jobA],
					);
					assert.deepEqual([sandboxChanges, sandboxClients()], [0, 0], 'Stop Watching reached the Local Sandbox');

					// Watch Job on the waiting job polls at once (and so starts the sandbox: the user asked for the job).
					const polled = first.events((e) => e.jobId === jobA && e.type === 'progress');
					await first.service.watch({ jobId: jobA });
					assert.equal((await polled).snapshot.progress?.summary.total, 2);
					assert.equal(api.localSandbox.running, true);
					first.dispose(); // the window closes; the watch stays saved

					await vscode.commands.executeCommand(Commands.stopSandbox);
					second = testWatchService(ctx, { access, state, sandbox: api.localSandbox });
					await second.service.restore();
					assert.equal(second.service.get(jobA)?.phase, 'waiting');
					const [changesBefore, clientsBefore] = [sandboxChanges, sandboxClients()];
					const ended = second.events((e) => e.jobId === jobA && e.type === 'ended');
					await api.profiles.remove(SANDBOX_PROFILE);
					assert.equal(
						(await ended).snapshot.error,
						`Profile "${SANDBOX_PROFILE}" of this watch has no credentials on this machine. (NoCredentials)`,
					);
					assert.deepEqual(
						second.givenUp.map((g) => [g.profile, g.snapshots.map((w) => w.watched.jobId)]),
						[[SANDBOX_PROFILE, [jobA]]],
					);
					assert.deepEqual(state.get<WatchedJob[]>(StateKeys.watchedJobs), []);
					assert.deepEqual(
						[sandboxChanges, sandboxClients()],
						[changesBefore, clientsBefore],
						'the ended watch reached the sandbox',
					);
				} finally {
					counting.dispose();
				}
			});
		}));

	it('polls with a new connection at once when the endpoint setting changes', () =>
		withViewHidden(async () => {
			const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(392, 2) }, needConfirm: true });
			// Same AccessKey, another emulator: it does not know the job, so its first answer ends the watch.
			const moved = await startSandbox({ accessKeyId: ctx.sandbox.accessKeyId, accessKeySecret: ctx.sandbox.accessKeySecret });
			const test = testWatchService(ctx);
			try {
				await test.service.watch({ jobId });
				assert.deepEqual(await test.next(jobId, 1), ['progress']);
				const restarted = test.logged(/^info \[watch\] The connection of profile "sandbox-user" changed: polling job /);
				const ended = test.events((e) => e.jobId === jobId && e.type === 'ended');
				await setSetting('endpoint', moved.endpoint);
				await restarted;
				const end = await ended;
				assert.match(end.snapshot.error ?? '', /InvalidJobId/);
				assert.ok(
					moved.requests.entries.some((r) => r.target === 'api' && r.params.JobId === jobId),
					'the new endpoint was not asked',
				);
			} finally {
				test.dispose();
				await setSetting('endpoint', ctx.sandbox.endpoint);
				await moved.stop();
				await ctx.fleet.api.cancelTasksByJob({ jobId, unconfirmed: true });
			}
		}));
});
