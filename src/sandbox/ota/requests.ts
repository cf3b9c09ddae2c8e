import type { JobTag, TargetSelection, TaskStatus } from './model';

/**
 * What the RPC handlers pass to the engine, already parsed and checked against every documented
 * parameter limit (count, range, format, coupling of parameters). Omitted optional fields take the
 * documented defaults inside the engine (`jobOptions.ts`).
 */

export interface DeliveryRequest {
	needPush?: boolean;
	needConfirm?: boolean;
	downloadProtocol?: 'HTTPS' | 'MQTT';
	tags?: readonly JobTag[];
	timeoutInMinutes?: number;
}

export interface VerifyJobRequest extends DeliveryRequest {
	productKey: string;
	/** 1–10 unique names (checked by the handler). */
	deviceNames: readonly string[];
}

export interface RolloutRequest extends DeliveryRequest {
	retryInterval?: number;
	retryCount?: number;
	maximumPerMinute?: number;
	overwriteMode?: 1 | 2;
	multiModuleMode?: boolean;
	jobDesc?: string;
}

export interface StaticJobRequest extends RolloutRequest {
	productKey: string;
	targetSelection: TargetSelection;
	/** ALL / GRAY only. */
	srcVersions?: readonly string[];
	/** SPECIFIC: TargetDeviceName.N, or the names read from DnListFileUrl (then set `fromDeviceListFile`). */
	deviceNames?: readonly string[];
	/** Names from a device list file: unknown devices and devices on another version are skipped, not refused. */
	fromDeviceListFile?: boolean;
	/** GRAY: the percentage as given (≤ 3 decimals). */
	grayPercent?: string;
	/** GROUP: a LINK_PLATFORM group. */
	groupId?: string;
	/** 13-digit epoch ms, window already checked against the sandbox clock. */
	scheduleTime?: number;
	scheduleFinishTime?: number;
}

export interface DynamicJobRequest extends RolloutRequest {
	productKey: string;
	/** Exactly one of srcVersions or groupId (checked by the handler). */
	srcVersions?: readonly string[];
	/** A LINK_PLATFORM_DYNAMIC group. */
	groupId?: string;
	dynamicMode?: 1 | 2;
}

/** CancelOTATaskByJob's flags. `unconfirmed` undefined: follows `queued` (the documented default). */
export interface CancelByJobFlags {
	scheduled?: boolean;
	queued?: boolean;
	notified?: boolean;
	inProgress?: boolean;
	unconfirmed?: boolean;
}

export interface TaskFilter {
	/** At most 4 statuses (ListOTAUnfinishedTaskByDevice) or one (ListOTATaskByJob). */
	statuses?: readonly TaskStatus[];
	/** ListOTATaskByJob's DeviceNames.N (≤ 50): paging is then ignored. */
	deviceNames?: readonly string[];
	/** ListOTAUnfinishedTaskByDevice's ModuleName. */
	moduleName?: string;
}

export interface PageRequest {
	/** 1-based. */
	currentPage: number;
	pageSize: number;
}

export interface Paged<T> {
	total: number;
	items: T[];
}

/** The fault admin endpoint's device rule: which devices, and what changes for them. */
export interface DeviceSelector {
	productKey?: string;
	deviceNames?: readonly string[];
	/** Glob on the device name, `*` matching any run of characters. */
	match?: string;
	/** This share of the (selected) fleet, spread evenly over it. */
	percent?: number;
}

export interface DeviceChange {
	behaviour?: import('./model').Behaviour;
	/** Coming online makes the device report its versions (dynamic jobs match, queued tasks are pushed). */
	online?: boolean;
	/** Versions per module, as if the device was flashed by other means and reported them. */
	versions?: Readonly<Record<string, string>>;
}
