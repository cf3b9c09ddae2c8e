// Plain answers of the lifecycle actions → typed results (docs/protocols.md §11.2–§11.8, wrappers of §12.2). Fields are
// copied one by one: DeviceSecret and ProductSecret are never read, signed download URLs lose their signature.
import { compact, invalidResponse, required, toFirmwareInfo, toPage, unknownValue } from '../iot/mappers';
import { asObject, type Json, list, num, str } from '../iot/normalize';
import { DEFAULT_MODULE } from '../otaFacts';
import type { Page } from '../types';
import {
	type DeviceDetail,
	type DeviceGroup,
	type DeviceListTicket,
	type DevicePage,
	type DeviceSummary,
	type FirmwareDetail,
	type GroupMember,
	isTaskStatus,
	type JobRef,
	type JobSummary,
	type ModuleVersion,
	type OtaJob,
	type OtaModule,
	type OtaTask,
	type ProductDetail,
	type Tag,
} from './types';

type PageRequest = { currentPage: number; pageSize: number };

export function bool(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') {
		return value;
	}
	return value === 'true' ? true : value === 'false' ? false : undefined;
}

/** A list of strings, or a lone string (the single-element form). */
function strings(value: unknown): string[] {
	const values = Array.isArray(value) ? value : [value];
	return values.map(str).filter((v): v is string => v !== undefined);
}

/** `Wrapper.Item[]` (or a lone object) from the answer's `Data` or top level. */
function items(container: unknown, item: string): unknown[] {
	return list(asObject(container)?.[item]);
}

function data(body: Json, action: string): Json {
	const value = asObject(body.Data);
	if (!value) {
		throw invalidResponse(action, 'Data', str(body.RequestId));
	}
	return value;
}

export function toProductDetail(body: Json): ProductDetail {
	const d = data(body, 'QueryProduct');
	return compact({
		productKey: required('QueryProduct', d, 'ProductKey', str(body.RequestId)),
		productName: str(d.ProductName) ?? '',
		description: str(d.Description),
		deviceCount: num(d.DeviceCount),
		nodeType: num(d.NodeType),
		productStatus: str(d.ProductStatus),
		dataFormat: num(d.DataFormat),
		authType: str(d.AuthType),
		netType: num(d.NetType),
		gmtCreate: num(d.GmtCreate),
	});
}

function toDeviceSummary(raw: unknown, action: string): DeviceSummary {
	const d = asObject(raw) ?? {};
	return compact({
		deviceName: required(action, d, 'DeviceName', undefined),
		iotId: str(d.IotId),
		productKey: str(d.ProductKey),
		nickname: str(d.Nickname),
		status: str(d.DeviceStatus) ?? str(d.Status),
		utcCreate: str(d.UtcCreate),
		utcModified: str(d.UtcModified),
	});
}

export function toDevicePage(body: Json, request: PageRequest): DevicePage {
	const devices = items(body.Data, 'DeviceInfo').map((raw) => toDeviceSummary(raw, 'QueryDevice'));
	const page = toPage({ ...body, CurrentPage: body.Page ?? body.CurrentPage }, devices, request);
	return compact({ ...page, nextToken: str(body.NextToken) });
}

export function toDeviceDetail(raw: unknown, action: string): DeviceDetail {
	const d = asObject(raw) ?? {};
	return compact({
		...toDeviceSummary(d, action),
		productName: str(d.ProductName),
		firmwareVersion: str(d.FirmwareVersion),
		nodeType: num(d.NodeType),
		region: str(d.Region),
		ipAddress: str(d.IpAddress),
		utcActive: str(d.UtcActive),
		utcOnline: str(d.UtcOnline),
	});
}

/** BatchQueryDeviceDetail: Data.Data[]; unknown devices are simply absent. */
export function toDeviceDetails(body: Json): DeviceDetail[] {
	return items(body.Data, 'Data').map((raw) => toDeviceDetail(raw, 'BatchQueryDeviceDetail'));
}

export function toGroupPage(body: Json, request: PageRequest): Page<DeviceGroup> {
	const groups = items(body.Data, 'GroupInfo').map((raw) => {
		const g = asObject(raw) ?? {};
		return compact({
			groupId: required('QueryDeviceGroupList', g, 'GroupId', undefined),
			groupName: str(g.GroupName) ?? '',
			groupType: str(g.GroupType),
			groupDesc: str(g.GroupDesc),
			utcCreate: str(g.UtcCreate),
		});
	});
	return toPage(body, groups, request);
}

export function toGroupMemberPage(body: Json, request: PageRequest): Page<GroupMember> {
	const members = items(body.Data, 'SimpleDeviceInfo').map((raw) => {
		const m = asObject(raw) ?? {};
		return compact({
			deviceName: required('QueryDeviceListByDeviceGroup', m, 'DeviceName', undefined),
			productKey: str(m.ProductKey),
			productName: str(m.ProductName),
			iotId: str(m.IotId),
		});
	});
	return toPage({ ...body, CurrentPage: body.Page ?? body.CurrentPage }, members, request);
}

/** ListOTAModuleByProduct: a plain Data[] (no wrapper). */
export function toModules(body: Json): OtaModule[] {
	return list(body.Data).map((raw) => {
		const m = asObject(raw) ?? {};
		return compact({
			moduleName: required('ListOTAModuleByProduct', m, 'ModuleName', str(body.RequestId)),
			productKey: str(m.ProductKey),
			aliasName: str(m.AliasName),
			desc: str(m.Desc),
			utcCreate: str(m.UtcCreate) ?? str(m.GmtCreate),
		});
	});
}

