// The node model of the OTA Packages tree: what each row stands for, its `contextValue` (the `view/item/context` menus
// match it) and the ids a command reads from it. Commands get a node (tree, menus), plain ids (palette follow-ups,
// other commands, tests) or an Uploads row; `otaRefFromArg` reads all three. No `vscode` import: the tree provider
// turns nodes into TreeItems, the unit tests use them as they are.
//
// contextValue grammar: `ota.<kind>` then space-separated flags, e.g. `ota.job IN_PROGRESS upgrade watched hasFailed`,
// `ota.taskGroup FAILED`, `ota.task IN_PROGRESS`, `ota.package verified`. Menus match with `viewItem =~ /^ota\.job\b/`
// (any job) or `viewItem =~ /^ota\.job\b.*\bwatched\b/` (a watched job; others carry `unwatched`).
import type { FirmwareDetail, JobProgress, JobSummary, OtaJob, OtaTask, TaskStatus } from '../../core/lifecycle';
import type { FirmwareInfo } from '../../core/types';
import { ConnectionNode, scopedId } from './connectionNode';
import { DeviceNode, DevicesNode, DeviceTasksNode, DeviceVersionNode } from './deviceNodes';
import { otaContextValue, plainRef, verificationOf, type OtaRef, type Verification } from './refs';
import type { OtaPlace, WatchPhase } from './contract';

export * from './refs';
export { ConnectionNode, DeviceNode, DevicesNode, DeviceTasksNode, DeviceVersionNode };

/** The instance's package count against its quota ("12 / 500"). */
export class QuotaNode {
	readonly kind = 'quota';
	constructor(
		public used: number | undefined,
		readonly max: number,
		public instanceId?: string,
		readonly parent?: ConnectionNode,
	) {}
	get id(): string {
		return scopedId(this.parent, 'ota:quota');
	}
	get place(): OtaPlace | undefined {
		return this.parent?.place;
	}
	get ref(): OtaRef {
		return {};
	}
	get contextValue(): string {
		return otaContextValue(this.kind, this.used !== undefined && this.used >= this.max && 'full');
	}
}

export class ProductNode {
	readonly kind = 'product';
	constructor(
		readonly productKey: string,
		public productName: string,
		public deviceCount?: number,
		/** Its connection's row, when the view shows one per connection. */
		readonly parent?: ConnectionNode,
	) {}
	get group(): ConnectionNode | undefined {
		return this.parent;
	}
	/** Where commands on it and below it reach the platform (undefined: the active profile with the window's settings). */
	get place(): OtaPlace | undefined {
		return this.parent?.place;
	}
	get id(): string {
		return scopedId(this.parent, `ota:product:${this.productKey}`);
	}
	get ref(): OtaRef {
		return { productKey: this.productKey, productName: this.productName };
	}
	get contextValue(): string {
		return otaContextValue(this.kind);
	}
}

export class PackageNode {
	readonly kind = 'package';
	/** QueryOTAFirmware's answer once read (tooltip: Udi, verification progress). */
	detail?: FirmwareDetail;
	constructor(
		readonly parent: ProductNode,
		public firmware: FirmwareInfo,
	) {}
	get group(): ConnectionNode | undefined {
		return this.parent.group;
	}
	get place(): OtaPlace | undefined {
		return this.parent.place;
	}
	get id(): string {
		return scopedId(this.group, `ota:package:${this.firmware.firmwareId}`);
	}
	get verification(): Verification {
		return verificationOf(this.detail?.status ?? this.firmware.status);
	}
	get ref(): OtaRef {
		return {
			productKey: this.parent.productKey,
			productName: this.parent.productName,
			firmwareId: this.firmware.firmwareId,
			destVersion: this.firmware.destVersion,
			moduleName: this.firmware.moduleName,
			verification: this.verification,
		};
	}
	get contextValue(): string {
		return otaContextValue(this.kind, this.verification);
	}
}

export class JobNode {
	readonly kind = 'job';
	/** Counts per status, once known (the job was expanded, or is watched). */
	progress?: JobProgress;
	/** The phase of its watch, while it is watched. */
	watchPhase?: WatchPhase;
	constructor(
		readonly parent: PackageNode,
		public job: JobSummary | OtaJob,
	) {}
	get watched(): boolean {
		return this.watchPhase !== undefined;
	}
	get group(): ConnectionNode | undefined {
		return this.parent.group;
	}
	get place(): OtaPlace | undefined {
		return this.parent.place;
	}
	get id(): string {
		return scopedId(this.group, `ota:job:${this.job.jobId}`);
	}
	get jobId(): string {
		return this.job.jobId;
	}
	get ref(): OtaRef {
		return {
			...this.parent.ref,
			jobId: this.job.jobId,
			jobStatus: this.job.jobStatus,
			jobType: this.job.jobType,
		};
	}
	get contextValue(): string {
		const counts = this.progress?.counts;
		return otaContextValue(
			this.kind,
			this.job.jobStatus,
			this.job.jobType === 'VERIFY_FIRMWARE' ? 'verify' : 'upgrade',
			this.job.selectionType === 'DYNAMIC' && 'dynamic',
			this.watched ? 'watched' : 'unwatched',
			(counts?.FAILED ?? 0) > 0 && 'hasFailed',
			(counts?.CONFIRM ?? 0) > 0 && 'hasConfirm',
		);
	}
}

