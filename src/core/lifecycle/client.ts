// Typed client of every OTA lifecycle action (docs/protocols.md §11.2–§11.8) over IotClient's one call path, which
// applies the per-action and account QPS, retries only repeatable actions and drops secret fields from every answer.
import type { Json } from '../iot/normalize';
import type { RpcParams } from '../iot/params';
import { toFirmwarePage } from '../iot/mappers';
import { maxPageSize } from '../iot/actions';
import { actionPage, type PageQuery } from '../iot/paging';
import type { FirmwareInfo, Page } from '../types';
import { postDeviceList, type DeviceListPostOptions } from './deviceList';
import * as map from './mappers';
import {
	cancelByDeviceParams,
	cancelByJobParams,
	dynamicJobParams,
	staticJobParams,
	verifyJobParams,
	type CancelByDeviceRequest,
	type CancelByJobRequest,
	type DynamicJobRequest,
	type StaticJobRequest,
	type VerifyJobRequest,
} from './requests';
import { checkNames, LIFECYCLE_LIMITS, validateDynamicJob, validateStaticJob, validateVerifyJob } from './rules';
import type {
	DeviceDetail,
	DeviceGroup,
	DeviceListTicket,
	DevicePage,
	FirmwareDetail,
	GroupMember,
	JobRef,
	JobSummary,
	ModuleVersion,
	OtaJob,
	OtaModule,
	OtaTask,
	ProductDetail,
	TaskStatus,
} from './types';

/** What the client needs of IotClient. */
export interface RpcCaller {
	call(action: string, params: RpcParams, signal?: AbortSignal, rateKey?: string): Promise<Json>;
}

export type { PageQuery } from '../iot/paging';

export type DeviceRef = { productKey: string; deviceName: string } | { iotId: string };

export interface LifecycleClientOptions extends Omit<DeviceListPostOptions, 'signal'> {
	now?: () => number;
}

export interface ModuleRequest {
	productKey: string;
	moduleName: string;
	aliasName?: string;
	desc?: string;
}

const moduleParams = (req: ModuleRequest): RpcParams => ({
	ProductKey: req.productKey,
	ModuleName: req.moduleName,
	AliasName: req.aliasName,
	Desc: req.desc,
});

const deviceParams = (ref: DeviceRef): RpcParams =>
	'iotId' in ref ? { IotId: ref.iotId } : { ProductKey: ref.productKey, DeviceName: ref.deviceName };

export class LifecycleClient {
	private readonly now: () => number;

	constructor(
		private readonly rpc: RpcCaller,
		private readonly opts: LifecycleClientOptions = {},
	) {
		this.now = opts.now ?? Date.now;
	}

	// ── products and devices ────────────────────────────────────────────────────────────────────────────────────

	async queryProduct(productKey: string, signal?: AbortSignal): Promise<ProductDetail> {
		return map.toProductDetail(await this.rpc.call('QueryProduct', { ProductKey: productKey }, signal));
	}

	/** One page of a product's devices; pass `nextToken` from the previous page to go beyond 10,000. */
	async queryDevices(q: PageQuery & { productKey: string; nextToken?: string }, signal?: AbortSignal): Promise<DevicePage> {
		const page = actionPage('QueryDevice', q);
		const params = { ProductKey: q.productKey, CurrentPage: page.currentPage, PageSize: page.pageSize, NextToken: q.nextToken };
		return map.toDevicePage(await this.rpc.call('QueryDevice', params, signal), page);
	}

	async queryDeviceDetail(ref: DeviceRef, signal?: AbortSignal): Promise<DeviceDetail> {
		const body = await this.rpc.call('QueryDeviceDetail', deviceParams(ref), signal);
		return map.toDeviceDetail(body.Data, 'QueryDeviceDetail');
	}

	/** Up to 100 devices of one product; names that do not exist are simply missing from the answer. */
	async batchQueryDeviceDetail(productKey: string, deviceNames: readonly string[], signal?: AbortSignal): Promise<DeviceDetail[]> {
		const names = checkNames('devices', deviceNames, 100);
		return map.toDeviceDetails(await this.rpc.call('BatchQueryDeviceDetail', { ProductKey: productKey, DeviceName: names }, signal));
	}

	async queryDeviceGroups(
		q: PageQuery & { groupName?: string; superGroupId?: string; dynamic?: boolean } = {},
		signal?: AbortSignal,
	): Promise<Page<DeviceGroup>> {
		const page = actionPage('QueryDeviceGroupList', q);
		const params = {
			CurrentPage: page.currentPage,
			PageSize: page.pageSize,
			GroupName: q.groupName,
			SuperGroupId: q.superGroupId,
			GroupTypes: q.dynamic ? ['LINK_PLATFORM_DYNAMIC'] : undefined,
		};
		return map.toGroupPage(await this.rpc.call('QueryDeviceGroupList', params, signal), page);
	}

