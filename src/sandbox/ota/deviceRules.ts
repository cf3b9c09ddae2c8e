import { BEHAVIOURS, DEFAULT_MODULE, type DeviceRecord } from './model';
import { isBehaviour } from './behaviours';
import type { OtaEngineApi } from './engine';
import type { DeviceChange, DeviceSelector } from './requests';

/**
 * Device rules of the fault admin endpoint (POST /__sandbox/faults with `"target": "device"`): which
 * devices (names, a glob, a share of the fleet, a product) and what changes for them (behaviour,
 * online state, reported versions). Example: {"target":"device","behaviour":"fail-flash","percent":5}.
 */

export interface DeviceRule {
	selector: DeviceSelector;
	change: DeviceChange;
}

export function isDeviceRule(input: unknown): boolean {
	return typeof input === 'object' && input !== null && (input as { target?: unknown }).target === 'device';
}

/** Validates a device rule; throws Error with a readable message. */
export function parseDeviceRule(input: unknown): DeviceRule {
	const raw = input as Record<string, unknown>;
	const selector: DeviceSelector = {};
	if (raw.productKey !== undefined) {
		selector.productKey = String(raw.productKey);
	}
	if (raw.devices !== undefined) {
		if (!Array.isArray(raw.devices) || !raw.devices.every((d) => typeof d === 'string')) {
			throw new Error("Device rule: 'devices' must be an array of device names.");
		}
		selector.deviceNames = raw.devices as string[];
	}
	if (raw.match !== undefined) {
		selector.match = String(raw.match);
	}
	if (raw.percent !== undefined) {
		const percent = Number(String(raw.percent).replace(/%$/, ''));
		if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
			throw new Error("Device rule: 'percent' must be a number from 0 to 100.");
		}
		selector.percent = percent;
	}
	const change: DeviceChange = {};
	if (raw.behaviour !== undefined) {
		if (!isBehaviour(raw.behaviour)) {
			throw new Error(`Device rule: 'behaviour' must be one of ${BEHAVIOURS.join(', ')}.`);
		}
		change.behaviour = raw.behaviour;
	}
	if (raw.online !== undefined) {
		if (typeof raw.online !== 'boolean') {
			throw new Error("Device rule: 'online' must be true or false.");
		}
		change.online = raw.online;
	}
	if (raw.version !== undefined || raw.versions !== undefined) {
		const versions = raw.versions ?? { default: raw.version };
		if (typeof versions !== 'object' || versions === null || !Object.values(versions).every((v) => typeof v === 'string' && v !== '')) {
			throw new Error("Device rule: 'version' must be a version string, 'versions' an object of module → version.");
		}
		change.versions = versions as Record<string, string>;
	}
	if (Object.keys(change).length === 0) {
		throw new Error("Device rule: give at least one of 'behaviour', 'online', 'version' or 'versions'.");
	}
	return { selector, change };
}

export interface DeviceCounts {
	devices: number;
	online: number;
	behaviours: Record<string, number>;
	/** Devices per `default` module version (QueryDeviceDetail's FirmwareVersion). */
	versions: Record<string, number>;
}

/** How many devices, online, per behaviour and per version. */
export function countDevices(devices: Iterable<DeviceRecord>): DeviceCounts {
	const behaviours: Record<string, number> = {};
	const versions: Record<string, number> = {};
	let count = 0;
	let online = 0;
	for (const device of devices) {
		count++;
		online += device.online ? 1 : 0;
		behaviours[device.behaviour] = (behaviours[device.behaviour] ?? 0) + 1;
		const version = device.versions[DEFAULT_MODULE] ?? '';
		versions[version] = (versions[version] ?? 0) + 1;
	}
	return { devices: count, online, behaviours, versions };
}

/** What GET /__sandbox/faults reports about the fleet: devices, online, per behaviour and per version. */
export function fleetSummary(ota: OtaEngineApi): DeviceCounts & { timeScale: number } {
	const all = ota.fleet.products().flatMap((product) => ota.fleet.devices(product.productKey));
	return { ...countDevices(all), timeScale: ota.timeScale };
}
