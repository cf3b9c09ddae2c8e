// The core errors a user commonly meets on the upload and registration path (the firmware file, credentials, the
// upload ticket, timeouts and unreachable endpoints, a platform refusal, a cancel that left a package registered),
// worded in the window's language by their reasons (validationText.ts is the entry). Only our own text is worded:
// the server's words (an API's Message, OSS's detail) and the system's (an errno text) stay as they were said, in
// the values. Limits come from the core's facts, never copied.
import type { l10n } from 'vscode';
import { CANCELLED_BUT_REGISTERED, PACKAGE_MAY_BE_REGISTERED, UPLOAD_FAILED, type MessageReason } from '../core/errors';
import type { CredentialReason } from '../core/credentials';
import { formatBytes, formatCount } from '../core/format';
import type { PACKAGE_TARGET_REASONS } from '../core/flow/packageTarget';
import type { ApiHint, CALL_REASONS } from '../core/iot/popErrors';
import { ALLOWED_SUFFIXES_TEXT, type FileReason } from '../core/limits';
import { TICKET_TTL_MS } from '../core/otaFacts';
import { MAX_FIRMWARE_BYTES } from '../core/types';
import { OSS_REJECTED, type OssHint } from '../core/upload/ossError';
import type { UPLOAD_TRANSPORT_REASONS } from '../core/upload/postObject';
import { API_ERROR_WORDINGS } from './errorWordingsApi';
import { CONFIG_WORDINGS } from './errorWordingsConfig';
import { IMAGE_WORDINGS } from './errorWordingsImage';
import { NETWORK_WORDINGS } from './errorWordingsNetwork';
import { SHELL_WORDINGS } from './errorWordingsShell';
import { span } from './spanText';
import { noAllowedSuffixText } from './suffixText';
import type { Translator } from './upload/progressFormat';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

export type Values = MessageReason['values'];

/** A message and its hint, worded; an error wraps its cause's (an upload's last attempt). */
export interface WordedParts {
	message: string;
	hint?: string;
}

/**
 * How one reason is worded: the message, and the hint when the core gives one (else the core's hint stays). `reason` is
 * the whole reason, for what its flat values cannot hold (a damaged image's checks).
 */
export interface Wording {
	message: (v: Values, l10n: Translator, cause?: WordedParts, reason?: MessageReason) => string;
	hint?: (v: Values, l10n: Translator, cause?: WordedParts) => string | undefined;
}

const text = (v: Values, key: string) => String(v[key]);
const path = (v: Values) => text(v, 'path');

/** A file message that names only the path, and its hint. */
function pathWording(message: (p: string, l10n: Translator) => string, hint: (l10n: Translator) => string): Wording {
	return { message: (v, l10n) => message(path(v), l10n), hint: (_v, l10n) => hint(l10n) };
}

