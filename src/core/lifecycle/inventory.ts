// A product's devices with their online state and the version of each OTA module. The default module's version is
// in the device details (BatchQueryDeviceDetail, 100 per call); only products with custom modules need one
// ListOTAModuleVersionsByDevice per device (docs/protocols.md §11.2, §11.3).
import { maxPageSize } from '../iot/actions';
import { DEFAULT_MODULE } from '../otaFacts';
import type { LifecycleApi } from './client';
import type { DeviceSummary } from './types';

export interface DeviceVersions {
	deviceName: string;
	status?: string;
	online: boolean;
	/** Module name → reported version ("default" for the whole firmware). */
	versions: Record<string, string>;
}

export type InventoryApi = Pick<LifecycleApi, 'queryDevices' | 'listOtaModules' | 'batchQueryDeviceDetail' | 'listModuleVersions'>;

export interface InventoryQuery {
	productKey: string;
	/** Only devices reporting this version for some module. */
	version?: string;
	onlineOnly?: boolean;
	signal?: AbortSignal;
}

/** QueryDevice's largest page (docs/protocols.md §12.1). */
const DEVICE_PAGE = maxPageSize('QueryDevice');

async function versionsOf(
	api: InventoryApi,
	productKey: string,
	devices: readonly DeviceSummary[],
	perDevice: boolean,
	signal?: AbortSignal,
) {
	const versions = new Map<string, Record<string, string>>();
	if (devices.length === 0) {
		return versions;
	}
	if (perDevice) {
		for (const device of devices) {
			const page = await api.listModuleVersions({ productKey, deviceName: device.deviceName }, {}, signal);
			versions.set(device.deviceName, Object.fromEntries(page.items.map((item) => [item.moduleName, item.moduleVersion])));
		}
		return versions;
	}
	const details = await api.batchQueryDeviceDetail(
		productKey,
		devices.map((device) => device.deviceName),
		signal,
	);
	for (const detail of details) {
		versions.set(detail.deviceName, detail.firmwareVersion === undefined ? {} : { default: detail.firmwareVersion });
	}
	return versions;
}

/** Whether versions are read per device (the product has modules besides `default`). */
export async function readsVersionsPerDevice(
	api: Pick<InventoryApi, 'listOtaModules'>,
	productKey: string,
	signal?: AbortSignal,
): Promise<boolean> {
	const modules = await api.listOtaModules(productKey, signal);
	return modules.some((module) => module.moduleName !== DEFAULT_MODULE);
}

export interface DeviceVersionsPage {
	/** The page's devices that pass the filter. */
	devices: DeviceVersions[];
	/** Devices of the product (QueryDevice `Total`). */
	total: number;
	/** Pass on to read the next page. */
	nextToken?: string;
	/** No page follows. */
	last: boolean;
}

/** One page (50 devices) of the product, filtered; `perDevice` from readsVersionsPerDevice(). A view pages with it. */
export async function deviceVersionsPage(
	api: InventoryApi,
	query: InventoryQuery & { currentPage: number; nextToken?: string; perDevice: boolean },
): Promise<DeviceVersionsPage> {
	const { productKey, currentPage, signal } = query;
	const page = await api.queryDevices({ productKey, pageSize: DEVICE_PAGE, currentPage, nextToken: query.nextToken }, signal);
	const devices = page.items.filter((device) => !query.onlineOnly || device.status === 'ONLINE');
	const versions = await versionsOf(api, productKey, devices, query.perDevice, signal);
	const matching: DeviceVersions[] = [];
	for (const device of devices) {
		const reported = versions.get(device.deviceName) ?? {};
		if (query.version === undefined || Object.values(reported).includes(query.version)) {
			matching.push({ deviceName: device.deviceName, status: device.status, online: device.status === 'ONLINE', versions: reported });
		}
	}
	const last = page.items.length < DEVICE_PAGE || currentPage * DEVICE_PAGE >= page.total;
	return { devices: matching, total: page.total, nextToken: page.nextToken, last };
}

/** Every device of the product (filtered), page by page; the module list decides how versions are read. */
export async function listDeviceVersions(api: InventoryApi, query: InventoryQuery): Promise<DeviceVersions[]> {
	const perDevice = await readsVersionsPerDevice(api, query.productKey, query.signal);
	const result: DeviceVersions[] = [];
	let nextToken: string | undefined;
	for (let currentPage = 1; ; currentPage++) {
		const page = await deviceVersionsPage(api, { ...query, currentPage, nextToken, perDevice });
		result.push(...page.devices);
		nextToken = page.nextToken;
		if (page.last) {
			return result;
		}
	}
}
