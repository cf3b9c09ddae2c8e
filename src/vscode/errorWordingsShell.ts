// The extension's own refusals (a command given nothing it can act on, a row of another profile, a folder no longer
// open, a profile without credentials on this machine, an insert target it cannot use, a setting or a moment it cannot
// work with), made like the core's errors: the message and hint in English, as the log keeps them, and a reason worded
// here in the window's language; and the hints it adds after an error's own (withShellHint). Registered in errorWordings.ts.
import type { l10n } from 'vscode';
import { OtaError, type ErrorSource } from '../core/errors';
import type { ShareProblem } from '../sandbox';
import type { Values, Wording } from './errorWordings';
import type { RecordedPlace } from './create/placeMoved';
import { placeText } from './create/placeText';
import {
	CONNECTION_SETTINGS,
	differencesText,
	differingKeys,
	shownSetting,
	type ConnectionChoice,
	type ConnectionSetting,
} from './credentials/folderConnection';
import { shareProblemText } from './sandboxFleet';
import { noAllowedSuffixText } from './suffixText';
import { plainL10n, type Translator } from './upload/progressFormat';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

const text = (v: Values, key: string) => String(v[key]);

/** A refusal whose message names only `key`'s value. */
const naming = (key: string, message: (value: string, l10n: Translator) => string): Wording => ({
	message: (v, l10n) => message(text(v, key), l10n),
});

/** A refusal whose message has no value. */
const plain = (message: (l10n: Translator) => string): Wording => ({ message: (_v, l10n) => message(l10n) });

/** The values of a place (placeText) under `prefix`: its instance only when recorded. */
export const placeValues = (prefix: string, { profile, region, instance }: RecordedPlace): Values => ({
	[`${prefix}Profile`]: profile,
	[`${prefix}Region`]: region,
	...(instance === undefined ? {} : { [`${prefix}Instance`]: instance }),
});

const placeOf = (v: Values, prefix: string): RecordedPlace => ({
	profile: text(v, `${prefix}Profile`),
	region: text(v, `${prefix}Region`),
	instance: v[`${prefix}Instance`] === undefined ? undefined : text(v, `${prefix}Instance`),
});

const SETTING_VALUE: Record<ConnectionSetting, string> = { region: 'Region', endpoint: 'Endpoint', iotInstanceId: 'Instance' };

/**
 * The values of two connections' differences (connectionDifferences): each setting that differs, under `first…` and
 * `other…` ('' for one not set), as output may show it (an endpoint without its user name, password or secret query).
 */
export function differenceValues(first: ConnectionChoice, other: ConnectionChoice): Values {
	const values: Record<string, string> = {};
	for (const key of differingKeys(first, other)) {
		for (const [prefix, connection] of [
			['first', first],
			['other', other],
		] as const) {
			const value = connection[key];
			values[`${prefix}${SETTING_VALUE[key]}`] = value === undefined ? '' : shownSetting(key, value);
		}
	}
	return values;
}

const differencesOf = (v: Values, none: string): string[] => {
	const keys = CONNECTION_SETTINGS.filter((key) => v[`first${SETTING_VALUE[key]}`] !== undefined);
	const side = (prefix: string): Partial<ConnectionChoice> =>
		Object.fromEntries(keys.map((key) => [key, text(v, `${prefix}${SETTING_VALUE[key]}`) || undefined]));
	return differencesText(keys, side('first'), side('other'), none);
};

/** The values of the sandbox's refusal of a behaviour share (ShareProblem), its code as `problem`. */
export const shareProblemValues = ({ code, ...values }: ShareProblem): Values => ({ problem: code, ...values });

const shareProblemOf = (v: Values): ShareProblem => {
	switch (v.problem) {
		case 'unknown-behaviour':
			return { code: 'unknown-behaviour', behaviour: text(v, 'behaviour'), known: text(v, 'known') };
		case 'share-range':
			return { code: 'share-range', behaviour: text(v, 'behaviour') };
		default:
			return { code: 'shares-total', total: Number(v.total) };
	}
};

const profileNoCredentials = (v: Values, l10n: Translator) =>
	l10n.t('Profile "{0}" has no credentials on this machine.', text(v, 'profile'));

const notInView = (v: Values, l10n: Translator) => l10n.t('{0} is not in the OTA Packages view.', text(v, 'what'));

