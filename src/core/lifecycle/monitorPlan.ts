// The pure parts of watching a job: how to count its tasks in a few calls, how long to wait before the next
// refresh, and the throughput/ETA estimate. The platform has no per-status counters (docs/protocols.md §11.7, §12.3): a
// ListOTATaskByJob per status with PageSize 1 reads each count from `Total`, whatever the size of the job.
import { ACTION_FACTS } from '../iot/actions';
import { TASK_STATUSES, type OtaTask, type TaskStatus } from './types';

export type StatusCounts = Record<TaskStatus, number>;

export function emptyCounts(): StatusCounts {
	return Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as StatusCounts;
}

export function countTasks(tasks: readonly OtaTask[]): StatusCounts {
	const counts = emptyCounts();
	for (const task of tasks) {
		counts[task.status]++;
	}
	return counts;
}

export interface CountSummary {
	total: number;
	succeeded: number;
	failed: number;
	canceled: number;
	/** SUCCEEDED + FAILED + CANCELED. */
	finished: number;
	/** CONFIRM + QUEUED + NOTIFIED + IN_PROGRESS. */
	unfinished: number;
}

export function summarize(counts: StatusCounts): CountSummary {
	const total = TASK_STATUSES.reduce((sum, status) => sum + counts[status], 0);
	const finished = counts.SUCCEEDED + counts.FAILED + counts.CANCELED;
	return { total, succeeded: counts.SUCCEEDED, failed: counts.FAILED, canceled: counts.CANCELED, finished, unfinished: total - finished };
}

export function sameCounts(a: StatusCounts | undefined, b: StatusCounts): boolean {
	return a !== undefined && TASK_STATUSES.every((status) => a[status] === b[status]);
}

/** Jobs with at most this many tasks are read whole in one call (PageSize 100), which also gives every task's state. */
export const SMALL_JOB_TASKS = 100;

/** `list`: one page of all tasks; `count`: one PageSize-1 call per listed status. */
export type RefreshPlan = { mode: 'list' } | { mode: 'count'; statuses: TaskStatus[] };

/**
 * Small or not-yet-sized jobs are listed; large ones counted per status. CONFIRM is skipped for jobs without
 * NeedConfirm that never had a task in it: such a job cannot have one.
 */
export function planRefresh(known: { total?: number; counts?: StatusCounts; needConfirm?: boolean }): RefreshPlan {
	if (known.total === undefined || known.total <= SMALL_JOB_TASKS) {
		return { mode: 'list' };
	}
	const skipConfirm = known.needConfirm === false && (known.counts?.CONFIRM ?? 0) === 0;
	return { mode: 'count', statuses: TASK_STATUSES.filter((status) => !(skipConfirm && status === 'CONFIRM')) };
}

export interface IntervalPolicy {
	/** Shortest wait between refreshes. */
	minMs: number;
	/** Longest wait, reached after several refreshes without change. */
	maxMs: number;
	/** Growth factor of the wait while nothing changes. */
	backoff: number;
	/** Share of the action's QPS one watch may use, so other work (an upload, another watch) keeps its turn. */
	budgetShare: number;
	/** ListOTATaskByJob's QPS. */
	qps: number;
}

export const DEFAULT_INTERVAL_POLICY: Readonly<IntervalPolicy> = {
	minMs: 2000,
	maxMs: 30_000,
	backoff: 1.5,
	budgetShare: 0.5,
	qps: ACTION_FACTS.ListOTATaskByJob.qps,
};

/** Back to the shortest wait after a change, growing while nothing changes; never faster than the QPS share allows. */
export function nextInterval(previousMs: number | undefined, changed: boolean, callsPerRefresh: number, policy: IntervalPolicy): number {
	const budgetFloor = Math.ceil((callsPerRefresh / (policy.qps * policy.budgetShare)) * 1000);
	const floor = Math.min(Math.max(policy.minMs, budgetFloor), Math.max(policy.maxMs, budgetFloor));
	if (changed || previousMs === undefined) {
		return floor;
	}
	return Math.max(floor, Math.min(policy.maxMs, Math.round(previousMs * policy.backoff)));
}

export interface FinishedSample {
	at: number;
	finished: number;
}

/** Finished tasks per minute over the last `windowMs`, and the time the unfinished ones need at that rate. */
export function throughput(
	samples: readonly FinishedSample[],
	unfinished: number,
	windowMs = 120_000,
): { perMinute?: number; etaMs?: number } {
	const latest = samples.at(-1);
	const oldest = latest && samples.find((sample) => sample.at >= latest.at - windowMs);
	if (!latest || !oldest || latest.at === oldest.at) {
		return {};
	}
	const perMinute = ((latest.finished - oldest.finished) * 60_000) / (latest.at - oldest.at);
	if (perMinute <= 0) {
		return { perMinute: 0 };
	}
	return { perMinute, etaMs: Math.round((unfinished / perMinute) * 60_000) };
}
