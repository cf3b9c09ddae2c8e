// The jobs watched live in this window: when a watch starts, resumes, waits, restarts and ends. Each runs the core's
// watchJob (counting plan, adaptive interval, guard) with the account's clients, so its calls share the AccessKeyId's
// QPS limiters with everything else (the loop: watchLoop.ts; the entries, their events and the saved list:
// watchRegistry.ts). A reload resumes the saved watches, except that one of the Local Sandbox's profile waits until the
// user starts the sandbox (resuming it would start a local server nobody asked for). A watch ends when it can never
// succeed (the job or the profile's credentials are gone: at once when the profile is removed, and a saved watch of a
// profile gone from this machine is not resumed) or must not go on (the user stops the Local Sandbox: reconnecting its
// profile would start it again; this also ends a Watch Job whose first call is under way, and the saved watches being
// resumed). A watch started with a place (after a command that used a file's folder settings) polls through that
// place's connection, and saves that connection: when the place's folder is removed, also before its first call after a
// reload, it polls on at another open folder of that connection; one that ended because no open folder has it polls again
// when the folder is added back.
// Polling restarts with a new connection when the profile's credentials or the settings that shape its
// connection change. It renders nothing: the tree, the status bar and the notifications listen.
import * as vscode from 'vscode';
import { SANDBOX_PROFILE } from '../constants';
import { noCredentials } from './access';
import type { JobWatches, OtaConnection, WatchRequest, WatchSnapshot, WatchStart } from './contract';
import type { WatchEntry } from './watchLoop';
import { WatchRegistry, type WatchServiceDeps } from './watchRegistry';
import { placeOf, sameGuard, sandboxStopped, watchedConnection, watchedPlace } from './watchRules';

export class JobWatchService implements JobWatches, vscode.Disposable {
	private readonly watches: WatchRegistry;
	readonly onDidChange: JobWatches['onDidChange'];
	readonly onDidGiveUp: JobWatches['onDidGiveUp'];
	/** The Watch Job calls whose first call (QueryOTAJob) is under way, per job: Stop Local Sandbox ends them too. */
	private readonly opening = new Map<string, WatchEntry>();
	/** The profiles of every Stop Local Sandbox so far: a Watch Job that learns its profile after one checks it. */
	private readonly sandboxStops: string[] = [];
	private readonly subscriptions: vscode.Disposable[];

	constructor(private readonly deps: WatchServiceDeps) {
		this.watches = new WatchRegistry(deps);
		this.onDidChange = this.watches.onDidChange;
		this.onDidGiveUp = this.watches.onDidGiveUp;
		const { sandbox } = deps;
		this.subscriptions = [deps.access.onDidChangeProfile((profile) => this.profileChanged(profile))];
		if (deps.foldersAdded) {
			this.subscriptions.push(deps.foldersAdded((folders) => this.watches.resumeWhereFoldersReturned(folders)));
		}
		if (sandbox) {
			this.subscriptions.push(
				sandbox.onWillStop((profile) => this.sandboxStopped(profile)),
				sandbox.onDidChange(() => sandbox.running && this.sandboxStarted()),
			);
		}
	}

	/**
	 * Resumes the watches saved by an earlier session of this window (they are not re-created on the platform); those of
	 * the Local Sandbox's profile wait while it is stopped, and end when the user stops it while they are being resumed.
	 * The watches of a profile gone from this machine (removed in another window) are not resumed, and one notice per
	 * profile says so. Every profile is looked up in the profile store first (no client is made), then every watch starts
	 * at once; until then a save keeps the ones to resume.
	 */
	async restore(): Promise<void> {
		const stopsBefore = this.sandboxStops.length;
		const saved = this.watches.saved.load();
		const profiles = [...new Set(saved.map((watched) => watched.profile))];
		// A failure to read (no keyring) is the loop's to report.
		const usable = await Promise.all(profiles.map((profile) => this.deps.access.hasCredentials(profile).catch(() => true)));
		const restoring = saved.filter((watched) => !this.watches.busy(watched.jobId));
		this.watches.saved.resumed();
		if (this.watches.disposed) {
			return;
		}
		const gone = new Map<string, WatchEntry[]>();
		const stopped = new Map<string, WatchEntry[]>();
		for (const watched of restoring) {
			const entry = this.watches.entry(watched);
			const { jobId, profile } = watched;
			if (!usable[profiles.indexOf(profile)]) {
				gone.set(profile, [...(gone.get(profile) ?? []), entry]);
			} else if (this.sandboxStoppedSince(stopsBefore, profile)) {
				stopped.set(profile, [...(stopped.get(profile) ?? []), entry]);
			} else if (this.waitsForSandbox(profile)) {
				this.deps.log.info(`[watch] The watch of job ${jobId} (profile "${profile}") waits until the Local Sandbox is started.`);
				entry.snapshot = { ...entry.snapshot, phase: 'waiting' };
				this.watches.add(entry, 'resumed');
			} else {
				this.deps.log.info(`[watch] Resuming the watch of job ${jobId} (profile "${profile}").`);
				this.watches.add(entry, 'resumed');
			}
		}
		const ended = [
			...[...gone].map(([profile, entries]) => ({ entries, profile, ...this.watches.failure(noCredentials(profile, 'watch')) })),
			...[...stopped].map(([profile, entries]) => ({ entries, profile, ...sandboxStopped() })),
		];
		if (this.watches.endTogether(ended).length === 0) {
			await this.watches.persist();
		}
	}

