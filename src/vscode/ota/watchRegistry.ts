// The watches of this window as the service (watchService.ts) keeps them: per job its entry, its polling loop
// (watchLoop.ts) and its queue of changes; the events that report every change; the saved list, written once per change
// (watches that end together are written together), so a reload resumes them.
import * as vscode from 'vscode';
import { cancelledError, toOtaError } from '../../core/errors';
import type { IntervalPolicy, WatchResult } from '../../core/lifecycle';
import { shownError } from '../commands/wrapper';
import type { SecretMask } from '../log';
import type { ConnectionChoice } from '../credentials/folderConnection';
import type { OtaAccess, OtaPlace, WatchedJob, WatchEvent, WatchGiveUp, WatchSnapshot } from './contract';
import { SavedWatches } from './savedWatches';
import { pollWatch, type WatchEntry, type WatchFailure, type WatchLoopHost } from './watchLoop';
import type { WindowActivity } from './windowActivity';

/** The Local Sandbox as the watches of its profile follow it (SandboxController). */
export interface LocalSandboxState {
	readonly running: boolean;
	/** It started or stopped. */
	readonly onDidChange: vscode.Event<void>;
	/** The user stops it (Stop Local Sandbox, not a deactivation), with its profile's name; fired before it stops. */
	readonly onWillStop: vscode.Event<string>;
}

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
	/**
	 * The Local Sandbox: Stop ends its profile's watches (polling on would start it again), and a saved watch of its
	 * profile waits until the user starts it. Without it, those watches are like any other.
	 */
	sandbox?: LocalSandboxState;
	/** Folders were added to the workspace, with their URIs as text: a watch that ended because its folder was gone resumes. */
	foldersAdded?: vscode.Event<readonly string[]>;
	/**
	 * An open folder whose settings choose `connection` for `profile` (credentials/folderConnection.ts's rule), as a place:
	 * a watch whose place's folder was removed polls on there (viewGroups.ts placeChoosing). Without it, such a watch ends.
	 */
	placeChoosing?: (profile: string, connection: ConnectionChoice) => OtaPlace | undefined;
}

/** Watches ended together, told in one notice: those of a gone profile, of the stopped sandbox, or one alone. */
export interface EndedTogether extends Omit<WatchGiveUp, 'snapshots'>, WatchFailure {
	entries: WatchEntry[];
}

export class WatchRegistry implements WatchLoopHost, vscode.Disposable {
	private readonly entries = new Map<string, WatchEntry>();
	/** Per job, the last of the changes queued (a start, a guard change, a stop, a profile change): one after another. */
	private readonly queues = new Map<string, Promise<unknown>>();
	private readonly emitter = new vscode.EventEmitter<WatchEvent>();
	readonly onDidChange = this.emitter.event;
	private readonly giveUpEmitter = new vscode.EventEmitter<WatchGiveUp>();
	readonly onDidGiveUp = this.giveUpEmitter.event;
	readonly saved: SavedWatches;
	/** Per job, the watches this session ended because the folder of their place was removed (FolderNotOpen). */
	private readonly folderGone = new Map<string, WatchedJob>();
	private isDisposed = false;

	constructor(readonly deps: WatchServiceDeps) {
		this.saved = new SavedWatches(deps.state);
	}

	get disposed(): boolean {
		return this.isDisposed;
	}

