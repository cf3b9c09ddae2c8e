import type { FirmwareRecord } from '../storeRecords';
import { CANCEL_STRATEGY_CANCELS, TASK_DESC, VERIFIABLE_STATUSES } from './assumptions';
import { otaErrors } from './errors';
import { checkVerified } from './jobs';
import { isUnfinished, UNFINISHED_TASK_STATUSES, type DeviceRecord, type JobRecord, type TaskRecord, type TaskStatus } from './model';
import type { CancelByJobFlags } from './requests';
import { retryBudget, type Runtime } from './runtime';
import { moveTask } from './taskMachine';

/** The control actions (docs/protocols.md §10.1): cancel, re-run and confirm tasks, cancel a dynamic strategy. */

export function cancelTasksByJob(rt: Runtime, job: JobRecord, flags: CancelByJobFlags): number {
	if (flags.scheduled && job.status === 'PLANNED') {
		const open = UNFINISHED_TASK_STATUSES.reduce((sum, s) => sum + job.counts[s], 0);
		rt.end(job, 'CANCELED', UNFINISHED_TASK_STATUSES, TASK_DESC.jobCanceled);
		return open;
	}
	const statuses: TaskStatus[] = [];
	const flagged: Array<[boolean | undefined, TaskStatus]> = [
		[flags.queued, 'QUEUED'],
		[flags.unconfirmed ?? flags.queued, 'CONFIRM'],
		[flags.notified, 'NOTIFIED'],
		[flags.inProgress, 'IN_PROGRESS'],
	];
	flagged.forEach(([on, status]) => on && statuses.push(status));
	return job.tasks.filter((t) => statuses.includes(t.status) && rt.cancel(t, TASK_DESC.canceledByJob)).length;
}

export function cancelTasksByDevice(rt: Runtime, firmware: FirmwareRecord, devices: readonly DeviceRecord[], job?: JobRecord): number {
	let count = 0;
	for (const task of devices.flatMap((d) => d.tasks)) {
		if (task.job.firmwareId === firmware.firmwareId && (!job || task.job === job) && rt.cancel(task, TASK_DESC.canceledByDevice)) {
			count++;
		}
	}
	return count;
}

export function cancelStrategy(rt: Runtime, job: JobRecord): void {
	if (job.selectionType !== 'DYNAMIC') {
		throw otaErrors.noDynamicJob();
	}
	if (job.status === 'CANCELED') {
		throw otaErrors.jobHasCanceled();
	}
	rt.end(job, 'CANCELED', CANCEL_STRATEGY_CANCELS, TASK_DESC.jobCanceled);
}

export function reupgrade(rt: Runtime, job: JobRecord, taskIds: readonly string[]): TaskRecord[] {
	if (job.status === 'CANCELED') {
		throw otaErrors.jobCanceled();
	}
	if (job.finishAt !== undefined && rt.now() >= job.finishAt) {
		throw otaErrors.outsideScheduleWindow();
	}
	const firmware = rt.deps.store.getFirmware(job.firmwareId);
	if (job.jobType === 'UPGRADE_FIRMWARE' && firmware) {
		checkVerified(firmware);
	}
	if (job.jobType === 'VERIFY_FIRMWARE') {
		checkLatestVerification(rt, job, firmware);
	}
	const tasks = findTasks(rt, taskIds);
	if (tasks.some((t) => t.job !== job)) {
		throw otaErrors.unmatchedJob();
	}
	const rerunnable = (t: TaskRecord): boolean => t.status === 'FAILED' || t.status === 'CANCELED';
	if (!tasks.some(rerunnable)) {
		throw otaErrors.failedTaskNotFound();
	}
	if (!tasks.every(rerunnable)) {
		throw otaErrors.invalidTaskExist();
	}
	// One unfinished task per device: not while it has one elsewhere, or another one in this job (a dynamic job
	// matches a device again after a failure), and only one of this call's tasks per device.
	const eligible: TaskRecord[] = [];
	for (const task of tasks) {
		const busyHere = task.device.tasks.some((t) => t !== task && t.job === job && isUnfinished(t.status));
		const chosen = eligible.some((t) => t.device === task.device);
		if (!busyHere && !chosen && rt.conflicts(task.device, job).length === 0) {
			eligible.push(task);
		}
	}
	if (eligible.length === 0) {
		throw otaErrors.deviceNotReUpgraded();
	}
	if (job.status === 'COMPLETED' && !rt.deps.rerunKeepsJobCompleted) {
		job.status = 'IN_PROGRESS';
		job.endedAt = undefined;
		if (job.jobType === 'VERIFY_FIRMWARE') {
			rt.setFirmwareStatus(job.firmwareId, 2);
		}
	}
	for (const task of eligible) {
		Object.assign(task, { progress: 0, timeoutAt: undefined, retryAt: undefined, retriesLeft: retryBudget(job) });
		moveTask(task, job.options.needConfirm ? 'CONFIRM' : 'QUEUED', rt, '');
		if (task.status === 'QUEUED') {
			rt.pumps.enqueue(task);
		}
	}
	return eligible;
}

/**
 * Only the package's latest verify job decides its Status (and VerifyProgress reads that job), so only it may be
 * re-run; reopening it once it ended needs the package back in a state it may be verified from (A8).
 */
function checkLatestVerification(rt: Runtime, job: JobRecord, firmware: FirmwareRecord | undefined): void {
	if (rt.latestVerifyJob(job.firmwareId) !== job) {
		throw otaErrors.verifyJobSuperseded();
	}
	if (job.status === 'COMPLETED' && firmware && !VERIFIABLE_STATUSES.includes(firmware.status)) {
		throw otaErrors.verifyNotAllowed(firmware.status);
	}
}

export function confirm(rt: Runtime, taskIds: readonly string[]): TaskRecord[] {
	const tasks = findTasks(rt, taskIds);
	if (tasks.some((t) => t.status !== 'CONFIRM')) {
		throw otaErrors.taskNotConfirmable();
	}
	const now = rt.now();
	if (tasks.some((t) => t.job.status === 'PLANNED' || (t.job.finishAt !== undefined && now >= t.job.finishAt))) {
		throw otaErrors.outsideScheduleWindow();
	}
	for (const task of tasks) {
		moveTask(task, 'QUEUED', rt);
		rt.pumps.enqueue(task);
	}
	return tasks;
}

/** The tasks of the ids, each once (a repeated id names the same task). */
function findTasks(rt: Runtime, taskIds: readonly string[]): TaskRecord[] {
	return [...new Set(taskIds)].map((id) => {
		const task = rt.tasks.get(id);
		if (!task) {
			throw otaErrors.invalidTaskId();
		}
		return task;
	});
}
