// How the lifecycle rules refuse input: one validation error per broken rule, with the reason (a code and the values
// in its message) a shell words in its own language, and the check every list of names (devices, versions, tasks) gets.
import { OtaError } from '../errors';

/**
 * The reasons these rules give (MessageReason.code), one per sentence: a shell words a message by its reason and
 * values (the extension's zh-cn), the English here stays the CLI's.
 */
export const RULE_REASONS = [
	'list-entry',
	'list-duplicate',
	'list-length',
	'timeout-range',
	'retry-pair',
	'retry-interval',
	'retry-count',
	'retry-before-timeout',
	'rate-range',
	'gray-percent',
	'schedule-start',
	'finish-time',
	'group-empty',
	'src-versions-target',
	'dynamic-job-target',
	'dynamic-rollout-target',
	'scheduled-dynamic',
	'device-list-size',
	'halt-at',
	'nothing-to-cancel',
] as const;

export type RuleReason = (typeof RULE_REASONS)[number];

/** Why the input is refused: the reason (with the values in its message) when a shell may word it, and a hint. */
export interface InvalidDetails {
	reason?: RuleReason;
	values?: Record<string, string | number>;
	hint?: string;
}

export function invalid(code: string, message: string, details: InvalidDetails = {}): OtaError {
	const { reason, values = {}, hint } = details;
	return new OtaError({ code, source: 'validation', message, hint, reason: reason && { code: reason, values } });
}

/** The lists checkNames checks (the `list` value of its reasons), and how its messages name them. */
export const NAME_LISTS = {
	'verify-devices': 'Verification devices',
	'target-devices': 'Target devices',
	'src-versions': 'Source versions',
	'device-list': 'Device list',
	devices: 'Devices',
	device: 'Device',
	'cancel-devices': 'Devices to cancel',
	tasks: 'Tasks',
	'retry-tasks': 'Tasks to retry',
	'confirm-tasks': 'Tasks to confirm',
} as const;

export type NameList = keyof typeof NAME_LISTS;

/** A list of unique, non-blank names (devices, versions, task ids) with `min`–`max` entries; returns it trimmed. */
export function checkNames(list: NameList, names: readonly string[], max: number, min = 1): string[] {
	const what = NAME_LISTS[list];
	const trimmed = names.map((name) => name.trim());
	if (trimmed.some((name) => name === '' || /[\s,]/.test(name))) {
		throw invalid('InvalidListEntry', `${what}: entries must not be empty or contain spaces or commas.`, {
			reason: 'list-entry',
			values: { list },
		});
	}
	const seen = new Set<string>();
	const duplicate = trimmed.find((name) => seen.size === seen.add(name).size);
	if (duplicate !== undefined) {
		throw invalid('DuplicateListEntry', `${what}: "${duplicate}" is listed twice.`, {
			reason: 'list-duplicate',
			values: { list, entry: duplicate },
		});
	}
	if (trimmed.length < min || trimmed.length > max) {
		throw invalid('InvalidListLength', `${what}: ${min === max ? min : `${min} to ${max}`} are allowed (got ${trimmed.length}).`, {
			reason: 'list-length',
			values: { list, min, max, got: trimmed.length },
		});
	}
	return trimmed;
}
