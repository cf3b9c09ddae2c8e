import type { Logger } from '../../core/logger';
import type { SandboxStore } from '../store';
import type { FirmwareRecord } from '../storeRecords';
import type { Fleet } from './fleet';
import type { DeviceRecord, JobRecord, ModuleRecord, TaskRecord, TaskStatus } from './model';
import type { PackageChecker } from './packages';
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

/**
 * The OTA lifecycle engine: the interface the RPC handlers call. Handlers check every parameter
 * limit (presence, counts, ranges, formats, paging maxima, the coupling of parameters) and shape the
 * answers; the engine owns the state and raises the refusals that depend on it, as BusinessError
 * (`otaErrors`, with the documented code where there is one). Firmware records are passed in already
 * resolved by the handler (instance scoping and iot.ota.FirmwareNotFound stay there).
 */
export interface OtaEngineApi {
	readonly fleet: Fleet;
	/** The sandbox clock (ms) and how much faster than it the lifecycle's durations run. */
	readonly now: () => number;
	readonly timeScale: number;

	/**
	 * CreateOTAVerifyJob. Refuses: iot.ota.FirmwareAndProductKeyMismatch; iot.prod.NotExistedProduct;
	 * iot.ota.VerifyFirmwareNotAllowed when the package's Status is 1, 2 or -1; iot.device.NotExistedDevice
	 * for an unknown name; iot.ota.DeviceVersionNotMatchSrcVersion for a delta package and a device not on
	 * its SrcVersion. Sets the package's Status to 2. A device busy in another job gets a FAILED task.
	 */
	createVerifyJob(firmware: FirmwareRecord, req: VerifyJobRequest): JobRecord;
	/**
	 * CreateOTAStaticUpgradeJob. Refuses: product mismatch / unknown product as above;
	 * iot.ota.FirmwareNotVerified unless Status is 1 or -1; iot.ota.InvalidSrcVersionList when a delta
	 * package's SrcVersion is not the one named; for SPECIFIC names (not from a list file) unknown devices
	 * and, for delta packages, devices on another version; iot.group.NotExistedGroup /
	 * iot.ota.InvalidGroupType for GROUP. Devices already on DestVersion get no task; busy devices get a
	 * FAILED task (OverwriteMode 1) or replace their pending task (2).
	 */
	createStaticJob(firmware: FirmwareRecord, req: StaticJobRequest): JobRecord;
	/**
	 * CreateOTADynamicUpgradeJob. Refuses as createStaticJob, plus iot.ota.DynamicJobAlreadyExisted when the
	 * package has an IN_PROGRESS dynamic job and iot.ota.InvalidGroupType unless the group is
	 * LINK_PLATFORM_DYNAMIC.
	 */
	createDynamicJob(firmware: FirmwareRecord, req: DynamicJobRequest): JobRecord;

	/** A package record by FirmwareId, whatever its instance (the handlers scope by instance themselves). */
	firmware(firmwareId: string): FirmwareRecord | undefined;
	/** QueryOTAJob. Refuses iot.ota.InvalidJobId. */
	queryJob(jobId: string): JobRecord;
	/** ListOTAJobByFirmware: newest first. No refusal (an unknown package has no jobs). */
	listJobsByFirmware(firmwareId: string): JobRecord[];
	/** ListOTAJobByDevice: the package's jobs with a task for the device, newest first. Refuses iot.device.NotExistedDevice. */
	listJobsByDevice(firmwareId: string, productKey: string, deviceName: string): JobRecord[];
	/**
	 * ListOTATaskByJob: tasks in creation order. `total` comes from per-status counters; a page is
	 * collected by one pass that stops at the page's end. With `deviceNames`, paging is ignored and the
	 * named devices' tasks are looked up through the devices, not by scanning the job. Refuses iot.ota.InvalidJobId.
	 */
	listTasksByJob(jobId: string, filter: TaskFilter, page: PageRequest): Paged<TaskRecord>;
	/** Tasks per status of a job, without a scan. Refuses iot.ota.InvalidJobId. */
	taskCounts(jobId: string): Readonly<Record<TaskStatus, number>>;
	/**
	 * ListOTAUnfinishedTaskByDevice (statuses default to all four unfinished ones). Refuses
	 * iot.prod.NotExistedProduct and iot.device.NotExistedDevice.
	 */
	unfinishedTasksByDevice(device: { productKey: string; deviceName: string } | { iotId: string }, filter: TaskFilter): TaskRecord[];
	/** VerifyProgress of QueryOTAFirmware: share of finished tasks of the package's latest verify job, 0 without one. */
	verifyProgress(firmwareId: string): number;

