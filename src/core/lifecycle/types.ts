// Data shapes of the OTA lifecycle (docs/protocols.md §11.2–§11.8). Ids are always firmwareId, jobId, taskId, deviceName.
// No shape has a field for DeviceSecret or ProductSecret: the mappers have nowhere to put them.
import type { FirmwareInfo, Page } from '../types';

export const TASK_STATUSES = ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
/** What ListOTAUnfinishedTaskByDevice returns and what can still change. */
export const UNFINISHED_STATUSES: readonly TaskStatus[] = ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS'];
export const TERMINAL_STATUSES: readonly TaskStatus[] = ['SUCCEEDED', 'FAILED', 'CANCELED'];

export type JobStatus = 'PLANNED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELED';
export type DeviceStatus = 'ONLINE' | 'OFFLINE' | 'UNACTIVE' | 'DISABLE';

export function isTaskStatus(value: unknown): value is TaskStatus {
	return typeof value === 'string' && (TASK_STATUSES as readonly string[]).includes(value);
}

/** Verification status of a package (QueryOTAFirmware `Status`). */
export const FIRMWARE_STATUS_TEXT: Readonly<Record<number, string>> = {
	[-1]: 'verification not required',
	0: 'not verified',
	1: 'verified',
	2: 'verifying',
	3: 'verification failed',
};

export interface Tag {
	key: string;
	value: string;
}

export interface ProductDetail {
	productKey: string;
	productName: string;
	description?: string;
	deviceCount?: number;
	nodeType?: number;
	productStatus?: string;
	dataFormat?: number;
	authType?: string;
	netType?: number;
	/** Epoch ms. */
	gmtCreate?: number;
}

export interface DeviceSummary {
	deviceName: string;
	iotId?: string;
	productKey?: string;
	nickname?: string;
	status?: DeviceStatus | string;
	utcCreate?: string;
	utcModified?: string;
}

export interface DeviceDetail extends DeviceSummary {
	productName?: string;
	/** Version of the `default` module; other modules come from ListOTAModuleVersionsByDevice. */
	firmwareVersion?: string;
	nodeType?: number;
	region?: string;
	ipAddress?: string;
	utcActive?: string;
	utcOnline?: string;
}

export interface DevicePage extends Page<DeviceSummary> {
	/** Pass on to read the next page; undefined on the last one. */
	nextToken?: string;
}

export interface DeviceGroup {
	groupId: string;
	groupName: string;
	groupType?: string;
	groupDesc?: string;
	utcCreate?: string;
}

export interface GroupMember {
	deviceName: string;
	productKey?: string;
	productName?: string;
	iotId?: string;
}

export interface OtaModule {
	moduleName: string;
	productKey?: string;
	aliasName?: string;
	desc?: string;
	utcCreate?: string;
}

export interface ModuleVersion {
	moduleName: string;
	moduleVersion: string;
	deviceName?: string;
	productKey?: string;
	iotId?: string;
}

export interface FirmwareFile {
	name: string;
	size?: number;
	signValue?: string;
	fileMd5?: string;
}

/** QueryOTAFirmware: the list fields plus what only the detail has. Signed download URLs are kept without their query. */
export interface FirmwareDetail extends FirmwareInfo {
	firmwareDesc?: string;
	udi?: string;
	/** 0–100: share of the verification devices that finished. */
	verifyProgress?: number;
	multiFiles?: FirmwareFile[];
}

export interface JobRef {
	jobId: string;
	utcCreate?: string;
}

export interface JobSummary {
	jobId: string;
	firmwareId?: string;
	productKey?: string;
	jobStatus: JobStatus | string;
	jobType?: string;
	selectionType?: string;
	targetSelection?: string;
	utcCreate?: string;
	utcModified?: string;
	utcStartTime?: string;
	utcEndTime?: string;
	tags: Tag[];
}

export interface OtaJob extends JobSummary {
	name?: string;
	destVersion?: string;
	jobDesc?: string;
	grayPercent?: string;
	timeoutInMinutes?: number;
	retryInterval?: number;
	retryCount?: number;
	dynamicMode?: number;
	groupId?: string;
	groupName?: string;
	maximumPerMinute?: number;
	overwriteMode?: number;
	needPush?: boolean;
	needConfirm?: boolean;
	multiModuleMode?: boolean;
	downloadProtocol?: string;
	srcVersions: string[];
	utcScheduleTime?: string;
	utcScheduleFinishTime?: string;
}

export interface OtaTask {
	taskId: string;
	jobId?: string;
	firmwareId?: string;
	deviceName: string;
	iotId?: string;
	productKey?: string;
	moduleName?: string;
	/** The device's version before the upgrade. */
	srcVersion?: string;
	destVersion?: string;
	status: TaskStatus;
	/** "0.00"…"100.00". */
	progress?: string;
	/** Failure or cancel reason, e.g. "report version is not conform" or "timeout". */
	taskDesc?: string;
	/** Minutes, as the platform sends it; undefined when the job has no timeout. */
	timeout?: string;
	utcCreate?: string;
	utcModified?: string;
}

/** GenerateDeviceNameListURL: a PostObject ticket for a device list file. */
export interface DeviceListTicket {
	host: string;
	key: string;
	policy: string;
	accessKeyId: string;
	signature: string;
	/** Pass as DnListFileUrl of CreateOTAStaticUpgradeJob. */
	fileUrl: string;
	utcCreate?: string;
	receivedAt: number;
}
