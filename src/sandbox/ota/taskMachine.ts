import { isUnfinished, type JobRecord, type TaskRecord, type TaskStatus } from './model';

/**
 * The task state machine of docs/protocols.md §10.1. Every status change goes
 * through `moveTask`, which refuses a transition the table does not allow (a bug, not a user error),
 * keeps the job's per-status counters and tells the observers.
 */

const NEXT: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
	CONFIRM: ['QUEUED', 'CANCELED'],
	QUEUED: ['NOTIFIED', 'CANCELED'],
	NOTIFIED: ['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED'],
	IN_PROGRESS: ['SUCCEEDED', 'FAILED', 'CANCELED'],
	SUCCEEDED: [],
	// ReupgradeOTATask
	FAILED: ['CONFIRM', 'QUEUED'],
	CANCELED: ['CONFIRM', 'QUEUED'],
};

/** Statuses a task may be created in. */
export const INITIAL_STATUSES: readonly TaskStatus[] = ['CONFIRM', 'QUEUED', 'FAILED'];

export function canMove(from: TaskStatus, to: TaskStatus): boolean {
	return NEXT[from].includes(to);
}

export interface TaskObserver {
	now(): number;
	/** After every change, creation included (`from` undefined). */
	changed(task: TaskRecord, from: TaskStatus | undefined): void;
}

/** Adds a new task to its job's counters; the caller has put it in the job's and device's lists. */
export function recordNewTask(task: TaskRecord, observer: TaskObserver): void {
	if (!INITIAL_STATUSES.includes(task.status)) {
		throw new Error(`OTA engine: a task cannot start in ${task.status}.`);
	}
	task.job.counts[task.status] += 1;
	observer.changed(task, undefined);
}

export function moveTask(task: TaskRecord, to: TaskStatus, observer: TaskObserver, desc?: string): void {
	const from = task.status;
	if (!canMove(from, to)) {
		throw new Error(`OTA engine: illegal task transition ${from} → ${to} (${task.taskId}).`);
	}
	const job = task.job;
	job.counts[from] -= 1;
	job.counts[to] += 1;
	task.status = to;
	task.modifiedAt = observer.now();
	job.modifiedAt = task.modifiedAt;
	if (desc !== undefined) {
		task.desc = desc;
	}
	if (!isUnfinished(to)) {
		task.retryAt = undefined;
		task.attempt += 1;
	}
	observer.changed(task, from);
}

export function unfinishedCount(job: JobRecord): number {
	const c = job.counts;
	return c.CONFIRM + c.QUEUED + c.NOTIFIED + c.IN_PROGRESS;
}