const SHELL = {
	'folder-not-open': {
		message: (v, l10n) =>
			l10n.t(
				'Folder {0} is no longer open in this window: its settings (region, endpoint, instance) chose where {1} was registered, and without them another instance could be reached. Add the folder to the workspace again, then retry.',
				text(v, 'folder'),
				text(v, 'file'),
			),
	},
	'profile-no-credentials': { message: profileNoCredentials },
	'package-profile-no-credentials': {
		message: profileNoCredentials,
		hint: (_v, l10n) =>
			l10n.t(
				'The package is still registered with the account of that profile: configure it again, or delete the package in the OTA Packages view with a profile of the same account.',
			),
	},
	'watch-profile-no-credentials': naming('profile', (profile, l10n) =>
		l10n.t('Profile "{0}" of this watch has no credentials on this machine.', profile),
	),
	'no-active-profile': plain((l10n) => l10n.t('No active profile.')),
	'other-profile-row': naming('profile', (profile, l10n) =>
		l10n.t(
			'This upload was registered with profile "{0}", and the OTA Packages view lists the packages of the active profile. Switch to profile "{0}" to see it there.',
			profile,
		),
	),
	'no-watch': plain((l10n) => l10n.t('No OTA job is being watched. Choose Watch Job on a job in the OTA Packages view.')),
	'job-not-watched': naming('jobId', (jobId, l10n) => l10n.t('Job {0} is not being watched.', jobId)),
	'choose-product-devices': plain((l10n) => l10n.t('Choose the Devices of a product in the OTA Packages view.')),
	'choose-device': plain((l10n) => l10n.t('Choose a device in the OTA Packages view.')),
	'upload-not-registered': plain((l10n) =>
		l10n.t('This upload is not registered as an OTA package yet: run Create OTA Firmware… first.'),
	),
	'no-package-to-roll-out': naming('productKey', (productKey, l10n) =>
		l10n.t('Product {0} has no verified OTA package to roll out. Verify one first (Verify on Devices…).', productKey),
	),
	'no-package-to-verify': naming('productKey', (productKey, l10n) =>
		l10n.t('Product {0} has no OTA package waiting for verification.', productKey),
	),
	'product-no-package': naming('productKey', (productKey, l10n) => l10n.t('Product {0} has no OTA package.', productKey)),
	'product-no-device': naming('productKey', (productKey, l10n) => l10n.t('Product {0} has no device.', productKey)),
	'package-no-job': naming('firmwareName', (name, l10n) => l10n.t('Package {0} has no job yet.', name)),
	'diagnose-first': plain((l10n) => l10n.t('Run Diagnose on a failed verification to register its image with the version it reports.')),
	'no-firmware-url': naming('firmwareName', (name, l10n) =>
		l10n.t('Package {0} has several files or no FirmwareUrl: upload the image again instead.', name),
	),
	'no-unfinished-task': naming('jobId', (jobId, l10n) => l10n.t('Job {0} has no unfinished task to cancel.', jobId)),
	'mixed-selection': plain((l10n) =>
		l10n.t('Select the tasks of one job, or one job or task group: the selection holds rows of several jobs or kinds.'),
	),
	'nothing-to-retry': plain((l10n) => l10n.t('None of the chosen tasks failed or was cancelled: nothing to retry.')),
	'nothing-to-confirm': plain((l10n) => l10n.t('None of the chosen tasks waits for confirmation.')),
	'no-device-group': plain((l10n) => l10n.t('This account has no device group. Create one in the IoT Platform console first.')),
	'not-in-ota-view': { message: notInView },
	'not-in-ota-view-moved': {
		message: notInView,
		hint: (v, l10n) =>
			l10n.t(
				'This upload was registered with {0}, and the view looked with {1}: the region or instance setting of its folder or profile changed since.',
				placeText(placeOf(v, 'recorded'), l10n),
				placeText(placeOf(v, 'now'), l10n),
			),
	},
	'expand-devices-first': {
		message: (v, l10n) => l10n.t('Expand the Devices of {0} and choose {1} there first.', text(v, 'productKey'), text(v, 'deviceName')),
	},
	'choose-folder': plain((l10n) => l10n.t('Right-click a folder in the Explorer to upload the firmware files in it.')),
	'not-uploaded': naming('fileName', (name, l10n) => l10n.t('{0} has not been uploaded successfully, so it cannot be registered.', name)),
	'registering-already': naming('fileName', (name, l10n) => l10n.t('{0} is being registered already.', name)),
	'upload-unfinished': naming('fileName', (name, l10n) => l10n.t('{0} has no FirmwareUrl: its upload did not finish.', name)),
	'no-uploads': plain((l10n) => l10n.t('No uploaded firmware in this workspace yet. Upload a firmware file first.')),
	'choose-file-to-reveal': plain((l10n) => l10n.t('Choose a firmware file or an upload to reveal.')),
	'file-gone': naming('name', (name, l10n) => l10n.t('{0} no longer exists.', name)),
	'insert-target-outside': {
		message: (v, l10n) => l10n.t('iotOta.insertTargets entry "{0}" points outside the workspace folder.', text(v, 'file')),
		hint: (_v, l10n) => l10n.t('Use a path relative to the workspace folder.'),
	},
	'insert-target-missing': {
		message: (v, l10n) => l10n.t('The insert target {0} does not exist.', text(v, 'file')),
		hint: (_v, l10n) => l10n.t('Fix iotOta.insertTargets.'),
	},
	'insert-file-format-unknown': {
		message: (v, l10n) => l10n.t('{0} is not a config format the FirmwareUrl can be inserted into.', text(v, 'name')),
		hint: (_v, l10n) => l10n.t('Supported: JSON/JSONC, YAML, TOML, .env, .properties, INI, sdkconfig, C/C++ headers.'),
	},
	'edit-rejected': plain((l10n) => l10n.t('VS Code refused the edit (is the file read-only?).')),
	'credentials-not-read-back': plain((l10n) => l10n.t('The credentials just saved could not be read back from secret storage.')),
	'credential-source-unavailable': plain((l10n) => l10n.t('This credential source is not available.')),
	'upload-busy': naming('fileName', (name, l10n) => l10n.t('{0} is still uploading; uploads run one at a time.', name)),
	'no-suffix-to-infer': {
		message: (v, l10n) => noAllowedSuffixText(text(v, 'name'), l10n),
		hint: (_v, l10n) => l10n.t('Rename the file, or set iotOta.suffixMode to "ask" to choose the suffix.'),
	},
	'sandbox-behaviours': { message: (v, l10n) => `iotOta.sandbox.behaviours: ${shareProblemText(shareProblemOf(v), l10n)}` },
	'package-connections-differ': {
		message: (v, l10n) =>
			l10n.t(
				'{0} and {1} are in folders whose settings choose different connections ({2}), and one package is registered in one account and instance. Upload them as a package per file, or give the folders the same settings.',
				text(v, 'first'),
				text(v, 'other'),
				differencesOf(v, l10n.t('(not set)')).join(', '),
			),
	},
	// A hint after an error's own (withShellHint): the error is the cause, worded by its own reason.
	'package-deleted-elsewhere': {
		message: (_v, _l10n, cause) => cause?.message ?? '',
		hint: (_v, l10n, cause) => {
			const gone = l10n.t('The package was deleted elsewhere (the CLI or the console): its uploads are now marked deleted.');
			return cause?.hint ? l10n.t('{0} {1}', cause.hint, gone) : gone;
		},
	},
} satisfies Record<string, Wording>;

