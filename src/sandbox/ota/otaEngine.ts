import type { FirmwareRecord } from '../store';
import type { OtaEngineApi, OtaEngineDeps } from './engine';
import { otaErrors } from './errors';
import type { Fleet } from './fleet';
import { DEFAULT_MODULE, type DeviceRecord, type JobRecord, type ModuleRecord, type TaskRecord, type TaskStatus } from './model';
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

const MAX_CUSTOM_MODULES = 10;

function notImplemented(what: string): never {
	throw new Error(`OTA engine: ${what} is not implemented yet.`);
}

export class OtaEngine implements OtaEngineApi {
	readonly fleet: Fleet;
	readonly now: () => number;
	readonly timeScale: number;

	constructor(private readonly deps: OtaEngineDeps) {
		this.fleet = deps.fleet;
		this.now = deps.now;
		this.timeScale = deps.timeScale;
	}

	createVerifyJob(_firmware: FirmwareRecord, _req: VerifyJobRequest): JobRecord {
		return notImplemented('createVerifyJob');
	}

	createStaticJob(_firmware: FirmwareRecord, _req: StaticJobRequest): JobRecord {
		return notImplemented('createStaticJob');
	}

	createDynamicJob(_firmware: FirmwareRecord, _req: DynamicJobRequest): JobRecord {
		return notImplemented('createDynamicJob');
	}

	queryJob(_jobId: string): JobRecord {
		return notImplemented('queryJob');
	}

	listJobsByFirmware(_firmwareId: string): JobRecord[] {
		return notImplemented('listJobsByFirmware');
	}

	listJobsByDevice(_firmwareId: string, _productKey: string, _deviceName: string): JobRecord[] {
		return notImplemented('listJobsByDevice');
	}

	listTasksByJob(_jobId: string, _filter: TaskFilter, _page: PageRequest): Paged<TaskRecord> {
		return notImplemented('listTasksByJob');
	}

	taskCounts(_jobId: string): Readonly<Record<TaskStatus, number>> {
		return notImplemented('taskCounts');
	}

	unfinishedTasksByDevice(_device: { productKey: string; deviceName: string } | { iotId: string }, _filter: TaskFilter): TaskRecord[] {
		return notImplemented('unfinishedTasksByDevice');
	}

	verifyProgress(_firmwareId: string): number {
		return 0;
	}

	cancelTasksByJob(_jobId: string, _flags: CancelByJobFlags): number {
		return notImplemented('cancelTasksByJob');
	}

	cancelTasksByDevice(_firmware: FirmwareRecord, _productKey: string, _deviceNames: readonly string[], _jobId?: string): number {
		return notImplemented('cancelTasksByDevice');
	}

	cancelStrategy(_jobId: string): void {
		notImplemented('cancelStrategy');
	}

	reupgrade(_jobId: string, _taskIds: readonly string[]): TaskRecord[] {
		return notImplemented('reupgrade');
	}

	confirm(_taskIds: readonly string[]): TaskRecord[] {
		return notImplemented('confirm');
	}

	createModule(productKey: string, moduleName: string, info: { aliasName?: string; desc?: string }): ModuleRecord {
		this.requireProduct(productKey);
		const custom = this.fleet.moduleList.filter((m) => m.productKey === productKey);
		if (moduleName.toLowerCase() === DEFAULT_MODULE || custom.some((m) => m.moduleName.toLowerCase() === moduleName.toLowerCase())) {
			throw otaErrors.moduleExists();
		}
		if (custom.length >= MAX_CUSTOM_MODULES) {
			throw otaErrors.moduleLimit();
		}
		const now = this.now();
		const module: ModuleRecord = { productKey, moduleName, ...info, createdAt: now, modifiedAt: now };
		this.fleet.moduleList.push(module);
		return module;
	}

	updateModule(productKey: string, moduleName: string, info: { aliasName?: string; desc?: string }): ModuleRecord {
		const module = this.findModule(productKey, moduleName);
		Object.assign(module, info, { modifiedAt: this.now() });
		return module;
	}

	deleteModule(productKey: string, moduleName: string): void {
		const module = this.findModule(productKey, moduleName);
		if (module.moduleName === DEFAULT_MODULE) {
			throw otaErrors.defaultModule();
		}
		if (this.deps.store.listFirmware().some((f) => f.productKey === productKey && f.moduleName === module.moduleName)) {
			throw otaErrors.moduleHasFirmware();
		}
		this.fleet.moduleList.splice(this.fleet.moduleList.indexOf(module), 1);
	}

	modules(productKey: string): ModuleRecord[] {
		const product = this.requireProduct(productKey);
		const builtIn: ModuleRecord = {
			productKey,
			moduleName: DEFAULT_MODULE,
			createdAt: product.gmtCreate,
			modifiedAt: product.gmtCreate,
		};
		return [builtIn, ...this.fleet.moduleList.filter((m) => m.productKey === productKey)];
	}

	moduleVersions(device: DeviceRecord): Array<{ moduleName: string; version: string }> {
		const names = Object.keys(device.versions).sort((a, b) =>
			a === DEFAULT_MODULE ? -1 : b === DEFAULT_MODULE ? 1 : a.localeCompare(b),
		);
		return names.map((moduleName) => ({ moduleName, version: device.versions[moduleName] }));
	}

	setDevices(_selector: DeviceSelector, _change: DeviceChange): number {
		return notImplemented('setDevices');
	}

	async flush(): Promise<void> {}

	async stop(): Promise<void> {}

	private requireProduct(productKey: string): ReturnType<Fleet['product']> & object {
		const product = this.fleet.product(productKey);
		if (!product) {
			throw otaErrors.productNotFound();
		}
		return product;
	}

	private findModule(productKey: string, moduleName: string): ModuleRecord {
		const module = this.modules(productKey).find((m) => m.moduleName === moduleName);
		if (!module) {
			throw otaErrors.moduleNotFound();
		}
		return module;
	}
}