	private waitsForSandbox(profile: string): boolean {
		return this.deps.sandbox !== undefined && profile === SANDBOX_PROFILE && !this.deps.sandbox.running;
	}

	watch(request: WatchRequest): Promise<WatchStart> {
		return this.watches.serially(request.jobId, () => {
			const existing = this.watches.get(request.jobId);
			return existing ? this.watchAgain(existing, request) : this.startWatch(request);
		});
	}

	private async startWatch(request: WatchRequest): Promise<WatchStart> {
		const { jobId, guard, place, afterRerun } = request;
		const stopsBefore = this.sandboxStops.length;
		const connection = await this.connectionFor(request);
		if (!connection) {
			throw noCredentials(request.profile ?? '');
		}
		const profile = connection.profile.name;
		const at = watchedPlace(place);
		const entry = this.watches.entry({
			jobId,
			profile,
			...at,
			...watchedConnection(at, connection.connection),
			...(guard ? { guard } : {}),
			...(afterRerun ? { afterRerun } : {}),
			since: Date.now(),
		});
		if (this.sandboxStoppedSince(stopsBefore, profile)) {
			this.watches.endTogether([{ entries: [entry], profile, ...sandboxStopped() }]);
			return { started: false, snapshot: entry.snapshot };
		}
		this.opening.set(jobId, entry);
		try {
			// One call up front: a wrong JobId fails here, and the job names its package and product (for reveal).
			const job = await connection.lifecycle.queryJob(jobId, entry.controller.signal);
			if (entry.controller.signal.aborted) {
				return { started: false, snapshot: entry.snapshot };
			}
			const { watched } = entry.snapshot;
			const productKey = request.productKey ?? job.productKey;
			const firmwareId = request.firmwareId ?? job.firmwareId;
			entry.snapshot = { ...entry.snapshot, job, watched: { ...watched, productKey, firmwareId } };
		} catch (error) {
			if (entry.controller.signal.aborted) {
				return { started: false, snapshot: entry.snapshot };
			}
			throw error;
		} finally {
			this.opening.delete(jobId);
		}
		entry.connection = connection;
		this.watches.add(entry, 'started');
		// Started, whatever happens before the save below is written: the job may end first, and the watch with it.
		await this.watches.persist();
		return { started: true, snapshot: entry.snapshot };
	}

	/** The clients a new watch starts with: its place's, the named profile's, else the active profile's. */
	private async connectionFor({ place, profile }: WatchRequest): Promise<OtaConnection | undefined> {
		if (place) {
			return this.deps.access.connectAt(place);
		}
		return profile ? this.deps.access.forProfile(profile) : this.deps.access.connect();
	}

	/** Whether a Stop Local Sandbox of the profile came since `stopsBefore` (the count of stops when the caller began). */
	private sandboxStoppedSince(stopsBefore: number, profile: string): boolean {
		return this.sandboxStops.slice(stopsBefore).includes(profile);
	}

	/**
	 * A watched job asked again: another guard restarts its loop with it (no guard keeps the one set), so does `afterRerun`
	 * (a Retry Failed or Confirm of a watched job: it may stay COMPLETED while the re-run tasks run); a waiting one polls.
	 */
	private async watchAgain(entry: WatchEntry, { guard, afterRerun }: WatchRequest): Promise<WatchStart> {
		const newGuard = guard !== undefined && !sameGuard(guard, entry.snapshot.watched.guard);
		const nowAfterRerun = afterRerun === true && entry.snapshot.watched.afterRerun !== true;
		if (newGuard || nowAfterRerun) {
			const watched = { ...entry.snapshot.watched, ...(newGuard ? { guard } : {}), ...(nowAfterRerun ? { afterRerun } : {}) };
			entry.snapshot = { ...entry.snapshot, watched };
			await this.watches.persist();
		}
		if (newGuard || nowAfterRerun || entry.snapshot.phase === 'waiting') {
			await this.watches.restart(entry);
		}
		return { started: true, snapshot: entry.snapshot };
	}

