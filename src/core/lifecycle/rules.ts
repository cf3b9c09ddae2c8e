// The documented limits of the job and control actions (docs/protocols.md §11.5–§11.8), checked before any call
// so that bad input gets one clear message instead of a platform error. The sandbox keeps its own checks.
import { formatSpan } from '../format';
import { platformLength } from '../otaFacts';
import { checkNames, invalid } from './invalidInput';
import type { BatchOptions, DeliveryOptions, DynamicJobRequest, StaticJobRequest, VerifyJobRequest } from './requests';
import type { Tag } from './types';

export { checkNames, invalid, NAME_LISTS, RULE_REASONS, type InvalidDetails, type NameList, type RuleReason } from './invalidInput';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const LIFECYCLE_LIMITS = {
	verifyDevices: 10,
	specificDevices: 200,
	deviceListNames: 10_000,
	deviceListBytes: 5 * 1024 * 1024,
	timeoutMinutes: { min: 1, max: 1440 },
	retryIntervals: [0, 10, 30, 60, 1440] as readonly number[],
	retryCounts: [1, 2, 5] as readonly number[],
	maximumPerMinute: { min: 10, max: 10_000 },
	srcVersions: 10,
	grayDecimals: 3,
	/** ScheduleTime: from now + 5 min to now + 7 days. */
	scheduleLeadMs: { min: 5 * MINUTE, max: 7 * DAY },
	/** ScheduleFinishTime: from the start + 1 h to the start + 30 days. */
	finishAfterStartMs: { min: HOUR, max: 30 * DAY },
	tags: { count: 10, keyLength: 30, valueLength: 1024, totalLength: 4096 },
	cancelDevices: 200,
	/** ReupgradeOTATask and ConfirmOTATask take at most this many TaskIds per call. */
	tasksPerCall: 10,
	/** ListOTATaskByJob: CurrentPage × PageSize at most this. */
	taskPageDepth: 100_000,
	taskDeviceNames: 50,
} as const;

export function checkTimeout(minutes: number | undefined): void {
	const { min, max } = LIFECYCLE_LIMITS.timeoutMinutes;
	if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < min || minutes > max)) {
		throw invalid('InvalidTimeout', `The timeout must be a whole number of minutes from ${min} to ${max} (got ${minutes}).`, {
			reason: 'timeout-range',
			values: { min, max, got: minutes },
		});
	}
}

function checkTags(tags: readonly Tag[] | undefined): void {
	if (!tags) {
		return;
	}
	const limits = LIFECYCLE_LIMITS.tags;
	if (tags.length > limits.count) {
		throw invalid('InvalidTags', `At most ${limits.count} tags are allowed (got ${tags.length}).`);
	}
	for (const { key, value } of tags) {
		if (!/^[A-Za-z0-9.]+$/.test(key) || platformLength(key) > limits.keyLength) {
			throw invalid('InvalidTags', `Tag key "${key}" must be 1–${limits.keyLength} letters, digits or dots.`);
		}
		if (value.length < 1 || platformLength(value) > limits.valueLength) {
			throw invalid('InvalidTags', `The value of tag "${key}" must be 1–${limits.valueLength} characters.`);
		}
	}
	const total = tags.reduce((sum, tag) => sum + platformLength(tag.key) + platformLength(tag.value), 0);
	if (total > limits.totalLength) {
		throw invalid('InvalidTags', `Tag keys and values may total ${limits.totalLength} characters (got ${total}).`);
	}
}

function checkDelivery(req: DeliveryOptions): void {
	checkTimeout(req.timeoutInMinutes);
	checkTags(req.tags);
}

function checkBatch(req: BatchOptions): void {
	checkDelivery(req);
	const { retryIntervals, retryCounts, maximumPerMinute: rate } = LIFECYCLE_LIMITS;
	if ((req.retryInterval === undefined) !== (req.retryCount === undefined)) {
		throw invalid('InvalidRetry', 'The retry interval and the retry count go together: give both or neither.', {
			reason: 'retry-pair',
		});
	}
	if (req.retryInterval !== undefined && !retryIntervals.includes(req.retryInterval)) {
		const allowed = retryIntervals.join(', ');
		throw invalid('InvalidRetry', `The retry interval must be one of ${allowed} minutes (got ${req.retryInterval}).`, {
			reason: 'retry-interval',
			values: { allowed, got: req.retryInterval },
		});
	}
	if (req.retryCount !== undefined && !retryCounts.includes(req.retryCount)) {
		const allowed = retryCounts.join(', ');
		throw invalid('InvalidRetry', `The retry count must be one of ${allowed} (got ${req.retryCount}).`, {
			reason: 'retry-count',
			values: { allowed, got: req.retryCount },
		});
	}
	if (req.retryInterval !== undefined && req.timeoutInMinutes !== undefined && req.retryInterval >= req.timeoutInMinutes) {
		const hint = req.retryInterval === 1440 ? 'With a 1440-minute retry interval leave the timeout unset.' : undefined;
		throw invalid(
			'InvalidRetry',
			`The retry interval (${formatSpan(req.retryInterval * MINUTE)}) must be shorter than the timeout (${formatSpan(req.timeoutInMinutes * MINUTE)}).`,
			{ reason: 'retry-before-timeout', values: { interval: req.retryInterval, timeout: req.timeoutInMinutes }, hint },
		);
	}
	if (
		req.maximumPerMinute !== undefined &&
		(!Number.isInteger(req.maximumPerMinute) || req.maximumPerMinute < rate.min || req.maximumPerMinute > rate.max)
	) {
		throw invalid(
			'InvalidRate',
			`The push rate must be a whole number from ${rate.min} to ${rate.max} per minute (got ${req.maximumPerMinute}).`,
			{ reason: 'rate-range', values: { min: rate.min, max: rate.max, got: req.maximumPerMinute } },
		);
	}
	if (req.overwriteMode === 2 && req.multiModuleMode) {
		throw invalid('InvalidOverwrite', 'Overwriting pending tasks is not allowed together with multi-module mode.');
	}
}

