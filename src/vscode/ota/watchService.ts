// The jobs watched live in this window. Each runs the core's watchJob (counting plan, adaptive interval, guard) with the
// account's clients, so its calls share the AccessKeyId's QPS limiters with everything else; this module keeps the
// state (persisted, so a reload resumes the watches), pauses while the window is idle (never a watch with a halt guard:
// the guard only acts while the job is polled), retries after errors, ends a watch that can never succeed (the job or
// the profile's credentials are gone) and reports every change as an event. It renders nothing: the tree, the status
// bar and the notifications listen.
import * as vscode from 'vscode';
import { cancelledError, isCancelled, OtaError, toOtaError } from '../../core/errors';
import type { GuardPolicy, IntervalPolicy, WatchResult } from '../../core/lifecycle';
import { sleep } from '../../core/retry';
import { StateKeys } from '../constants';
import type { SecretMask } from '../log';
import type { JobWatches, OtaAccess, WatchedJob, WatchEvent, WatchRequest, WatchSnapshot } from './contract';
import type { WindowActivity } from './windowActivity';

export interface WatchServiceDeps {
	/** workspaceState: the watches of this window. */
	state: vscode.Memento;
	access: OtaAccess;
	activity: WindowActivity;
	log: vscode.LogOutputChannel;
	mask: SecretMask;
	/** Wait before retrying after the n-th failed refresh in a row (default: 5 s doubling up to 5 min). */
	retryDelayMs?: (failures: number) => number;
	/** The refresh interval's bounds (default: the core's adaptive 2–30 s). */
	interval?: Partial<IntervalPolicy>;
}

interface Entry {
	snapshot: WatchSnapshot;
	controller: AbortController;
	loop?: Promise<void>;
}

const defaultRetryDelay = (failures: number) => Math.min(300_000, 5000 * 2 ** Math.min(failures - 1, 6));

/**
 * Errors no retry can mend: the job is gone (docs/protocols.md §11.10), or the watch's profile has no credentials, or
 * its AccessKey is unknown (§5.1).
 */
const PERMANENT = new Set(['NoCredentials', 'iot.ota.InvalidJobId', 'InvalidAccessKeyId.NotFound']);

const sameGuard = (a: GuardPolicy | undefined, b: GuardPolicy | undefined) =>
	a?.failurePercent === b?.failurePercent && a?.minFinished === b?.minFinished;

function isWatchedJob(value: unknown): value is WatchedJob {
	const v = value as Partial<WatchedJob> | undefined;
	return typeof v?.jobId === 'string' && typeof v.profile === 'string' && typeof v.since === 'number';
}

export class JobWatchService implements JobWatches, vscode.Disposable {
	private readonly entries = new Map<string, Entry>();
	/** Per job, the watch() under way (a start or a guard change): the calls for one job run one after another. */
	private readonly inFlight = new Map<string, Promise<WatchSnapshot>>();
	private readonly emitter = new vscode.EventEmitter<WatchEvent>();
	readonly onDidChange = this.emitter.event;
	private disposed = false;

	constructor(private readonly deps: WatchServiceDeps) {}

	/** Resumes the watches persisted by an earlier session of this window (they are not re-created on the platform). */
	restore(): void {
		const saved = this.deps.state.get<unknown[]>(StateKeys.watchedJobs, []);
		for (const watched of Array.isArray(saved) ? saved.filter(isWatchedJob) : []) {
			if (!this.entries.has(watched.jobId)) {
				this.deps.log.info(`[watch] Resuming the watch of job ${watched.jobId} (profile "${watched.profile}").`);
				this.start(watched, 'resumed');
			}
		}
	}

	async watch(request: WatchRequest): Promise<WatchSnapshot> {
		// One start or guard change per job at a time: a second call waits for the first, then finds its entry.
		const pending = this.inFlight.get(request.jobId);
		if (pending) {
			await pending.catch(() => undefined);
			return this.watch(request);
		}
		const existing = this.entries.get(request.jobId);
		const work = existing ? this.changeGuard(existing, request.guard) : this.startWatch(request);
		this.inFlight.set(request.jobId, work);
		try {
			return await work;
		} finally {
			if (this.inFlight.get(request.jobId) === work) {
				this.inFlight.delete(request.jobId);
			}
		}
	}

