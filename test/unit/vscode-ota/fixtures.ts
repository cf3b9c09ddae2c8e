// Data shapes for the OTA view unit tests (what the core's mappers produce).
import { emptyCounts, summarize, type JobProgress, type OtaJob, type StatusCounts } from '../../../src/core/lifecycle';
import type { WatchSnapshot } from '../../../src/vscode/ota/contract';

export function counts(partial: Partial<StatusCounts>): StatusCounts {
	return { ...emptyCounts(), ...partial };
}

export function progress(partial: Partial<StatusCounts>, over: Partial<JobProgress> = {}): JobProgress {
	const c = counts(partial);
	return {
		jobId: 'j1',
		jobStatus: 'IN_PROGRESS',
		counts: c,
		summary: summarize(c),
		elapsedMs: 0,
		refresh: 1,
		calls: 1,
		changed: true,
		...over,
	};
}

export function job(over: Partial<OtaJob> = {}): OtaJob {
	return {
		jobId: 'j1',
		jobStatus: 'IN_PROGRESS',
		jobType: 'UPGRADE_FIRMWARE',
		selectionType: 'STATIC',
		targetSelection: 'ALL',
		tags: [],
		srcVersions: [],
		...over,
	};
}

export function snapshot(jobId: string, over: Partial<WatchSnapshot> = {}): WatchSnapshot {
	return { watched: { jobId, profile: 'dev', since: 0 }, phase: 'watching', job: job({ jobId }), ...over };
}