	async queryGroupDevices(q: PageQuery & { groupId: string }, signal?: AbortSignal): Promise<Page<GroupMember>> {
		const page = actionPage('QueryDeviceListByDeviceGroup', q);
		const params = { GroupId: q.groupId, CurrentPage: page.currentPage, PageSize: page.pageSize };
		return map.toGroupMemberPage(await this.rpc.call('QueryDeviceListByDeviceGroup', params, signal), page);
	}

	// ── modules ─────────────────────────────────────────────────────────────────────────────────────────────────

	async createOtaModule(req: ModuleRequest, signal?: AbortSignal): Promise<void> {
		await this.rpc.call('CreateOTAModule', moduleParams(req), signal);
	}

	/** Sets a module's alias and description; its name is fixed once created (docs/protocols.md §11.3). */
	async updateOtaModule(req: ModuleRequest, signal?: AbortSignal): Promise<void> {
		await this.rpc.call('UpdateOTAModule', moduleParams(req), signal);
	}

	/** Deletes a custom module that has no packages; `default` cannot be deleted. */
	async deleteOtaModule(req: { productKey: string; moduleName: string }, signal?: AbortSignal): Promise<void> {
		await this.rpc.call('DeleteOTAModule', { ProductKey: req.productKey, ModuleName: req.moduleName }, signal);
	}

	async listOtaModules(productKey: string, signal?: AbortSignal): Promise<OtaModule[]> {
		return map.toModules(await this.rpc.call('ListOTAModuleByProduct', { ProductKey: productKey }, signal));
	}

	async listModuleVersions(ref: DeviceRef, q: PageQuery = {}, signal?: AbortSignal): Promise<Page<ModuleVersion>> {
		const page = actionPage('ListOTAModuleVersionsByDevice', { pageSize: maxPageSize('ListOTAModuleVersionsByDevice'), ...q });
		const params = { ...deviceParams(ref), CurrentPage: page.currentPage, PageSize: page.pageSize };
		return map.toModuleVersionPage(await this.rpc.call('ListOTAModuleVersionsByDevice', params, signal), page);
	}

	// ── firmware ────────────────────────────────────────────────────────────────────────────────────────────────

	/** Includes the verification Status and VerifyProgress. */
	async queryFirmware(firmwareId: string, signal?: AbortSignal): Promise<FirmwareDetail> {
		return map.toFirmwareDetail(await this.rpc.call('QueryOTAFirmware', { FirmwareId: firmwareId }, signal));
	}

	async listFirmware(
		q: PageQuery & { productKey?: string; destVersion?: string } = {},
		signal?: AbortSignal,
	): Promise<Page<FirmwareInfo>> {
		const page = actionPage('ListOTAFirmware', q);
		const params = { CurrentPage: page.currentPage, PageSize: page.pageSize, ProductKey: q.productKey, DestVersion: q.destVersion };
		return toFirmwarePage(await this.rpc.call('ListOTAFirmware', params, signal), page);
	}

	async modifyFirmware(
		req: { productKey: string; firmwareId: string; firmwareName?: string; firmwareDesc?: string; udi?: string },
		signal?: AbortSignal,
	): Promise<void> {
		const params = {
			ProductKey: req.productKey,
			FirmwareId: req.firmwareId,
			FirmwareName: req.firmwareName,
			FirmwareDesc: req.firmwareDesc,
			FirmwareUdi: req.udi,
		};
		await this.rpc.call('ModifyOTAFirmware', params, signal);
	}

	async deleteFirmware(firmwareId: string, signal?: AbortSignal): Promise<void> {
		await this.rpc.call('DeleteOTAFirmware', { FirmwareId: firmwareId }, signal);
	}

	// ── jobs ────────────────────────────────────────────────────────────────────────────────────────────────────

	async createVerifyJob(req: VerifyJobRequest, signal?: AbortSignal): Promise<JobRef> {
		validateVerifyJob(req);
		return map.toJobRef(await this.rpc.call('CreateOTAVerifyJob', verifyJobParams(req), signal), 'CreateOTAVerifyJob');
	}

	async createStaticJob(req: StaticJobRequest, signal?: AbortSignal): Promise<JobRef> {
		validateStaticJob(req, this.now());
		return map.toJobRef(await this.rpc.call('CreateOTAStaticUpgradeJob', staticJobParams(req), signal), 'CreateOTAStaticUpgradeJob');
	}

	async createDynamicJob(req: DynamicJobRequest, signal?: AbortSignal): Promise<JobRef> {
		validateDynamicJob(req);
		return map.toJobRef(await this.rpc.call('CreateOTADynamicUpgradeJob', dynamicJobParams(req), signal), 'CreateOTADynamicUpgradeJob');
	}

	async generateDeviceListUrl(signal?: AbortSignal): Promise<DeviceListTicket> {
		return map.toDeviceListTicket(await this.rpc.call('GenerateDeviceNameListURL', {}, signal), this.now());
	}