export function toModuleVersionPage(body: Json, request: PageRequest): Page<ModuleVersion> {
	const versions = items(body.Data, 'SimpleOTAModuleInfo').map((raw) => {
		const v = asObject(raw) ?? {};
		return compact({
			moduleName: str(v.ModuleName) ?? DEFAULT_MODULE,
			moduleVersion: str(v.ModuleVersion) ?? '',
			deviceName: str(v.DeviceName),
			productKey: str(v.ProductKey),
			iotId: str(v.IotId),
		});
	});
	return toPage(body, versions, request);
}

export function toFirmwareDetail(body: Json): FirmwareDetail {
	const info = asObject(body.FirmwareInfo) ?? {};
	const base = toFirmwareInfo(body.FirmwareInfo, 'QueryOTAFirmware', str(body.RequestId));
	const files = list(info.MultiFiles).map((raw) => {
		const f = asObject(raw) ?? {};
		return compact({ name: str(f.Name) ?? '', size: num(f.Size), signValue: str(f.SignValue), fileMd5: str(f.FileMd5) });
	});
	return compact({
		...base,
		firmwareDesc: str(info.FirmwareDesc),
		udi: str(info.Udi),
		verifyProgress: num(info.VerifyProgress),
		multiFiles: files.length > 0 ? files : undefined,
	});
}

export function toJobRef(body: Json, action: string): JobRef {
	const d = data(body, action);
	return compact({ jobId: required(action, d, 'JobId', str(body.RequestId)), utcCreate: str(d.UtcCreate) });
}

function toTags(raw: unknown): Tag[] {
	return items(raw, 'OtaTagDTO').map((item) => {
		const t = asObject(item) ?? {};
		return { key: str(t.Key) ?? '', value: str(t.Value) ?? '' };
	});
}

function toJobSummary(raw: unknown, action: string): JobSummary {
	const j = asObject(raw) ?? {};
	return compact({
		jobId: required(action, j, 'JobId', undefined),
		firmwareId: str(j.FirmwareId),
		productKey: str(j.ProductKey),
		jobStatus: str(j.JobStatus) ?? '',
		jobType: str(j.JobType),
		selectionType: str(j.SelectionType),
		targetSelection: str(j.TargetSelection),
		utcCreate: str(j.UtcCreate),
		utcModified: str(j.UtcModified),
		utcStartTime: str(j.UtcStartTime),
		utcEndTime: str(j.UtcEndTime),
		tags: toTags(j.Tags),
	});
}

export function toJob(body: Json): OtaJob {
	const j = data(body, 'QueryOTAJob');
	return compact({
		...toJobSummary(j, 'QueryOTAJob'),
		name: str(j.Name),
		destVersion: str(j.DestVersion),
		jobDesc: str(j.JobDesc),
		grayPercent: str(j.GrayPercent),
		timeoutInMinutes: num(j.TimeoutInMinutes),
		retryInterval: num(j.RetryInterval),
		retryCount: num(j.RetryCount),
		dynamicMode: num(j.DynamicMode),
		groupId: str(j.GroupId),
		groupName: str(j.GroupName),
		maximumPerMinute: num(j.MaximumPerMinute),
		overwriteMode: num(j.OverwriteMode),
		needPush: bool(j.NeedPush),
		needConfirm: bool(j.NeedConfirm),
		multiModuleMode: bool(j.MultiModuleMode),
		downloadProtocol: str(j.DownloadProtocol),
		srcVersions: strings(asObject(j.SrcVersions)?.SrcVersion),
		utcScheduleTime: str(j.UtcScheduleTime),
		utcScheduleFinishTime: str(j.UtcScheduleFinishTime),
	});
}

export function toJobPage(body: Json, request: PageRequest, action: string): Page<JobSummary> {
	return toPage(
		body,
		items(body.Data, 'SimpleOTAJobInfo').map((raw) => toJobSummary(raw, action)),
		request,
	);
}

export function toTask(raw: unknown, action: string): OtaTask {
	const t = asObject(raw) ?? {};
	const status = t.TaskStatus;
	if (!isTaskStatus(status)) {
		throw unknownValue(action, 'TaskStatus', status, undefined);
	}
	return compact({
		taskId: required(action, t, 'TaskId', undefined),
		jobId: str(t.JobId),
		firmwareId: str(t.FirmwareId),
		deviceName: str(t.DeviceName) ?? '',
		iotId: str(t.IotId),
		productKey: str(t.ProductKey),
		moduleName: str(t.ModuleName),
		srcVersion: str(t.SrcVersion),
		destVersion: str(t.DestVersion),
		status,
		progress: str(t.Progress),
		taskDesc: str(t.TaskDesc),
		timeout: str(t.Timeout),
		utcCreate: str(t.UtcCreate),
		utcModified: str(t.UtcModified),
	});
}

export function toTaskPage(body: Json, request: PageRequest): Page<OtaTask> {
	return toPage(
		body,
		items(body.Data, 'SimpleOTATaskInfo').map((raw) => toTask(raw, 'ListOTATaskByJob')),
		request,
	);
}

export function toUnfinishedTasks(body: Json): OtaTask[] {
	return items(body.Data, 'SimpleOTATaskInfo').map((raw) => toTask(raw, 'ListOTAUnfinishedTaskByDevice'));
}

export function toDeviceListTicket(body: Json, receivedAt: number): DeviceListTicket {
	const action = 'GenerateDeviceNameListURL';
	const d = data(body, action);
	const requestId = str(body.RequestId);
	return compact({
		host: required(action, d, 'Host', requestId),
		key: required(action, d, 'Key', requestId),
		policy: required(action, d, 'Policy', requestId),
		accessKeyId: required(action, d, 'AccessKeyId', requestId),
		signature: required(action, d, 'Signature', requestId),
		fileUrl: required(action, d, 'FileUrl', requestId),
		utcCreate: str(d.UtcCreate),
		receivedAt,
	});
}
