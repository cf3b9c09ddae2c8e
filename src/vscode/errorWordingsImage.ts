// The image checks' refusals (a version marker the upload cannot use, a damaged image, contents that do not fit the
// suffix, a DestVersion the image does not give or contradicts) and the errors the core wraps with a prefix (one file of a
// multi-file package, a profile's credentials), worded in the window's language by their reasons. A prefixed error's
// inner error is worded by its own reason; a regular expression engine's words stay as it said them. Registered in
// errorWordings.ts.
import type { l10n } from 'vscode';
import { ABOUT_FILE, PROFILE_CREDENTIALS } from '../core/errors';
import { CONTAINER_SUFFIX, type IMAGE_CHECK_REASONS } from '../core/flow/image';
import type { ContentFormat, SuffixProblem, VersionSource } from '../core/image';
import type { MARKER_REASONS } from '../core/image/marker';
import type { Container } from '../core/limits';
import type { FirmwareSuffix } from '../core/types';
import type { Values, Wording } from './errorWordings';
import { span } from './spanText';
import type { Translator } from './upload/progressFormat';
import { damagedChecksText, formatText, sourcePartsText, suffixProblemText } from './views/imageText';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

const text = (v: Values, key: string) => String(v[key]);

const destVersionHint = (l10n: Translator) =>
	l10n.t('Give the version devices report after the update (--dest-version on the command line), e.g. 1.2.0.');

function suffixProblem(v: Values): SuffixProblem {
	const container = text(v, 'container') as Container;
	return v.problem === 'archive-as-image'
		? { code: 'archive-as-image', found: container }
		: { code: 'contents-mismatch', expected: container, ...(v.inGzip ? { inGzip: true } : {}) };
}

function suffixHint(v: Values, l10n: Translator): string {
	const format = text(v, 'format') as ContentFormat;
	const suffix = CONTAINER_SUFFIX[format];
	return suffix
		? l10n.t(
				'Its contents are a {0}: upload it as .{1} (--suffix {1} on the command line), or pick the right file.',
				formatText(format, l10n),
				suffix,
			)
		: l10n.t('If it is a raw image, upload it as .bin (--suffix bin on the command line); otherwise pick the right file.');
}

/** Where the image's version was read, in the window's language when the core gave its parts; else as the core said it. */
function versionSource(v: Values, l10n: Translator): string {
	const entry = text(v, 'entry') || undefined;
	const source = (text(v, 'sourceKind') || undefined) as VersionSource | undefined;
	return entry || source ? sourcePartsText({ entry, source }, l10n) : text(v, 'source');
}

const IMAGE_CHECKS: Record<(typeof MARKER_REASONS)[number] | (typeof IMAGE_CHECK_REASONS)[number], Wording> = {
	// The same words as the Firmware Files view's damage text; a decoder's own message stays as it said it.
	'damaged-image': { message: (_v, l10n, _cause, reason) => damagedChecksText(reason?.checks ?? [], l10n) },
	'marker-invalid': {
		message: (v, l10n) => l10n.t('The version marker is not a valid regular expression: {0}.', text(v, 'detail')),
		hint: (_v, l10n) =>
			l10n.t('Give a JavaScript regular expression whose first group captures the version, e.g. FW_VERSION=([0-9.]+).'),
	},
	'marker-too-slow': {
		message: (v, l10n) =>
			l10n.t(
				'The version marker took longer than {0} to search a MB of {1} and was stopped.',
				span(Number(v.limitMs), l10n),
				text(v, 'file'),
			),
		hint: (_v, l10n) =>
			l10n.t(
				'Give a pattern that runs in linear time: start it with literal text, e.g. FW_VERSION=([0-9.]+), and avoid nested or overlapping quantifiers such as (a+)+ or (x|x)*.',
			),
	},
	'contents-do-not-match-suffix': {
		message: (v, l10n) => suffixProblemText(text(v, 'name'), text(v, 'suffix') as FirmwareSuffix, suffixProblem(v), l10n),
		hint: suffixHint,
	},
	'dest-version-required': {
		message: (v, l10n) =>
			v.declared
				? l10n.t(
						'DestVersion is required: "{0}" ({1}) declares version {2}, which DestVersion\'s characters (letters, digits, ".", "_", "-") cannot spell.',
						text(v, 'file'),
						formatText(text(v, 'format') as ContentFormat, l10n),
						text(v, 'declared'),
					)
				: l10n.t(
						'DestVersion is required: "{0}" ({1}) declares no version to take it from.',
						text(v, 'file'),
						formatText(text(v, 'format') as ContentFormat, l10n),
					),
		hint: (_v, l10n) => destVersionHint(l10n),
	},
	'dest-version-none': {
		message: (v, l10n) => l10n.t('DestVersion is required: none of the {0} files declares a version to take it from.', v.count),
		hint: (_v, l10n) => destVersionHint(l10n),
	},
	'versions-differ': {
		message: (v, l10n) => l10n.t('The files declare different versions ({0}); a package has one DestVersion.', text(v, 'each')),
		hint: (_v, l10n) => destVersionHint(l10n),
	},
	'version-mismatch': {
		message: (v, l10n) =>
			l10n.t(
				'The image declares version {0} ({1}) but DestVersion is {2}: devices would report {0} after the update and the OTA verification would fail.',
				text(v, 'declared'),
				versionSource(v, l10n),
				text(v, 'requested'),
			),
		hint: (v, l10n) =>
			l10n.t(
				'Register it as {0}, or rebuild the image; if the image is right as it is, allow the mismatch (--allow-version-mismatch on the command line).',
				text(v, 'declared'),
			),
	},
};

const PREFIXED: Record<typeof ABOUT_FILE | typeof PROFILE_CREDENTIALS, Wording> = {
	[ABOUT_FILE]: {
		message: (v, l10n, cause) => l10n.t('{0}: {1}', text(v, 'name'), cause?.message ?? ''),
		hint: (_v, _l10n, cause) => cause?.hint,
	},
	[PROFILE_CREDENTIALS]: {
		message: (v, l10n, cause) => l10n.t('Profile "{0}" in {1}: {2}', text(v, 'profile'), text(v, 'configPath'), cause?.message ?? ''),
		hint: (_v, _l10n, cause) => cause?.hint,
	},
};

/** The image checks' and the prefixed errors' wordings, by reason code. */
export const IMAGE_WORDINGS: Record<string, Wording> = { ...IMAGE_CHECKS, ...PREFIXED };
