// The polling of one watched job: the core's watchJob with the clients of the watch's profile (or place), paused while the window
// is idle (never with a halt guard), tried again after an error, and given up when no retry can mend it. It reports
// to the service that keeps the watches (watchRegistry.ts), which starts, restarts and stops it.
import { isCancelled, toOtaError, type OtaError } from '../../core/errors';
import type { WatchResult } from '../../core/lifecycle';
import { sleep } from '../../core/retry';
import type { OtaConnection, WatchEvent, WatchSnapshot } from './contract';
import type { WatchServiceDeps } from './watchRegistry';
import { noCredentials } from './access';
import { defaultRetryDelay, PERMANENT, placeInstead, sameConnection, watchConnection, watchedConnection, watchedPlace } from './watchRules';

export interface WatchEntry {
	snapshot: WatchSnapshot;
	/** Aborted to stop or restart the loop. */
	controller: AbortController;
	loop?: Promise<void>;
	/** The clients the loop polls with (to tell when its profile's record or secrets were replaced). */
	connection?: OtaConnection;
}

/** Why a watch failed: `error` as the window shows it (the snapshot's), `logged` as the log keeps it (default: `error`). */
export interface WatchFailure {
	error: string;
	logged?: string;
}

/** What the loop reports to. */
export interface WatchLoopHost {
	deps: WatchServiceDeps;
	update(entry: WatchEntry, patch: Partial<WatchSnapshot>, type: WatchEvent['type']): void;
	persist(): Promise<void>;
	/** The job ended (or a guard halted it and the tasks in progress ended). */
	finish(entry: WatchEntry, result: WatchResult): void;
	/** No retry can mend the error (the job or the profile's credentials are gone, the place's folder was removed): its code. */
	abandon(entry: WatchEntry, failure: WatchFailure, code: string): void;
	failure(error: OtaError): Required<WatchFailure>;
}

/** Watches until the job ends; after a guard halt it goes on (without the guard) until the tasks in progress end. */
export async function pollWatch(entry: WatchEntry, host: WatchLoopHost): Promise<void> {
	const { deps } = host;
	const { signal } = entry.controller;
	const { watchJob } = await import('../../core/lifecycle/monitor.js');
	let failures = 0;
	while (!signal.aborted) {
		const { watched } = entry.snapshot;
		try {
			const connection = await watchConnection(deps.access, watched);
			if (!connection) {
				throw noCredentials(watched.profile, 'watch');
			}
			if (signal.aborted) {
				return;
			}
			entry.connection = connection;
			await keepConnection(entry, host, connection);
			const result: WatchResult = await watchJob(connection.lifecycle, watched.jobId, {
				signal,
				guard: watched.guard,
				afterRerun: watched.afterRerun === true,
				interval: deps.interval,
				sleep: (ms, s) => pausingSleep(entry, host, ms, s),
				// A refresh that was under way when the watch stopped or restarted reports nothing.
				onProgress: (progress, job) => {
					if (!signal.aborted) {
						failures = 0;
						host.update(entry, { phase: 'watching', progress, job, error: undefined }, 'progress');
					}
				},
				onHalt: (halt) => host.update(entry, { halt }, 'halted'),
			});
			if (signal.aborted) {
				return;
			}
			if (result.outcome === 'halted') {
				// The guard cancelled what had not started; what runs finishes. Watch on, without the guard.
				const { guard: _done, ...rest } = entry.snapshot.watched;
				host.update(entry, { watched: rest }, 'progress');
				await host.persist();
				continue;
			}
			host.finish(entry, result);
			return;
		} catch (error) {
			if (signal.aborted || isCancelled(error)) {
				return;
			}
			const otaError = toOtaError(error, deps.mask.list());
			const instead = otaError.code === 'FolderNotOpen' ? placeInstead(watched, entry.connection, deps.placeChoosing) : undefined;
			if (instead) {
				deps.log.info(
					`[watch] Folder ${watched.folder} is no longer open: polling job ${watched.jobId} at folder ${instead.folder}, whose settings choose the same connection.`,
				);
				host.update(entry, { watched: { ...watched, ...watchedPlace(instead) } }, 'progress');
				await host.persist();
				continue;
			}
			failures++;
			const failure = host.failure(otaError);
			if (PERMANENT.has(otaError.code)) {
				host.abandon(entry, failure, otaError.code);
				return;
			}
			const delay = (deps.retryDelayMs ?? defaultRetryDelay)(failures);
			deps.log.warn(
				`[watch] Refreshing job ${watched.jobId} failed (${failure.logged}); trying again in ${Math.round(delay / 1000)} s.`,
			);
			host.update(entry, { phase: 'retrying', error: failure.error }, 'error');
			await sleep(delay, signal).catch(() => undefined);
		}
	}
}

/**
 * A watch with a place saves the connection it polls with when it is not the one saved (a watch saved before watches kept
 * it, settings changed): after a reload, with its folder gone, it polls on at another folder of it (placeInstead).
 */
async function keepConnection(entry: WatchEntry, host: WatchLoopHost, connection: OtaConnection): Promise<void> {
	const { connection: saved, ...watched } = entry.snapshot.watched;
	const kept = watchedConnection(watched, connection.connection);
	if (!sameConnection(saved, kept.connection)) {
		entry.snapshot = { ...entry.snapshot, watched: { ...watched, ...kept } };
		await host.persist();
	}
}

/**
 * The wait between refreshes, then, while the window is idle, until it has the focus again. A watch with a halt guard
 * never pauses: the guard only acts after a refresh, and a rollout left running must still be halted.
 */
async function pausingSleep(entry: WatchEntry, host: WatchLoopHost, ms: number, signal?: AbortSignal): Promise<void> {
	await sleep(ms, signal, 'watching the job');
	if (entry.snapshot.watched.guard) {
		return;
	}
	await host.deps.activity.whenActive(signal, () => host.update(entry, { phase: 'paused' }, 'paused'));
	if (entry.snapshot.phase === 'paused' && !signal?.aborted) {
		host.update(entry, { phase: 'watching' }, 'resumed');
	}
}
