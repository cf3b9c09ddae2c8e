// The errors of an upload ticket or an answer the client refuses (its Host, missing fields, not JSON, too large, too
// slow), of a package the platform's state refuses, of named devices and of an aliyun CLI profile, worded in the
// window's language by their reasons (registered in errorWordings.ts; the connection's settings and TLS errors are in
// errorWordingsNetwork.ts). The server's and the system's words (a host, an answer's excerpt, an errno text) stay as
// they were said, in the values.
import type { l10n } from 'vscode';
import type { ProfileReason } from '../core/credentials';
import { formatBytes, formatCount, formatDuration } from '../core/format';
import type { ANSWER_REASONS } from '../core/iot/mappers';
import type { REACH_REASONS } from '../core/lifecycle/reach';
import type { PACKAGE_STATE_REASONS } from '../core/lifecycle/rollout';
import type { BOUND_REASONS, Exchange } from '../core/responseBounds';
import type { UPLOAD_TICKET_REASONS } from '../core/upload/postObject';
import type { UPLOAD_HOST_REASONS } from '../core/uploadHost';
import type { Values, Wording } from './errorWordings';
import type { Translator } from './upload/progressFormat';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

const text = (v: Values, key: string) => String(v[key]);

/** "Refused the upload ticket: <why>. Nothing was sent there." */
function refusedTicket(why: string, l10n: Translator): string {
	return l10n.t('Refused the upload ticket: {0}. Nothing was sent there.', why);
}

const TICKETS: Record<(typeof UPLOAD_HOST_REASONS)[number] | (typeof UPLOAD_TICKET_REASONS)[number], Wording> = {
	'ticket-host-invalid': {
		message: (v, l10n) => refusedTicket(l10n.t('its Host "{0}" is not a plain http(s) URL', text(v, 'host')), l10n),
		hint: (_v, l10n) => l10n.t('Check the endpoint that issued it.'),
	},
	'ticket-host-insecure': {
		message: (v, l10n) =>
			refusedTicket(
				l10n.t('its Host {0} uses plain http, which would send the firmware and the signed form unencrypted', text(v, 'host')),
				l10n,
			),
		hint: (_v, l10n) =>
			l10n.t('The IoT Platform hands out https:// hosts; check the endpoint (iotOta.endpoint or --endpoint) that issued this one.'),
	},
	'ticket-host-untrusted': {
		message: (v, l10n) =>
			refusedTicket(
				l10n.t(
					'the Alibaba Cloud endpoint {0} named {1}, which is not an Alibaba Cloud ({2}) host',
					text(v, 'endpoint'),
					text(v, 'host'),
					text(v, 'domain'),
				),
				l10n,
			),
		hint: (_v, l10n) => l10n.t('Check for a proxy that rewrites the API answers.'),
	},
	'ticket-incomplete': { message: (v, l10n) => l10n.t('The upload ticket is missing {0}.', text(v, 'fields')) },
	'ticket-host-not-url': { message: (v, l10n) => l10n.t("The upload ticket's Host is not an http(s) URL: {0}", text(v, 'host')) },
};

/** What a bound refused (core EXCHANGE_TEXTS), with "(its headers)" for an answer's headers. */
export const EXCHANGE_WORDS: Record<Exchange['kind'], (name: string, l10n: Translator) => string> = {
	'action-answer': (name, l10n) => l10n.t("{0}'s answer", name),
	'host-answer': (name, l10n) => l10n.t('The answer of {0}', name),
	upload: (name, l10n) => l10n.t('The upload to {0}', name),
	'device-list': (name, l10n) => l10n.t('Posting the device list to {0}', name),
};

function exchange(v: Values, l10n: Translator): string {
	const what = EXCHANGE_WORDS[text(v, 'exchange') as Exchange['kind']](text(v, 'name'), l10n);
	return Number(v.headers) === 1 ? l10n.t('{0} (its headers)', what) : what;
}

const CHECK_ENDPOINT = (l10n: Translator) => l10n.t('Check that the endpoint is an IoT Platform endpoint.');

