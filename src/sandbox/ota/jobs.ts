import type { FirmwareRecord } from '../storeRecords';
import { randomId } from '../ids';
import { grayDeviceCount } from '../../core/lifecycle/rules';
import { JOB_DEFAULTS, VERIFIABLE_STATUSES } from './assumptions';
import { dynamicCovers } from './dynamic';
import { otaErrors } from './errors';
import {
	emptyCounts,
	type DeviceRecord,
	type GroupType,
	type JobOptions,
	type JobRecord,
	type JobType,
	type SelectionType,
	type TargetSelection,
} from './model';
import type { DynamicJobRequest, RolloutRequest, StaticJobRequest, VerifyJobRequest } from './requests';
import type { Runtime } from './runtime';

/** Job creation: the state-dependent checks, the choice of devices, and the tasks (docs/protocols.md §10.1). */

export function createVerifyJob(rt: Runtime, firmware: FirmwareRecord, req: VerifyJobRequest): JobRecord {
	checkProduct(rt, firmware, req.productKey);
	if (!VERIFIABLE_STATUSES.includes(firmware.status)) {
		throw otaErrors.verifyNotAllowed(firmware.status);
	}
	const devices = namedDevices(rt, firmware, req.productKey, req.deviceNames, false);
	const job = newJob(
		rt,
		firmware,
		{ jobType: 'VERIFY_FIRMWARE', selectionType: 'STATIC', targetSelection: 'SPECIFIC' },
		options(req, {}),
	);
	rt.setFirmwareStatus(firmware.firmwareId, 2);
	return launch(rt, job, devices);
}

export function createStaticJob(rt: Runtime, firmware: FirmwareRecord, req: StaticJobRequest): JobRecord {
	checkProduct(rt, firmware, req.productKey);
	checkVerified(firmware);
	const srcVersions = checkSrcVersions(firmware, req.srcVersions);
	let candidates: readonly DeviceRecord[];
	let group: { groupId: string; groupName: string; groupType: GroupType } | undefined;
	if (req.targetSelection === 'SPECIFIC') {
		candidates = namedDevices(rt, firmware, req.productKey, req.deviceNames ?? [], req.fromDeviceListFile ?? false);
	} else if (req.targetSelection === 'GROUP') {
		const found = findGroup(rt, req.productKey, req.groupId, 'LINK_PLATFORM');
		group = found;
		candidates = rt.deps.fleet.groupMembers(found);
	} else {
		candidates = rt.deps.fleet.devices(req.productKey);
	}
	const moduleName = firmware.moduleName;
	let targets = candidates.filter((d) => {
		const version = d.versions[moduleName] ?? '';
		return (
			version !== firmware.destVersion &&
			(srcVersions.length === 0 || srcVersions.includes(version)) &&
			(firmware.type !== 1 || version === firmware.srcVersion)
		);
	});
	if (req.targetSelection === 'GRAY') {
		targets = targets.slice(0, grayDeviceCount(targets.length, req.grayPercent ?? '0'));
	}
	const opts = options(req, {
		srcVersions,
		grayPercent: req.grayPercent,
		...(group ?? {}),
		scheduleTime: req.scheduleTime,
		scheduleFinishTime: req.scheduleFinishTime,
	});
	const job = newJob(rt, firmware, { jobType: 'UPGRADE_FIRMWARE', selectionType: 'STATIC', targetSelection: req.targetSelection }, opts);
	return launch(rt, job, targets);
}

export function createDynamicJob(rt: Runtime, firmware: FirmwareRecord, req: DynamicJobRequest): JobRecord {
	checkProduct(rt, firmware, req.productKey);
	checkVerified(firmware);
	const srcVersions = checkSrcVersions(firmware, req.srcVersions);
	if (rt.jobList.some((j) => j.firmwareId === firmware.firmwareId && j.selectionType === 'DYNAMIC' && j.status === 'IN_PROGRESS')) {
		throw otaErrors.dynamicJobExists();
	}
	const group = req.groupId === undefined ? undefined : findGroup(rt, req.productKey, req.groupId, 'LINK_PLATFORM_DYNAMIC');
	const dynamicMode = req.dynamicMode ?? JOB_DEFAULTS.dynamicMode;
	const opts = options(req, { srcVersions, dynamicMode, ...(group ?? {}) });
	const job = newJob(rt, firmware, { jobType: 'UPGRADE_FIRMWARE', selectionType: 'DYNAMIC', targetSelection: 'ALL' }, opts);
	const pool = group ? rt.deps.fleet.groupMembers(group) : rt.deps.fleet.devices(req.productKey);
	const matching = dynamicMode === 2 ? [] : pool.filter((d) => dynamicCovers(rt.deps.fleet, job, d, d.versions[job.moduleName] ?? ''));
	return launch(rt, job, matching);
}

