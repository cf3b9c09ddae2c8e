import { createHash, createHmac } from 'node:crypto';
import type { ProductRecord } from '../storeRecords';
import { assignBehaviours, shareCount, spreadOrder, type BehaviourShare } from './behaviours';
import { DEFAULT_MODULE, type DeviceRecord, type GroupRecord, type ModuleRecord, type ProductInfo } from './model';
import type { DeviceSelector } from './requests';

/**
 * The virtual fleet: products, their devices (plain records, no timers), groups and modules.
 * Devices are named predictably: `dev-00001`… in the first product, `gw-00001` in the gateway
 * product. IotId and DeviceSecret are derived from a per-data-dir seed, so they are stable
 * across restarts without being stored.
 */

export interface FleetSpec {
	/** Devices of the first product. */
	devices: number;
	behaviours: readonly BehaviourShare[];
	/** The `default` module version every device starts on. */
	initialVersion: string;
}

export const DEFAULT_FLEET: FleetSpec = { devices: 5, behaviours: [], initialVersion: '1.0.0' };
export const FLEET_EPOCH = Date.UTC(2024, 0, 4);

export function deviceNameFor(prefix: string, index: number, count: number): string {
	return `${prefix}-${String(index + 1).padStart(Math.max(5, String(count).length), '0')}`;
}

export class Fleet {
	private readonly byProduct = new Map<string, DeviceRecord[]>();
	private readonly byName = new Map<string, DeviceRecord>();
	private byIotId: Map<string, DeviceRecord> | undefined;
	private readonly groupList: GroupRecord[];
	private readonly memberships = new WeakMap<GroupRecord, (deviceName: string) => boolean>();
	readonly moduleList: ModuleRecord[] = [];

	constructor(
		private readonly catalog: readonly ProductRecord[],
		readonly spec: FleetSpec,
		readonly seed: string,
	) {
		const seeded = assignBehaviours(spec.devices, spec.behaviours);
		catalog.forEach((product, i) => {
			const count = i === 0 ? spec.devices : 1;
			const prefix = product.nodeType === 1 ? 'gw' : 'dev';
			const behaviours = i === 0 ? seeded : [];
			const devices: DeviceRecord[] = new Array<DeviceRecord>(count);
			for (let index = 0; index < count; index++) {
				const behaviour = behaviours[index] ?? 'ok';
				const device: DeviceRecord = {
					productKey: product.productKey,
					deviceName: deviceNameFor(prefix, index, count),
					index,
					createdAt: FLEET_EPOCH,
					online: behaviour !== 'offline',
					behaviour,
					versions: { [DEFAULT_MODULE]: spec.initialVersion },
					tasks: [],
				};
				devices[index] = device;
				this.byName.set(`${product.productKey}/${device.deviceName}`, device);
			}
			this.byProduct.set(product.productKey, devices);
		});
		this.groupList = seedGroups(catalog[0], this.devices(catalog[0]?.productKey ?? ''), (name) => this.id(`group/${name}`, '0200'));
	}

	products(): ProductInfo[] {
		return this.catalog.map((p) => this.productInfo(p));
	}

	product(productKey: string): ProductInfo | undefined {
		const product = this.catalog.find((p) => p.productKey === productKey);
		return product && this.productInfo(product);
	}

	/** The product's devices in creation order (oldest first). */
	devices(productKey: string): readonly DeviceRecord[] {
		return this.byProduct.get(productKey) ?? [];
	}

	device(productKey: string, deviceName: string): DeviceRecord | undefined {
		return this.byName.get(`${productKey}/${deviceName}`);
	}

	deviceByIotId(iotId: string): DeviceRecord | undefined {
		if (!this.byIotId) {
			this.byIotId = new Map();
			for (const devices of this.byProduct.values()) {
				devices.forEach((d) => this.byIotId?.set(this.iotId(d), d));
			}
		}
		return this.byIotId.get(iotId);
	}