	/** GenerateDeviceNameListURL, then the list posted with that ticket; resolves with the DnListFileUrl. */
	async uploadDeviceList(deviceNames: readonly string[], signal?: AbortSignal): Promise<string> {
		const ticket = await this.generateDeviceListUrl(signal);
		await postDeviceList(ticket, deviceNames, { env: this.opts.env, timeoutMs: this.opts.timeoutMs, signal });
		return ticket.fileUrl;
	}

	async queryJob(jobId: string, signal?: AbortSignal): Promise<OtaJob> {
		return map.toJob(await this.rpc.call('QueryOTAJob', { JobId: jobId }, signal));
	}

	async listJobsByFirmware(q: PageQuery & { firmwareId: string }, signal?: AbortSignal): Promise<Page<JobSummary>> {
		const page = actionPage('ListOTAJobByFirmware', q);
		const params = { FirmwareId: q.firmwareId, CurrentPage: page.currentPage, PageSize: page.pageSize };
		return map.toJobPage(await this.rpc.call('ListOTAJobByFirmware', params, signal), page, 'ListOTAJobByFirmware');
	}

	async listJobsByDevice(
		q: PageQuery & { firmwareId: string; productKey: string; deviceName: string },
		signal?: AbortSignal,
	): Promise<Page<JobSummary>> {
		const page = actionPage('ListOTAJobByDevice', q);
		const params = {
			FirmwareId: q.firmwareId,
			ProductKey: q.productKey,
			DeviceName: q.deviceName,
			CurrentPage: page.currentPage,
			PageSize: page.pageSize,
		};
		return map.toJobPage(await this.rpc.call('ListOTAJobByDevice', params, signal), page, 'ListOTAJobByDevice');
	}

	/** A page of a job's tasks, optionally of one status or of named devices (≤ 50; paging is then ignored). */
	async listTasksByJob(
		q: PageQuery & { jobId: string; status?: TaskStatus; deviceNames?: readonly string[] },
		signal?: AbortSignal,
	): Promise<Page<OtaTask>> {
		const page = actionPage('ListOTATaskByJob', q);
		const names = q.deviceNames ? checkNames('devices', q.deviceNames, LIFECYCLE_LIMITS.taskDeviceNames) : undefined;
		const params = { JobId: q.jobId, TaskStatus: q.status, DeviceNames: names, CurrentPage: page.currentPage, PageSize: page.pageSize };
		return map.toTaskPage(await this.rpc.call('ListOTATaskByJob', params, signal), page);
	}

	/** A device's tasks in CONFIRM, QUEUED, NOTIFIED or IN_PROGRESS, in any job of any package. */
	async listUnfinishedTasks(
		ref: DeviceRef & { moduleName?: string; statuses?: readonly TaskStatus[] },
		signal?: AbortSignal,
	): Promise<OtaTask[]> {
		const statuses = ref.statuses ?? ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS'];
		const params = { ...deviceParams(ref), ModuleName: ref.moduleName, TaskStatusList: statuses };
		return map.toUnfinishedTasks(await this.rpc.call('ListOTAUnfinishedTaskByDevice', params, signal));
	}

	// ── control ─────────────────────────────────────────────────────────────────────────────────────────────────

	async cancelTasksByJob(req: CancelByJobRequest, signal?: AbortSignal): Promise<void> {
		await this.rpc.call('CancelOTATaskByJob', cancelByJobParams(req), signal);
	}

	async cancelTasksByDevice(req: CancelByDeviceRequest, signal?: AbortSignal): Promise<void> {
		const deviceNames = checkNames('cancel-devices', req.deviceNames, LIFECYCLE_LIMITS.cancelDevices);
		await this.rpc.call('CancelOTATaskByDevice', cancelByDeviceParams({ ...req, deviceNames }), signal);
	}

	/** Stops a dynamic job from matching more devices. */
	async cancelStrategy(jobId: string, signal?: AbortSignal): Promise<void> {
		await this.rpc.call('CancelOTAStrategyByJob', { JobId: jobId }, signal);
	}

	/** Re-runs FAILED or CANCELED tasks (1–10 per call). */
	async reupgradeTasks(jobId: string, taskIds: readonly string[], signal?: AbortSignal): Promise<void> {
		const ids = checkNames('retry-tasks', taskIds, LIFECYCLE_LIMITS.tasksPerCall);
		await this.rpc.call('ReupgradeOTATask', { JobId: jobId, TaskId: ids }, signal);
	}

	/** Confirms tasks waiting in CONFIRM (1–10 per call). */
	async confirmTasks(taskIds: readonly string[], signal?: AbortSignal): Promise<void> {
		const ids = checkNames('confirm-tasks', taskIds, LIFECYCLE_LIMITS.tasksPerCall);
		await this.rpc.call('ConfirmOTATask', { TaskId: ids }, signal);
	}
}

/** The client's public surface; fakes in tests and other shells implement the parts they need. */
export type LifecycleApi = { [K in keyof LifecycleClient]: LifecycleClient[K] };
