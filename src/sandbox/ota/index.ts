import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Logger } from '../../core/logger';
import type { SandboxStore } from '../store';
import type { FirmwareRecord } from '../storeRecords';
import { checkShares, type BehaviourShare } from './behaviours';
import { DEFAULT_FLEET, Fleet, type FleetSpec } from './fleet';
import type { TaskRecord, TaskStatus } from './model';
import { OtaEngine } from './otaEngine';
import { loadOtaState } from './persistence';
import { HttpPackageChecker, type FirmwareVersionReader } from './packages';

export type { OtaEngineApi } from './engine';
export { OtaEngine } from './otaEngine';
export { otaErrors } from './errors';
export { checkShares, parseBehaviourShare, shareProblem, type BehaviourShare, type ShareProblem } from './behaviours';
export { countDevices, type DeviceCounts } from './deviceRules';
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
	/** Reads the version compiled into a downloaded image (default: the core image reader, src/core/image). */
	readFirmwareVersion?: FirmwareVersionReader;
	/**
	 * A8 the other way (docs/protocols.md §10.7): ReupgradeOTATask and ConfirmOTATask leave a COMPLETED job COMPLETED
	 * while its re-run tasks run. Default false: the job is IN_PROGRESS again.
	 */
	rerunKeepsJobCompleted?: boolean;
	/** The core image reader's version marker for formats it does not know (as `iot-ota inspect --version-marker`). */
	versionMarker?: string;
}

export interface OtaSetup {
	store: SandboxStore;
	dataDir: string;
	now: () => number;
	logger: Logger;
	downloadUrl: (firmware: FirmwareRecord) => string;
	onTaskChange?: (task: TaskRecord, from: TaskStatus | undefined) => void;
	/** The options' reader, or the core image reader with their marker (startSandbox checks the marker first). */
	readFirmwareVersion: FirmwareVersionReader;
}

/** The fleet of the options; what they leave out comes from the saved fleet, then from the defaults. */
export function fleetSpec(opts: FleetOptions, saved?: FleetSpec): FleetSpec {
	const devices = opts.devices ?? saved?.devices ?? DEFAULT_FLEET.devices;
	if (!Number.isSafeInteger(devices) || devices < 0 || devices > 1_000_000) {
		throw new Error('The fleet size must be an integer from 0 to 1,000,000 devices.');
	}
	const behaviours = opts.behaviours ?? saved?.behaviours ?? DEFAULT_FLEET.behaviours;
	checkShares(behaviours);
	return { devices, behaviours, initialVersion: opts.initialVersion ?? saved?.initialVersion ?? DEFAULT_FLEET.initialVersion };
}

export function timeScaleOf(opts: FleetOptions): number {
	const scale = opts.timeScale ?? 1;
	if (!Number.isFinite(scale) || scale <= 0 || scale > 1_000_000) {
		throw new Error('The time scale must be a number above 0 (1 = real time, 60 = a minute per second).');
	}
	return scale;
}

/** The engine over the data dir's saved lifecycle state (a restart mid-rollout resumes it). */
export async function createOtaEngine(opts: FleetOptions, setup: OtaSetup): Promise<OtaEngine> {
	const stateDir = path.join(setup.dataDir, 'ota');
	const saved = await loadOtaState(stateDir);
	const fleet = new Fleet(
		setup.store.products(),
		fleetSpec(opts, saved.fleet?.spec),
		saved.fleet?.seed ?? randomBytes(24).toString('base64url'),
	);
	const engine = new OtaEngine(
		{
			store: setup.store,
			fleet,
			now: setup.now,
			timeScale: timeScaleOf(opts),
			stateDir,
			downloadUrl: setup.downloadUrl,
			packages: new HttpPackageChecker(setup.store.tmpDir, setup.readFirmwareVersion),
			logger: setup.logger,
			onTaskChange: setup.onTaskChange,
			rerunKeepsJobCompleted: opts.rerunKeepsJobCompleted,
		},
		saved,
	);
	await engine.saveFleet(); // the seed, and the spec when the options changed it
	return engine;
}
