// The watches saved in the window's workspace state (StateKeys.watchedJobs): what the next session of the window resumes.
import type * as vscode from 'vscode';
import { StateKeys } from '../constants';
import type { WatchedJob } from './contract';
import { isWatchedJob, resumable } from './watchRules';

export class SavedWatches {
	/** The saved watches being resumed: they stay saved until then, so a Watch Job meanwhile (a save) loses none. */
	private pending: WatchedJob[] = [];

	constructor(private readonly state: vscode.Memento) {}

	/**
	 * The saved watches (malformed records left out, a malformed saved connection left out of its watch: watchRules.ts
	 * resumable); they stay saved, beside the running ones, until `resumed()`.
	 */
	load(): WatchedJob[] {
		const saved = this.state.get<unknown[]>(StateKeys.watchedJobs, []);
		this.pending = Array.isArray(saved) ? saved.filter(isWatchedJob).map(resumable) : [];
		return this.pending;
	}

	/** The saved watches are resumed (or ended): from now on the running ones alone are saved. */
	resumed(): void {
		this.pending = [];
	}

	/** Saves the running watches, and those still being resumed; one write. */
	save(running: WatchedJob[]): Thenable<void> {
		const jobIds = new Set(running.map((watched) => watched.jobId));
		return this.state.update(StateKeys.watchedJobs, [...running, ...this.pending.filter((watched) => !jobIds.has(watched.jobId))]);
	}
}
