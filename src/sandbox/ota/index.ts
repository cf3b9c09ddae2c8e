import path from 'node:path';
import type { Logger } from '../../core/logger';
import type { FirmwareRecord, SandboxStore } from '../store';
import { checkShares, type BehaviourShare } from './behaviours';
import type { OtaEngineApi } from './engine';
import { DEFAULT_FLEET, Fleet, type FleetSpec } from './fleet';
import { OtaEngine } from './otaEngine';
import { HttpPackageChecker, noEmbeddedVersion, type FirmwareVersionReader } from './packages';

export type { OtaEngineApi } from './engine';
export { otaErrors } from './errors';
export { parseBehaviourShare, type BehaviourShare } from './behaviours';
export type { FirmwareVersionReader } from './packages';
export * from './model';
export type * from './requests';

/** The fleet and lifecycle options of startSandbox(). */
export interface FleetOptions {
	/** Devices of the first product (default 5; 100,000 start in seconds). */
	devices?: number;
	/** Shares of the fleet with a non-default behaviour, e.g. [{ behaviour: 'fail-flash', percent: 5 }]. */
	behaviours?: readonly BehaviourShare[];
	/** The `default` module version every device starts on (default 1.0.0). */
	initialVersion?: string;
	/** 60: the lifecycle's minutes (device steps, timeouts, retries, schedules, push rates) last a real second. Default 1. */
	timeScale?: number;
	/** Reads the version compiled into a downloaded image (default: none, devices report the pushed version). */
	readFirmwareVersion?: FirmwareVersionReader;
}

export interface OtaSetup {
	store: SandboxStore;
	dataDir: string;
	seed: string;
	now: () => number;
	logger: Logger;
	downloadUrl: (firmware: FirmwareRecord) => string;
}

export function fleetSpec(opts: FleetOptions): FleetSpec {
	const devices = opts.devices ?? DEFAULT_FLEET.devices;
	if (!Number.isSafeInteger(devices) || devices < 0 || devices > 1_000_000) {
		throw new Error('The fleet size must be an integer from 0 to 1,000,000 devices.');
	}
	checkShares(opts.behaviours ?? []);
	return { devices, behaviours: opts.behaviours ?? [], initialVersion: opts.initialVersion ?? DEFAULT_FLEET.initialVersion };
}

export function timeScaleOf(opts: FleetOptions): number {
	const scale = opts.timeScale ?? 1;
	if (!Number.isFinite(scale) || scale <= 0 || scale > 1_000_000) {
		throw new Error('The time scale must be a number above 0 (1 = real time, 60 = a minute per second).');
	}
	return scale;
}

export async function createOtaEngine(opts: FleetOptions, setup: OtaSetup): Promise<OtaEngineApi> {
	const fleet = new Fleet(setup.store.products(), fleetSpec(opts), setup.seed);
	return new OtaEngine({
		store: setup.store,
		fleet,
		now: setup.now,
		timeScale: timeScaleOf(opts),
		stateDir: path.join(setup.dataDir, 'ota'),
		downloadUrl: setup.downloadUrl,
		packages: new HttpPackageChecker(setup.store.tmpDir, opts.readFirmwareVersion ?? noEmbeddedVersion),
		logger: setup.logger,
	});
}