	/**
	 * CancelOTATaskByJob: cancels the job's tasks in the flagged states; CancelScheduledTask on a PLANNED
	 * job cancels the job. Returns how many tasks were cancelled. Refuses iot.ota.InvalidJobId.
	 */
	cancelTasksByJob(jobId: string, flags: CancelByJobFlags): number;
	/**
	 * CancelOTATaskByDevice: the package's unfinished tasks of those devices (of one job when given).
	 * Refuses iot.ota.FirmwareAndProductKeyMismatch, iot.device.NotExistedDevice, iot.ota.InvalidJobId.
	 */
	cancelTasksByDevice(firmware: FirmwareRecord, productKey: string, deviceNames: readonly string[], jobId?: string): number;
	/**
	 * CancelOTAStrategyByJob: stops a dynamic job matching devices (JobStatus CANCELED). Refuses
	 * iot.ota.InvalidJobId, iot.ota.noDynamicJob (static or verify job), iot.ota.JobHasCanceled.
	 */
	cancelStrategy(jobId: string): void;
	/**
	 * ReupgradeOTATask: re-runs FAILED / CANCELED tasks (CONFIRM again in a NeedConfirm job, else QUEUED).
	 * Refuses iot.ota.InvalidJobId, iot.ota.JobCanceled, iot.ota.InvalidTaskId (unknown id),
	 * iot.ota.UnmatchedJob (task of another job), iot.ota.InvalidTaskExist (a task not FAILED/CANCELED),
	 * iot.ota.FirmwareNotVerified, iot.ota.OutOfScheduleWindow (past ScheduleFinishTime),
	 * iot.ota.VerifyFirmwareNotAllowed (a verify job that is not the package's latest, or an ended one whose
	 * package is not in Status 0 or 3). The 1–10 count is the handler's (iot.ota.TooManyOtaTask).
	 */
	reupgrade(jobId: string, taskIds: readonly string[]): TaskRecord[];
	/**
	 * ConfirmOTATask: CONFIRM → QUEUED. Refuses iot.ota.InvalidTaskId, iot.ota.TaskNotConfirmable (a task
	 * not in CONFIRM), iot.ota.OutOfScheduleWindow (job still PLANNED or past ScheduleFinishTime).
	 */
	confirm(taskIds: readonly string[]): TaskRecord[];

	/** CreateOTAModule. Refuses iot.prod.NotExistedProduct, iot.ota.OtaModuleAlreadyExisted (case-insensitive), iot.ota.OtaModuleExceedLimit. */
	createModule(productKey: string, moduleName: string, info: { aliasName?: string; desc?: string }): ModuleRecord;
	/** UpdateOTAModule. Refuses iot.prod.NotExistedProduct, iot.ota.OtaModuleNotExisted. */
	updateModule(productKey: string, moduleName: string, info: { aliasName?: string; desc?: string }): ModuleRecord;
	/** DeleteOTAModule. Refuses as update, plus iot.ota.DefaultModuleCannotBeDeleted and iot.ota.OtaModuleHasFirmware. */
	deleteModule(productKey: string, moduleName: string): void;
	/** ListOTAModuleByProduct: `default` first, then custom modules oldest first. Refuses iot.prod.NotExistedProduct. */
	modules(productKey: string): ModuleRecord[];
	/** ListOTAModuleVersionsByDevice: the modules the device reported, `default` first. */
	moduleVersions(device: DeviceRecord): Array<{ moduleName: string; version: string }>;

	/** The fault endpoint's device rules: changes behaviour, online state or versions; returns the devices changed. */
	setDevices(selector: DeviceSelector, change: DeviceChange): number;
	/** Waits until state changes are on disk. */
	flush(): Promise<void>;
	/** Stops the scheduler and writes the state. */
	stop(): Promise<void>;
}

export interface OtaEngineDeps {
	store: SandboxStore;
	fleet: Fleet;
	now: () => number;
	/** 60: one minute of the lifecycle (device steps, timeouts, retries, schedules, push rates) per real second. */
	timeScale: number;
	/** Where jobs, tasks and device state are kept (`<dataDir>/ota`). */
	stateDir: string;
	/** The signed, expiring URL a push carries for a stored object. */
	downloadUrl: (firmware: FirmwareRecord) => string;
	packages: PackageChecker;
	logger: Logger;
	/** Runs due events on a real timer (default). Off when a caller drives `runDue()` with its own clock. */
	autoRun?: boolean;
	/** Observes every task transition (also the ones at creation, with `from` undefined). */
	onTaskChange?: (task: TaskRecord, from: TaskStatus | undefined) => void;
	/** A8 the other way: a re-run or confirmed task of a COMPLETED job runs while the job stays COMPLETED. */
	rerunKeepsJobCompleted?: boolean;
}