/** The reasons of the hints the extension adds after an error's own (withShellHint). */
type ShellHintReason = 'package-deleted-elsewhere';

/** The reason of one of the extension's own refusals. */
export type ShellReason = Exclude<keyof typeof SHELL, ShellHintReason>;

/** The extension's own refusals' wordings, by reason code. */
export const SHELL_WORDINGS: Record<string, Wording> = SHELL;

/**
 * One of the extension's own refusals: its message in English (what the log keeps, as the CLI would say it) from the
 * same wording that words it in the window's language (errorText.ts, by `reason`).
 */
export function shellRefusal(code: string, reason: ShellReason, values: Values = {}, source: ErrorSource = 'validation'): OtaError {
	const { message, hint } = SHELL[reason] as Wording;
	return new OtaError({
		code,
		source,
		message: message(values, plainL10n),
		hint: hint?.(values, plainL10n),
		reason: { code: reason, values },
	});
}

/**
 * `error` with one of the extension's hints after its own: the same code, RequestId and message in English (what the
 * log keeps), the hint appended in English, and `error` as the cause, so the window words its message and hint by
 * `error`'s own reason and the extension's hint by `reason`.
 */
export function withShellHint(error: OtaError, reason: ShellHintReason): OtaError {
	const { code, source, requestId, status, retryable, message } = error;
	const hint = (SHELL[reason] as Wording).hint?.({}, plainL10n, { message, hint: error.hint });
	return new OtaError({ code, source, requestId, status, retryable, message, hint, reason: { code: reason, values: {} }, cause: error });
}
