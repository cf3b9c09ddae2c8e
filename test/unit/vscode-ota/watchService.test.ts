// The watch service's answers when something happens while it is busy: Watch Job tells that its watch started even when
// the watch ended before the call returned, and a Stop Local Sandbox while the saved watches are being resumed ends
// those of its profile instead of leaving them waiting; a watch with a place polls anew there when its profile changes,
// and ends without a retry once its folder is no longer open (unless another open folder's settings choose its connection:
// it polls on there), then polls again when that folder is added back. Fakes stand for the account and the Local Sandbox; the rest of
// the service runs as in the extension.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as vscode from 'vscode';
import { OtaError } from '../../../src/core/errors';
import { SANDBOX_PROFILE, StateKeys } from '../../../src/vscode/constants';
import type { OtaConnection, OtaPlace, WatchedJob } from '../../../src/vscode/ota/contract';
import { access, hangingCalls, HeldMemento, service, vscodeStub } from './watchFakes';

function fakeSandbox() {
	const willStop = new vscodeStub.EventEmitter<string>();
	const changed = new vscodeStub.EventEmitter<void>();
	const sandbox = {
		running: true,
		onWillStop: willStop.event,
		onDidChange: changed.event,
		/** What Stop Local Sandbox does: tells the watches, then stops. */
		stop() {
			willStop.fire(SANDBOX_PROFILE);
			sandbox.running = false;
			changed.fire();
		},
	};
	return sandbox;
}