const FILES: Record<FileReason, Wording> = {
	'file-not-found': pathWording(
		(p, l10n) => l10n.t('Firmware file not found: {0}', p),
		(l10n) => l10n.t('Build the firmware first, or pick an existing file.'),
	),
	'file-broken-link': pathWording(
		(p, l10n) => l10n.t('Firmware path is a symbolic link to a file that does not exist: {0}', p),
		(l10n) => l10n.t('Rebuild the firmware or fix the link.'),
	),
	'file-symlink-loop': pathWording(
		(p, l10n) => l10n.t('Firmware path is a symbolic link loop: {0}', p),
		(l10n) => l10n.t('Point the link at the real firmware file.'),
	),
	'file-directory': pathWording(
		(p, l10n) => l10n.t('Firmware path is a directory, not a file: {0}', p),
		(l10n) => l10n.t('Pick the built firmware file inside it.'),
	),
	'file-not-regular': pathWording(
		(p, l10n) => l10n.t('Firmware path is not a regular file (FIFO, socket or device): {0}', p),
		(l10n) => l10n.t('Pick the built firmware file.'),
	),
	'file-unreadable': pathWording(
		(p, l10n) => l10n.t('Firmware file is not readable (permission denied): {0}', p),
		(l10n) => l10n.t('Fix the file permissions and try again.'),
	),
	'file-inaccessible': { message: (v, l10n) => l10n.t('Cannot read firmware file ({0}): {1}', text(v, 'code'), path(v)) },
	'file-empty': pathWording(
		(p, l10n) => l10n.t('Firmware file is empty (0 bytes): {0}', p),
		(l10n) => l10n.t('Rebuild the firmware; the build may have failed.'),
	),
	'file-too-large': {
		message: (v, l10n) =>
			l10n.t(
				'Firmware file is too large: {0} bytes; the OTA limit is {1} ({2} bytes): {3}',
				formatCount(Number(v.size)),
				formatBytes(MAX_FIRMWARE_BYTES),
				formatCount(MAX_FIRMWARE_BYTES),
				path(v),
			),
		hint: (_v, l10n) => l10n.t('Split the package or use a delta (differential) package.'),
	},
	'file-no-allowed-suffix': {
		message: (v, l10n) => noAllowedSuffixText(text(v, 'name'), l10n),
		hint: (_v, l10n) =>
			l10n.t(
				'Rename the file to end in one of them, or choose the suffix (--suffix on the command line; in VS Code, iotOta.suffixMode "ask").',
			),
	},
	'suffix-unsupported': {
		message: (v, l10n) =>
			l10n.t('Unsupported firmware file suffix "{0}". Allowed suffixes: {1}.', text(v, 'suffix'), ALLOWED_SUFFIXES_TEXT),
	},
};

/** A credential message without values, and its hint. */
function plainWording(message: (l10n: Translator) => string, hint: (l10n: Translator) => string): Wording {
	return { message: (_v, l10n) => message(l10n), hint: (_v, l10n) => hint(l10n) };
}

const CREDENTIALS: Record<CredentialReason, Wording> = {
	'env-credentials-incomplete': {
		message: (v, l10n) => l10n.t('{0} is set but {1} is not.', text(v, 'present'), text(v, 'missing')),
		hint: (_v, l10n) => l10n.t('Set both variables, or unset both to use another credential source.'),
	},
	'access-key-id-empty': plainWording(
		(l10n) => l10n.t('The AccessKey ID is empty.'),
		(l10n) => l10n.t('Enter the AccessKey ID of a RAM user (it usually starts with LTAI).'),
	),
	'access-key-id-spaces': plainWording(
		(l10n) => l10n.t('The AccessKey ID contains spaces.'),
		(l10n) => l10n.t('Copy the AccessKey ID again without spaces or line breaks.'),
	),
	'access-key-secret-empty': plainWording(
		(l10n) => l10n.t('The AccessKey Secret is empty.'),
		(l10n) => l10n.t('Enter the AccessKey Secret that belongs to the AccessKey ID.'),
	),
	'access-key-secret-spaces': plainWording(
		(l10n) => l10n.t('The AccessKey Secret contains spaces.'),
		(l10n) => l10n.t('Copy the AccessKey Secret again without spaces or line breaks.'),
	),
	'security-token-missing': plainWording(
		(l10n) => l10n.t('The AccessKey ID is a temporary STS key but no STS security token was given.'),
		(l10n) =>
			l10n.t(
				'Provide the SecurityToken returned together with the STS key (ALIBABA_CLOUD_SECURITY_TOKEN), or use a permanent AccessKey.',
			),
	),
};

/** Our hints to an OSS refusal (core OSS_HINTS), by key. */
export const OSS_HINT_WORDS: Record<OssHint, (l10n: Translator) => string> = {
	'ticket-expired': (l10n) =>
		l10n.t('The upload ticket is valid for only {0}; request a fresh one and upload right away.', span(TICKET_TTL_MS, l10n)),
	'entity-too-large': (l10n) => l10n.t('OTA packages are limited to {0}.', formatBytes(MAX_FIRMWARE_BYTES)),
	'ticket-refused': (l10n) => l10n.t('OSS did not accept the upload ticket; request a new one and check the system clock.'),
	'oss-server': (l10n) => l10n.t('OSS had a temporary problem; try again in a moment.'),
};

