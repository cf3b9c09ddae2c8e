import { LIFECYCLE_LIMITS } from '../../core/lifecycle/rules';
import { TASK_STATUSES, UNFINISHED_TASK_STATUSES, type JobRecord, type TaskRecord, type TaskStatus } from '../ota';
import { otaErrors } from '../ota';
import { businessErrors } from '../rpcErrors';
import type { ActionContext, HandlerTable } from './context';
import { iso, percentText, progressText } from './format';
import { findDevice, findFirmware, findJob, findProduct } from './lookups';
import { pageCounts, pageOf, type Page, type ParamReader } from './params';
import { isModuleName } from '../firmwareRules';

/** Watching jobs and tasks (docs/protocols.md §11.7). */

const tagList = (job: JobRecord) => ({ OtaTagDTO: job.options.tags.map((t) => ({ Key: t.key, Value: t.value })) });
const optionalTime = (name: string, ms: number | undefined) => (ms === undefined ? {} : { [name]: iso(ms) });
const targetSelectionOf = (job: JobRecord) => (job.selectionType === 'DYNAMIC' ? 'ALL' : job.targetSelection);

/** QueryOTAJob's Data: the conditional fields only when they apply. */
function jobDetail(job: JobRecord): Record<string, unknown> {
	const o = job.options;
	const ifSet = (name: string, value: unknown) => (value === undefined ? {} : { [name]: value });
	return {
		JobId: job.jobId,
		FirmwareId: job.firmwareId,
		ProductKey: job.productKey,
		Name: job.firmwareName,
		DestVersion: job.destVersion,
		JobType: job.jobType,
		JobStatus: job.status,
		SelectionType: job.selectionType,
		TargetSelection: targetSelectionOf(job),
		...ifSet('JobDesc', o.jobDesc),
		MaximumPerMinute: o.maximumPerMinute,
		OverwriteMode: o.overwriteMode,
		NeedPush: o.needPush,
		NeedConfirm: o.needConfirm,
		MultiModuleMode: o.multiModuleMode,
		DownloadProtocol: o.downloadProtocol,
		SrcVersions: { SrcVersion: [...o.srcVersions] },
		Tags: tagList(job),
		...ifSet('GrayPercent', job.targetSelection === 'GRAY' && o.grayPercent !== undefined ? percentText(o.grayPercent) : undefined),
		...ifSet('TimeoutInMinutes', o.timeoutInMinutes),
		...ifSet('RetryInterval', o.retryInterval),
		...ifSet('RetryCount', o.retryCount),
		...ifSet('DynamicMode', job.selectionType === 'DYNAMIC' ? (o.dynamicMode ?? 1) : undefined),
		...ifSet('GroupId', o.groupId),
		...ifSet('GroupName', o.groupName),
		UtcCreate: iso(job.createdAt),
		UtcModified: iso(job.modifiedAt),
		...optionalTime('UtcStartTime', job.startedAt),
		...optionalTime('UtcEndTime', job.endedAt),
		...optionalTime('UtcScheduleTime', o.scheduleTime),
		...optionalTime('UtcScheduleFinishTime', o.scheduleFinishTime),
	};
}

const jobSummary = (job: JobRecord) => ({
	JobId: job.jobId,
	FirmwareId: job.firmwareId,
	ProductKey: job.productKey,
	JobStatus: job.status,
	JobType: job.jobType,
	SelectionType: job.selectionType,
	TargetSelection: targetSelectionOf(job),
	UtcCreate: iso(job.createdAt),
	UtcModified: iso(job.modifiedAt),
	...optionalTime('UtcStartTime', job.startedAt),
	...optionalTime('UtcEndTime', job.endedAt),
	Tags: tagList(job),
});

const jobPage = (jobs: readonly JobRecord[], page: Page) => ({
	...pageCounts(jobs.length, page),
	Data: { SimpleOTAJobInfo: pageOf(jobs, page).map(jobSummary) },
});

const queryOtaJob = async (p: ParamReader, ctx: ActionContext) => ({ Data: jobDetail(findJob(p, ctx)) });