	private async startWatch(request: WatchRequest): Promise<WatchSnapshot> {
		const connection = request.profile ? await this.deps.access.forProfile(request.profile) : await this.deps.access.connect();
		if (!connection) {
			throw new OtaError({
				code: 'NoCredentials',
				source: 'credentials',
				message: vscode.l10n.t('Profile "{0}" has no credentials on this machine.', request.profile ?? ''),
			});
		}
		// One call up front: a wrong JobId fails here, and the job names its package and product (for reveal).
		const job = await connection.lifecycle.queryJob(request.jobId);
		const watched: WatchedJob = {
			jobId: request.jobId,
			profile: connection.profile.name,
			productKey: request.productKey ?? job.productKey,
			firmwareId: request.firmwareId ?? job.firmwareId,
			...(request.guard ? { guard: request.guard } : {}),
			since: Date.now(),
		};
		const entry = this.start(watched, 'started', job);
		await this.persist();
		return entry.snapshot;
	}

	/** A watched job asked again with another guard: the running loop restarts with it (no guard keeps the one set). */
	private async changeGuard(entry: Entry, guard: GuardPolicy | undefined): Promise<WatchSnapshot> {
		if (!guard || sameGuard(guard, entry.snapshot.watched.guard)) {
			return entry.snapshot;
		}
		entry.snapshot = { ...entry.snapshot, watched: { ...entry.snapshot.watched, guard } };
		await this.persist();
		entry.controller.abort(cancelledError('watching the job'));
		await entry.loop;
		if (this.entries.get(entry.snapshot.watched.jobId) === entry && !this.disposed) {
			entry.controller = new AbortController();
			this.run(entry);
		}
		return entry.snapshot;
	}

	async unwatch(jobId: string): Promise<void> {
		await this.inFlight.get(jobId)?.catch(() => undefined);
		const entry = this.entries.get(jobId);
		if (!entry) {
			return;
		}
		this.entries.delete(jobId);
		entry.controller.abort(cancelledError('watching the job'));
		await entry.loop;
		await this.persist();
		this.fire(entry, 'stopped');
	}

	isWatched(jobId: string): boolean {
		return this.entries.has(jobId);
	}

	get(jobId: string): WatchSnapshot | undefined {
		return this.entries.get(jobId)?.snapshot;
	}

	list(): WatchSnapshot[] {
		return [...this.entries.values()].map((entry) => entry.snapshot);
	}

	/** Stops polling without forgetting the watches: the next session of this window resumes them. */
	dispose(): void {
		this.disposed = true;
		for (const entry of this.entries.values()) {
			entry.controller.abort(cancelledError('watching the job'));
		}
		this.entries.clear();
		this.emitter.dispose();
	}

	private start(watched: WatchedJob, event: 'started' | 'resumed', job?: WatchSnapshot['job']): Entry {
		const entry: Entry = { snapshot: { watched, phase: 'starting', job }, controller: new AbortController() };
		this.entries.set(watched.jobId, entry);
		this.fire(entry, event === 'resumed' ? 'resumed' : 'started');
		this.run(entry);
		return entry;
	}

	private run(entry: Entry): void {
		const loop: Promise<void> = this.poll(entry).finally(() => entry.loop === loop && (entry.loop = undefined));
		entry.loop = loop;
	}