function launch(rt: Runtime, job: JobRecord, devices: readonly DeviceRecord[]): JobRecord {
	rt.addJob(job);
	for (const device of devices) {
		rt.createTask(job, device);
	}
	rt.schedule(job);
	return job;
}

function checkProduct(rt: Runtime, firmware: FirmwareRecord, productKey: string): void {
	if (!rt.deps.fleet.product(productKey)) {
		throw otaErrors.productNotFound();
	}
	if (firmware.productKey !== productKey) {
		throw otaErrors.firmwareProductMismatch();
	}
}

/** Batches need a verified package unless it was created with NeedToVerify=false (Status -1). */
export function checkVerified(firmware: FirmwareRecord): void {
	if (firmware.status !== 1 && firmware.status !== -1) {
		throw otaErrors.firmwareNotVerified();
	}
}

function checkSrcVersions(firmware: FirmwareRecord, srcVersions: readonly string[] | undefined): readonly string[] {
	const list = srcVersions ?? [];
	if (firmware.type === 1 && list.some((v) => v !== firmware.srcVersion)) {
		throw otaErrors.invalidSrcVersionList(`a delta package only upgrades devices on its SrcVersion ${firmware.srcVersion}.`);
	}
	return list;
}

function namedDevices(
	rt: Runtime,
	firmware: FirmwareRecord,
	productKey: string,
	names: readonly string[],
	fromFile: boolean,
): DeviceRecord[] {
	const devices: DeviceRecord[] = [];
	for (const name of names) {
		const device = rt.deps.fleet.device(productKey, name);
		if (!device) {
			if (fromFile) {
				continue;
			}
			throw otaErrors.deviceNotFound(name);
		}
		if (!fromFile && firmware.type === 1 && device.versions[firmware.moduleName] !== firmware.srcVersion) {
			throw otaErrors.deviceNotOnSrcVersion(name, firmware.srcVersion ?? '');
		}
		devices.push(device);
	}
	return devices;
}

function findGroup(rt: Runtime, productKey: string, groupId: string | undefined, type: GroupType) {
	const group = groupId === undefined ? undefined : rt.deps.fleet.group(groupId);
	if (!group || group.productKey !== productKey) {
		throw otaErrors.groupNotFound();
	}
	if (group.groupType !== type) {
		throw otaErrors.groupTypeMismatch(type);
	}
	return { ...group };
}

function options(req: RolloutRequest, extra: Partial<JobOptions>): JobOptions {
	return {
		needPush: req.needPush ?? JOB_DEFAULTS.needPush,
		needConfirm: req.needConfirm ?? JOB_DEFAULTS.needConfirm,
		downloadProtocol: req.downloadProtocol ?? JOB_DEFAULTS.downloadProtocol,
		tags: req.tags ?? [],
		timeoutInMinutes: req.timeoutInMinutes,
		retryInterval: req.retryInterval,
		retryCount: req.retryCount,
		maximumPerMinute: req.maximumPerMinute ?? JOB_DEFAULTS.maximumPerMinute,
		overwriteMode: req.overwriteMode ?? JOB_DEFAULTS.overwriteMode,
		multiModuleMode: req.multiModuleMode ?? JOB_DEFAULTS.multiModuleMode,
		jobDesc: req.jobDesc,
		srcVersions: [],
		...withoutUndefined(extra),
	};
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function newJob(
	rt: Runtime,
	firmware: FirmwareRecord,
	kind: { jobType: JobType; selectionType: SelectionType; targetSelection: TargetSelection },
	opts: JobOptions,
): JobRecord {
	const now = rt.now();
	const planned = opts.scheduleTime !== undefined && opts.scheduleTime > now;
	const scaled = (at: number): number => now + Math.max(0, at - now) / rt.deps.timeScale;
	return {
		jobId: randomId(26),
		firmwareId: firmware.firmwareId,
		productKey: firmware.productKey,
		firmwareName: firmware.firmwareName,
		moduleName: firmware.moduleName,
		destVersion: firmware.destVersion,
		...(firmware.type === 1 ? { deltaFrom: firmware.srcVersion } : {}),
		...kind,
		options: opts,
		status: planned ? 'PLANNED' : 'IN_PROGRESS',
		createdAt: now,
		modifiedAt: now,
		...(planned ? { startAt: scaled(opts.scheduleTime ?? now) } : { startedAt: now }),
		...(opts.scheduleFinishTime === undefined ? {} : { finishAt: scaled(opts.scheduleFinishTime) }),
		tasks: [],
		counts: emptyCounts(),
	};
}