/** A job's tasks of one status, read a page at a time ("Load more…"). */
export class TaskGroupNode {
	readonly kind = 'taskGroup';
	/** Pages of tasks shown. */
	pages = 1;
	constructor(
		readonly parent: JobNode,
		readonly status: TaskStatus,
		public count: number,
	) {}
	get group(): ConnectionNode | undefined {
		return this.parent.group;
	}
	get place(): OtaPlace | undefined {
		return this.parent.place;
	}
	get id(): string {
		return scopedId(this.group, `ota:group:${this.parent.jobId}:${this.status}`);
	}
	get ref(): OtaRef {
		return { ...this.parent.ref, taskStatus: this.status };
	}
	get contextValue(): string {
		return otaContextValue(this.kind, this.status);
	}
}

export class TaskNode {
	readonly kind = 'task';
	constructor(
		readonly parent: TaskGroupNode | DeviceTasksNode,
		public task: OtaTask,
	) {}
	get place(): OtaPlace | undefined {
		return this.parent.place;
	}
	get id(): string {
		return `${this.parent.id}:task:${this.task.taskId}`;
	}
	get ref(): OtaRef {
		const parentRef = this.parent.kind === 'taskGroup' ? this.parent.parent.ref : this.parent.ref;
		return {
			...parentRef,
			jobId: this.task.jobId ?? parentRef.jobId,
			firmwareId: this.task.firmwareId ?? parentRef.firmwareId,
			productKey: this.task.productKey ?? parentRef.productKey,
			taskId: this.task.taskId,
			taskStatus: this.task.status,
			deviceName: this.task.deviceName,
			moduleName: this.task.moduleName ?? parentRef.moduleName,
		};
	}
	get contextValue(): string {
		return otaContextValue(this.kind, this.task.status);
	}
}

/** "Load more…" at the end of a paged list; clicking it shows the next page of its parent. */
export class LoadMoreNode {
	readonly kind = 'loadMore';
	constructor(
		readonly parent: TaskGroupNode | DevicesNode,
		/** Rows shown so far and the total, when known ("Load more… (100 of 9,648)"). */
		readonly shown: number,
		readonly total?: number,
	) {}
	get place(): OtaPlace | undefined {
		return this.parent.place;
	}
	get id(): string {
		return `${this.parent.id}:more`;
	}
	get ref(): OtaRef {
		return this.parent.ref;
	}
	get contextValue(): string {
		return otaContextValue(this.kind);
	}
}

/** A row that says why a list is empty or failed to load. */
export class MessageNode {
	readonly kind = 'message';
	constructor(
		readonly parent: OtaNode | undefined,
		readonly text: string,
		readonly severity: 'info' | 'error' = 'info',
		readonly detail?: string,
	) {}
	get place(): OtaPlace | undefined {
		return this.parent?.place;
	}
	get id(): string {
		return `${this.parent?.id ?? 'ota'}:message`;
	}
	get ref(): OtaRef {
		return this.parent?.ref ?? {};
	}
	get contextValue(): string {
		return otaContextValue(this.kind, this.severity);
	}
}

export type OtaNode =
	| ConnectionNode
	| QuotaNode
	| ProductNode
	| PackageNode
	| JobNode
	| TaskGroupNode
	| TaskNode
	| LoadMoreNode
	| DevicesNode
	| DeviceNode
	| DeviceVersionNode
	| DeviceTasksNode
	| MessageNode;

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

const NODE_CLASSES = [
	ConnectionNode,
	QuotaNode,
	ProductNode,
	PackageNode,
	JobNode,
	TaskGroupNode,
	TaskNode,
	LoadMoreNode,
	DevicesNode,
	DeviceNode,
	DeviceVersionNode,
	DeviceTasksNode,
	MessageNode,
];

export function isOtaNode(value: unknown): value is OtaNode {
	return NODE_CLASSES.some((type) => value instanceof type);
}

/**
 * The ids in a command's argument: an OTA tree node, an Uploads row / history entry (its FirmwareId and ProductKey once
 * registered), or plain ids (`{ jobId: 'j1' }`). Anything else gives `{}`.
 */
export function otaRefFromArg(arg: unknown): OtaRef {
	if (isOtaNode(arg)) {
		return arg.ref;
	}
	if (!isObject(arg)) {
		return {};
	}
	if (isObject(arg.entry)) {
		return plainRef(arg.entry);
	}
	return plainRef(arg);
}

/** A tree command's (clicked node, selected nodes): the selection when it holds the clicked node, else that node. */
export function otaRefsFromArgs(arg: unknown, selection?: unknown): OtaRef[] {
	if (Array.isArray(selection) && selection.length > 1 && selection.includes(arg)) {
		return selection.map(otaRefFromArg);
	}
	return arg === undefined ? [] : [otaRefFromArg(arg)];
}

/** The node of a reference, when a command got one (menus); undefined for plain ids. */
export function otaNodeFromArg(arg: unknown): OtaNode | undefined {
	return isOtaNode(arg) ? arg : undefined;
}