	/** Runs `work` after the changes queued for the job before it (a second Watch Job waits for the first, then finds its entry). */
	async serially<T>(jobId: string, work: () => Promise<T>): Promise<T> {
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

	get(jobId: string): WatchEntry | undefined {
		return this.entries.get(jobId);
	}

	/** The watches, oldest first. */
	list(): WatchEntry[] {
		return [...this.entries.values()];
	}

	/** The jobs watched or with a change queued (a watch starting). */
	busy(jobId: string): boolean {
		return this.entries.has(jobId) || this.queues.has(jobId);
	}

	busyJobs(): string[] {
		return [...new Set([...this.entries.keys(), ...this.queues.keys()])];
	}

	entry(watched: WatchedJob, job?: WatchSnapshot['job']): WatchEntry {
		return { snapshot: { watched, phase: 'starting', job }, controller: new AbortController() };
	}

	/** Adds the watch and, unless it is waiting, starts polling. */
	add(entry: WatchEntry, event: 'started' | 'resumed'): void {
		this.entries.set(entry.snapshot.watched.jobId, entry);
		this.folderGone.delete(entry.snapshot.watched.jobId);
		this.fire(entry, event);
		if (entry.snapshot.phase !== 'waiting') {
			this.run(entry);
		}
	}

	run(entry: WatchEntry): void {
		if (entry.snapshot.phase === 'waiting') {
			this.update(entry, { phase: 'starting' }, 'resumed');
		}
		const loop: Promise<void> = pollWatch(entry, this).finally(() => entry.loop === loop && (entry.loop = undefined));
		entry.loop = loop;
	}

	/** Stops the running loop (if any) and starts it again (a new guard, new credentials, a waiting watch asked again). */
	async restart(entry: WatchEntry): Promise<void> {
		entry.controller.abort(cancelledError('watching the job'));
		await entry.loop;
		if (this.entries.get(entry.snapshot.watched.jobId) === entry && !this.disposed) {
			entry.controller = new AbortController();
			this.run(entry);
		}
	}

	/** Forgets the watch and resolves once its loop has made its last call. */
	async stop(entry: WatchEntry): Promise<void> {
		this.forget(entry);
		entry.controller.abort(cancelledError('watching the job'));
		await entry.loop;
	}

	finish(entry: WatchEntry, result: WatchResult): void {
		this.forget(entry);
		const { summary } = result.progress;
		this.deps.log.info(
			`[watch] Job ${result.job.jobId} ${result.job.jobStatus}: ${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.canceled} canceled of ${summary.total}.`,
		);
		void this.persist();
		this.update(entry, { phase: 'ended', outcome: result.outcome, job: result.job, progress: result.progress }, 'ended');
	}

	/**
	 * A watch no retry can mend ends, with the reason, told in a notice of its own. One whose place's folder was removed is
	 * kept in mind: it resumes when the folder is added again (resumeWhereFoldersReturned).
	 */
	abandon(entry: WatchEntry, failure: WatchFailure, code: string): void {
		const { watched } = entry.snapshot;
		if (code === 'FolderNotOpen' && watched.folder !== undefined) {
			this.folderGone.set(watched.jobId, watched);
		}
		this.endTogether([{ entries: [entry], ...failure }]);
	}

	/**
	 * Folders were added to the workspace: a watch this session ended because its folder was removed (FolderNotOpen) polls
	 * again, with its guard, unless its job is watched anew by now; each once. Without asking: the user started it, its end
	 * notice said to add the folder again, and a halt guard only acts while it polls.
	 */
	resumeWhereFoldersReturned(added: readonly string[]): void {
		const back = [...this.folderGone.values()].filter((watched) => watched.folder !== undefined && added.includes(watched.folder));
		for (const watched of back) {
			const { jobId } = watched;
			this.folderGone.delete(jobId);
			void this.serially(jobId, async () => {
				if (this.get(jobId) || this.disposed) {
					return;
				}
				this.deps.log.info(`[watch] Folder ${watched.folder} is open again: resuming the watch of job ${jobId}.`);
				this.add(this.entry(watched), 'resumed');
				await this.persist();
			});
		}
	}

	/**
	 * Ends watches that are given up (also one still opening, not added yet): each stops at once, the saved list is
	 * written once, then each fires `ended`, then each group its notice. Returns their last snapshots.
	 */
	endTogether(groups: EndedTogether[]): WatchSnapshot[] {
		if (groups.every(({ entries }) => entries.length === 0)) {
			return [];
		}
		for (const { entries, error, logged } of groups) {
			for (const entry of entries) {
				this.forget(entry);
				entry.controller.abort(cancelledError('watching the job'));
				this.deps.log.warn(`[watch] Stopped watching job ${entry.snapshot.watched.jobId}: ${logged ?? error}`);
				entry.snapshot = { ...entry.snapshot, phase: 'ended', outcome: undefined, error };
			}
		}
		void this.persist();
		for (const { entries } of groups) {
			entries.forEach((entry) => this.fire(entry, 'ended'));
		}
		for (const { entries, error: _error, logged: _logged, ...notice } of groups) {
			if (entries.length > 0 && !this.disposed) {
				this.giveUpEmitter.fire({ snapshots: entries.map((entry) => entry.snapshot), ...notice });
			}
		}
		return groups.flatMap(({ entries }) => entries.map((entry) => entry.snapshot));
	}

	private forget(entry: WatchEntry): void {
		const { jobId } = entry.snapshot.watched;
		if (this.entries.get(jobId) === entry) {
			this.entries.delete(jobId);
		}
	}

	/** An error as the log keeps it: one line, in English. */
	describe(error: unknown): string {
		return this.deps.mask.apply(toOtaError(error, this.deps.mask.list()).describe());
	}

	/** Why a watch failed: worded for its status and end notice as the window words any failure, and for the log. */
	failure(error: unknown): Required<WatchFailure> {
		const otaError = toOtaError(error, this.deps.mask.list());
		return { error: shownError(otaError, this.deps.mask), logged: this.describe(otaError) };
	}

	update(entry: WatchEntry, patch: Partial<WatchSnapshot>, type: WatchEvent['type']): void {
		entry.snapshot = { ...entry.snapshot, ...patch };
		this.fire(entry, type);
	}

	fire(entry: WatchEntry, type: WatchEvent['type']): void {
		if (!this.disposed) {
			this.emitter.fire({ jobId: entry.snapshot.watched.jobId, type, snapshot: entry.snapshot });
		}
	}

	/** Saves the watches (and those still being resumed): one write. */
	async persist(): Promise<void> {
		if (!this.disposed) {
			await this.saved.save(this.list().map((entry) => entry.snapshot.watched));
		}
	}

	/** Stops polling without forgetting the watches: the next session of this window resumes them. */
	dispose(): void {
		this.isDisposed = true;
		this.folderGone.clear();
		for (const entry of this.entries.values()) {
			entry.controller.abort(cancelledError('watching the job'));
		}
		this.entries.clear();
		this.emitter.dispose();
		this.giveUpEmitter.dispose();
	}
}
