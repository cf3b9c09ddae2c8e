// The node model of the OTA Packages tree: what each row stands for, its `contextValue` (the `view/item/context` menus
// match it) and the ids a command reads from it. Commands get a node (tree, menus), plain ids (palette follow-ups,
// other commands, tests) or an Uploads row; `otaRefFromArg` reads all three. No `vscode` import: the tree provider
// turns nodes into TreeItems, the unit tests use them as they are.
//
// contextValue grammar: `ota.<kind>` then space-separated flags, e.g. `ota.job IN_PROGRESS upgrade watched hasFailed`,
// `ota.taskGroup FAILED`, `ota.task IN_PROGRESS`, `ota.package verified`. Menus match with `viewItem =~ /^ota\.job\b/`
// (any job) or `viewItem =~ /^ota\.job\b.*\bwatched\b/` (a watched job; others carry `unwatched`).
import type { FirmwareDetail } from '../../core/lifecycle';
import type { FirmwareInfo } from '../../core/types';
import { ConnectionNode, scopedId } from './connectionNode';
import { DeviceNode, DevicesNode, DeviceTasksNode, DeviceVersionNode } from './deviceNodes';
import { JobNode, LoadMoreNode, TaskGroupNode, TaskNode } from './jobNodes';
import { otaContextValue, plainRef, verificationOf, type OtaRef, type Verification } from './refs';
import type { OtaPlace } from './contract';

export * from './refs';
export { ConnectionNode, DeviceNode, DevicesNode, DeviceTasksNode, DeviceVersionNode, JobNode, LoadMoreNode, TaskGroupNode, TaskNode };

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
