// Watching a job: counts per status in a handful of calls per refresh (the plan of monitorPlan.ts), task details
// only for what changed (small jobs) or failed (large ones), an adaptive refresh interval, and the guard. Every call
// goes through the client, so the account's per-action QPS budget is shared with whatever else runs.
import { setMaxListeners } from 'node:events';
import { maxPageSize } from '../iot/actions';
import { sleep as abortableSleep } from '../retry';
import type { LifecycleApi } from './client';
import { diagnose, type Diagnosis } from './diagnosis';
import { guardVerdict, haltRollout, type GuardApi, type GuardPolicy, type HaltReport } from './guard';
import {
	countTasks,
	type CountSummary,
	DEFAULT_INTERVAL_POLICY,
	emptyCounts,
	type FinishedSample,
	type IntervalPolicy,
	nextInterval,
	planRefresh,
	sameCounts,
	type StatusCounts,
	summarize,
	throughput,
} from './monitorPlan';
import { LIFECYCLE_LIMITS } from './rules';
import type { OtaJob, OtaTask, TaskStatus } from './types';

export type MonitorApi = Pick<LifecycleApi, 'queryJob' | 'listTasksByJob'>;
/** A watch reads the job and may halt it. */
export type WatchApi = MonitorApi & GuardApi;

export interface JobProgress {
	jobId: string;
	jobStatus: string;
	counts: StatusCounts;
	summary: CountSummary;
	/** Finished tasks per minute, once two refreshes are known. */
	perMinute?: number;
	etaMs?: number;
	elapsedMs: number;
	/** 1-based number of the refresh. */
	refresh: number;
	/** API calls this refresh made. */
	calls: number;
	/** Counts or job status differ from the previous refresh. */
	changed: boolean;
}

export interface TaskChange {
	task: OtaTask;
	/** The status seen before, when the task was seen before. */
	previous?: TaskStatus;
	diagnosis?: Diagnosis;
}

/** The job itself is re-read every few refreshes (and whenever no task is open) to notice cancels and completion. */
const JOB_REFRESH_EVERY = 5;
const PAGE = maxPageSize('ListOTATaskByJob');

export class JobMonitor {
	job?: OtaJob;
	private counts?: StatusCounts;
	private readonly statusOf = new Map<string, TaskStatus>();
	/** Failures reported in count mode: taskId → UtcModified, so a retried task that fails again is new again. */
	private readonly failedSeen = new Map<string, string | undefined>();
	private readonly samples: FinishedSample[] = [];
	private refreshes = 0;
	private readonly started: number;
	private readonly signal?: AbortSignal;

	constructor(
		private readonly api: MonitorApi,
		readonly jobId: string,
		private readonly opts: { now?: () => number; signal?: AbortSignal } = {},
	) {
		this.started = this.now();
		this.signal = opts.signal && manyListeners(opts.signal);
	}

	/** Re-reads the job alone (e.g. for its final status). */
	async refreshJob(): Promise<OtaJob> {
		this.job = await this.api.queryJob(this.jobId, this.signal);
		return this.job;
	}

	private now(): number {
		return (this.opts.now ?? Date.now)();
	}

