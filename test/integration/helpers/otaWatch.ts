// Set-up for the watch suites (otaWatch, otaWatchProfiles): a sandbox fleet of 400 devices on a fast time scale (so
// rollouts end within a test), a signed-in profile, a verified package, and watch services of the test's own over the
// extension's account access, polling fast.
import * as vscode from 'vscode';
import { Views } from '../../../src/vscode/constants';
import { SecretMask } from '../../../src/vscode/log';
import type { OtaAccess, WatchEvent, WatchGiveUp } from '../../../src/vscode/ota/contract';
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
	/** Default: none (the test's service does not follow Stop Local Sandbox). */
	sandboxStops?: vscode.Event<string>;
}

export interface WatchSuite {
	ctx: SuiteContext;
	fleet: Fleet;
	firmwareId: string;
}

/** Registers the suite's hooks (call it inside `describe`, before its own hooks); the fields are there once `before` ran. */
export function useWatchSuite(): WatchSuite {
	const suite = {} as WatchSuite;
	before(async () => {
		suite.ctx = await startSuite({ devices: 400, timeScale: 60 });
		suite.fleet = new Fleet(suite.ctx.sandbox);
		await signIn(suite.ctx);
		await setSetting('watch.pauseWhenUnfocusedMinutes', 0);
		suite.firmwareId = (await suite.fleet.registerFirmware()).firmwareId;
		await suite.fleet.verify(suite.firmwareId, ['dev-00001']);
		await vscode.commands.executeCommand(`${Views.packages}.focus`);
	});
	after(async () => {
		const { ctx, fleet } = suite;
		// A visible OTA Packages view reloads when the account changes: later suites count their sandbox's calls.
		await vscode.commands.executeCommand('workbench.view.explorer');
		for (const watch of ctx?.api.ota.watches.list() ?? []) {
			await ctx.api.ota.watches.unwatch(watch.watched.jobId);
		}
		fleet?.dispose();
		ctx?.sandbox.ota.setDevices({}, { behaviour: 'ok' });
		await stopSuite(ctx);
	});
	return suite;
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
		sandboxStops: opts.sandboxStops,
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
