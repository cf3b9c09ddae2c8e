import type { FirmwareRecord } from '../storeRecords';
import * as control from './control';
import type { OtaEngineApi, OtaEngineDeps } from './engine';
import { otaErrors } from './errors';
import type { Fleet } from './fleet';
import { createDynamicJob, createStaticJob, createVerifyJob } from './jobs';
import { ModuleCatalog } from './modules';
import {
	isUnfinished,
	TERMINAL_TASK_STATUSES,
	UNFINISHED_TASK_STATUSES,
	type DeviceRecord,
	type JobRecord,
	type ModuleRecord,
	type TaskRecord,
	type TaskStatus,
} from './model';
import type { LoadedState } from './persistence';
import { OtaPersistence, restore } from './persistence';
import type {
	CancelByJobFlags,
	DeviceChange,
	DeviceSelector,
	DynamicJobRequest,
	PageRequest,
	Paged,
	StaticJobRequest,
	TaskFilter,
	VerifyJobRequest,
} from './requests';
import { Runtime } from './runtime';
import { Scheduler } from './scheduler';

/** The engine behind OtaEngineApi (see engine.ts for each operation's contract). */
export class OtaEngine implements OtaEngineApi {
	readonly fleet: Fleet;
	readonly now: () => number;
	readonly timeScale: number;
	private readonly scheduler: Scheduler;
	private readonly rt: Runtime;
	private readonly persistence: OtaPersistence;
	private readonly catalog: ModuleCatalog;

