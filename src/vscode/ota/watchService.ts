// The jobs watched live in this window. Each runs the core's watchJob (counting plan, adaptive interval, guard) with the
// account's clients, so its calls share the AccessKeyId's QPS limiters with everything else (the loop: watchLoop.ts);
// this module keeps the state (persisted, so a reload resumes the watches), ends a watch that can never succeed (the
// job or the profile's credentials are gone: at once when the profile is removed, and a watch of a profile gone from
// this machine is not resumed) or must not go on (at once when the user stops the Local Sandbox: reconnecting its
// profile would start it again), restarts the polling with a new connection when its profile's credentials or the
// settings that shape its connection change, and reports every change as an event (and the watches given up together,
// for one notice). It renders nothing: the tree, the status bar and the notifications listen.
import * as vscode from 'vscode';
import { cancelledError, OtaError, toOtaError } from '../../core/errors';
import type { GuardPolicy, IntervalPolicy, WatchResult } from '../../core/lifecycle';
import { StateKeys } from '../constants';
import type { SecretMask } from '../log';
import type { JobWatches, OtaAccess, WatchedJob, WatchEvent, WatchGiveUp, WatchRequest, WatchSnapshot } from './contract';
import { pollWatch, type WatchEntry, type WatchLoopHost } from './watchLoop';
import { isWatchedJob, profileGone, sameGuard, sandboxStoppedReason } from './watchRules';
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
	/** The user stops the Local Sandbox, with its profile's name: its watches end (polling on would start it again). */
	sandboxStops?: vscode.Event<string>;
}

export class JobWatchService implements JobWatches, vscode.Disposable {
	private readonly entries = new Map<string, WatchEntry>();
	/** Per job, the last of the changes queued (a start, a guard change, a stop, a profile change): one after another. */
	private readonly queues = new Map<string, Promise<unknown>>();
	private readonly emitter = new vscode.EventEmitter<WatchEvent>();
	readonly onDidChange = this.emitter.event;
	private readonly giveUpEmitter = new vscode.EventEmitter<WatchGiveUp>();
	readonly onDidGiveUp = this.giveUpEmitter.event;
	/** The saved watches restore() is looking up the profiles of (persist keeps them meanwhile). */
	private restoring: WatchedJob[] = [];
	private readonly subscriptions: vscode.Disposable[];
	/** What the loops report to (watchLoop.ts). */
	private readonly host: WatchLoopHost;
	private disposed = false;

	constructor(private readonly deps: WatchServiceDeps) {
		this.subscriptions = [
			deps.access.onDidChangeProfile((profile) => this.profileChanged(profile)),
			...(deps.sandboxStops ? [deps.sandboxStops((profile) => this.sandboxStopped(profile))] : []),
		];
		this.host = {
			deps,
			update: (entry, patch, type) => this.update(entry, patch, type),
			persist: () => this.persist(),
			finish: (entry, result) => this.finish(entry, result),
			abandon: (entry, error) => this.abandon(entry, error),
			describe: (error) => this.describe(error),
		};
	}

	/**
	 * Resumes the watches persisted by an earlier session of this window (they are not re-created on the platform); the
	 * watches of a profile gone from this machine (removed in another window) are not resumed, and one notice per profile
	 * says so. Every profile is looked up first, then every watch starts at once; until then a save (a Watch Job meanwhile)
	 * keeps the watches still to resume.
	 */
	async restore(): Promise<void> {
		const saved = this.deps.state.get<unknown[]>(StateKeys.watchedJobs, []);
		this.restoring = Array.isArray(saved) ? saved.filter(isWatchedJob) : [];
		const profiles = [...new Set(this.restoring.map((watched) => watched.profile))];
		// Undefined: no such profile or secret here; an error (the sandbox does not start…) is the loop's to report.
		const usable = await Promise.all(
			profiles.map(async (profile) => (await this.deps.access.forProfile(profile).catch(() => true)) !== undefined),
		);
		const restoring = this.restoring.filter((watched) => !this.entries.has(watched.jobId) && !this.queues.has(watched.jobId));
		this.restoring = [];
		if (this.disposed) {
			return;
		}
		const resumed = (watched: WatchedJob) => usable[profiles.indexOf(watched.profile)];
		for (const watched of restoring.filter(resumed)) {
			this.deps.log.info(`[watch] Resuming the watch of job ${watched.jobId} (profile "${watched.profile}").`);
			this.start(watched, 'resumed');
		}
		await this.persist();
		const gone = new Map<string, WatchSnapshot[]>();
		for (const watched of restoring.filter((w) => !resumed(w))) {
			const ended = this.end(this.entry(watched), this.describe(profileGone(watched.profile)));
			gone.set(watched.profile, [...(gone.get(watched.profile) ?? []), ended]);
		}
		for (const [profile, snapshots] of gone) {
			this.giveUpEmitter.fire({ snapshots, profile });
		}
	}

