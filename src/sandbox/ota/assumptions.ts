import { UNFINISHED_TASK_STATUSES, type TaskStatus } from './model';

/**
 * Where the public sources are silent, the sandbox picks the most plausible behaviour. Each choice is
 * one constant or function here, and each is written down in docs/protocols.md (§10.7 "OTA lifecycle:
 * emulator assumptions"), numbered as there (A1…).
 */

/** A1: a simulated device's steps, in lifecycle time (divided by the time scale in real time). */
export const DEVICE_TIMING = {
	/** Push received → first progress report ("0"). */
	ack: 2_000,
	/** Download and digest check → progress "70", or -2 / -3. */
	download: 30_000,
	/** Writing the image → progress "100", or -4. */
	flash: 20_000,
	/** Reboot → version report on /ota/device/inform. */
	reboot: 10_000,
	/** `slow` devices take this many times longer for every step. */
	slowFactor: 10,
	/** `crash-loop` devices report their old version again this long after the new one. */
	crashRevert: 5 * 60_000,
	/** NeedPush=false: a device pulls its pending package this long after it was queued. */
	pullInterval: 60_000,
} as const;

/** A2: what a `wrong-version` device reports instead of the pushed version. */
export function wrongVersionOf(version: string): string {
	return `${version}-dirty`;
}

/** A3: TaskDesc texts. Only `timeout` and `report version is not conform` are documented. */
export const TASK_DESC = {
	timeout: 'timeout',
	versionNotConform: 'report version is not conform',
	upgradeFailed: 'upgrade failed',
	downloadFailed: 'download failed',
	checkFailed: 'check failed',
	burnFailed: 'burn failed',
	busy: 'the device has an unfinished task in another job',
	overwritten: 'canceled: overwritten by a newer job',
	canceledByJob: 'canceled by CancelOTATaskByJob',
	canceledByDevice: 'canceled by CancelOTATaskByDevice',
	jobCanceled: 'canceled: the job was canceled',
	scheduleFinished: 'canceled: the job reached its ScheduleFinishTime',
	packageDeleted: 'the OTA package was deleted',
} as const;

/** A4: at ScheduleFinishTime every unfinished task is CANCELED and the job COMPLETED. */
export const SCHEDULE_FINISH_CANCELS: readonly TaskStatus[] = UNFINISHED_TASK_STATUSES;

/** A5: CancelOTAStrategyByJob stops matching and cancels the tasks not pushed yet; pushed ones run to their end. */
export const CANCEL_STRATEGY_CANCELS: readonly TaskStatus[] = ['CONFIRM', 'QUEUED'];

/** A6: firmware Status values CreateOTAVerifyJob accepts (1 and 2 are documented refusals; -1 assumed refused). */
export const VERIFIABLE_STATUSES: readonly number[] = [0, 3];

/** Documented: a device is matched at most 10 times per version-based dynamic job. */
export const MAX_DYNAMIC_MATCHES = 10;

/** Documented defaults of the job parameters (docs/protocols.md §10.1). */
export const JOB_DEFAULTS = {
	maximumPerMinute: 10_000,
	overwriteMode: 1,
	needPush: true,
	needConfirm: false,
	multiModuleMode: false,
	downloadProtocol: 'HTTPS',
	dynamicMode: 1,
} as const;
