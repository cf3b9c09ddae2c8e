// Typed requests of the job-creating and control actions and their exact RPC parameters (docs/protocols.md §11.5–§11.8).
// Pure: the client sends these parameters and `rollout --dry-run` prints them.
import type { RpcParams } from '../iot/params';
import type { Tag } from './types';

export type DownloadProtocol = 'HTTPS' | 'MQTT';

/** Parameters every job takes (CreateOTAVerifyJob has only these). */
export interface DeliveryOptions {
	timeoutInMinutes?: number;
	needPush?: boolean;
	needConfirm?: boolean;
	downloadProtocol?: DownloadProtocol;
	tags?: readonly Tag[];
}

export interface VerifyJobRequest extends DeliveryOptions {
	firmwareId: string;
	productKey: string;
	deviceNames: readonly string[];
}

/** Parameters of both batch kinds. */
export interface BatchOptions extends DeliveryOptions {
	retryInterval?: number;
	retryCount?: number;
	maximumPerMinute?: number;
	/** 1: a device's pending task stays and the new one fails (default); 2: the new one replaces it. */
	overwriteMode?: 1 | 2;
	multiModuleMode?: boolean;
}

export type StaticTarget =
	| { kind: 'all' }
	| { kind: 'gray'; percent: string }
	| { kind: 'devices'; deviceNames: readonly string[] }
	/** The FileUrl of GenerateDeviceNameListURL once the list is uploaded. */
	| { kind: 'deviceFile'; fileUrl: string }
	| { kind: 'group'; groupId: string };

export interface StaticJobRequest extends BatchOptions {
	firmwareId: string;
	productKey: string;
	target: StaticTarget;
	srcVersions?: readonly string[];
	/** Epoch ms. */
	scheduleTime?: number;
	scheduleFinishTime?: number;
}

export interface DynamicJobRequest extends BatchOptions {
	firmwareId: string;
	productKey: string;
	/** Exactly one of srcVersions or groupId (a dynamic group). */
	srcVersions?: readonly string[];
	groupId?: string;
	/** 1: devices matching now and later (default); 2: only devices that report a new version later. */
	dynamicMode?: 1 | 2;
}

/** Each flag cancels every task of the job in that state. */
export interface CancelByJobRequest {
	jobId: string;
	scheduled?: boolean;
	queued?: boolean;
	notified?: boolean;
	inProgress?: boolean;
	unconfirmed?: boolean;
}

export interface CancelByDeviceRequest {
	firmwareId: string;
	productKey: string;
	deviceNames: readonly string[];
	/** Restricts the cancel to one job. */
	jobId?: string;
}

/** Group types a job accepts: static groups for static jobs, dynamic groups for dynamic ones. */
export const STATIC_GROUP_TYPE = 'LINK_PLATFORM';
export const DYNAMIC_GROUP_TYPE = 'LINK_PLATFORM_DYNAMIC';

function deliveryParams(req: DeliveryOptions): Record<string, RpcParams[string]> {
	return {
		TimeoutInMinutes: req.timeoutInMinutes,
		NeedPush: req.needPush,
		NeedConfirm: req.needConfirm,
		DownloadProtocol: req.downloadProtocol,
		Tag: req.tags?.map((tag) => ({ Key: tag.key, Value: tag.value })),
	};
}

function batchParams(req: BatchOptions): Record<string, RpcParams[string]> {
	return {
		...deliveryParams(req),
		RetryInterval: req.retryInterval,
		RetryCount: req.retryCount,
		MaximumPerMinute: req.maximumPerMinute,
		OverwriteMode: req.overwriteMode,
		MultiModuleMode: req.multiModuleMode,
	};
}

export function verifyJobParams(req: VerifyJobRequest): RpcParams {
	return { FirmwareId: req.firmwareId, ProductKey: req.productKey, TargetDeviceName: req.deviceNames, ...deliveryParams(req) };
}

export function staticJobParams(req: StaticJobRequest): RpcParams {
	const { target } = req;
	return {
		FirmwareId: req.firmwareId,
		ProductKey: req.productKey,
		TargetSelection: { all: 'ALL', gray: 'GRAY', devices: 'SPECIFIC', deviceFile: 'SPECIFIC', group: 'GROUP' }[target.kind],
		GrayPercent: target.kind === 'gray' ? target.percent : undefined,
		TargetDeviceName: target.kind === 'devices' ? target.deviceNames : undefined,
		DnListFileUrl: target.kind === 'deviceFile' ? target.fileUrl : undefined,
		GroupId: target.kind === 'group' ? target.groupId : undefined,
		GroupType: target.kind === 'group' ? STATIC_GROUP_TYPE : undefined,
		SrcVersion: req.srcVersions,
		ScheduleTime: req.scheduleTime,
		ScheduleFinishTime: req.scheduleFinishTime,
		...batchParams(req),
	};
}

export function dynamicJobParams(req: DynamicJobRequest): RpcParams {
	return {
		FirmwareId: req.firmwareId,
		ProductKey: req.productKey,
		SrcVersion: req.srcVersions,
		GroupId: req.groupId,
		GroupType: req.groupId === undefined ? undefined : DYNAMIC_GROUP_TYPE,
		DynamicMode: req.dynamicMode,
		...batchParams(req),
	};
}

export function cancelByJobParams(req: CancelByJobRequest): RpcParams {
	return {
		JobId: req.jobId,
		CancelScheduledTask: req.scheduled,
		CancelQueuedTask: req.queued,
		CancelNotifiedTask: req.notified,
		CancelInProgressTask: req.inProgress,
		CancelUnconfirmedTask: req.unconfirmed,
	};
}

export function cancelByDeviceParams(req: CancelByDeviceRequest): RpcParams {
	return { FirmwareId: req.firmwareId, ProductKey: req.productKey, DeviceName: req.deviceNames, JobId: req.jobId };
}
