// Cancel, retry and confirm a job's tasks, split into calls within the documented per-call limits (docs/protocols.md
// §11.8). Task ids are collected before the first write, because each write moves tasks out of the listed status.
import { OtaError, toOtaError } from '../errors';
import { everyPage } from '../iot/paging';
import type { LifecycleApi } from './client';
import type { CancelByJobRequest } from './requests';
import { checkNames, invalid, LIFECYCLE_LIMITS } from './rules';
import type { TaskStatus } from './types';

export type CancelFlags = Omit<CancelByJobRequest, 'jobId'>;

export interface CancelSpec {
	/** Cancels every task of the job in the flagged states (CancelOTATaskByJob). */
	flags?: CancelFlags;
	/** Cancels these devices' tasks of the job (CancelOTATaskByDevice). */
	deviceNames?: readonly string[];
	/** Stops a dynamic job from matching more devices (CancelOTAStrategyByJob). */
	strategy?: boolean;
}

/**
 * The CancelOTATaskByJob flags that cancel the tasks in exactly these states (and a PLANNED job's schedule).
 * CancelQueuedTask alone also cancels CONFIRM tasks (docs/protocols.md §11.8), so QUEUED without CONFIRM sends
 * CancelUnconfirmedTask=false.
 */
export function cancelFlagsFor(states: readonly TaskStatus[], scheduled = false): CancelFlags {
	const flag = (status: TaskStatus): true | undefined => (states.includes(status) ? true : undefined);
	return {
		queued: flag('QUEUED'),
		notified: flag('NOTIFIED'),
		inProgress: flag('IN_PROGRESS'),
		unconfirmed: states.includes('CONFIRM') ? true : states.includes('QUEUED') ? false : undefined,
		scheduled: scheduled || undefined,
	};
}

const hasFlag = (flags: CancelFlags | undefined): boolean => Object.values(flags ?? {}).some((value) => value === true);

export function checkCancelSpec(spec: CancelSpec): void {
	if (!hasFlag(spec.flags) && !spec.deviceNames?.length && !spec.strategy) {
		throw invalid('NothingToCancel', 'Say what to cancel: task states, devices, or the dynamic strategy.', {
			reason: 'nothing-to-cancel',
		});
	}
	if (spec.deviceNames) {
		checkNames('cancel-devices', spec.deviceNames, LIFECYCLE_LIMITS.cancelDevices);
	}
}

export type ControlApi = Pick<
	LifecycleApi,
	'queryJob' | 'listTasksByJob' | 'cancelTasksByJob' | 'cancelTasksByDevice' | 'cancelStrategy' | 'reupgradeTasks' | 'confirmTasks'
>;

/** Strategy first (no new tasks appear), then task states, then devices. Returns the actions called, in order. */
export async function cancelJob(api: ControlApi, jobId: string, spec: CancelSpec, signal?: AbortSignal): Promise<string[]> {
	checkCancelSpec(spec);
	const called: string[] = [];
	if (spec.strategy) {
		await api.cancelStrategy(jobId, signal);
		called.push('CancelOTAStrategyByJob');
	}
	if (hasFlag(spec.flags)) {
		await api.cancelTasksByJob({ jobId, ...spec.flags }, signal);
		called.push('CancelOTATaskByJob');
	}
	if (spec.deviceNames?.length) {
		const job = await api.queryJob(jobId, signal);
		await api.cancelTasksByDevice(
			{ firmwareId: job.firmwareId ?? '', productKey: job.productKey ?? '', deviceNames: spec.deviceNames, jobId },
			signal,
		);
		called.push('CancelOTATaskByDevice');
	}
	return called;
}

/** Every task id of the job in `status`, page by page; the listing pages no deeper than taskPageDepth tasks. */
export function taskIdsIn(
	api: Pick<LifecycleApi, 'listTasksByJob'>,
	jobId: string,
	status: TaskStatus,
	signal?: AbortSignal,
): Promise<string[]> {
	return everyPage('ListOTATaskByJob', async (page) => {
		const { items, total } = await api.listTasksByJob({ jobId, status, ...page }, signal);
		return { items: items.map((task) => task.taskId), total: Math.min(total, LIFECYCLE_LIMITS.taskPageDepth) };
	});
}

export interface BulkResult {
	/** Tasks the platform accepted. */
	done: string[];
}

/** The failure of a later chunk, saying how many tasks the earlier chunks already handled. */
function partialError(error: OtaError, done: number, total: number): OtaError {
	return new OtaError({
		code: error.code,
		source: error.source,
		requestId: error.requestId,
		status: error.status,
		hint: error.hint,
		message: `${error.message} (${done} of ${total} tasks were done before this failure.)`,
	});
}

async function inChunks(ids: readonly string[], run: (chunk: string[]) => Promise<void>): Promise<BulkResult> {
	const done: string[] = [];
	for (let i = 0; i < ids.length; i += LIFECYCLE_LIMITS.tasksPerCall) {
		const chunk = ids.slice(i, i + LIFECYCLE_LIMITS.tasksPerCall);
		try {
			await run(chunk);
		} catch (error) {
			throw done.length === 0 ? error : partialError(toOtaError(error), done.length, ids.length);
		}
		done.push(...chunk);
	}
	return { done };
}

/** Task ids given by the user: unique, non-blank, any number (they are sent in calls of at most tasksPerCall). */
export function checkTaskIds(taskIds: readonly string[]): string[] {
	return checkNames('tasks', taskIds, Number.MAX_SAFE_INTEGER);
}

/** The given task ids (checked), or every task of the job in `status`. */
async function chosenOrAll(
	api: ControlApi,
	jobId: string,
	taskIds: readonly string[] | undefined,
	status: TaskStatus,
	signal?: AbortSignal,
) {
	return taskIds ? checkTaskIds(taskIds) : taskIdsIn(api, jobId, status, signal);
}

/** ReupgradeOTATask for the given tasks, or for every FAILED task of the job. */
export async function retryTasks(
	api: ControlApi,
	jobId: string,
	taskIds: readonly string[] | undefined,
	signal?: AbortSignal,
): Promise<BulkResult> {
	return inChunks(await chosenOrAll(api, jobId, taskIds, 'FAILED', signal), (chunk) => api.reupgradeTasks(jobId, chunk, signal));
}

/** ConfirmOTATask for the given tasks, or for every task of the job waiting in CONFIRM. */
export async function confirmJobTasks(
	api: ControlApi,
	jobId: string,
	taskIds: readonly string[] | undefined,
	signal?: AbortSignal,
): Promise<BulkResult> {
	return inChunks(await chosenOrAll(api, jobId, taskIds, 'CONFIRM', signal), (chunk) => api.confirmTasks(chunk, signal));
}
