// The watch service's answers when something happens while it is busy: Watch Job tells that its watch started even when
// the watch ended before the call returned, and a Stop Local Sandbox while the saved watches are being resumed ends
// those of its profile instead of leaving them waiting. Fakes stand for the account and the Local Sandbox; the rest of
// the service runs as in the extension.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as vscode from 'vscode';
import { SANDBOX_PROFILE, StateKeys } from '../../../src/vscode/constants';
import type { SecretMask } from '../../../src/vscode/log';
import type { OtaAccess, OtaConnection, WatchedJob, WatchEvent, WatchGiveUp } from '../../../src/vscode/ota/contract';
import type { WatchServiceDeps } from '../../../src/vscode/ota/watchRegistry';
import type { WindowActivity } from '../../../src/vscode/ota/windowActivity';
import { installVscodeStub } from '../../support/vscodeStub';

const vscodeStub = installVscodeStub();

/** A window's state whose writes of the saved watches wait for `hold` (when set). */
class HeldMemento implements vscode.Memento {
	private readonly values = new Map<string, unknown>();
	hold?: Promise<unknown>;
	keys(): readonly string[] {
		return [...this.values.keys()];
	}
	get<T>(key: string, defaultValue?: T): T | undefined {
		return this.values.has(key) ? (structuredClone(this.values.get(key)) as T) : defaultValue;
	}
	async update(key: string, value: unknown): Promise<void> {
		if (key === StateKeys.watchedJobs && this.hold) {
			await this.hold;
		}
		this.values.set(key, structuredClone(value));
	}
}

const silentLog = new Proxy({}, { get: () => () => undefined }) as vscode.LogOutputChannel;
const mask = { apply: (text: string) => text, list: () => [] } as unknown as SecretMask;
const activity = { whenActive: async () => undefined } as unknown as WindowActivity;

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

function access(over: Partial<OtaAccess>): OtaAccess {
	const never = () => Promise.reject(new Error('not asked in this test'));
	return {
		connect: never,
		connectAt: never,
		current: never,
		forProfile: never,
		hasCredentials: never,
		onDidChange: new vscodeStub.EventEmitter<void>().event,
		onDidChangeProfile: new vscodeStub.EventEmitter<string>().event,
		...over,
	};
}

async function service(deps: Partial<WatchServiceDeps> & Pick<WatchServiceDeps, 'access' | 'state'>) {
	const { JobWatchService } = await import('../../../src/vscode/ota/watchService.js');
	const watches = new JobWatchService({ activity, log: silentLog, mask, ...deps });
	const events: WatchEvent[] = [];
	const givenUp: WatchGiveUp[] = [];
	watches.onDidChange((e) => events.push(e));
	watches.onDidGiveUp((g) => givenUp.push(g));
	const next = (accept: (e: WatchEvent) => boolean) =>
		new Promise<WatchEvent>((resolve) => watches.onDidChange((e) => accept(e) && resolve(e)));
	return { watches, events, givenUp, next };
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
});