const listOtaJobByFirmware = async (p: ParamReader, ctx: ActionContext) => {
	const firmware = findFirmware(p, ctx);
	const page = p.page({ action: 'ListOTAJobByFirmware', required: true });
	return jobPage(ctx.ota.listJobsByFirmware(firmware.firmwareId), page);
};

const listOtaJobByDevice = async (p: ParamReader, ctx: ActionContext) => {
	const productKey = p.required('ProductKey');
	const deviceName = p.required('DeviceName');
	const firmware = findFirmware(p, ctx);
	const page = p.page({ action: 'ListOTAJobByDevice', required: true });
	if (firmware.productKey !== productKey) {
		throw otaErrors.firmwareProductMismatch();
	}
	return jobPage(ctx.ota.listJobsByDevice(firmware.firmwareId, productKey, deviceName), page);
};

/** The fields of a task both task lists answer with. */
function taskFields(task: TaskRecord, ctx: ActionContext, productName: string): Record<string, unknown> {
	return {
		TaskId: task.taskId,
		JobId: task.job.jobId,
		FirmwareId: task.job.firmwareId,
		IotId: ctx.ota.fleet.iotId(task.device),
		ProductKey: task.device.productKey,
		ProductName: productName,
		DeviceName: task.device.deviceName,
		SrcVersion: task.srcVersion,
		DestVersion: task.job.destVersion,
		TaskStatus: task.status,
		UtcCreate: iso(task.createdAt),
		UtcModified: iso(task.modifiedAt),
	};
}

const listOtaTaskByJob = async (p: ParamReader, ctx: ActionContext) => {
	const job = findJob(p, ctx);
	const page = p.page({ action: 'ListOTATaskByJob', maxProduct: LIFECYCLE_LIMITS.taskPageDepth });
	const status = p.choice('TaskStatus', TASK_STATUSES, businessErrors.invalidTaskStatus);
	const deviceNames = p.list('DeviceNames', { max: 50 });
	const { total, items } = ctx.ota.listTasksByJob(
		job.jobId,
		{ statuses: status === undefined ? undefined : [status], deviceNames: deviceNames.length > 0 ? deviceNames : undefined },
		page,
	);
	const productName = findProduct(ctx, job.productKey).productName;
	const timeout = job.options.timeoutInMinutes === undefined ? '' : String(job.options.timeoutInMinutes);
	return {
		...pageCounts(total, page),
		Data: {
			SimpleOTATaskInfo: items.map((task) => ({
				...taskFields(task, ctx, productName),
				Progress: progressText(task.progress),
				TaskDesc: task.desc,
				Timeout: timeout,
			})),
		},
	};
};

const listOtaUnfinishedTaskByDevice = async (p: ParamReader, ctx: ActionContext) => {
	const device = findDevice(p, ctx);
	const moduleName = p.optional('ModuleName');
	if (moduleName !== undefined && !isModuleName(moduleName)) {
		throw businessErrors.invalidModuleName();
	}
	const status = p.choice('TaskStatus', UNFINISHED_TASK_STATUSES, businessErrors.invalidTaskStatus);
	const list = p.list('TaskStatusList', { max: 4, unique: true, error: businessErrors.invalidTaskStatus });
	if ((status !== undefined && list.length > 0) || list.some((s) => !(UNFINISHED_TASK_STATUSES as readonly string[]).includes(s))) {
		throw businessErrors.invalidTaskStatus();
	}
	const statuses = status !== undefined ? [status] : list.length > 0 ? (list as TaskStatus[]) : undefined;
	const tasks = ctx.ota.unfinishedTasksByDevice(
		{ productKey: device.productKey, deviceName: device.deviceName },
		{ statuses, moduleName },
	);
	const productName = findProduct(ctx, device.productKey).productName;
	return {
		Data: { SimpleOTATaskInfo: tasks.map((task) => ({ ...taskFields(task, ctx, productName), ModuleName: task.job.moduleName })) },
	};
};

export const monitoringActions: HandlerTable = {
	QueryOTAJob: queryOtaJob,
	ListOTAJobByFirmware: listOtaJobByFirmware,
	ListOTAJobByDevice: listOtaJobByDevice,
	ListOTATaskByJob: listOtaTaskByJob,
	ListOTAUnfinishedTaskByDevice: listOtaUnfinishedTaskByDevice,
};
