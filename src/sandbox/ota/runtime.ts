import type { Logger } from '../../core/logger';
import type { SandboxStore } from '../store';
import type { FirmwareRecord } from '../storeRecords';
import { SCHEDULE_FINISH_CANCELS, TASK_DESC } from './assumptions';
import { matchDynamic } from './dynamic';
import type { Fleet } from './fleet';
import { isUnfinished, type DeviceRecord, type JobRecord, type TaskRecord, type TaskStatus } from './model';
import type { PackageChecker } from './packages';
import { Pumps } from './pump';
import type { Scheduler } from './scheduler';
import { moveTask, recordNewTask, unfinishedCount, type TaskObserver } from './taskMachine';
import { randomId } from '../ids';

/**
 * The running lifecycle: jobs and tasks in memory, and what happens to them over time — job start and
 * end, device reports, failures with retries, timeouts, dynamic matching, devices going on and off
 * line. Delivery (push rate, pushes, pulls) is in pump.ts, the devices' side in deviceSim.ts.
 */

export interface RuntimeDeps {
	store: SandboxStore;
	fleet: Fleet;
	now: () => number;
	timeScale: number;
	scheduler: Scheduler;
	packages: PackageChecker;
	downloadUrl: (firmware: FirmwareRecord) => string;
	logger: Logger;
	onTaskChange?: (task: TaskRecord, from: TaskStatus | undefined) => void;
	/** A8 the other way: a re-run or confirmed task of a COMPLETED job runs while the job stays COMPLETED. */
	rerunKeepsJobCompleted?: boolean;
	dirty: { job(job: JobRecord): void; fleet(): void };
}

export class Runtime implements TaskObserver {
	readonly jobs = new Map<string, JobRecord>();
	readonly jobList: JobRecord[] = [];
	readonly tasks = new Map<string, TaskRecord>();
	readonly pumps: Pumps;

	constructor(readonly deps: RuntimeDeps) {
		this.pumps = new Pumps(this);
	}

	now(): number {
		return this.deps.now();
	}

	/** The job's QUEUED tasks are delivered: it runs, or it stays COMPLETED for its re-runs (rerunKeepsJobCompleted). */
	delivers(job: JobRecord): boolean {
		return job.status === 'IN_PROGRESS' || (job.status === 'COMPLETED' && this.deps.rerunKeepsJobCompleted === true);
	}

	/** The sandbox clock time `nominalMs` of lifecycle time from now. */
	later(nominalMs: number): number {
		return this.now() + nominalMs / this.deps.timeScale;
	}

	changed(task: TaskRecord, from: TaskStatus | undefined): void {
		this.deps.dirty.job(task.job);
		if (from !== undefined && !isUnfinished(task.status)) {
			this.checkJobDone(task.job);
		}
		this.deps.onTaskChange?.(task, from);
	}

	addJob(job: JobRecord): void {
		this.jobs.set(job.jobId, job);
		this.jobList.push(job);
		this.deps.dirty.job(job);
	}

	/** Unfinished tasks of the device in other jobs that a task of `job` would collide with. */
	conflicts(device: DeviceRecord, job: JobRecord): TaskRecord[] {
		if (device.tasks.length === 0) {
			return [];
		}
		return device.tasks.filter(
			(t) =>
				isUnfinished(t.status) &&
				t.job !== job &&
				(!(job.options.multiModuleMode && t.job.options.multiModuleMode) || t.job.moduleName === job.moduleName),
		);
	}