	constructor(deps: OtaEngineDeps, saved?: LoadedState) {
		this.fleet = deps.fleet;
		this.now = deps.now;
		this.timeScale = deps.timeScale;
		this.scheduler = new Scheduler(deps.now, deps.autoRun ?? true, (error) =>
			deps.logger.error(`sandbox: OTA event failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
		);
		this.persistence = new OtaPersistence(deps.stateDir, deps.fleet, deps.logger);
		this.rt = new Runtime({
			...deps,
			scheduler: this.scheduler,
			dirty: { job: (job) => this.persistence.markJob(job), fleet: () => this.persistence.markFleet() },
		});
		this.catalog = new ModuleCatalog(deps.fleet, deps.store, deps.now, () => this.persistence.markFleet());
		if (saved) {
			this.resume(saved);
		}
	}

	createVerifyJob(firmware: FirmwareRecord, req: VerifyJobRequest): JobRecord {
		return createVerifyJob(this.rt, firmware, req);
	}

	createStaticJob(firmware: FirmwareRecord, req: StaticJobRequest): JobRecord {
		return createStaticJob(this.rt, firmware, req);
	}

	createDynamicJob(firmware: FirmwareRecord, req: DynamicJobRequest): JobRecord {
		return createDynamicJob(this.rt, firmware, req);
	}

	firmware(firmwareId: string): FirmwareRecord | undefined {
		return this.rt.deps.store.getFirmware(firmwareId);
	}

	queryJob(jobId: string): JobRecord {
		const job = this.rt.jobs.get(jobId);
		if (!job) {
			throw otaErrors.invalidJobId();
		}
		return job;
	}

	listJobsByFirmware(firmwareId: string): JobRecord[] {
		return this.rt.jobList.filter((j) => j.firmwareId === firmwareId).reverse();
	}

	listJobsByDevice(firmwareId: string, productKey: string, deviceName: string): JobRecord[] {
		const device = this.requireDevice({ productKey, deviceName });
		const jobs = new Set(device.tasks.filter((t) => t.job.firmwareId === firmwareId).map((t) => t.job));
		return [...jobs].sort((a, b) => b.createdAt - a.createdAt);
	}

	listTasksByJob(jobId: string, filter: TaskFilter, page: PageRequest): Paged<TaskRecord> {
		const job = this.queryJob(jobId);
		const statuses = filter.statuses && filter.statuses.length > 0 ? filter.statuses : undefined;
		if (filter.deviceNames) {
			// The named devices' own task lists, not a scan of the job: a job may have 100,000 tasks.
			const items = [...new Set(filter.deviceNames)]
				.flatMap((name) => this.fleet.device(job.productKey, name)?.tasks ?? [])
				.filter((t) => t.job === job && (!statuses || statuses.includes(t.status)))
				.sort((a, b) => a.position - b.position);
			return { total: items.length, items };
		}
		const start = (page.currentPage - 1) * page.pageSize;
		if (!statuses) {
			return { total: job.tasks.length, items: job.tasks.slice(start, start + page.pageSize) };
		}
		const total = statuses.reduce((sum, s) => sum + job.counts[s], 0);
		const items: TaskRecord[] = [];
		let seen = 0;
		for (const task of job.tasks) {
			if (items.length >= page.pageSize || seen >= total) {
				break;
			}
			if (statuses.includes(task.status) && seen++ >= start) {
				items.push(task);
			}
		}
		return { total, items };
	}

	taskCounts(jobId: string): Readonly<Record<TaskStatus, number>> {
		return { ...this.queryJob(jobId).counts };
	}

	unfinishedTasksByDevice(which: { productKey: string; deviceName: string } | { iotId: string }, filter: TaskFilter): TaskRecord[] {
		const device = this.requireDevice(which);
		const statuses = filter.statuses && filter.statuses.length > 0 ? filter.statuses : UNFINISHED_TASK_STATUSES;
		return device.tasks.filter(
			(t) =>
				statuses.includes(t.status) &&
				isUnfinished(t.status) &&
				(filter.moduleName === undefined || t.job.moduleName === filter.moduleName),
		);
	}

	verifyProgress(firmwareId: string): number {
		const job = this.rt.latestVerifyJob(firmwareId);
		if (!job || job.tasks.length === 0) {
			return 0;
		}
		const finished = TERMINAL_TASK_STATUSES.reduce((sum, s) => sum + job.counts[s], 0);
		return Math.floor((100 * finished) / job.tasks.length);
	}

	cancelTasksByJob(jobId: string, flags: CancelByJobFlags): number {
		return control.cancelTasksByJob(this.rt, this.queryJob(jobId), flags);
	}

	cancelTasksByDevice(firmware: FirmwareRecord, productKey: string, deviceNames: readonly string[], jobId?: string): number {
		if (firmware.productKey !== productKey) {
			throw otaErrors.firmwareProductMismatch();
		}
		const job = jobId === undefined ? undefined : this.queryJob(jobId);
		const devices = deviceNames.map((deviceName) => this.requireDevice({ productKey, deviceName }));
		return control.cancelTasksByDevice(this.rt, firmware, devices, job);
	}

	cancelStrategy(jobId: string): void {
		control.cancelStrategy(this.rt, this.queryJob(jobId));
	}

	reupgrade(jobId: string, taskIds: readonly string[]): TaskRecord[] {
		return control.reupgrade(this.rt, this.queryJob(jobId), taskIds);
	}

	confirm(taskIds: readonly string[]): TaskRecord[] {
		return control.confirm(this.rt, taskIds);
	}

	createModule(productKey: string, moduleName: string, info: { aliasName?: string; desc?: string }): ModuleRecord {
		return this.catalog.create(productKey, moduleName, info);
	}

	updateModule(productKey: string, moduleName: string, info: { aliasName?: string; desc?: string }): ModuleRecord {
		return this.catalog.update(productKey, moduleName, info);
	}

	deleteModule(productKey: string, moduleName: string): void {
		this.catalog.delete(productKey, moduleName);
	}

	modules(productKey: string): ModuleRecord[] {
		return this.catalog.list(productKey);
	}

	moduleVersions(device: DeviceRecord): Array<{ moduleName: string; version: string }> {
		return this.catalog.versions(device);
	}

	setDevices(selector: DeviceSelector, change: DeviceChange): number {
		const devices = this.fleet.select(selector);
		for (const device of devices) {
			if (change.behaviour !== undefined) {
				device.behaviour = change.behaviour;
			}
			const online = change.online ?? (change.behaviour === undefined ? device.online : change.behaviour !== 'offline');
			if (online && device.behaviour === 'offline') {
				device.behaviour = 'ok';
			}
			for (const [moduleName, version] of Object.entries(change.versions ?? {})) {
				device.versions[moduleName] = version;
				if (device.online && online) {
					this.rt.inform(device, moduleName, version);
				}
			}
			if (online && !device.online) {
				this.rt.online(device);
			} else if (!online && device.online) {
				this.rt.offline(device);
			}
		}
		this.persistence.markFleet();
		return devices.length;
	}

	/** Runs the lifecycle events due by the clock (the timer does it unless autoRun is off); returns how many ran. */
	runDue(): number {
		return this.scheduler.runDue();
	}

	/** When the next lifecycle event is due (sandbox clock), if any. */
	nextDue(): number | undefined {
		return this.scheduler.next();
	}

	flush(): Promise<void> {
		return this.persistence.flush();
	}

	saveFleet(): Promise<void> {
		this.persistence.markFleet();
		return this.persistence.flush();
	}

	async stop(): Promise<void> {
		this.scheduler.stop();
		await this.rt.deps.packages.settled?.();
		await this.persistence.stop();
	}

	private resume(saved: LoadedState): void {
		restore(saved, this.fleet, (job, tasks) => {
			this.rt.jobs.set(job.jobId, job);
			this.rt.jobList.push(job);
			for (const task of tasks) {
				job.tasks.push(task);
				job.counts[task.status] += 1;
				task.device.tasks.push(task);
				this.rt.tasks.set(task.taskId, task);
			}
		});
		for (const job of this.rt.jobList) {
			this.rt.schedule(job);
			for (const task of job.tasks) {
				this.rt.armTimeout(task);
				this.rt.armRetry(task);
				if (task.status === 'QUEUED') {
					this.rt.pumps.enqueue(task);
				} else if (
					(task.status === 'NOTIFIED' || task.status === 'IN_PROGRESS') &&
					task.retryAt === undefined &&
					task.device.online
				) {
					this.rt.pumps.deliver(task); // the device reconnects and gets the push again
				}
			}
		}
	}

	private requireDevice(which: { productKey: string; deviceName: string } | { iotId: string }): DeviceRecord {
		if ('iotId' in which) {
			return this.fleet.deviceByIotId(which.iotId) ?? failWith(otaErrors.deviceNotFound());
		}
		if (!this.fleet.product(which.productKey)) {
			throw otaErrors.productNotFound();
		}
		return this.fleet.device(which.productKey, which.deviceName) ?? failWith(otaErrors.deviceNotFound(which.deviceName));
	}
}

function failWith(error: Error): never {
	throw error;
}
