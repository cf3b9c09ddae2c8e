import type { SandboxStore } from '../store';
import { otaErrors } from './errors';
import type { Fleet } from './fleet';
import { DEFAULT_MODULE, type DeviceRecord, type ModuleRecord, type ProductInfo } from './model';

/** OTA modules of a product (docs/protocols.md §10.1): `default` always exists; up to 10 custom ones. */

const MAX_CUSTOM_MODULES = 10;

export class ModuleCatalog {
	constructor(
		private readonly fleet: Fleet,
		private readonly store: SandboxStore,
		private readonly now: () => number,
		private readonly changed: () => void,
	) {}

	create(productKey: string, moduleName: string, info: { aliasName?: string; desc?: string }): ModuleRecord {
		this.requireProduct(productKey);
		const custom = this.fleet.moduleList.filter((m) => m.productKey === productKey);
		const taken = (name: string): boolean => name.toLowerCase() === moduleName.toLowerCase();
		if (taken(DEFAULT_MODULE) || custom.some((m) => taken(m.moduleName))) {
			throw otaErrors.moduleExists();
		}
		if (custom.length >= MAX_CUSTOM_MODULES) {
			throw otaErrors.moduleLimit();
		}
		const now = this.now();
		const module: ModuleRecord = { productKey, moduleName, ...info, createdAt: now, modifiedAt: now };
		this.fleet.moduleList.push(module);
		this.changed();
		return module;
	}

	update(productKey: string, moduleName: string, info: { aliasName?: string; desc?: string }): ModuleRecord {
		const module = this.find(productKey, moduleName);
		if (!this.fleet.moduleList.includes(module)) {
			// The default module's alias and description are kept once UpdateOTAModule sets them.
			this.fleet.moduleList.push(module);
		}
		Object.assign(module, info, { modifiedAt: this.now() });
		this.changed();
		return module;
	}

	delete(productKey: string, moduleName: string): void {
		const module = this.find(productKey, moduleName);
		if (module.moduleName === DEFAULT_MODULE) {
			throw otaErrors.defaultModule();
		}
		if (this.store.listFirmware().some((f) => f.productKey === productKey && f.moduleName === module.moduleName)) {
			throw otaErrors.moduleHasFirmware();
		}
		this.fleet.moduleList.splice(this.fleet.moduleList.indexOf(module), 1);
		this.changed();
	}

	/** `default` first, then the custom modules oldest first. */
	list(productKey: string): ModuleRecord[] {
		const product = this.requireProduct(productKey);
		const builtIn = this.fleet.moduleList.find((m) => m.productKey === productKey && m.moduleName === DEFAULT_MODULE);
		return [
			builtIn ?? { productKey, moduleName: DEFAULT_MODULE, createdAt: product.gmtCreate, modifiedAt: product.gmtCreate },
			...this.fleet.moduleList.filter((m) => m.productKey === productKey && m.moduleName !== DEFAULT_MODULE),
		];
	}

	/** The modules the device reported, `default` first. */
	versions(device: DeviceRecord): Array<{ moduleName: string; version: string }> {
		const names = Object.keys(device.versions).sort((a, b) =>
			a === DEFAULT_MODULE ? -1 : b === DEFAULT_MODULE ? 1 : a.localeCompare(b),
		);
		return names.map((moduleName) => ({ moduleName, version: device.versions[moduleName] }));
	}

	private find(productKey: string, moduleName: string): ModuleRecord {
		const module = this.list(productKey).find((m) => m.moduleName === moduleName);
		if (!module) {
			throw otaErrors.moduleNotFound();
		}
		return module;
	}

	private requireProduct(productKey: string): ProductInfo {
		const product = this.fleet.product(productKey);
		if (!product) {
			throw otaErrors.productNotFound();
		}
		return product;
	}
}
