// Starting verification and rollouts: every offline check first, then a plan of the exact write calls (what
// `rollout --dry-run` prints), then the calls. Batches need a verified package (Status 1) or one that needs no
// verification (-1); verification is refused while verifying (2) or once verified (1) (docs/protocols.md §11.5, §10.1).
import { OtaError, throwIfAborted } from '../errors';
import { actionFacts, type HttpMethod } from '../iot/actions';
import { wireParams } from '../iot/params';
import type { Logger } from '../logger';
import type { LifecycleApi } from './client';
import { deviceListCsv } from './deviceList';
import {
	type BatchOptions,
	dynamicJobParams,
	type DynamicJobRequest,
	staticJobParams,
	type StaticJobRequest,
	verifyJobParams,
	type VerifyJobRequest,
} from './requests';
import { checkNamedReach } from './reach';
import { invalid, validateDynamicJob, validateStaticJob, validateVerifyJob } from './rules';
import { FIRMWARE_STATUS_TEXT, type FirmwareDetail, type JobRef } from './types';

export type RolloutTarget =
	| { kind: 'all' }
	| { kind: 'gray'; percent: string }
	| { kind: 'devices'; deviceNames: readonly string[] }
	/** Names uploaded as a device list file (GenerateDeviceNameListURL) instead of TargetDeviceName. */
	| { kind: 'deviceList'; deviceNames: readonly string[] }
	| { kind: 'group'; groupId: string };

export interface RolloutSpec extends BatchOptions {
	firmwareId: string;
	target: RolloutTarget;
	/** A dynamic batch: keeps matching devices (all with srcVersions, or a dynamic group). */
	dynamic?: boolean;
	srcVersions?: readonly string[];
	scheduleTime?: number;
	scheduleFinishTime?: number;
}

export type JobRequest = { kind: 'static'; request: StaticJobRequest } | { kind: 'dynamic'; request: DynamicJobRequest };

export interface PlannedCall {
	action: string;
	method: HttpMethod;
	/** Exactly the parameters sent, flattened; values only known later are shown as <…>. */
	params: Record<string, string>;
}

export interface RolloutPlan {
	spec: RolloutSpec;
	firmware: FirmwareDetail;
	job: JobRequest;
	calls: PlannedCall[];
}

const PENDING_FILE_URL = '<FileUrl of GenerateDeviceNameListURL>';
const PENDING_PRODUCT_KEY = '<ProductKey>';

/** The create request for `spec`; the device list's FileUrl is a placeholder until the list is uploaded. */
export function jobRequest(spec: RolloutSpec, productKey: string, fileUrl = PENDING_FILE_URL): JobRequest {
	const { firmwareId, target, dynamic, srcVersions, scheduleTime, scheduleFinishTime, ...options } = spec;
	if (dynamic) {
		const groupId = target.kind === 'group' ? target.groupId : undefined;
		return { kind: 'dynamic', request: { ...options, firmwareId, productKey, srcVersions, groupId } };
	}
	const staticTarget = target.kind === 'deviceList' ? { kind: 'deviceFile' as const, fileUrl } : target;
	return {
		kind: 'static',
		request: { ...options, firmwareId, productKey, target: staticTarget, srcVersions, scheduleTime, scheduleFinishTime },
	};
}

/** Every check that needs no call: target combinations, limits, schedule window, the device list. */
export function checkRolloutSpec(spec: RolloutSpec, now: number): void {
	if (spec.dynamic) {
		if (spec.target.kind !== 'all' && spec.target.kind !== 'group') {
			throw invalid('InvalidDynamicTarget', 'A dynamic rollout targets all devices (with source versions) or a dynamic group.', {
				reason: 'dynamic-rollout-target',
			});
		}
		if (spec.scheduleTime !== undefined || spec.scheduleFinishTime !== undefined) {
			throw invalid('ScheduledDynamic', 'A dynamic rollout cannot be scheduled: it starts at once and keeps matching devices.', {
				reason: 'scheduled-dynamic',
			});
		}
	}
	if (spec.target.kind === 'deviceList') {
		deviceListCsv(spec.target.deviceNames);
	}
	const job = jobRequest(spec, PENDING_PRODUCT_KEY);
	if (job.kind === 'dynamic') {
		validateDynamicJob(job.request);
	} else {
		validateStaticJob(job.request, now);
	}
}

/** The reasons (MessageReason codes) of a package the platform's state refuses; the extension words them by these. */
export const PACKAGE_STATE_REASONS = ['package-not-verified', 'package-verified-already', 'package-no-product-key'] as const;

function notReady(
	code: string,
	message: string,
	hint: string,
	reason: (typeof PACKAGE_STATE_REASONS)[number],
	firmware: FirmwareDetail,
): OtaError {
	const values = { firmwareId: firmware.firmwareId, status: firmware.status ?? '' };
	return new OtaError({ code, source: 'api', message, hint, reason: { code: reason, values } });
}

/** A verification still running is watched, not started again (assertVerifiable refuses that). */
const watchVerification = (firmware: FirmwareDetail): string => `Watch the running verification: iot-ota jobs ${firmware.firmwareId}`;

function statusText(firmware: FirmwareDetail): string {
	return FIRMWARE_STATUS_TEXT[firmware.status ?? Number.NaN] ?? `status ${firmware.status}`;
}

/** A batch needs Status 1 (verified) or -1 (no verification needed); an unknown Status is left to the platform. */
export function assertRolloutReady(firmware: FirmwareDetail): void {
	if (firmware.status !== undefined && firmware.status !== 1 && firmware.status !== -1) {
		throw notReady(
			'FirmwareNotVerified',
			`Package ${firmware.firmwareId} is ${statusText(firmware)}: batches need a verified package.`,
			firmware.status === 2
				? watchVerification(firmware)
				: `Verify it first: iot-ota verify ${firmware.firmwareId} --devices dn1,dn2 --watch`,
			'package-not-verified',
			firmware,
		);
	}
}