	/** Creates the device's task in the job, applying OverwriteMode to a pending task elsewhere (docs/protocols.md §10.1, A11). */
	createTask(job: JobRecord, device: DeviceRecord): TaskRecord {
		const busy = this.conflicts(device, job);
		const replace = busy.length > 0 && job.options.overwriteMode === 2 && busy.every((t) => t.status !== 'IN_PROGRESS');
		for (const old of replace ? busy : []) {
			moveTask(old, 'CANCELED', this, TASK_DESC.overwritten);
		}
		const now = this.now();
		const failed = busy.length > 0 && !replace;
		const task: TaskRecord = {
			taskId: randomId(26),
			job,
			device,
			position: job.tasks.length,
			srcVersion: device.versions[job.moduleName] ?? '',
			status: failed ? 'FAILED' : job.options.needConfirm ? 'CONFIRM' : 'QUEUED',
			progress: 0,
			desc: failed ? TASK_DESC.busy : '',
			createdAt: now,
			modifiedAt: now,
			retriesLeft: retryBudget(job),
			attempt: 0,
		};
		job.tasks.push(task);
		device.tasks.push(task);
		this.tasks.set(task.taskId, task);
		recordNewTask(task, this);
		if (task.status === 'QUEUED') {
			this.pumps.enqueue(task);
		}
		return task;
	}

	/** Arms the job's schedule (PLANNED until its start), or starts it now. */
	schedule(job: JobRecord): void {
		if (job.status === 'PLANNED' && job.startAt !== undefined) {
			const startAt = job.startAt;
			this.deps.scheduler.at(startAt, () => job.status === 'PLANNED' && this.start(job));
		}
		if (job.finishAt !== undefined && (job.status === 'PLANNED' || job.status === 'IN_PROGRESS')) {
			this.deps.scheduler.at(job.finishAt, () => this.finishBySchedule(job));
		}
		if (job.status === 'IN_PROGRESS') {
			this.checkJobDone(job);
		}
	}

	start(job: JobRecord): void {
		job.status = 'IN_PROGRESS';
		job.startedAt = this.now();
		job.modifiedAt = job.startedAt;
		this.deps.dirty.job(job);
		job.tasks.forEach((t) => t.status === 'QUEUED' && this.pumps.enqueue(t));
		this.checkJobDone(job);
	}

	cancel(task: TaskRecord, desc: string): boolean {
		if (!isUnfinished(task.status)) {
			return false;
		}
		moveTask(task, 'CANCELED', this, desc);
		return true;
	}

	/** Ends a job (COMPLETED or CANCELED) and cancels its tasks in the given states. */
	end(job: JobRecord, status: 'COMPLETED' | 'CANCELED', cancel: readonly TaskStatus[], desc: string): void {
		job.status = status;
		job.endedAt = this.now();
		job.modifiedAt = job.endedAt;
		this.deps.dirty.job(job);
		job.tasks.forEach((t) => cancel.includes(t.status) && this.cancel(t, desc));
	}

	/** A device's progress report for its task: step ≥ 0 is a percentage, -1…-4 a failure. */
	progress(task: TaskRecord, step: number, desc: string): void {
		if (step < 0) {
			this.fail(task, desc, true);
			return;
		}
		task.progress = step;
		task.modifiedAt = this.now();
		if (task.status === 'NOTIFIED') {
			const timeout = task.job.options.timeoutInMinutes;
			if (timeout !== undefined && task.timeoutAt === undefined) {
				const timeoutAt = this.later(timeout * 60_000);
				task.timeoutAt = timeoutAt;
				this.armTimeout(task);
			}
			moveTask(task, 'IN_PROGRESS', this);
		} else {
			this.deps.dirty.job(task.job);
		}
	}

	armTimeout(task: TaskRecord): void {
		const at = task.timeoutAt;
		if (at !== undefined) {
			this.deps.scheduler.at(at, () => {
				if (task.timeoutAt === at && isUnfinished(task.status)) {
					moveTask(task, 'FAILED', this, TASK_DESC.timeout);
				}
			});
		}
	}

	/** A failure report: retried after RetryInterval while retries are left (only when SrcVersions were named), else FAILED. */
	fail(task: TaskRecord, desc: string, retryable: boolean): void {
		if (task.status !== 'NOTIFIED' && task.status !== 'IN_PROGRESS') {
			return;
		}
		const interval = task.job.options.retryInterval;
		if (!retryable || interval === undefined || task.retriesLeft <= 0) {
			moveTask(task, 'FAILED', this, desc);
			return;
		}
		task.retriesLeft -= 1;
		task.attempt += 1;
		task.retryAt = this.later(interval * 60_000);
		task.modifiedAt = this.now();
		this.deps.dirty.job(task.job);
		this.armRetry(task);
	}