const ANSWERS: Record<(typeof ANSWER_REASONS)[number] | (typeof BOUND_REASONS)[number], Wording> = {
	'answer-missing': {
		message: (v, l10n) => l10n.t('The answer to {0} has no {1}.', text(v, 'action'), text(v, 'field')),
		hint: (_v, l10n) => CHECK_ENDPOINT(l10n),
	},
	'answer-unknown-value': {
		message: (v, l10n) => l10n.t('The answer to {0} has no known {1} (got {2}).', text(v, 'action'), text(v, 'field'), text(v, 'got')),
		hint: (_v, l10n) => CHECK_ENDPOINT(l10n),
	},
	'non-json-answer': {
		message: (v, l10n) => {
			const [action, endpoint, status, excerpt] = [text(v, 'action'), text(v, 'endpoint'), text(v, 'status'), text(v, 'excerpt')];
			if (status === '') {
				return excerpt
					? l10n.t('{0}: {1} returned a non-JSON answer ("{2}").', action, endpoint, excerpt)
					: l10n.t('{0}: {1} returned a non-JSON answer.', action, endpoint);
			}
			return excerpt
				? l10n.t('{0}: {1} returned a non-JSON answer (HTTP {2}) ("{3}").', action, endpoint, status, excerpt)
				: l10n.t('{0}: {1} returned a non-JSON answer (HTTP {2}).', action, endpoint, status);
		},
		hint: (_v, l10n) =>
			l10n.t('Check the endpoint and region, and any proxy in between; if it is a temporary gateway error, try again.'),
	},
	'response-too-large': {
		message: (v, l10n) => l10n.t('{0} was larger than {1}; it was not read further.', exchange(v, l10n), formatBytes(Number(v.limit))),
		hint: (_v, l10n) => l10n.t('Check the endpoint and any proxy in between: the real service never answers this much.'),
	},
	'unexpected-encoding': {
		message: (v, l10n) =>
			l10n.t(
				'{0} came compressed (Content-Encoding {1}) although only uncompressed answers were accepted; it was not read.',
				exchange(v, l10n),
				text(v, 'encoding'),
			),
		hint: (_v, l10n) => l10n.t('Check the endpoint and any proxy in between.'),
	},
	'deadline-exceeded': {
		message: (v, l10n) =>
			l10n.t('{0} did not complete within {1}; the connection was dropped.', exchange(v, l10n), formatDuration(Number(v.deadlineMs))),
		hint: (_v, l10n) => l10n.t('Check the network or proxy settings; a server that sends only a byte now and then is cut off here.'),
	},
	'listing-too-long': {
		message: (v, l10n) =>
			l10n.t(
				'{0} kept answering full pages past {1} items; the listing was not read further.',
				text(v, 'action'),
				formatCount(Number(v.limit)),
			),
		hint: (_v, l10n) => l10n.t('Check the endpoint and any proxy in between: the real service pages no deeper.'),
	},
};

/** A package's verification state as the core's FIRMWARE_STATUS_TEXT says it, in the window's language. */
export const PACKAGE_STATUS_WORDS: Record<number, (l10n: Translator) => string> = {
	[-1]: (l10n) => l10n.t('verification not required'),
	0: (l10n) => l10n.t('not verified'),
	1: (l10n) => l10n.t('verified'),
	2: (l10n) => l10n.t('verifying'),
	3: (l10n) => l10n.t('verification failed'),
};

function packageStatus(v: Values, l10n: Translator): string {
	const status = Number(v.status);
	return Object.hasOwn(PACKAGE_STATUS_WORDS, status) ? PACKAGE_STATUS_WORDS[status](l10n) : l10n.t('status {0}', text(v, 'status'));
}

const watchVerification = (l10n: Translator) => l10n.t("Watch the running verification (the package's jobs in the OTA Packages view).");