export function assertVerifiable(firmware: FirmwareDetail): void {
	if (firmware.status === 1 || firmware.status === 2) {
		throw notReady(
			firmware.status === 1 ? 'FirmwareAlreadyVerified' : 'FirmwareVerifying',
			`Package ${firmware.firmwareId} is already ${statusText(firmware)}: it cannot be verified again.`,
			firmware.status === 1 ? `Roll it out: iot-ota rollout ${firmware.firmwareId} --gray 10 --watch` : watchVerification(firmware),
			'package-verified-already',
			firmware,
		);
	}
}

function requireProductKey(firmware: FirmwareDetail): string {
	if (!firmware.productKey) {
		throw notReady(
			'InvalidResponse',
			`QueryOTAFirmware gave no ProductKey for ${firmware.firmwareId}.`,
			'Check the endpoint.',
			'package-no-product-key',
			firmware,
		);
	}
	return firmware.productKey;
}

const planned = (action: string, params: Record<string, string>): PlannedCall => ({ action, method: actionFacts(action).method, params });

/** Reads the package (the only call), checks it may be rolled out and lists the write calls in order. */
export async function planRollout(api: Pick<LifecycleApi, 'queryFirmware'>, spec: RolloutSpec, signal?: AbortSignal): Promise<RolloutPlan> {
	const firmware = await api.queryFirmware(spec.firmwareId, signal);
	assertRolloutReady(firmware);
	const job = jobRequest(spec, requireProductKey(firmware));
	const calls: PlannedCall[] = [];
	if (spec.target.kind === 'deviceList') {
		calls.push(planned('GenerateDeviceNameListURL', {}));
		calls.push({
			action: 'PostObject',
			method: 'POST',
			params: { key: '<Key of GenerateDeviceNameListURL>', file: `${spec.target.deviceNames.length} device names, one per line` },
		});
	}
	calls.push(
		job.kind === 'dynamic'
			? planned('CreateOTADynamicUpgradeJob', wireParams(dynamicJobParams(job.request)))
			: planned('CreateOTAStaticUpgradeJob', wireParams(staticJobParams(job.request))),
	);
	return { spec, firmware, job, calls };
}

/**
 * Sends a job-creating call that is never aborted once sent (docs/protocols.md §12.5): the platform may create the job
 * whatever the client does, so a cancel that lands meanwhile waits for the answer and the job is returned, for the
 * caller to report its JobId. A cancel before the call stops it from being sent.
 */
export async function createJob(
	action: string,
	create: () => Promise<JobRef>,
	signal?: AbortSignal,
	logger?: Pick<Logger, 'info'>,
): Promise<JobRef> {
	throwIfAborted(signal, action);
	const onAbort = (): void =>
		logger?.info(`Cancel requested while ${action} is in flight: the job may be created anyway, so its answer is awaited.`);
	signal?.addEventListener('abort', onAbort, { once: true });
	try {
		return await create();
	} finally {
		signal?.removeEventListener('abort', onAbort);
	}
}

export type RolloutApi = Pick<LifecycleApi, 'uploadDeviceList' | 'createStaticJob' | 'createDynamicJob' | 'batchQueryDeviceDetail'>;

/**
 * Makes the plan's write calls: the device list upload (if any, abortable), then the batch (createJob). A batch of
 * named devices is looked up first (BatchQueryDeviceDetail) and refused as its dry run refuses it (reach.ts).
 */
export async function startRollout(
	api: RolloutApi,
	plan: RolloutPlan,
	signal?: AbortSignal,
	logger?: Pick<Logger, 'info' | 'warn'>,
): Promise<JobRef> {
	const { job } = plan;
	if (job.kind === 'dynamic') {
		return createJob('CreateOTADynamicUpgradeJob', () => api.createDynamicJob(job.request), signal, logger);
	}
	let request = job.request;
	const { target } = plan.spec;
	await checkNamedReach(api, plan, { signal, logger });
	if (target.kind === 'deviceList') {
		request = { ...request, target: { kind: 'deviceFile', fileUrl: await api.uploadDeviceList(target.deviceNames, signal) } };
	}
	return createJob('CreateOTAStaticUpgradeJob', () => api.createStaticJob(request), signal, logger);
}

export type VerificationSpec = Omit<VerifyJobRequest, 'productKey'>;

export function checkVerificationSpec(spec: VerificationSpec): void {
	validateVerifyJob({ ...spec, productKey: PENDING_PRODUCT_KEY });
}

/** QueryOTAFirmware, the verifiable check, then CreateOTAVerifyJob on the package's product (createJob). */
export async function startVerification(
	api: Pick<LifecycleApi, 'queryFirmware' | 'createVerifyJob'>,
	spec: VerificationSpec,
	signal?: AbortSignal,
	logger?: Pick<Logger, 'info'>,
): Promise<{ job: JobRef; firmware: FirmwareDetail; call: PlannedCall }> {
	checkVerificationSpec(spec);
	const firmware = await api.queryFirmware(spec.firmwareId, signal);
	assertVerifiable(firmware);
	const request: VerifyJobRequest = { ...spec, productKey: requireProductKey(firmware) };
	const job = await createJob('CreateOTAVerifyJob', () => api.createVerifyJob(request), signal, logger);
	return { job, firmware, call: planned('CreateOTAVerifyJob', wireParams(verifyJobParams(request))) };
}