void describe('JobWatchService', () => {
	void test('Watch Job says its watch started when the watch ended before the call returned', async () => {
		const state = new HeldMemento();
		const connection = {
			profile: { name: 'p' },
			lifecycle: { queryJob: async (jobId: string) => ({ jobId, productKey: 'pk', firmwareId: 'fw', jobStatus: 'IN_PROGRESS' }) },
		} as unknown as OtaConnection;
		// The first call answers; then the loop finds the profile gone, and the watch ends.
		const test = await service({ state, access: access({ connect: async () => connection, forProfile: async () => undefined }) });
		const ended = test.next((e) => e.jobId === 'j1' && e.type === 'ended');
		state.hold = ended; // the save after the start is written only once the watch has ended
		const start = await test.watches.watch({ jobId: 'j1' });
		assert.equal((await ended).snapshot.phase, 'ended');
		assert.equal(test.watches.isWatched('j1'), false, 'the watch ended before Watch Job returned');
		assert.equal(start.started, true);
		assert.equal(start.snapshot.phase, 'ended');
		assert.deepEqual(
			test.events.map((e) => e.type),
			['started', 'ended'],
		);
		test.watches.dispose();
	});

	void test('a Stop Local Sandbox while the saved watches are resumed ends those of its profile, with one notice', async () => {
		const state = new HeldMemento();
		const saved: WatchedJob[] = [
			{ jobId: 'j1', profile: SANDBOX_PROFILE, since: 1 },
			{ jobId: 'j2', profile: SANDBOX_PROFILE, guard: { failurePercent: 20, minFinished: 5 }, since: 2 },
		];
		await state.update(StateKeys.watchedJobs, saved);
		// The profile store answers when the test says so; until then the saved watches are being resumed.
		let asked = () => {};
		const askedOnce = new Promise<void>((resolve) => (asked = resolve));
		let answer = (_usable: boolean) => {};
		const answered = new Promise<boolean>((resolve) => (answer = resolve));
		const sandbox = fakeSandbox();
		const test = await service({ state, access: access({ hasCredentials: () => (asked(), answered) }), sandbox });
		const restoring = test.watches.restore();
		await askedOnce;
		sandbox.stop();
		answer(true);
		await restoring;
		assert.deepEqual(test.watches.list(), [], 'the watches of the stopped sandbox end instead of waiting');
		assert.deepEqual(
			test.events.map((e) => [e.jobId, e.type, e.snapshot.error]),
			[
				['j1', 'ended', 'The Local sandbox was stopped.'],
				['j2', 'ended', 'The Local sandbox was stopped.'],
			],
		);
		assert.deepEqual(
			test.givenUp.map((g) => [g.sandboxStopped, g.profile, g.snapshots.map((s) => s.watched.jobId)]),
			[[true, SANDBOX_PROFILE, ['j1', 'j2']]],
		);
		assert.deepEqual(state.get(StateKeys.watchedJobs), [], 'a reload would resume them');
		test.watches.dispose();
	});

	void test('a failed refresh shows in the window’s language, worded by its reason, while the log keeps the English', async () => {
		const english = vscodeStub.l10n.t;
		// A window in another language: every template marked, so a sentence that bypassed the wording shows unmarked.
		vscodeStub.l10n.t = (message, ...args) => `«${english(message, ...args)}»`;
		let stop = () => {};
		try {
			const state = new HeldMemento();
			await state.update(StateKeys.watchedJobs, [{ jobId: 'j1', profile: 'p', since: 1 }] satisfies WatchedJob[]);
			const throttled = new OtaError({
				code: 'Throttling',
				source: 'api',
				message: 'QueryOTAJob failed: too many calls.',
				reason: { code: 'api-failed', values: { action: 'QueryOTAJob', text: 'too many calls', code: 'Throttling' } },
			});
			const lines: string[] = [];
			const log = new Proxy({}, { get: () => (line: string) => void lines.push(line) }) as vscode.LogOutputChannel;
			const forProfile = () => Promise.reject(throttled);
			const test = await service({ state, log, access: access({ forProfile }), retryDelayMs: () => 3_600_000 });
			stop = () => test.watches.dispose();
			const failed = test.next((e) => e.jobId === 'j1' && e.type === 'error');
			await test.watches.restore();
			const { snapshot } = await failed;
			assert.equal(snapshot.phase, 'retrying');
			assert.equal(snapshot.error, '««QueryOTAJob failed: too many calls.» (Throttling)»');
			assert.ok(
				lines.some((line) => line.includes('(QueryOTAJob failed: too many calls. (Throttling))')),
				`the log line stays in English: ${lines.join('\n')}`,
			);
		} finally {
			stop();
			vscodeStub.l10n.t = english;
		}
	});

	void test('a resumed watch with a place polls anew there when its profile changes, and ends at once when its folder is gone', async () => {
		const state = new HeldMemento();
		const place = { profile: 'p', scope: 'file:///mono/a/fw.bin', folder: 'file:///mono/a' };
		await state.update(StateKeys.watchedJobs, [{ jobId: 'j1', ...place, since: 1 }] satisfies WatchedJob[]);
		const profileChanged = new vscodeStub.EventEmitter<string>();
		// Each call of the job hangs until the watch stops it: the test says when the place's folder is gone.
		const { hang, polled } = hangingCalls();
		const asked: string[] = [];
		const connectAt = async (at: OtaPlace) => {
			asked.push(`connectAt ${JSON.stringify(at)}`);
			if (asked.length > 1) {
				throw new OtaError({ code: 'FolderNotOpen', source: 'validation', message: 'Folder a is no longer open.' });
			}
			return { profile: { name: 'p' }, lifecycle: { queryJob: hang, listTasksByJob: hang } } as unknown as OtaConnection;
		};
		const forProfile = async (name: string) => (asked.push(`forProfile ${name}`), undefined);
		const test = await service({
			state,
			access: access({ hasCredentials: async () => true, connectAt, forProfile, onDidChangeProfile: profileChanged.event }),
			retryDelayMs: () => (retried(), 3_600_000),
		});
		let retried = () => {};
		const retry = new Promise<string>((resolve) => (retried = () => resolve('retried, not ended')));
		const ended = test.next((e) => e.jobId === 'j1' && e.type === 'ended').then((e) => e.snapshot.error);
		await test.watches.restore();
		await polled;
		profileChanged.fire('p');
		assert.equal(await Promise.race([ended, retry]), 'Folder a is no longer open. (FolderNotOpen)');
		assert.deepEqual(asked, [`connectAt ${JSON.stringify(place)}`, `connectAt ${JSON.stringify(place)}`]);
		assert.deepEqual(state.get(StateKeys.watchedJobs), [], 'a reload would not resume it');
		test.watches.dispose();
	});

	void test('its folder removed, a watch polls on, with its guard, at an open folder whose settings choose its connection', async () => {
		const state = new HeldMemento();
		const place = { profile: 'p', scope: 'file:///mono/a/fw.bin', folder: 'file:///mono/a' };
		const guard = { failurePercent: 20, minFinished: 5 };
		await state.update(StateKeys.watchedJobs, [{ jobId: 'j1', ...place, guard, since: 1 }] satisfies WatchedJob[]);
		const profileChanged = new vscodeStub.EventEmitter<string>();
		const { hang, polled } = hangingCalls();
		const asked: string[] = [];
		let movedOn = () => {};
		const pollingAtB = new Promise<void>((resolve) => (movedOn = resolve));
		const connectAt = async (at: OtaPlace) => {
			asked.push(at.folder ?? '');
			if (asked.length === 2) {
				throw new OtaError({ code: 'FolderNotOpen', source: 'validation', message: 'Folder a is no longer open.' });
			}
			if (asked.length === 3) {
				movedOn();
			}
			const connection = { region: 'cn-shanghai', endpoint: undefined, iotInstanceId: 'iot-1' };
			return { profile: { name: 'p' }, connection, lifecycle: { queryJob: hang, listTasksByJob: hang } } as unknown as OtaConnection;
		};
		const chosen: unknown[] = [];
		const placeB = { profile: 'p', scope: 'file:///mono/b', folder: 'file:///mono/b' };
		const test = await service({
			state,
			access: access({ hasCredentials: async () => true, connectAt, onDidChangeProfile: profileChanged.event }),
			retryDelayMs: () => 3_600_000,
			placeChoosing: (profile, connection) => (chosen.push([profile, connection]), placeB),
		});
		const ended = test.next((e) => e.jobId === 'j1' && e.type === 'ended').then(() => 'ended');
		await test.watches.restore();
		await polled;
		profileChanged.fire('p'); // polls anew at a, whose folder is gone now
		assert.equal(await Promise.race([pollingAtB.then(() => 'polling at b'), ended]), 'polling at b');
		assert.deepEqual(asked, ['file:///mono/a', 'file:///mono/a', 'file:///mono/b']);
		assert.deepEqual(
			chosen,
			[['p', { region: 'cn-shanghai', endpoint: undefined, iotInstanceId: 'iot-1' }]],
			'the connection it polled with',
		);
		assert.equal(test.watches.isWatched('j1'), true);
		assert.deepEqual(
			state.get(StateKeys.watchedJobs),
			[
				{
					jobId: 'j1',
					profile: 'p',
					scope: placeB.scope,
					folder: placeB.folder,
					guard,
					since: 1,
					connection: { region: 'cn-shanghai', iotInstanceId: 'iot-1' },
				},
			],
			'saved with the connection it polled with (a record from before watches kept it gets it)',
		);
		test.watches.dispose();
	});

	void test('a watch ended because its folder was removed polls again, with its guard, once that folder is added back', async () => {
		const state = new HeldMemento();
		const place = { profile: 'p', scope: 'file:///mono/a/fw.bin', folder: 'file:///mono/a' };
		const saved: WatchedJob = { jobId: 'j1', ...place, guard: { failurePercent: 20, minFinished: 5 }, since: 1 };
		await state.update(StateKeys.watchedJobs, [saved]);
		let open = false;
		const asked: string[] = [];
		const { hang, polled } = hangingCalls();
		const connectAt = async (at: OtaPlace) => {
			asked.push(at.folder ?? '');
			if (!open) {
				throw new OtaError({ code: 'FolderNotOpen', source: 'validation', message: 'Folder a is no longer open.' });
			}
			return { profile: { name: 'p' }, lifecycle: { queryJob: hang, listTasksByJob: hang } } as unknown as OtaConnection;
		};
		const added = new vscodeStub.EventEmitter<readonly string[]>();
		const test = await service({
			state,
			access: access({ hasCredentials: async () => true, connectAt }),
			retryDelayMs: () => 3_600_000,
			foldersAdded: added.event,
		});
		const ended = test.next((e) => e.jobId === 'j1' && e.type === 'ended');
		await test.watches.restore();
		assert.equal((await ended).snapshot.error, 'Folder a is no longer open. (FolderNotOpen)');
		assert.deepEqual(state.get(StateKeys.watchedJobs), []);

		added.fire(['file:///mono/b']);
		assert.equal(test.watches.isWatched('j1'), false, 'another folder added: it stays ended');
		open = true;
		const resumed = test.next((e) => e.jobId === 'j1' && e.type === 'resumed');
		added.fire(['file:///mono/a']);
		assert.deepEqual((await resumed).snapshot.watched, saved, 'the same watch: its place and its guard');
		await polled;
		assert.deepEqual(asked, [place.folder, place.folder], 'polled again at its place');
		assert.equal(test.watches.isWatched('j1'), true);
		await test.watches.unwatch('j1');
		added.fire(['file:///mono/a']);
		assert.equal(test.watches.isWatched('j1'), false, 'resumed once: a watch stopped by the user stays stopped');
		test.watches.dispose();
	});
});