// The core's hints name the CLI's commands (iot-ota verify, rollout, jobs); the extension names its own.
const PACKAGES: Record<(typeof PACKAGE_STATE_REASONS)[number], Wording> = {
	'package-not-verified': {
		message: (v, l10n) => l10n.t('Package {0} is {1}: batches need a verified package.', text(v, 'firmwareId'), packageStatus(v, l10n)),
		hint: (v, l10n) =>
			Number(v.status) === 2
				? watchVerification(l10n)
				: l10n.t('Verify it first (Verify on Devices… on the package in the OTA Packages view).'),
	},
	'package-verified-already': {
		message: (v, l10n) =>
			l10n.t('Package {0} is already {1}: it cannot be verified again.', text(v, 'firmwareId'), packageStatus(v, l10n)),
		hint: (v, l10n) =>
			Number(v.status) === 1 ? l10n.t('Roll it out (Roll Out… on the package in the OTA Packages view).') : watchVerification(l10n),
	},
	'package-no-product-key': {
		message: (v, l10n) => l10n.t('QueryOTAFirmware gave no ProductKey for {0}.', text(v, 'firmwareId')),
		hint: (_v, l10n) => l10n.t('Check the endpoint.'),
	},
};

const REACH: Record<(typeof REACH_REASONS)[number], Wording> = {
	'devices-not-in-product': {
		message: (v, l10n) => l10n.t('Not in product {0}: {1}. Nothing was created.', text(v, 'productKey'), text(v, 'devices')),
		hint: (_v, l10n) =>
			l10n.t(
				'Check the device names (they must be devices of the package’s product in this region and instance), or leave them out.',
			),
	},
	'devices-reach-none': {
		message: (v, l10n) =>
			l10n.t(
				'The batch would upgrade no device: of the devices named, {0} are not in product {1} and {2} are already on {3}. Nothing was created.',
				v.unknown,
				text(v, 'productKey'),
				v.upToDate,
				text(v, 'destVersion'),
			),
		hint: (_v, l10n) => l10n.t('Name devices of the product that are not on this version yet.'),
	},
};

/** Why the config could not be read: safeFile.ts's own refusals in the window's language, the system's errno text as said. */
function unreadableDetail(v: Values, l10n: Translator): string {
	switch (v.errno) {
		case 'ENOTREGULAR':
			return l10n.t('{0} is not a regular file', text(v, 'path'));
		case 'EFBIG':
			return l10n.t('{0} is larger than {1} bytes', text(v, 'path'), text(v, 'limit'));
		default:
			return text(v, 'detail');
	}
}

const PROFILES: Record<ProfileReason, Wording> = {
	'aliyun-config-unreadable': {
		message: (v, l10n) => l10n.t('Cannot read the aliyun CLI config {0}: {1}', text(v, 'path'), unreadableDetail(v, l10n)),
	},
	'aliyun-config-invalid': {
		message: (v, l10n) => l10n.t('The aliyun CLI config {0} is not a JSON object.', text(v, 'path')),
		hint: (_v, l10n) => l10n.t('Fix the file or run `aliyun configure` again.'),
	},
	'profile-not-found': {
		message: (v, l10n) => l10n.t('The aliyun CLI config {0} has no profile named "{1}".', text(v, 'path'), text(v, 'name')),
		hint: (v, l10n) => (v.known ? l10n.t('Choose one of: {0}.', text(v, 'known')) : l10n.t('Create one with `aliyun configure`.')),
	},
	'profile-mode-unsupported': {
		message: (v, l10n) =>
			l10n.t(
				'The aliyun CLI profile "{0}" uses mode {1}, which this tool cannot use (supported: AK, StsToken).',
				text(v, 'name'),
				text(v, 'mode'),
			),
		hint: (_v, l10n) =>
			l10n.t(
				'Switch to an AK or StsToken profile, or set ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN) instead.',
			),
	},
	'profile-token-missing': {
		message: (v, l10n) => l10n.t('Profile "{0}" in {1} has mode StsToken but no sts_token.', text(v, 'name'), text(v, 'path')),
		hint: (_v, l10n) => l10n.t('Run `aliyun configure --mode StsToken` again.'),
	},
};

/** The wordings of this module, by reason code. */
export const API_ERROR_WORDINGS: Record<string, Wording> = {
	...TICKETS,
	...ANSWERS,
	...PACKAGES,
	...REACH,
	...PROFILES,
};