	/** Watches until the job ends; after a guard halt it goes on (without the guard) until the tasks in progress end. */
	private async poll(entry: Entry): Promise<void> {
		const { signal } = entry.controller;
		const { watchJob } = await import('../../core/lifecycle/monitor.js');
		let failures = 0;
		while (!signal.aborted) {
			const { watched } = entry.snapshot;
			try {
				const connection = await this.deps.access.forProfile(watched.profile);
				if (!connection) {
					throw new OtaError({
						code: 'NoCredentials',
						source: 'credentials',
						message: vscode.l10n.t('Profile "{0}" of this watch has no credentials on this machine.', watched.profile),
					});
				}
				const result: WatchResult = await watchJob(connection.lifecycle, watched.jobId, {
					signal,
					guard: watched.guard,
					interval: this.deps.interval,
					sleep: (ms, s) => this.pausingSleep(entry, ms, s),
					onProgress: (progress, job) => {
						failures = 0;
						this.update(entry, { phase: 'watching', progress, job, error: undefined }, 'progress');
					},
					onHalt: (halt) => this.update(entry, { halt }, 'halted'),
				});
				if (result.outcome === 'halted') {
					// The guard cancelled what had not started; what runs finishes. Watch on, without the guard.
					const { guard: _done, ...rest } = entry.snapshot.watched;
					this.update(entry, { watched: rest }, 'progress');
					await this.persist();
					continue;
				}
				this.finish(entry, result);
				return;
			} catch (error) {
				if (signal.aborted || isCancelled(error)) {
					return;
				}
				failures++;
				const otaError = toOtaError(error, this.deps.mask.list());
				const message = this.deps.mask.apply(otaError.describe());
				if (PERMANENT.has(otaError.code)) {
					this.abandon(entry, message);
					return;
				}
				const delay = (this.deps.retryDelayMs ?? defaultRetryDelay)(failures);
				this.deps.log.warn(
					`[watch] Refreshing job ${watched.jobId} failed (${message}); trying again in ${Math.round(delay / 1000)} s.`,
				);
				this.update(entry, { phase: 'retrying', error: message }, 'error');
				await sleep(delay, signal).catch(() => undefined);
			}
		}
	}

	private finish(entry: Entry, result: WatchResult): void {
		this.entries.delete(entry.snapshot.watched.jobId);
		const { summary } = result.progress;
		this.deps.log.info(
			`[watch] Job ${result.job.jobId} ${result.job.jobStatus}: ${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.canceled} canceled of ${summary.total}.`,
		);
		void this.persist();
		this.update(entry, { phase: 'ended', outcome: result.outcome, job: result.job, progress: result.progress }, 'ended');
	}

	/** A watch no retry can mend ends, with the reason (the notification says it). */
	private abandon(entry: Entry, error: string): void {
		this.entries.delete(entry.snapshot.watched.jobId);
		this.deps.log.warn(`[watch] Stopped watching job ${entry.snapshot.watched.jobId}: ${error}`);
		void this.persist();
		this.update(entry, { phase: 'ended', outcome: undefined, error }, 'ended');
	}

	/**
	 * The wait between refreshes, then, while the window is idle, until it has the focus again. A watch with a halt guard
	 * never pauses: the guard only acts after a refresh, and a rollout left running must still be halted.
	 */
	private async pausingSleep(entry: Entry, ms: number, signal?: AbortSignal): Promise<void> {
		await sleep(ms, signal, 'watching the job');
		if (entry.snapshot.watched.guard) {
			return;
		}
		await this.deps.activity.whenActive(signal, () => this.update(entry, { phase: 'paused' }, 'paused'));
		if (entry.snapshot.phase === 'paused' && !signal?.aborted) {
			this.update(entry, { phase: 'watching' }, 'resumed');
		}
	}

	private update(entry: Entry, patch: Partial<WatchSnapshot>, type: WatchEvent['type']): void {
		entry.snapshot = { ...entry.snapshot, ...patch };
		this.fire(entry, type);
	}

	private fire(entry: Entry, type: WatchEvent['type']): void {
		if (!this.disposed) {
			this.emitter.fire({ jobId: entry.snapshot.watched.jobId, type, snapshot: entry.snapshot });
		}
	}

	private async persist(): Promise<void> {
		if (!this.disposed) {
			await this.deps.state.update(
				StateKeys.watchedJobs,
				[...this.entries.values()].map((entry) => entry.snapshot.watched),
			);
		}
	}
}