/** Our hints to a platform refusal (core API_HINTS), by key. */
export const API_HINT_WORDS: Record<ApiHint, (l10n: Translator) => string> = {
	signature: (l10n) => l10n.t('Check the AccessKey Secret: it does not match the AccessKey ID.'),
	'key-not-found': (l10n) => l10n.t('Check the AccessKey ID: no such key exists.'),
	'key-inactive': (l10n) => l10n.t('Enable the AccessKey in the RAM console or use another one.'),
	'token-expired': (l10n) => l10n.t('Refresh the STS token: it has expired.'),
	'token-invalid': (l10n) => l10n.t('Check the STS token: it must be the one issued with this STS AccessKey ID.'),
	clock: (l10n) => l10n.t("Check this computer's clock: it must be within 15 minutes of the real time."),
	'instance-not-found': (l10n) =>
		l10n.t(
			'Set the IotInstanceId of your Enterprise instance (IoT Platform console → Instances), or check that it belongs to this region.',
		),
	permission: (l10n) => l10n.t('Grant this RAM user IoT Platform permissions (e.g. the AliyunIOTFullAccess policy).'),
	'not-activated': (l10n) => l10n.t('Activate IoT Platform for this account in this region.'),
	'bill-overdue': (l10n) => l10n.t('The account has an overdue bill: top it up in the billing console.'),
	'not-iot-endpoint': (l10n) =>
		l10n.t('Check the endpoint: it must be an IoT Platform endpoint such as https://iot.cn-shanghai.aliyuncs.com.'),
	// The core's hint names the CLI's --name; the extension asks for the FirmwareName when registering.
	'firmware-name-taken': (l10n) =>
		l10n.t(
			'FirmwareName is unique in the account: register again and enter another FirmwareName. The default name repeats for the same file name, version and content, e.g. the same image registered for a second product.',
		),
	'product-key': (l10n) => l10n.t('Check the ProductKey, and that the product belongs to this region and instance.'),
	'instance-id': (l10n) => l10n.t('Check the IotInstanceId: it must be the ID of an Enterprise instance in this region.'),
	// The core's hint names the CLI's --module; the extension asks for the module when registering.
	'module-not-found': (l10n) =>
		l10n.t(
			"Check the module name: it must be one of the product's OTA modules (IoT Platform console → OTA → Modules, or ListOTAModuleByProduct), or create the module first (CreateOTAModule); then register again and enter that module.",
		),
	'group-not-found': (l10n) =>
		l10n.t('Check the group: a batch names a device group by its GroupId (not its name), of this region and instance.'),
};

// The core's hint names the CLI's --module; the extension's names its own way (API_HINT_WORDS).
const TARGETS: Record<(typeof PACKAGE_TARGET_REASONS)[number], Wording> = {
	'module-not-in-product': {
		message: (v, l10n) =>
			v.modules
				? l10n.t(
						'Product {0} has no OTA module "{1}" (its modules: {2}). Nothing was uploaded.',
						text(v, 'productKey'),
						text(v, 'moduleName'),
						text(v, 'modules'),
					)
				: l10n.t(
						'Product {0} has no OTA module "{1}" (ListOTAModuleByProduct lists none). Nothing was uploaded.',
						text(v, 'productKey'),
						text(v, 'moduleName'),
					),
		hint: (_v, l10n) => API_HINT_WORDS['module-not-found'](l10n),
	},
	// The platform's refusal of the check's read, worded as the refused call, then what it spared.
	'target-refused': {
		message: (v, l10n) => `${CALLS['api-failed'].message(v, l10n)} ${l10n.t('Nothing was uploaded.')}`,
		hint: (v, l10n) => apiHint(v, l10n),
	},
};

function apiHint(v: Values, l10n: Translator): string | undefined {
	const key = text(v, 'hint');
	if (key === 'throttling') {
		return l10n.t(
			'Too many requests: wait a moment and try again ({0} allows {1} calls per second per account).',
			text(v, 'action'),
			v.qps,
		);
	}
	return Object.hasOwn(API_HINT_WORDS, key) ? API_HINT_WORDS[key as ApiHint](l10n) : undefined;
}

