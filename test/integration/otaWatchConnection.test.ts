// The watches and the connection they poll with, in a real VS Code: Stop Local Sandbox ends the watches of its profile
// (one notice) and nothing starts it again, and a change of the endpoint setting has every watch poll with a new
// connection at once.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startSandbox } from '../../src/sandbox';
import { Commands, SANDBOX_PROFILE, StateKeys } from '../../src/vscode/constants';
import type { OtaAccess, WatchedJob } from '../../src/vscode/ota/contract';
import { assertNoSeamErrors, setSetting, signIn, waitFor, type SuiteContext } from './helpers/ota';
import { Fleet, watchEvent } from './helpers/otaFleet';
import { names, testWatchService, useWatchSuite, withViewHidden } from './helpers/otaWatch';

describe('OTA watches and their connection', function () {
	this.timeout(240_000);
	const suite = useWatchSuite();
	let ctx: SuiteContext;
	let fleet: Fleet;
	let firmwareId: string;
	before(() => ({ ctx, fleet, firmwareId } = suite));

	it('Stop Local Sandbox ends the watches of its profile with one notice, and no retry starts it again', () =>
		withViewHidden(async () => {
			const { api } = ctx;
			await setSetting('sandbox.devices', 8);
			await setSetting('sandbox.timeScale', 60);
			await vscode.commands.executeCommand(Commands.startSandbox);
			const local = await api.sandbox();
			assert.ok(local, 'the Local Sandbox did not start');
			const localFleet = new Fleet(local);
			// The suite's fleet watch (its own profile) goes on and marks the time; the test's service retries at once.
			const real = api.ota.access;
			const asked: string[] = [];
			const access: OtaAccess = { ...real, forProfile: (name) => (asked.push(name), real.forProfile(name)) };
			const test = testWatchService(ctx, { access, retryDelayMs: () => 0, sandboxStops: api.onWillStopSandbox });
			const other = await fleet.rollOut({ firmwareId, target: { kind: 'devices', deviceNames: names(390, 2) }, needConfirm: true });
			try {
				const localFirmware = (await localFleet.registerFirmware()).firmwareId;
				await localFleet.verify(localFirmware, ['dev-00001']);
				const confirm = { needConfirm: true } as const;
				const [jobA, jobB, jobC] = [
					await localFleet.rollOut({
						firmwareId: localFirmware,
						target: { kind: 'devices', deviceNames: names(2, 2) },
						...confirm,
					}),
					await localFleet.rollOut({
						firmwareId: localFirmware,
						target: { kind: 'devices', deviceNames: names(4, 2) },
						...confirm,
					}),
					await localFleet.rollOut({
						firmwareId: localFirmware,
						target: { kind: 'devices', deviceNames: names(6, 2) },
						...confirm,
					}),
				];
				assert.equal(api.profiles.active()?.name, SANDBOX_PROFILE);
				for (const jobId of [jobA, jobB]) {
					const counted = watchEvent(api, (e) => e.jobId === jobId && e.type === 'progress', `the first refresh of ${jobId}`);
					await vscode.commands.executeCommand(Commands.watchJob, { jobId });
					await counted;
				}
				await test.service.watch({ jobId: jobC, profile: SANDBOX_PROFILE });
				await test.service.watch({ jobId: other, profile: 'sandbox-user' });
				assert.deepEqual(await test.next(jobC, 1), ['progress']);

				let sandboxChanges = 0;
				const counting = api.onDidChangeSandbox(() => sandboxChanges++);
				const ends = [jobA, jobB].map((jobId) =>
					watchEvent(api, (e) => e.jobId === jobId && e.type === 'ended', `${jobId} to end`),
				);
				const endC = test.events((e) => e.jobId === jobC && e.type === 'ended');
				await vscode.commands.executeCommand(Commands.stopSandbox);
				try {
					for (const end of [...(await Promise.all(ends)), await endC]) {
						assert.equal(end.snapshot.outcome, undefined, 'given up, not finished');
						assert.equal(end.snapshot.error, 'The Local sandbox was stopped.');
					}
					assert.deepEqual(api.ota.watches.list(), []);
					assert.equal(api.watchStatusBar().visible, false);
					assert.deepEqual(api.context.workspaceState.get<WatchedJob[]>(StateKeys.watchedJobs, []), [], 'ended, not paused');
					const grouped = 'Stopped 2 watches of the Local sandbox: it was stopped.';
					await waitFor(() => api.testSeam.messages('warning').some((m) => m.text === grouped), 'the notice for both watches');
					assert.deepEqual(
						api.testSeam
							.messages()
							.filter((m) => m.id === 'ota.watchAbandoned')
							.map((m) => m.text),
						[grouped],
					);
					assert.deepEqual(
						test.givenUp.map((g) => [g.sandboxStopped, g.snapshots.map((w) => w.watched.jobId)]),
						[[true, [jobC]]],
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
			} finally {
				test.dispose();
				localFleet.dispose();
				await vscode.commands.executeCommand(Commands.stopSandbox);
				await signIn(ctx);
				await ctx.api.profiles.remove(SANDBOX_PROFILE);
				await fleet.api.cancelTasksByJob({ jobId: other, unconfirmed: true });
				await setSetting('sandbox.devices', undefined);
				await setSetting('sandbox.timeScale', undefined);
			}
		}));

	it('polls with a new connection at once when the endpoint setting changes', () =>
		withViewHidden(async () => {
			const jobId = await fleet.rollOut({ firmwareId, target: { kind: 'devices', deviceNames: names(392, 2) }, needConfirm: true });
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
				await fleet.api.cancelTasksByJob({ jobId, unconfirmed: true });
			}
		}));
});
