import { BusinessError } from '../rpcErrors';

/**
 * The state-dependent refusals of the OTA lifecycle engine. Codes marked [doc] are documented
 * (docs/protocols.md §10.1); the others are the sandbox's own names for checks
 * the platform performs with undocumented codes (docs/protocols.md §10.7, A26).
 */
export const otaErrors = {
	/** [doc] */
	productNotFound: () => new BusinessError('iot.prod.NotExistedProduct', 'The specified product does not exist.'),
	/** [doc] */
	deviceNotFound: (deviceName?: string) =>
		new BusinessError('iot.device.NotExistedDevice', `The specified device does not exist${deviceName ? `: ${deviceName}` : ''}.`),
	/** [doc] */
	firmwareProductMismatch: () =>
		new BusinessError('iot.ota.FirmwareAndProductKeyMismatch', 'The OTA update package is not consistent with the ProductKey.'),
	/** [doc] (ReupgradeOTATask); also refuses batches on an unverified package. */
	firmwareNotVerified: () => new BusinessError('iot.ota.FirmwareNotVerified', 'The firmware validation is not completed.'),
	verifyNotAllowed: (status: number) =>
		new BusinessError(
			'iot.ota.VerifyFirmwareNotAllowed',
			status === 2
				? 'The firmware is being verified.'
				: status === 1
					? 'The firmware has already been verified.'
					: 'The firmware does not need verification.',
		),
	verifyJobSuperseded: () =>
		new BusinessError('iot.ota.VerifyFirmwareNotAllowed', 'Only the latest verification job of the firmware can be re-run.'),
	/** [doc] */
	invalidJobId: () => new BusinessError('iot.ota.InvalidJobId', 'The job is not existed.'),
	/** [doc] */
	invalidTaskId: () => new BusinessError('iot.ota.InvalidTaskId', 'The tasks are not existed.'),
	/** [doc] */
	unmatchedJob: () => new BusinessError('iot.ota.UnmatchedJob', 'The jobId and taskId do not match.'),
	/** [doc] */
	jobCanceled: () => new BusinessError('iot.ota.JobCanceled', 'The job has already been canceled.'),
	/** [doc] (UpdateOTAJob) */
	jobHasCanceled: () => new BusinessError('iot.ota.JobHasCanceled', 'The job has canceled.'),
	/** [doc] */
	failedTaskNotFound: () => new BusinessError('iot.ota.FailedTaskNotFound', 'There are no failed tasks.'),
	/** [doc] */
	invalidTaskExist: () => new BusinessError('iot.ota.InvalidTaskExist', 'The taskId list contains at least an invalid task.'),
	/** [doc] */
	deviceNotReUpgraded: () => new BusinessError('iot.ota.DeviceNotReUpgraded', 'There is no device can upgrade.'),
	/** [doc] (UpdateOTAJob) */
	noDynamicJob: () => new BusinessError('iot.ota.noDynamicJob', 'Task is not dynamic.'),
	/** [doc] code (UpdateOTAJob); the message names this use. */
	invalidSrcVersionList: (why: string) => new BusinessError('iot.ota.InvalidSrcVersionList', `Parameter SrcVersion is invalid: ${why}`),
	dynamicJobExists: () =>
		new BusinessError('iot.ota.DynamicJobAlreadyExisted', 'The firmware already has a dynamic upgrade job in progress.'),
	groupNotFound: () => new BusinessError('iot.group.NotExistedGroup', 'The specified group does not exist.'),
	groupTypeMismatch: (expected: string) =>
		new BusinessError('iot.ota.InvalidGroupType', `The group must be of GroupType ${expected} for this job.`),
	deviceNotOnSrcVersion: (deviceName: string, srcVersion: string) =>
		new BusinessError(
			'iot.ota.DeviceVersionNotMatchSrcVersion',
			`The device ${deviceName} does not run SrcVersion ${srcVersion} of the delta package.`,
		),
	taskNotConfirmable: () =>
		new BusinessError('iot.ota.TaskNotConfirmable', 'The taskId list contains a task that is not waiting for confirmation.'),
	outsideScheduleWindow: () =>
		new BusinessError(
			'iot.ota.OutOfScheduleWindow',
			'The tasks can only be confirmed or re-run inside the job\u2019s schedule window.',
		),
	moduleExists: () => new BusinessError('iot.ota.OtaModuleAlreadyExisted', 'A module with this name already exists in the product.'),
	moduleLimit: () => new BusinessError('iot.ota.OtaModuleExceedLimit', 'A product can have at most 10 custom modules.'),
	moduleNotFound: () => new BusinessError('iot.ota.OtaModuleNotExisted', 'The specified module does not exist.'),
	defaultModule: () => new BusinessError('iot.ota.DefaultModuleCannotBeDeleted', 'The default module cannot be deleted.'),
	moduleHasFirmware: () => new BusinessError('iot.ota.OtaModuleHasFirmware', 'The module still has OTA update packages.'),
};
