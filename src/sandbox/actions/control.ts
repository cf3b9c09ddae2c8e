import { businessErrors } from '../rpcErrors';
import type { ActionContext, HandlerTable } from './context';
import { findFirmware, findJob } from './lookups';
import type { ParamReader } from './params';

/** Cancelling, re-running and confirming tasks (docs/protocols.md §11.8). All answer only the envelope. */

const MAX_TASK_IDS = 10;
const MAX_CANCEL_DEVICES = 200;
const CANCEL_FLAGS = ['CancelScheduledTask', 'CancelQueuedTask', 'CancelNotifiedTask', 'CancelInProgressTask', 'CancelUnconfirmedTask'];

/** TaskId.1…: required, and at most 10 (iot.ota.TooManyOtaTask). */
const taskIds = (p: ParamReader): string[] => p.list('TaskId', { required: true, max: MAX_TASK_IDS, error: businessErrors.tooManyTasks });

const cancelOtaTaskByJob = async (p: ParamReader, ctx: ActionContext) => {
	const job = findJob(p, ctx);
	const [scheduled, queued, notified, inProgress, unconfirmed] = CANCEL_FLAGS.map((name) => p.boolean(name));
	if (![scheduled, queued, notified, inProgress, unconfirmed].includes(true)) {
		throw businessErrors.invalidParameter('CancelScheduledTask', `set at least one of ${CANCEL_FLAGS.join(', ')} to true.`);
	}
	// CancelUnconfirmedTask left out follows CancelQueuedTask (docs/protocols.md §11.8).
	ctx.ota.cancelTasksByJob(job.jobId, { scheduled, queued, notified, inProgress, unconfirmed });
	return {};
};

const cancelOtaTaskByDevice = async (p: ParamReader, ctx: ActionContext) => {
	p.required('FirmwareId');
	const productKey = p.required('ProductKey');
	const deviceNames = p.list('DeviceName', { required: true, max: MAX_CANCEL_DEVICES, unique: true });
	const firmware = findFirmware(p, ctx);
	ctx.ota.cancelTasksByDevice(firmware, productKey, deviceNames, p.optional('JobId'));
	return {};
};

const cancelOtaStrategyByJob = async (p: ParamReader, ctx: ActionContext) => {
	ctx.ota.cancelStrategy(findJob(p, ctx).jobId);
	return {};
};

const reupgradeOtaTask = async (p: ParamReader, ctx: ActionContext) => {
	p.required('JobId');
	const ids = taskIds(p);
	ctx.ota.reupgrade(findJob(p, ctx).jobId, ids);
	return {};
};

const confirmOtaTask = async (p: ParamReader, ctx: ActionContext) => {
	ctx.ota.confirm(taskIds(p));
	return {};
};

export const controlActions: HandlerTable = {
	CancelOTATaskByJob: cancelOtaTaskByJob,
	CancelOTATaskByDevice: cancelOtaTaskByDevice,
	CancelOTAStrategyByJob: cancelOtaStrategyByJob,
	ReupgradeOTATask: reupgradeOtaTask,
	ConfirmOTATask: confirmOtaTask,
};
