// Set-up for the watch suites (otaWatch, otaWatchProfiles, otaWatchProfilesRestore, otaWatchConnection): a sandbox fleet
// of 400 devices on a fast time scale (so rollouts end within a test), a signed-in profile, a verified package, and watch
// services of the test's own over the extension's account access (or one with some calls replaced), polling fast.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StaticJobRequest } from '../../../src/core/lifecycle';
import { Views } from '../../../src/vscode/constants';
import { SecretMask } from '../../../src/vscode/log';
import type { OtaAccess, WatchEvent, WatchGiveUp } from '../../../src/vscode/ota/contract';
import type { LocalSandboxState } from '../../../src/vscode/ota/watchRegistry';
import { JobWatchService } from '../../../src/vscode/ota/watchService';
import { WindowActivity } from '../../../src/vscode/ota/windowActivity';
import { MemoryMemento, setSetting, signIn, startSuite, stopSuite, type SuiteContext } from './ota';
import { FAST_WATCH, Fleet } from './otaFleet';

export const names = (from: number, count: number) => Array.from({ length: count }, (_, i) => `dev-${String(from + i).padStart(5, '0')}`);

export interface TestWatchOptions {
	focused?: boolean;
	pauseAfterMs?: number;
	state?: vscode.Memento;
	/** Default: the extension's account access. */
	access?: OtaAccess;
	/** Default: the service's own (5 s doubling). */
	retryDelayMs?: (failures: number) => number;
	/** Default: none (the test's service does not follow the Local Sandbox: its watches are like any other). */
	sandbox?: LocalSandboxState;
}

/** The suite's context, with its fleet (the suite's own client) and its verified package. */
export interface WatchSuite extends SuiteContext {
	fleet: Fleet;
	firmwareId: string;
	/** Rolls the suite's package out; resolves with the JobId. */
	rollOut(request: Omit<StaticJobRequest, 'productKey' | 'firmwareId'>): Promise<string>;
}

/**
 * Registers the suite's hooks (call it inside `describe`, before its own hooks) and returns its context, which is there
 * once `before` has run (read it inside a test or a hook).
 */
export function useWatchSuite(): WatchSuite {
	let started: Omit<WatchSuite, 'rollOut'> | undefined;
	const suite = () => {
		assert.ok(started, 'the watch suite is read before it started: read it inside a test or a hook');
		return started;
	};
	before(async () => {
		const ctx = await startSuite({ devices: 400, timeScale: 60 });
		const fleet = new Fleet(ctx.sandbox);
		started = { ...ctx, fleet, firmwareId: '' };
		await signIn(ctx);
		await setSetting('watch.pauseWhenUnfocusedMinutes', 0);
		started.firmwareId = (await fleet.registerFirmware()).firmwareId;
		await fleet.verify(started.firmwareId, ['dev-00001']);
		await vscode.commands.executeCommand(`${Views.packages}.focus`);
	});
	after(async () => {
		// A visible OTA Packages view reloads when the account changes: later suites count their sandbox's calls.
		await vscode.commands.executeCommand('workbench.view.explorer');
		for (const watch of started?.api.ota.watches.list() ?? []) {
			await started?.api.ota.watches.unwatch(watch.watched.jobId);
		}
		started?.fleet.dispose();
		started?.sandbox.ota.setDevices({}, { behaviour: 'ok' });
		await stopSuite(started);
	});
	return {
		get api() {
			return suite().api;
		},
		get sandbox() {
			return suite().sandbox;
		},
		get fleet() {
			return suite().fleet;
		},
		get firmwareId() {
			return suite().firmwareId;
		},
		rollOut: (request) => suite().fleet.rollOut({ ...request, firmwareId: suite().firmwareId }),
	};
}

/**
 * Resolves on the first change the sandbox makes to the job's tasks `ms` or more after the call: the job went on for
 * that long (whether or not anyone watches it).
 */
