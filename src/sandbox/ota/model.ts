import type { ProductRecord } from '../storeRecords';

/**
 * The OTA lifecycle's data model in the sandbox (docs/protocols.md §10): devices with a
 * version per module, groups, modules, upgrade jobs ("batches") and their tasks. Records are plain
 * objects owned by the engine; handlers read them and never change them.
 */

export const TASK_STATUSES = ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** What ListOTAUnfinishedTaskByDevice returns and what blocks a new task for the device. */
export const UNFINISHED_TASK_STATUSES: readonly TaskStatus[] = ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS'];
export const TERMINAL_TASK_STATUSES: readonly TaskStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELED'];

export type JobStatus = 'PLANNED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELED';
export type JobType = 'VERIFY_FIRMWARE' | 'UPGRADE_FIRMWARE';
export type SelectionType = 'STATIC' | 'DYNAMIC';
export type TargetSelection = 'ALL' | 'SPECIFIC' | 'GRAY' | 'GROUP';
export type GroupType = 'LINK_PLATFORM' | 'LINK_PLATFORM_DYNAMIC';

export const BEHAVIOURS = [
	'ok',
	'offline',
	'slow',
	'fail-download',
	'fail-checksum',
	'fail-flash',
	'fail',
	'wrong-version',
	'never-reports',
	'crash-loop',
] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

export const DEFAULT_MODULE = 'default';

export interface DeviceRecord {
	readonly productKey: string;
	readonly deviceName: string;
	/** Position in its product's fleet, 0-based: creation order. */
	readonly index: number;
	readonly createdAt: number;
	online: boolean;
	/** Last time the device came online (its boot-time version report). */
	onlineAt?: number;
	behaviour: Behaviour;
	/** Reported version per module; `default` is the whole firmware (QueryDeviceDetail's FirmwareVersion). */
	versions: Record<string, string>;
	/** Every task ever created for the device, oldest first. */
	readonly tasks: TaskRecord[];
}

/** A seeded product with the size of its fleet. */
export type ProductInfo = ProductRecord & { deviceCount: number };

export interface GroupRecord {
	readonly groupId: string;
	readonly groupName: string;
	readonly groupType: GroupType;
	readonly groupDesc: string;
	readonly productKey: string;
	readonly createdAt: number;
	/** Static groups: the members' names. Dynamic groups: a glob on the device name (`*` any run). */
	readonly members?: readonly string[];
	readonly nameGlob?: string;
}

export interface ModuleRecord {
	readonly productKey: string;
	readonly moduleName: string;
	aliasName?: string;
	desc?: string;
	readonly createdAt: number;
	modifiedAt: number;
}

export interface JobTag {
	key: string;
	value: string;
}

/** Options every job carries once created (defaults applied; docs/protocols.md §10.1). */
export interface JobOptions {
	needPush: boolean;
	needConfirm: boolean;
	downloadProtocol: 'HTTPS' | 'MQTT';
	tags: readonly JobTag[];
	timeoutInMinutes?: number;
	retryInterval?: number;
	retryCount?: number;
	maximumPerMinute: number;
	overwriteMode: 1 | 2;
	multiModuleMode: boolean;
	srcVersions: readonly string[];
	grayPercent?: string;
	groupId?: string;
	groupName?: string;
	groupType?: GroupType;
	dynamicMode?: 1 | 2;
	/** Epoch ms as given (13 digits). */
	scheduleTime?: number;
	scheduleFinishTime?: number;
	jobDesc?: string;
}

export interface JobRecord {
	readonly jobId: string;
	readonly firmwareId: string;
	readonly productKey: string;
	/** The package's name (QueryOTAJob's `Name`). */
	readonly firmwareName: string;
	readonly moduleName: string;
	readonly destVersion: string;
	/** The package's SrcVersion when it is a delta package. */
	readonly deltaFrom?: string;
	readonly jobType: JobType;
	readonly selectionType: SelectionType;
	readonly targetSelection: TargetSelection;
	readonly options: JobOptions;
	status: JobStatus;
	readonly createdAt: number;
	modifiedAt: number;
	startedAt?: number;
	endedAt?: number;
	/** Sandbox clock times at which the scaled ScheduleTime / ScheduleFinishTime take effect. */
	startAt?: number;
	finishAt?: number;
	/** Tasks in creation order. */
	readonly tasks: TaskRecord[];
	/** Tasks per status, kept up to date by every transition (no scan needed). */
	readonly counts: Record<TaskStatus, number>;
}

export interface TaskRecord {
	readonly taskId: string;
	readonly job: JobRecord;
	readonly device: DeviceRecord;
	/** Its index in `job.tasks` (creation order): orders tasks gathered from their devices' `tasks`. */
	readonly position: number;
	/** The device's version of the job's module when the task was created. */
	readonly srcVersion: string;
	status: TaskStatus;
	/** 0–100; answers format it as "0.00"…"100.00". */
	progress: number;
	/** Failure or cancel reason (docs/protocols.md §10.7, A3). */
	desc: string;
	readonly createdAt: number;
	modifiedAt: number;
	/** Automatic retries still available (only when the job named SrcVersions and set RetryCount). */
	retriesLeft: number;
	/** Sandbox clock time of the timeout, set once at the first progress report. */
	timeoutAt?: number;
	/** A re-push after a failure is due at this time. */
	retryAt?: number;
	/** Bumped at every push, cancel and re-run; device events of an older attempt are ignored. */
	attempt: number;
}

export function emptyCounts(): Record<TaskStatus, number> {
	return { CONFIRM: 0, QUEUED: 0, NOTIFIED: 0, IN_PROGRESS: 0, SUCCEEDED: 0, FAILED: 0, CANCELED: 0 };
}

export function isUnfinished(status: TaskStatus): boolean {
	return (UNFINISHED_TASK_STATUSES as readonly string[]).includes(status);
}
