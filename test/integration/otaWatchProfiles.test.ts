// The watches and their profiles, in a real VS Code against the suite's sandbox fleet: a removed profile ends its
// watches at once with one notice, a profile configured again (also from STS to a plain AccessKey) is polled with its
// new credentials and never half-saved, and a profile that cannot be read is logged. Saved watches restored after a
// reload, with their profiles: otaWatchProfilesRestore.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, StateKeys } from '../../src/vscode/constants';
import type { Services } from '../../src/vscode/commands/services';
import { EndpointDeclines } from '../../src/vscode/credentials/endpointDeclines';
import type { ProfileChange } from '../../src/vscode/credentials/profileStore';
import { SecretMask } from '../../src/vscode/log';
import type { ProfileRecord } from '../../src/vscode/model';
import { OtaAccessService } from '../../src/vscode/ota/access';
import type { WatchedJob, WatchEvent } from '../../src/vscode/ota/contract';
import { assertNoSeamErrors, credentialAnswers, signIn, waitFor } from './helpers/ota';
import { watchEvent } from './helpers/otaFleet';
import { jobRequests, names, testWatchService, useWatchSuite, withViewHidden } from './helpers/otaWatch';

describe('OTA watches and their profiles', function () {
	this.timeout(180_000);
	const ctx = useWatchSuite();

	/** Configures `profile` through Configure Credentials (default: with the sandbox's plain AccessKey). */
	async function configure(profile: string, secret: string, accessKeyId = ctx.sandbox.accessKeyId, token?: string): Promise<void> {
		ctx.api.testSeam.queue(...credentialAnswers(profile, accessKeyId, secret, { token }));
		await vscode.commands.executeCommand(Commands.configureCredentials);
		assert.equal(ctx.api.testSeam.pending(), 0, `unanswered: ${JSON.stringify(ctx.api.testSeam.calls)}`);
	}

	it('ends every watch of a removed profile at once, with one notice for them all and no call after; other profiles’ watches and a profile switch leave them alone', () =>
		withViewHidden(async () => {
			const confirm = { needConfirm: true } as const;
			const [jobA, jobA2, jobB, jobC] = [
				await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(294, 2) }, ...confirm }),
				await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(298, 2) }, ...confirm }),
				await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(296, 2) }, ...confirm }),
				await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(384, 2) }, ...confirm }),
			];
			// A, A2: the extension's watches (status bar, window state, notice); B: a fast one of the same profile; C: another profile's.
			const test = testWatchService(ctx);
			try {
				for (const jobId of [jobA, jobA2]) {
					const counted = watchEvent(ctx.api, (e) => e.jobId === jobId && e.type === 'progress', `the first refresh of ${jobId}`);
					await vscode.commands.executeCommand(Commands.watchJob, { jobId });
					await counted;
				}
				await test.service.watch({ jobId: jobB });
				await signIn(ctx, 'other'); // a second profile, which becomes the active one
				await test.service.watch({ jobId: jobC, profile: 'other' });
				assert.deepEqual(await test.next(jobB, 2), ['progress', 'progress'], 'switching the active profile stopped a watch');
				assert.equal(ctx.api.ota.watches.isWatched(jobA), true);

				const endA = watchEvent(ctx.api, (e) => e.jobId === jobA && e.type === 'ended', 'the watch of A to end', 30_000);
				const endA2 = watchEvent(ctx.api, (e) => e.jobId === jobA2 && e.type === 'ended', 'the watch of A2 to end', 30_000);
				const endB = test.events((e) => e.jobId === jobB && e.type === 'ended');
				ctx.api.testSeam.queue({ id: 'profile.clearConfirm', button: 'Delete' });
				await vscode.commands.executeCommand(Commands.clearCredentials, ctx.api.profiles.get('sandbox-user'));
				for (const end of await Promise.all([endA, endA2, endB])) {
					assert.equal(end.snapshot.outcome, undefined, 'given up, not finished');
					assert.match(end.snapshot.error ?? '', /^Profile "sandbox-user" of this watch has no credentials on this machine\./);
				}
				assert.deepEqual(ctx.api.ota.watches.list(), []);
				assert.equal(ctx.api.watchStatusBar().visible, false);
				assert.deepEqual(
					ctx.api.context.workspaceState.get<WatchedJob[]>(StateKeys.watchedJobs, []),
					[],
					'not resumed after a reload',
				);
				// The one notice is told after every watch of the profile ended: none can follow it.
				const grouped = 'Stopped 2 watches of profile "sandbox-user": it has no credentials on this machine.';
				await waitFor(() => ctx.api.testSeam.messages('warning').some((m) => m.text === grouped), 'the notice for both watches');
				const notices = ctx.api.testSeam.messages().filter((m) => m.id === 'ota.watchAbandoned');
				assert.deepEqual(
					notices.map((m) => m.text),
					[grouped],
				);
				assert.deepEqual(
					test.givenUp.map((g) => [g.profile, g.snapshots.map((w) => w.watched.jobId)]),
					[['sandbox-user', [jobB]]],
				);

				// C polls on; two of its refreshes let any call under way at the removal land before the count starts.
				assert.deepEqual(await test.next(jobC, 2), ['progress', 'progress']);
				ctx.sandbox.requests.clear();
				assert.deepEqual(await test.next(jobC, 2), ['progress', 'progress']);
				assert.deepEqual(
					[jobA, jobA2, jobB].map((jobId) => jobRequests(ctx, jobId).length),
					[0, 0, 0],
					'no call for the removed profile’s jobs',
				);
				assert.ok(jobRequests(ctx, jobC).length > 0);
				assertNoSeamErrors(ctx.api);
			} finally {
				test.dispose();
				await signIn(ctx);
				await ctx.api.profiles.remove('other');
				for (const jobId of [jobA, jobA2, jobB, jobC]) {
					await ctx.fleet.api.cancelTasksByJob({ jobId, unconfirmed: true });
				}
			}
		}));

	it('polls on with the new credentials at once when the watch’s profile is configured again', () =>
		withViewHidden(async () => {
			const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(386, 2) }, needConfirm: true });
			const test = testWatchService(ctx);
			const wrongSecret = ctx.sandbox.accessKeySecret.replace(/.$/, (last) => (last === 'x' ? 'y' : 'x'));
			try {
				const counted = test.events((e) => e.jobId === jobId && e.type === 'progress');
				await test.service.watch({ jobId });
				await counted;
				// The old clients would go on signing with the old secret: the next refresh fails only if the new one is used.
				const next = test.events((e) => e.jobId === jobId && (e.type === 'error' || e.type === 'ended'));
				await configure('sandbox-user', wrongSecret);
				const failed = await next;
				assert.equal(failed.type, 'error', 'a replaced profile ended its watch');
				assert.match(failed.snapshot.error ?? '', /SignatureDoesNotMatch/);
				const recovered = test.events((e) => e.jobId === jobId && e.type === 'progress');
				await configure('sandbox-user', ctx.sandbox.accessKeySecret);
				await recovered;
				assert.equal(test.service.get(jobId)?.phase, 'watching');
				assertNoSeamErrors(ctx.api);
			} finally {
				test.dispose();
				await signIn(ctx);
				await ctx.fleet.api.cancelTasksByJob({ jobId, unconfirmed: true });
			}
		}));

	it('polls on with the new key when a watched STS profile is configured again as a plain AccessKey, never with half of it', () =>
		withViewHidden(async () => {
			const jobId = await ctx.rollOut({ target: { kind: 'devices', deviceNames: names(390, 2) }, needConfirm: true });
			const { sts } = ctx.sandbox;
			await configure('sts-user', sts.accessKeySecret, sts.accessKeyId, sts.securityToken);
			const test = testWatchService(ctx);
			const seen: WatchEvent[] = [];
			try {
				const counted = test.events((e) => e.jobId === jobId && e.type === 'progress');
				await test.service.watch({ jobId, profile: 'sts-user' });
				await counted;
				assert.deepEqual(new Set(jobRequests(ctx, jobId).map((r) => r.accessKeyId)), new Set([sts.accessKeyId]));
				test.service.onDidChange((e) => seen.push(e));
				ctx.sandbox.stats.reset();
				// Another AccessKeyId, no token: a read of the profile between its writes signs with a mix of the two keys.
				const restarted = test.logged(/^info \[watch\] The connection of profile "sts-user" changed/);
				await configure('sts-user', ctx.sandbox.accessKeySecret);
				await restarted;
				// Two refreshes let a call of the old polling under way at the restart land before the count starts.
				assert.deepEqual(await test.next(jobId, 2), ['progress', 'progress']);
				ctx.sandbox.requests.clear();
				assert.deepEqual(await test.next(jobId, 2), ['progress', 'progress']);
				assert.deepEqual(new Set(jobRequests(ctx, jobId).map((r) => r.accessKeyId)), new Set([ctx.sandbox.accessKeyId]));
				assert.deepEqual(ctx.sandbox.stats.apiErrors, {}, 'a call was signed with half of the profile');
				assert.deepEqual(
					seen.filter((e) => e.type === 'error' || e.type === 'ended'),
					[],
					'the watch failed or ended while its profile was saved',
				);
				assert.deepEqual(
					test.lines.filter((line) => !line.startsWith('info')),
					[],
				);
				assertNoSeamErrors(ctx.api);
			} finally {
				test.dispose();
				await ctx.api.profiles.remove('sts-user');
				await signIn(ctx);
				await ctx.fleet.api.cancelTasksByJob({ jobId, unconfirmed: true });
			}
		}));

	it('logs, without the secret, a changed profile it cannot read (no keyring), instead of leaving the failure unhandled', async function () {
		this.timeout(30_000); // without the log line, the rejection goes unhandled and nothing else ends the wait
		const secret = 'Keyring-Test-Secret-0123456789';
		const record: ProfileRecord = {
			name: 'keyring-user',
			accessKeyId: ctx.sandbox.accessKeyId,
			region: 'cn-shanghai',
			kind: 'user',
			hasSecurityToken: false,
		};
		let keyringUp = true;
		let warned = (_line: string) => {};
		const warning = new Promise<string>((resolve) => (warned = resolve));
		const log = { info: () => {}, warn: (line: string) => warned(line), error: (line: string) => warned(line) };
		const services = {
			context: ctx.api.context,
			settings: ctx.api.settings,
			log,
			mask: new SecretMask(),
			prompter: {},
			sandbox: { running: true },
			endpointDeclines: new EndpointDeclines(),
			profiles: {
				get: (name: string) => (name === record.name ? record : undefined),
				active: () => record,
				getCredentials: async () => {
					if (!keyringUp) {
						throw new Error(`The keyring is unavailable (was asked for ${secret}).`);
					}
					return { accessKeyId: record.accessKeyId, accessKeySecret: secret };
				},
			},
		} as unknown as Services;
		const changes = new vscode.EventEmitter<ProfileChange>();
		const access = new OtaAccessService(() => services, {}, changes.event);
		try {
			assert.ok(await access.forProfile(record.name), 'no connection to drop');
			keyringUp = false;
			changes.fire({ profile: record.name });
			const line = await warning;
			assert.match(line, /^Reading profile "keyring-user" after it changed failed: The keyring is unavailable \(was asked for \*+\)/);
			assert.ok(!line.includes(secret), 'the secret reached the log');
		} finally {
			access.dispose();
			changes.dispose();
		}
	});
});
