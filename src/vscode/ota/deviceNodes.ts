// The device rows of the OTA Packages tree: a product's devices (paged, filtered by version), one device, the version
// of each of its modules, and its unfinished tasks.
import type { DeviceVersions } from '../../core/lifecycle';
import { scopedId, type ConnectionNode } from './connectionNode';
import type { OtaPlace } from './contract';
import type { ProductNode } from './nodes';
import { otaContextValue, type OtaRef } from './refs';

/** A product's devices, optionally only those reporting one version; read a page at a time. */
export class DevicesNode {
	readonly kind = 'devices';
	pages = 1;
	versionFilter?: string;
	constructor(readonly parent: ProductNode) {}
	get group(): ConnectionNode | undefined {
		return this.parent.group;
	}
	get place(): OtaPlace | undefined {
		return this.parent.place;
	}
	get id(): string {
		return scopedId(this.group, `ota:devices:${this.parent.productKey}`);
	}
	get ref(): OtaRef {
		return { productKey: this.parent.productKey, productName: this.parent.productName };
	}
	get contextValue(): string {
		return otaContextValue(this.kind, this.versionFilter !== undefined && 'filtered');
	}
}

export class DeviceNode {
	readonly kind = 'device';
	constructor(
		readonly parent: DevicesNode,
		public device: DeviceVersions,
	) {}
	get group(): ConnectionNode | undefined {
		return this.parent.group;
	}
	get place(): OtaPlace | undefined {
		return this.parent.place;
	}
	get id(): string {
		return scopedId(this.group, `ota:device:${this.parent.parent.productKey}:${this.device.deviceName}`);
	}
	get ref(): OtaRef {
		return { ...this.parent.ref, deviceName: this.device.deviceName };
	}
	get contextValue(): string {
		return otaContextValue(this.kind, this.device.online ? 'online' : 'offline');
	}
}

export class DeviceVersionNode {
	readonly kind = 'deviceVersion';
	constructor(
		readonly parent: DeviceNode,
		readonly moduleName: string,
		readonly version: string,
	) {}
	get place(): OtaPlace | undefined {
		return this.parent.place;
	}
	get id(): string {
		return `${this.parent.id}:module:${this.moduleName}`;
	}
	get ref(): OtaRef {
		return { ...this.parent.ref, moduleName: this.moduleName };
	}
	get contextValue(): string {
		return otaContextValue(this.kind);
	}
}

/** A device's unfinished tasks, in any job (ListOTAUnfinishedTaskByDevice). */
export class DeviceTasksNode {
	readonly kind = 'deviceTasks';
	constructor(readonly parent: DeviceNode) {}
	get place(): OtaPlace | undefined {
		return this.parent.place;
	}
	get id(): string {
		return `${this.parent.id}:tasks`;
	}
	get ref(): OtaRef {
		return this.parent.ref;
	}
	get contextValue(): string {
		return otaContextValue(this.kind);
	}
}