	armRetry(task: TaskRecord): void {
		const at = task.retryAt;
		if (at !== undefined) {
			this.deps.scheduler.at(at, () => {
				if (task.retryAt === at && isUnfinished(task.status)) {
					task.retryAt = undefined;
					if (task.device.online) {
						this.pumps.deliver(task);
					}
				}
			});
		}
	}

	/** A version report (/ota/device/inform) for one module. */
	inform(device: DeviceRecord, moduleName: string, version: string): void {
		if (device.versions[moduleName] !== version) {
			device.versions[moduleName] = version;
			this.deps.dirty.fleet();
		}
		const task = device.tasks.find((t) => (t.status === 'NOTIFIED' || t.status === 'IN_PROGRESS') && t.job.moduleName === moduleName);
		if (task && version === task.job.destVersion) {
			task.progress = 100;
			task.timeoutAt = undefined;
			moveTask(task, 'SUCCEEDED', this, '');
		} else if (task?.status === 'IN_PROGRESS' && version !== task.srcVersion && task.retryAt === undefined) {
			this.fail(task, TASK_DESC.versionNotConform, true);
		}
		matchDynamic(this, device, moduleName, version);
	}

	/** Coming online: the boot-time version reports, then pushes of whatever is pending (docs/protocols.md §10.1, A15). */
	online(device: DeviceRecord): void {
		device.online = true;
		device.onlineAt = this.now();
		this.deps.dirty.fleet();
		for (const [moduleName, version] of Object.entries(device.versions)) {
			this.inform(device, moduleName, version);
		}
		for (const task of device.tasks.filter((t) => isUnfinished(t.status))) {
			if (task.status === 'QUEUED') {
				this.pumps.enqueue(task);
			} else if ((task.status === 'NOTIFIED' || task.status === 'IN_PROGRESS') && task.retryAt === undefined) {
				this.pumps.deliver(task);
			}
		}
	}

	offline(device: DeviceRecord): void {
		device.online = false;
		this.deps.dirty.fleet();
		device.tasks.forEach((t) => isUnfinished(t.status) && (t.attempt += 1));
	}

	private finishBySchedule(job: JobRecord): void {
		if (job.status === 'PLANNED' || job.status === 'IN_PROGRESS') {
			this.end(job, 'COMPLETED', SCHEDULE_FINISH_CANCELS, TASK_DESC.scheduleFinished);
		}
	}

	/** Static and verify jobs complete when no task is left unfinished; the package's latest verify job then sets its Status. */
	checkJobDone(job: JobRecord): void {
		if (job.status !== 'IN_PROGRESS' || job.selectionType !== 'STATIC' || unfinishedCount(job) > 0) {
			return;
		}
		this.end(job, 'COMPLETED', [], '');
		if (job.jobType === 'VERIFY_FIRMWARE' && this.latestVerifyJob(job.firmwareId) === job) {
			const passed = job.tasks.length > 0 && job.counts.SUCCEEDED === job.tasks.length;
			this.setFirmwareStatus(job.firmwareId, passed ? 1 : 3);
		}
	}

	/** The package's newest verify job: the one its Status and VerifyProgress follow. */
	latestVerifyJob(firmwareId: string): JobRecord | undefined {
		for (let i = this.jobList.length - 1; i >= 0; i--) {
			const job = this.jobList[i];
			if (job.firmwareId === firmwareId && job.jobType === 'VERIFY_FIRMWARE') {
				return job;
			}
		}
		return undefined;
	}

	setFirmwareStatus(firmwareId: string, status: number): void {
		this.deps.store
			.updateFirmware(firmwareId, { status, modifiedAt: this.now() })
			.catch((error: unknown) => this.deps.logger.warn(`sandbox: could not save the firmware status: ${String(error)}`));
	}
}

/** Automatic retries only when the job named SrcVersions and set RetryInterval/RetryCount (docs/protocols.md §10.1). */
export function retryBudget(job: JobRecord): number {
	const { srcVersions, retryInterval, retryCount } = job.options;
	return srcVersions.length > 0 && retryInterval !== undefined ? (retryCount ?? 0) : 0;
}