function checkSrcVersions(versions: readonly string[] | undefined): void {
	if (versions) {
		checkNames('src-versions', versions, LIFECYCLE_LIMITS.srcVersions);
	}
}

/** A gray percentage: more than 0, at most 100, at most 3 decimals. Returns it as the platform takes it (a string). */
export function checkGrayPercent(text: string): string {
	const trimmed = text.trim().replace(/%$/, '');
	const decimals = LIFECYCLE_LIMITS.grayDecimals;
	if (!new RegExp(`^\\d{1,3}(\\.\\d{1,${decimals}})?$`).test(trimmed) || Number(trimmed) <= 0 || Number(trimmed) > 100) {
		throw invalid(
			'InvalidGrayPercent',
			`The gray percentage must be more than 0 and at most 100, with up to ${decimals} decimals (got "${text}").`,
			{ reason: 'gray-percent', values: { decimals, got: text } },
		);
	}
	return trimmed;
}

/**
 * Devices a gray batch reaches: `percent` of the eligible devices (those of the product not on DestVersion, reporting
 * one of the source versions when given, a delta package's SrcVersion), rounded down, at least 1, none of none
 * (docs/protocols.md §11.6). A fact the sandbox applies too.
 */
export function grayDeviceCount(eligible: number, percent: string): number {
	if (eligible === 0) {
		return 0;
	}
	const thousandths = Math.round(Number(percent) * 1000);
	return Math.min(eligible, Math.max(1, Math.floor((eligible * thousandths) / 100_000)));
}

/** A window of LIFECYCLE_LIMITS in words, for messages and help texts: "5 minutes and 7 days", "1 hour and 30 days". */
export function windowText(window: 'scheduleLeadMs' | 'finishAfterStartMs'): string {
	const { min, max } = LIFECYCLE_LIMITS[window];
	return `${formatSpan(min)} and ${formatSpan(max)}`;
}

/** ScheduleTime and ScheduleFinishTime against their windows, measured from `now`. */
export function checkSchedule(scheduleTime: number | undefined, finishTime: number | undefined, now: number): void {
	const lead = LIFECYCLE_LIMITS.scheduleLeadMs;
	if (scheduleTime !== undefined && (scheduleTime < now + lead.min || scheduleTime > now + lead.max)) {
		throw invalid('InvalidSchedule', `The start time must be between ${windowText('scheduleLeadMs')} from now.`, {
			reason: 'schedule-start',
			values: { min: lead.min, max: lead.max },
		});
	}
	const start = scheduleTime ?? now;
	const after = LIFECYCLE_LIMITS.finishAfterStartMs;
	if (finishTime !== undefined && (finishTime < start + after.min || finishTime > start + after.max)) {
		throw invalid(
			'InvalidFinishTime',
			`The finish time must be between ${windowText('finishAfterStartMs')} after the ${scheduleTime === undefined ? 'start (now)' : 'start time'}.`,
			{ reason: 'finish-time', values: { min: after.min, max: after.max, after: scheduleTime === undefined ? 'now' : 'start' } },
		);
	}
}

function checkGroupId(groupId: string): void {
	if (groupId.trim() === '') {
		throw invalid('InvalidGroup', 'The group id must not be empty.', {
			reason: 'group-empty',
			hint: 'Give the GroupId of a device group of the product.',
		});
	}
}

export function validateVerifyJob(req: VerifyJobRequest): void {
	checkNames('verify-devices', req.deviceNames, LIFECYCLE_LIMITS.verifyDevices);
	checkDelivery(req);
}

export function validateStaticJob(req: StaticJobRequest, now: number): void {
	checkBatch(req);
	const { target } = req;
	if (target.kind === 'gray') {
		checkGrayPercent(target.percent);
	}
	if (target.kind === 'devices') {
		checkNames('target-devices', target.deviceNames, LIFECYCLE_LIMITS.specificDevices);
	}
	if (target.kind === 'group') {
		checkGroupId(target.groupId);
	}
	if (req.srcVersions?.length && (target.kind === 'devices' || target.kind === 'deviceFile' || target.kind === 'group')) {
		throw invalid('InvalidSrcVersion', 'Source versions apply only to all-device and gray batches, not to chosen devices or a group.', {
			reason: 'src-versions-target',
		});
	}
	checkSrcVersions(req.srcVersions);
	checkSchedule(req.scheduleTime, req.scheduleFinishTime, now);
}

export function validateDynamicJob(req: DynamicJobRequest): void {
	checkBatch(req);
	const hasVersions = (req.srcVersions?.length ?? 0) > 0;
	if (hasVersions === (req.groupId !== undefined)) {
		throw invalid('InvalidDynamicTarget', 'A dynamic batch takes either source versions or a dynamic group, exactly one of them.', {
			reason: 'dynamic-job-target',
		});
	}
	if (req.groupId !== undefined) {
		checkGroupId(req.groupId);
	}
	checkSrcVersions(req.srcVersions);
}