	async refresh(forceJob = false): Promise<{ progress: JobProgress; changes: TaskChange[] }> {
		const { signal } = this;
		let calls = 0;
		const previousStatus = this.job?.jobStatus;
		if (!this.job || forceJob || this.refreshes % JOB_REFRESH_EVERY === 0 || (this.counts && summarize(this.counts).unfinished === 0)) {
			this.job = await this.api.queryJob(this.jobId, signal);
			calls++;
		}
		this.refreshes++;
		const job = this.job;
		const total = this.counts ? summarize(this.counts).total : undefined;
		let plan = planRefresh({ total, counts: this.counts, needConfirm: job.needConfirm });
		let counts: StatusCounts | undefined;
		let changes: TaskChange[] = [];
		if (plan.mode === 'list') {
			const page = await this.api.listTasksByJob({ jobId: this.jobId, pageSize: PAGE }, signal);
			calls++;
			if (page.total <= page.items.length) {
				counts = countTasks(page.items);
				changes = this.diff(page.items);
			} else {
				plan = planRefresh({ total: page.total, needConfirm: job.needConfirm });
			}
		}
		if (plan.mode === 'count') {
			counts = emptyCounts();
			const pages = await Promise.all(
				plan.statuses.map((status) => this.api.listTasksByJob({ jobId: this.jobId, status, pageSize: 1 }, signal)),
			);
			plan.statuses.forEach((status, index) => ((counts as StatusCounts)[status] = pages[index].total));
			calls += pages.length;
			const fetched = await this.newFailures(counts.FAILED);
			calls += fetched.calls;
			changes = fetched.changes;
		}
		const finalCounts = counts ?? emptyCounts();
		const changed = !sameCounts(this.counts, finalCounts) || previousStatus !== job.jobStatus;
		this.counts = finalCounts;
		const summary = summarize(finalCounts);
		const at = this.now();
		this.samples.push({ at, finished: summary.finished });
		if (this.samples.length > 64) {
			this.samples.shift();
		}
		const rate = throughput(this.samples, summary.unfinished);
		const progress: JobProgress = {
			jobId: this.jobId,
			jobStatus: job.jobStatus,
			counts: finalCounts,
			summary,
			...rate,
			elapsedMs: at - this.started,
			refresh: this.refreshes,
			calls,
			changed,
		};
		return { progress, changes };
	}

	/** Small jobs: every task whose status differs from the last refresh; on the first, the failed ones. */
	private diff(tasks: readonly OtaTask[]): TaskChange[] {
		const changes: TaskChange[] = [];
		for (const task of tasks) {
			const previous = this.statusOf.get(task.taskId);
			if (previous !== task.status) {
				this.statusOf.set(task.taskId, task.status);
				if (previous !== undefined || task.status === 'FAILED') {
					changes.push(this.change(task, previous));
				}
			}
		}
		return changes;
	}

	/**
	 * Large jobs: details of failures not reported yet. The list order is undocumented, so the first and the last page
	 * of FAILED (within the paging depth) are read: newest-first or oldest-first lists both show new failures there. At
	 * most two calls, made whenever a task is FAILED: the count cannot tell whether a retried task failed again.
	 */
	private async newFailures(failedCount: number): Promise<{ calls: number; changes: TaskChange[] }> {
		const changes: TaskChange[] = [];
		if (failedCount === 0) {
			return { calls: 0, changes };
		}
		const lastPage = Math.min(Math.ceil(failedCount / PAGE), Math.floor(LIFECYCLE_LIMITS.taskPageDepth / PAGE));
		const pages = lastPage > 1 ? [1, lastPage] : [1];
		for (const currentPage of pages) {
			const page = await this.api.listTasksByJob({ jobId: this.jobId, status: 'FAILED', pageSize: PAGE, currentPage }, this.signal);
			for (const task of page.items) {
				if (!this.failedSeen.has(task.taskId) || this.failedSeen.get(task.taskId) !== task.utcModified) {
					this.failedSeen.set(task.taskId, task.utcModified);
					changes.push(this.change(task, undefined));
				}
			}
		}
		return { calls: pages.length, changes };
	}

	private change(task: OtaTask, previous: TaskStatus | undefined): TaskChange {
		const diagnosis = task.status === 'FAILED' ? diagnose({ task, job: this.job }) : undefined;
		return { task, ...(previous ? { previous } : {}), ...(diagnosis ? { diagnosis } : {}) };
	}
}

/**
 * A signal that follows `signal` and may carry a listener per concurrent call: a refresh's parallel counting calls
 * each listen for the abort, more than EventTarget's default of 10 before it warns.
 */
function manyListeners(signal: AbortSignal): AbortSignal {
	const controller = new AbortController();
	setMaxListeners(100, controller.signal);
	if (signal.aborted) {
		controller.abort(signal.reason);
	} else {
		signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
	}
	return controller.signal;
}

/**
 * A job has ended once it is COMPLETED or CANCELED, or (static and verify jobs) once it has tasks and none is open.
 * After a re-run (`afterRerun`), a COMPLETED job ends only once no task is QUEUED, NOTIFIED or IN_PROGRESS: the
 * platform may keep it COMPLETED while the re-run tasks run (docs/protocols.md §10.7 A8). Tasks waiting in CONFIRM do
 * not hold it: nothing ends them but a confirm, which may never come.
 */
