// A core error's message worded in the window's language by its reason: the code and values the core's error carries
// (MessageReason), never its English text. The core's English stays the CLI's; test/unit/vscode-ota/
// validationText.test.ts and errorWordings.test.ts check that the English here is word for word the core's, for every
// reason. A message without a reason this module knows keeps the core's English, and so do the server's own words
// (values such as an API's Message), wherever a wording places them. The lifecycle and field rules are worded here,
// the other reasons in errorWordings.ts.
import type { l10n } from 'vscode';
import { OtaError } from '../core/errors';
import { REGISTER_WINDOW_SPAN } from '../core/format';
import type { NameList, RuleReason } from '../core/lifecycle/rules';
import { FIELD_RULE_REASON } from '../core/upload/createFirmwareRules';
import { FIELD_REASON_TEXTS, fieldRuleText } from './create/fieldRuleText';
import type { Translator } from './upload/progressFormat';
import { SPANS, span } from './spanText';
import { ERROR_WORDINGS, type Values, type Wording, type WordedParts } from './errorWordings';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

const LISTS: Record<NameList, (l10n: Translator) => string> = {
	'verify-devices': (l10n) => l10n.t('Verification devices'),
	'target-devices': (l10n) => l10n.t('Target devices'),
	'src-versions': (l10n) => l10n.t('Source versions'),
	'device-list': (l10n) => l10n.t('Device list'),
	devices: (l10n) => l10n.t('Devices'),
	device: (l10n) => l10n.t('Device'),
	'cancel-devices': (l10n) => l10n.t('Devices to cancel'),
	tasks: (l10n) => l10n.t('Tasks'),
	'retry-tasks': (l10n) => l10n.t('Tasks to retry'),
	'confirm-tasks': (l10n) => l10n.t('Tasks to confirm'),
};

/** How a list of names is called in the window's language (the core's NAME_LISTS is the English). */
export function listName(list: NameList, l10n: Translator): string {
	return LISTS[list](l10n);
}

const list = (v: Values, l10n: Translator) => listName(v.list as NameList, l10n);

/** "60 minutes": the core's REGISTER_WINDOW_TEXT in the window's language, for every message that states the window. */
export function registerWindowText(l10n: Translator): string {
	return SPANS[REGISTER_WINDOW_SPAN.unit](REGISTER_WINDOW_SPAN.count, l10n);
}

const MINUTE = 60_000;