const CALLS: Record<(typeof CALL_REASONS)[number], Wording> = {
	'request-timeout': {
		message: (v, l10n) =>
			l10n.t('{0}: {1} did not answer within {2}.', text(v, 'action'), text(v, 'endpoint'), span(Number(v.timeoutMs), l10n)),
		hint: (_v, l10n) => l10n.t('Check the network or proxy settings, or raise the request timeout.'),
	},
	'endpoint-unreachable': {
		message: (v, l10n) => l10n.t('{0}: cannot reach {1}: {2}.', text(v, 'action'), text(v, 'endpoint'), text(v, 'detail')),
		hint: (_v, l10n) => l10n.t('Check the network connection, the endpoint/region and the HTTPS_PROXY setting.'),
	},
	'api-failed': {
		message: (v, l10n) =>
			v.text
				? l10n.t('{0} failed: {1}.', text(v, 'action'), text(v, 'text'))
				: l10n.t('{0} failed with {1}.', text(v, 'action'), text(v, 'code')),
		hint: apiHint,
	},
};

type TransferReason = typeof OSS_REJECTED | typeof UPLOAD_FAILED | typeof CANCELLED_BUT_REGISTERED | typeof PACKAGE_MAY_BE_REGISTERED;

const TRANSFERS: Record<TransferReason | (typeof UPLOAD_TRANSPORT_REASONS)[number], Wording> = {
	'upload-network': {
		message: (v, l10n) => l10n.t('Upload to {0} failed: {1}', text(v, 'host'), text(v, 'detail')),
		hint: (v, l10n) =>
			v.tls === 'transient'
				? l10n.t('The TLS connection to OSS broke off; if this repeats, check proxies or network devices that intercept HTTPS.')
				: undefined,
	},
	'upload-stalled': {
		message: (v, l10n) =>
			l10n.t(
				'No progress for {0} while uploading to {1}; the connection was dropped.',
				span(Number(v.timeoutMs), l10n),
				text(v, 'host'),
			),
	},
	[OSS_REJECTED]: {
		message: (v, l10n) => l10n.t('OSS rejected the upload ({0}): {1}', text(v, 'label'), text(v, 'detail')),
		hint: (v, l10n) => (Object.hasOwn(OSS_HINT_WORDS, text(v, 'hint')) ? OSS_HINT_WORDS[text(v, 'hint') as OssHint](l10n) : undefined),
	},
	[UPLOAD_FAILED]: {
		message: (v, l10n, cause) =>
			Number(v.attempts) === 1
				? l10n.t('Upload failed after {0} attempt. Last error: {1}', v.attempts, cause?.message ?? '')
				: l10n.t('Upload failed after {0} attempts. Last error: {1}', v.attempts, cause?.message ?? ''),
		hint: (_v, _l10n, cause) => cause?.hint,
	},
	[PACKAGE_MAY_BE_REGISTERED]: {
		message: (v, l10n, cause) =>
			l10n.t(
				'{0}. CreateOTAFirmware got no definite answer: "{1}" (product {2}, DestVersion {3}) may be registered all the same, with {4}.',
				(cause?.message ?? '').replace(/[.。]$/, ''),
				text(v, 'firmwareName'),
				text(v, 'productKey'),
				text(v, 'destVersion'),
				text(v, 'files'),
			),
		hint: (_v, _l10n, cause) => cause?.hint,
	},
	[CANCELLED_BUT_REGISTERED]: {
		message: (v, l10n) =>
			l10n.t(
				'Cancelled, but the OTA firmware {0} registered just before could not be deleted ({1}).',
				text(v, 'firmwareId'),
				text(v, 'failure'),
			),
	},
};

/** The wordings of this module, by reason code. */
export const ERROR_WORDINGS: Record<string, Wording> = {
	...FILES,
	...CREDENTIALS,
	...CALLS,
	...TRANSFERS,
	...API_ERROR_WORDINGS,
	...NETWORK_WORDINGS,
	...TARGETS,
	...CONFIG_WORDINGS,
	...IMAGE_WORDINGS,
	...SHELL_WORDINGS,
};