	/** 26 alphanumerics, like the platform's. */
	iotId(device: DeviceRecord): string {
		return this.id(`device/${device.productKey}/${device.deviceName}`, '0100');
	}

	/** 32 characters; answers carry it, logs and errors never do. */
	deviceSecret(device: DeviceRecord): string {
		return createHmac('sha256', this.seed).update(`secret/${device.productKey}/${device.deviceName}`).digest('hex').slice(0, 32);
	}

	groups(): readonly GroupRecord[] {
		return this.groupList;
	}

	group(groupId: string): GroupRecord | undefined {
		return this.groupList.find((g) => g.groupId === groupId);
	}

	groupMembers(group: GroupRecord): DeviceRecord[] {
		const isMember = this.membership(group);
		return this.devices(group.productKey).filter((d) => isMember(d.deviceName));
	}

	isInGroup(group: GroupRecord, device: DeviceRecord): boolean {
		return device.productKey === group.productKey && this.membership(group)(device.deviceName);
	}

	/** The group's rule on a device name (its members, or its glob), built once per group: dynamic jobs ask per report. */
	private membership(group: GroupRecord): (deviceName: string) => boolean {
		let isMember = this.memberships.get(group);
		if (!isMember) {
			const names = group.members && new Set(group.members);
			const glob = globRegExp(group.nameGlob ?? '*');
			isMember = names ? (name) => names.has(name) : (name) => glob.test(name);
			this.memberships.set(group, isMember);
		}
		return isMember;
	}

	/** The devices a fault-endpoint rule names (all products when no productKey). */
	select(selector: DeviceSelector): DeviceRecord[] {
		const pool = selector.productKey ? [...this.devices(selector.productKey)] : [...this.byProduct.values()].flat();
		const names = selector.deviceNames ? new Set(selector.deviceNames) : undefined;
		const glob = selector.match === undefined ? undefined : globRegExp(selector.match);
		const chosen = pool.filter((d) => (!names || names.has(d.deviceName)) && (!glob || glob.test(d.deviceName)));
		if (selector.percent === undefined) {
			return chosen;
		}
		const order = spreadOrder(chosen.length).slice(0, shareCount(chosen.length, selector.percent));
		return [...order].sort((a, b) => a - b).map((i) => chosen[i]);
	}

	private productInfo(p: ProductRecord): ProductInfo {
		return { ...p, deviceCount: this.devices(p.productKey).length };
	}

	private id(what: string, suffix: string): string {
		const hash = createHash('sha256')
			.update(`${this.seed}/${what}`)
			.digest('base64')
			.replace(/[^A-Za-z0-9]/g, '');
		return hash.padEnd(22, '0').slice(0, 22) + suffix;
	}
}

export function globRegExp(glob: string): RegExp {
	const body = glob
		.split('*')
		.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	return new RegExp(`^${body}$`);
}

/** Two static groups and one dynamic group on the first product (docs/protocols.md §10.5, A19). */
function seedGroups(product: ProductRecord | undefined, devices: readonly DeviceRecord[], id: (name: string) => string): GroupRecord[] {
	if (!product) {
		return [];
	}
	const base = { productKey: product.productKey, createdAt: FLEET_EPOCH };
	return [
		{
			...base,
			groupId: id('sandbox-lab'),
			groupName: 'sandbox-lab',
			groupType: 'LINK_PLATFORM',
			groupDesc: 'The first three devices.',
			members: devices.slice(0, 3).map((d) => d.deviceName),
		},
		{
			...base,
			groupId: id('sandbox-canary'),
			groupName: 'sandbox-canary',
			groupType: 'LINK_PLATFORM',
			groupDesc: 'Every hundredth device (the first included).',
			members: devices.filter((d) => d.index % 100 === 0).map((d) => d.deviceName),
		},
		{
			...base,
			groupId: id('sandbox-tenth'),
			groupName: 'sandbox-tenth',
			groupType: 'LINK_PLATFORM_DYNAMIC',
			groupDesc: 'Dynamic: devices whose name ends in 0.',
			nameGlob: 'dev-*0',
		},
	];
}