const RULES: Record<RuleReason, Wording> = {
	'list-entry': { message: (v, l10n) => l10n.t('{0}: entries must not be empty or contain spaces or commas.', list(v, l10n)) },
	'list-duplicate': { message: (v, l10n) => l10n.t('{0}: "{1}" is listed twice.', list(v, l10n), v.entry) },
	'list-length': {
		message: (v, l10n) =>
			v.min === v.max
				? l10n.t('{0}: {1} are allowed (got {2}).', list(v, l10n), v.min, v.got)
				: l10n.t('{0}: {1} to {2} are allowed (got {3}).', list(v, l10n), v.min, v.max, v.got),
	},
	'timeout-range': {
		message: (v, l10n) => l10n.t('The timeout must be a whole number of minutes from {0} to {1} (got {2}).', v.min, v.max, v.got),
	},
	'retry-pair': { message: (_v, l10n) => l10n.t('The retry interval and the retry count go together: give both or neither.') },
	'retry-interval': { message: (v, l10n) => l10n.t('The retry interval must be one of {0} minutes (got {1}).', v.allowed, v.got) },
	'retry-count': { message: (v, l10n) => l10n.t('The retry count must be one of {0} (got {1}).', v.allowed, v.got) },
	'retry-before-timeout': {
		message: (v, l10n) =>
			l10n.t(
				'The retry interval ({0}) must be shorter than the timeout ({1}).',
				span(Number(v.interval) * MINUTE, l10n),
				span(Number(v.timeout) * MINUTE, l10n),
			),
		hint: (_v, l10n) => l10n.t('With a 1440-minute retry interval leave the timeout unset.'),
	},
	'rate-range': {
		message: (v, l10n) => l10n.t('The push rate must be a whole number from {0} to {1} per minute (got {2}).', v.min, v.max, v.got),
	},
	'gray-percent': {
		message: (v, l10n) =>
			l10n.t('The gray percentage must be more than 0 and at most 100, with up to {0} decimals (got "{1}").', v.decimals, v.got),
	},
	'schedule-start': {
		message: (v, l10n) =>
			l10n.t('The start time must be between {0} and {1} from now.', span(Number(v.min), l10n), span(Number(v.max), l10n)),
	},
	'finish-time': {
		message: (v, l10n) =>
			v.after === 'now'
				? l10n.t(
						'The finish time must be between {0} and {1} after the start (now).',
						span(Number(v.min), l10n),
						span(Number(v.max), l10n),
					)
				: l10n.t(
						'The finish time must be between {0} and {1} after the start time.',
						span(Number(v.min), l10n),
						span(Number(v.max), l10n),
					),
	},
	'group-empty': {
		message: (_v, l10n) => l10n.t('The group id must not be empty.'),
		hint: (_v, l10n) => l10n.t('Give the GroupId of a device group of the product.'),
	},
	'src-versions-target': {
		message: (_v, l10n) => l10n.t('Source versions apply only to all-device and gray batches, not to chosen devices or a group.'),
	},
	'dynamic-job-target': {
		message: (_v, l10n) => l10n.t('A dynamic batch takes either source versions or a dynamic group, exactly one of them.'),
	},
	'dynamic-rollout-target': {
		message: (_v, l10n) => l10n.t('A dynamic rollout targets all devices (with source versions) or a dynamic group.'),
	},
	'scheduled-dynamic': {
		message: (_v, l10n) => l10n.t('A dynamic rollout cannot be scheduled: it starts at once and keeps matching devices.'),
	},
	'device-list-size': { message: (_v, l10n) => l10n.t('The device list file may be at most 5 MB.') },
	'halt-at': {
		message: (v, l10n) =>
			l10n.t(
				'The halt threshold must be PCT or PCT:N: a failure percentage above 0 and at most 100, and a whole number of finished tasks ≥ 1 (got "{0}").',
				v.got,
			),
		hint: (_v, l10n) => l10n.t('Example: 5:20 halts once 20 tasks finished and 5 % or more of them failed.'),
	},
	'nothing-to-cancel': { message: (_v, l10n) => l10n.t('Say what to cancel: task states, devices, or the dynamic strategy.') },
};

const WORDINGS: Record<string, Wording> = {
	...RULES,
	[FIELD_RULE_REASON]: { message: (v, l10n) => fieldRuleText(v, l10n) },
	...Object.fromEntries(Object.entries(FIELD_REASON_TEXTS).map(([code, message]) => [code, { message }])),
	...ERROR_WORDINGS,
};

/** The reasons this module words (the test compares them with the core's). */
export const WORDED_REASONS: readonly string[] = Object.keys(WORDINGS);

type Worded = Pick<OtaError, 'message' | 'hint' | 'reason' | 'cause'>;

/** The error's message and hint (when the core gives one) in the window's language; the core's English without a known reason. */
export function wordedParts(error: Worded, l10n: Translator): WordedParts {
	const wording = error.reason && Object.hasOwn(WORDINGS, error.reason.code) ? WORDINGS[error.reason.code] : undefined;
	if (!wording) {
		return { message: error.message, hint: error.hint };
	}
	const values = error.reason?.values ?? {};
	const cause = error.cause instanceof OtaError ? wordedParts(error.cause, l10n) : undefined;
	return {
		message: wording.message(values, l10n, cause, error.reason),
		hint: error.hint && (wording.hint?.(values, l10n, cause) ?? error.hint),
	};
}

/** The error's message (and hint, when the core gives one) in the window's language; the core's English without a known reason. */
export function validationText(error: Worded, l10n: Translator): string {
	const { message, hint } = wordedParts(error, l10n);
	return hint ? l10n.t('{0} {1}', message, hint) : message;
}