	watch(request: WatchRequest): Promise<WatchSnapshot> {
		return this.serially(request.jobId, () => {
			const existing = this.entries.get(request.jobId);
			return existing ? this.changeGuard(existing, request.guard) : this.startWatch(request);
		});
	}

	/** Runs `work` after the changes queued for the job before it (a second Watch Job waits for the first, then finds its entry). */
	private async serially<T>(jobId: string, work: () => Promise<T>): Promise<T> {
		const run = (this.queues.get(jobId) ?? Promise.resolve()).catch(() => undefined).then(work);
		this.queues.set(jobId, run);
		try {
			return await run;
		} finally {
			if (this.queues.get(jobId) === run) {
				this.queues.delete(jobId);
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
		entry.connection = connection;
		await this.persist();
		return entry.snapshot;
	}

	/** A watched job asked again with another guard: the running loop restarts with it (no guard keeps the one set). */
	private async changeGuard(entry: WatchEntry, guard: GuardPolicy | undefined): Promise<WatchSnapshot> {
		if (!guard || sameGuard(guard, entry.snapshot.watched.guard)) {
			return entry.snapshot;
		}
		entry.snapshot = { ...entry.snapshot, watched: { ...entry.snapshot.watched, guard } };
		await this.persist();
		await this.restart(entry);
		return entry.snapshot;
	}

	/** Stops the running loop and starts it again (a new guard, new credentials). */
	private async restart(entry: WatchEntry): Promise<void> {
		entry.controller.abort(cancelledError('watching the job'));
		await entry.loop;
		if (this.entries.get(entry.snapshot.watched.jobId) === entry && !this.disposed) {
			entry.controller = new AbortController();
			this.run(entry);
		}
	}

	unwatch(jobId: string): Promise<void> {
		return this.serially(jobId, async () => {
			const entry = this.entries.get(jobId);
			if (!entry) {
				return;
			}
			await this.stop(entry);
			await this.persist();
			this.fire(entry, 'stopped');
		});
	}

	/** Forgets the watch and resolves once its loop has made its last call. */
	private async stop(entry: WatchEntry): Promise<void> {
		this.entries.delete(entry.snapshot.watched.jobId);
		entry.controller.abort(cancelledError('watching the job'));
		await entry.loop;
	}

	/**
	 * A profile's record or secrets, or the settings that shape its connection, changed (the active profile switching is
	 * not such a change): its watches end at once when it is gone (one notice for them all), and poll on with new clients
	 * when its connection was replaced. Watches of other
	 * profiles go on untouched.
	 */
	private profileChanged(profile: string): void {
		const jobIds = new Set([...this.entries.keys(), ...this.queues.keys()]);
		const followed = [...jobIds].map((jobId) =>
			this.serially(jobId, () => this.followProfile(jobId, profile)).catch((error: unknown) => {
				this.deps.log.error(
					`[watch] Following the change of profile "${profile}" for job ${jobId} failed: ${this.describe(error)}`,
				);
				return undefined;
			}),
		);
		void Promise.all(followed).then((ended) => {
			const snapshots = ended.filter((snapshot) => snapshot !== undefined);
			if (snapshots.length > 0 && !this.disposed) {
				this.giveUpEmitter.fire({ snapshots, profile });
			}
		});
	}

	/** One watch of the changed profile: ended (its snapshot returned) when the profile is gone, restarted when replaced. */
	private async followProfile(jobId: string, profile: string): Promise<WatchSnapshot | undefined> {
		const entry = this.entries.get(jobId);
		if (entry?.snapshot.watched.profile !== profile) {
			return undefined;
		}
		// undefined: the profile is gone; null: its clients could not be made (the restarted loop says why).
		const connection = await this.deps.access.forProfile(profile).catch(() => null);
		if (this.entries.get(jobId) !== entry) {
			return undefined;
		}
		if (connection === undefined) {
			await this.stop(entry);
			return this.end(entry, this.describe(profileGone(profile)));
		}
		if (connection !== entry.connection) {
			this.deps.log.info(`[watch] The connection of profile "${profile}" changed: polling job ${jobId} with the new one.`);
			await this.restart(entry);
		}
		return undefined;
	}

	/** The Local Sandbox is being stopped: its profile's watches end at once, with one notice, and none reconnects. */
	private sandboxStopped(profile: string): void {
		const watches = [...this.entries.values()].filter((entry) => entry.snapshot.watched.profile === profile);
		const snapshots = watches.map((entry) => this.end(entry, sandboxStoppedReason()));
		if (snapshots.length > 0 && !this.disposed) {
			this.giveUpEmitter.fire({ snapshots, profile, sandboxStopped: true });
		}
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
		vscode.Disposable.from(...this.subscriptions).dispose();
		for (const entry of this.entries.values()) {
			entry.controller.abort(cancelledError('watching the job'));
		}
		this.entries.clear();
		this.emitter.dispose();
		this.giveUpEmitter.dispose();
	}

	private entry(watched: WatchedJob, job?: WatchSnapshot['job']): WatchEntry {
		return { snapshot: { watched, phase: 'starting', job }, controller: new AbortController() };
	}

	private start(watched: WatchedJob, event: 'started' | 'resumed', job?: WatchSnapshot['job']): WatchEntry {
		const entry = this.entry(watched, job);
		this.entries.set(watched.jobId, entry);
		this.fire(entry, event === 'resumed' ? 'resumed' : 'started');
		this.run(entry);
		return entry;
	}

	private run(entry: WatchEntry): void {
		const loop: Promise<void> = pollWatch(entry, this.host).finally(() => entry.loop === loop && (entry.loop = undefined));
		entry.loop = loop;
	}

	private finish(entry: WatchEntry, result: WatchResult): void {
		this.entries.delete(entry.snapshot.watched.jobId);
		const { summary } = result.progress;
		this.deps.log.info(
			`[watch] Job ${result.job.jobId} ${result.job.jobStatus}: ${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.canceled} canceled of ${summary.total}.`,
		);
		void this.persist();
		this.update(entry, { phase: 'ended', outcome: result.outcome, job: result.job, progress: result.progress }, 'ended');
	}

	/** A watch no retry can mend ends, with the reason, told in a notice of its own. */
	private abandon(entry: WatchEntry, error: string): void {
		this.giveUpEmitter.fire({ snapshots: [this.end(entry, error)] });
	}

	/** Ends a watch that is given up (the caller tells it, alone or with others of its profile); returns its last snapshot. */
	private end(entry: WatchEntry, error: string): WatchSnapshot {
		this.entries.delete(entry.snapshot.watched.jobId);
		entry.controller.abort(cancelledError('watching the job'));
		this.deps.log.warn(`[watch] Stopped watching job ${entry.snapshot.watched.jobId}: ${error}`);
		void this.persist();
		this.update(entry, { phase: 'ended', outcome: undefined, error }, 'ended');
		return entry.snapshot;
	}

	private describe(error: unknown): string {
		return this.deps.mask.apply(toOtaError(error, this.deps.mask.list()).describe());
	}

	private update(entry: WatchEntry, patch: Partial<WatchSnapshot>, type: WatchEvent['type']): void {
		entry.snapshot = { ...entry.snapshot, ...patch };
		this.fire(entry, type);
	}

	private fire(entry: WatchEntry, type: WatchEvent['type']): void {
		if (!this.disposed) {
			this.emitter.fire({ jobId: entry.snapshot.watched.jobId, type, snapshot: entry.snapshot });
		}
	}

	/** Saves the running watches, and those restore() has still to resume. */
	private async persist(): Promise<void> {
		if (!this.disposed) {
			const running = [...this.entries.values()].map((entry) => entry.snapshot.watched);
			const pending = this.restoring.filter((watched) => !this.entries.has(watched.jobId));
			await this.deps.state.update(StateKeys.watchedJobs, [...running, ...pending]);
		}
	}
}