export function jobGoesOnFor(ctx: SuiteContext, jobId: string, ms: number): Promise<void> {
	const from = Date.now();
	return new Promise((resolve) => {
		const listener = ({ task }: { task: { job: { jobId: string } } }) => {
			if (task.job.jobId === jobId && Date.now() - from >= ms) {
				ctx.sandbox.events.off('taskChanged', listener);
				resolve();
			}
		};
		ctx.sandbox.events.on('taskChanged', listener);
	});
}

/** Runs `body` with the OTA Packages view hidden: its reload after a profile change makes calls about visible jobs. */
export async function withViewHidden(body: () => Promise<void>): Promise<void> {
	await vscode.commands.executeCommand('workbench.view.explorer');
	try {
		await body();
	} finally {
		await vscode.commands.executeCommand(`${Views.packages}.focus`);
	}
}

/** The API requests about the job since the sandbox's request log was last cleared. */
export const jobRequests = (ctx: SuiteContext, jobId: string) =>
	ctx.sandbox.requests.entries.filter((r) => r.target === 'api' && r.params.JobId === jobId);

/** The extension's account access with some of its calls replaced (a spread would lose the methods of its class). */
export function accessWith(ctx: SuiteContext, replaced: Partial<OtaAccess>): OtaAccess {
	const real = ctx.api.ota.access;
	return {
		connect: () => real.connect(),
		connectAt: (place) => real.connectAt(place),
		current: () => real.current(),
		forProfile: (name) => real.forProfile(name),
		hasCredentials: (name) => real.hasCredentials(name),
		onDidChange: real.onDidChange,
		onDidChangeProfile: real.onDidChangeProfile,
		...replaced,
	};
}

/** A watch service of the test's own, polling fast (FAST_WATCH), with a log that keeps its lines. */
export function testWatchService(ctx: SuiteContext, opts: TestWatchOptions = {}) {
	const lines: string[] = [];
	const logged: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
	const record = (level: string) => (message: string) => {
		const line = `${level} ${message}`;
		lines.push(line);
		for (const waiter of logged.filter((w) => w.pattern.test(line))) {
			logged.splice(logged.indexOf(waiter), 1);
			waiter.resolve(line);
		}
	};
	const log = {
		trace: record('trace'),
		debug: record('debug'),
		info: record('info'),
		warn: record('warn'),
		error: record('error'),
	} as unknown as vscode.LogOutputChannel;
	let focus: ((focused: boolean) => void) | undefined;
	const window = {
		focused: () => opts.focused ?? true,
		onDidChange: (listener: (focused: boolean) => void) => ((focus = listener), { dispose() {} }),
	};
	const service = new JobWatchService({
		state: opts.state ?? new MemoryMemento(),
		access: opts.access ?? ctx.api.ota.access,
		activity: new WindowActivity(window, () => opts.pauseAfterMs ?? 0),
		log,
		mask: new SecretMask(),
		interval: FAST_WATCH,
		retryDelayMs: opts.retryDelayMs,
		sandbox: opts.sandbox,
	});
	const events = (accept: (e: WatchEvent) => boolean) =>
		new Promise<WatchEvent>((resolve) => service.onDidChange((e) => accept(e) && resolve(e)));
	/** The types of the job's next `count` events. */
	const next = (jobId: string, count: number) =>
		new Promise<Array<WatchEvent['type']>>((resolve) => {
			const types: Array<WatchEvent['type']> = [];
			const subscription = service.onDidChange((e) => {
				if (e.jobId === jobId && types.push(e.type) === count) {
					subscription.dispose();
					resolve(types);
				}
			});
		});
	const givenUp: WatchGiveUp[] = [];
	service.onDidGiveUp((giveUp) => givenUp.push(giveUp));
	return {
		service,
		events,
		next,
		/** The log's lines ("warn …", "info …"). */
		lines,
		/** Resolves with the first line logged from now on that matches `pattern`. */
		logged: (pattern: RegExp) => new Promise<string>((resolve) => logged.push({ pattern, resolve })),
		/** The watches given up, as told for the notices. */
		givenUp,
		focus: (focused: boolean) => focus?.(focused),
		dispose: () => service.dispose(),
	};
}