export function jobEnded(job: Pick<OtaJob, 'jobStatus' | 'selectionType'>, summary: CountSummary, counts?: StatusCounts): boolean {
	if (job.jobStatus === 'COMPLETED' && counts) {
		return counts.QUEUED + counts.NOTIFIED + counts.IN_PROGRESS === 0;
	}
	if (job.jobStatus === 'COMPLETED' || job.jobStatus === 'CANCELED') {
		return true;
	}
	return job.selectionType !== 'DYNAMIC' && summary.total > 0 && summary.unfinished === 0;
}

/**
 * An ended job succeeded when every task did. A CANCELED job did only when it is a dynamic job whose strategy was
 * stopped after its tasks (at least one) all succeeded: a cancelled static or verification job, or one without any
 * task, never did (docs/protocols.md §12.5). A COMPLETED job without tasks did: every device was on the version.
 */
function everyTaskSucceeded(job: Pick<OtaJob, 'jobStatus' | 'selectionType'>, summary: CountSummary): boolean {
	if (job.jobStatus === 'CANCELED' && (job.selectionType !== 'DYNAMIC' || summary.total === 0)) {
		return false;
	}
	return summary.succeeded === summary.total;
}

export type WatchOutcome = 'succeeded' | 'failed' | 'halted';

export interface WatchOptions {
	signal?: AbortSignal;
	/** Halt the job when the failure rate passes the threshold. */
	guard?: GuardPolicy;
	interval?: Partial<IntervalPolicy>;
	/**
	 * The watch starts right after a retry or confirm it asked for: a COMPLETED job with tasks still QUEUED, NOTIFIED
	 * or IN_PROGRESS is watched until they end (docs/protocols.md §10.7 A8).
	 */
	afterRerun?: boolean;
	now?: () => number;
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
	onProgress?(progress: JobProgress, job: OtaJob): void;
	onTask?(change: TaskChange): void;
	onHalt?(report: HaltReport): void;
}

export interface WatchResult {
	outcome: WatchOutcome;
	job: OtaJob;
	progress: JobProgress;
	halt?: HaltReport;
}

/**
 * Watches until the job ends (`succeeded` when every task SUCCEEDED, else `failed`) or the guard halts it
 * (`halted`). An abort stops the watch with the cancelled OtaError and never touches the job.
 */
export async function watchJob(api: WatchApi, jobId: string, opts: WatchOptions = {}): Promise<WatchResult> {
	const policy: IntervalPolicy = { ...DEFAULT_INTERVAL_POLICY, ...opts.interval };
	const wait = opts.sleep ?? ((ms: number, signal?: AbortSignal) => abortableSleep(ms, signal, 'watching the job'));
	const monitor = new JobMonitor(api, jobId, { now: opts.now, signal: opts.signal });
	const report = (refreshed: { progress: JobProgress; changes: TaskChange[] }): JobProgress => {
		refreshed.changes.forEach((change) => opts.onTask?.(change));
		opts.onProgress?.(refreshed.progress, monitor.job as OtaJob);
		return refreshed.progress;
	};
	const ended = (job: OtaJob, progress: JobProgress): boolean =>
		jobEnded(job, progress.summary, opts.afterRerun ? progress.counts : undefined);
	let waitMs: number | undefined;
	for (;;) {
		const progress = report(await monitor.refresh());
		const job = monitor.job as OtaJob;
		const verdict = opts.guard ? guardVerdict(progress.counts, opts.guard) : undefined;
		if (verdict?.halt && !ended(job, progress)) {
			const halt = await haltRollout(api, job, verdict, opts.signal);
			opts.onHalt?.(halt);
			const final = report(await monitor.refresh(true));
			return { outcome: 'halted', job: monitor.job as OtaJob, progress: final, halt };
		}
		if (ended(job, progress)) {
			const final = job.jobStatus === 'COMPLETED' || job.jobStatus === 'CANCELED' ? job : await monitor.refreshJob();
			return {
				outcome: everyTaskSucceeded(final, progress.summary) ? 'succeeded' : 'failed',
				job: final,
				progress: { ...progress, jobStatus: final.jobStatus },
			};
		}
		waitMs = nextInterval(waitMs, progress.changed, progress.calls, policy);
		await wait(waitMs, opts.signal);
	}
}