	unwatch(jobId: string): Promise<void> {
		return this.watches.serially(jobId, async () => {
			const entry = this.watches.get(jobId);
			if (!entry) {
				return;
			}
			await this.watches.stop(entry);
			await this.watches.persist();
			this.watches.fire(entry, 'stopped');
		});
	}

	/**
	 * A profile's record or secrets, or the settings that shape its connection, changed (the active profile switching is
	 * not such a change): its watches end at once when it is gone (one notice and one save for them all), and poll on
	 * with new clients when its connection was replaced. Watches of other profiles go on untouched.
	 */
	private profileChanged(profile: string): void {
		const followed = this.watches.busyJobs().map((jobId) =>
			this.watches
				.serially(jobId, () => this.followProfile(jobId, profile))
				.catch((error: unknown) => {
					const why = this.watches.describe(error);
					this.deps.log.error(`[watch] Following the change of profile "${profile}" for job ${jobId} failed: ${why}`);
					return undefined;
				}),
		);
		void Promise.all(followed).then((stopped) => {
			const entries = stopped.filter((entry) => entry !== undefined);
			this.watches.endTogether([{ entries, profile, ...this.watches.failure(noCredentials(profile, 'watch')) }]);
		});
	}

	/** One watch of the changed profile: stopped (and returned, to be ended) when the profile is gone, restarted when replaced. */
	private async followProfile(jobId: string, profile: string): Promise<WatchEntry | undefined> {
		const entry = this.watches.get(jobId);
		if (entry?.snapshot.watched.profile !== profile) {
			return undefined;
		}
		if (entry.snapshot.phase === 'waiting') {
			// Only the profile store is asked: making the profile's clients would start the Local Sandbox.
			const usable = await this.deps.access.hasCredentials(profile).catch(() => true);
			return usable || this.watches.get(jobId) !== entry ? undefined : this.stopped(entry);
		}
		if (placeOf(entry.snapshot.watched)) {
			// A place's connection is made for each call, so it cannot be told replaced: poll on with a new one.
			const usable = await this.deps.access.hasCredentials(profile).catch(() => true);
			if (this.watches.get(jobId) !== entry) {
				return undefined;
			}
			if (!usable) {
				return this.stopped(entry);
			}
			this.deps.log.info(`[watch] Profile "${profile}" or its settings changed: polling job ${jobId} with a new connection.`);
			await this.watches.restart(entry);
			return undefined;
		}
		// undefined: the profile is gone; null: its clients could not be made (the restarted loop says why).
		const connection = await this.deps.access.forProfile(profile).catch(() => null);
		if (this.watches.get(jobId) !== entry) {
			return undefined;
		}
		if (connection === undefined) {
			return this.stopped(entry);
		}
		if (connection !== entry.connection) {
			this.deps.log.info(`[watch] The connection of profile "${profile}" changed: polling job ${jobId} with the new one.`);
			await this.watches.restart(entry);
		}
		return undefined;
	}

	private async stopped(entry: WatchEntry): Promise<WatchEntry> {
		await this.watches.stop(entry);
		return entry;
	}

	/**
	 * The Local Sandbox is being stopped: its profile's watches end at once, also those whose first call is under way,
	 * with one notice, and none reconnects.
	 */
	private sandboxStopped(profile: string): void {
		this.sandboxStops.push(profile);
		const entries = [...this.watches.list(), ...this.opening.values()].filter((entry) => entry.snapshot.watched.profile === profile);
		this.watches.endTogether([{ entries, profile, ...sandboxStopped() }]);
	}

	/** The Local Sandbox started (the user started it, or a command of its profile did): the waiting watches poll. */
	private sandboxStarted(): void {
		for (const entry of this.watches.list().filter((e) => e.snapshot.phase === 'waiting')) {
			const { jobId } = entry.snapshot.watched;
			void this.watches.serially(jobId, async () => {
				if (this.watches.get(jobId) === entry && entry.snapshot.phase === 'waiting' && !this.watches.disposed) {
					this.deps.log.info(`[watch] The Local Sandbox started: resuming the watch of job ${jobId}.`);
					this.watches.run(entry);
				}
			});
		}
	}

	isWatched(jobId: string): boolean {
		return this.watches.get(jobId) !== undefined;
	}

	get(jobId: string): WatchSnapshot | undefined {
		return this.watches.get(jobId)?.snapshot;
	}

	list(): WatchSnapshot[] {
		return this.watches.list().map((entry) => entry.snapshot);
	}

	/** Stops polling without forgetting the watches: the next session of this window resumes them. */
	dispose(): void {
		vscode.Disposable.from(...this.subscriptions).dispose();
		for (const entry of this.opening.values()) {
			entry.controller.abort();
		}
		this.watches.dispose();
	}
}
