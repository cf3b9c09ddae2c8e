// What one config format refuses (a C header's structure and definitions, a .env line a shell reads otherwise, a TOML
// array this editor does not extend), worded in the window's language by its reason; and the frame every config
// message shares ("… The file was not changed."). Part of errorWordingsConfig.ts.
import type { l10n } from 'vscode';
import type { ConfigFormatReason } from '../core/configInsert/configError';
import type { Values, Wording } from './errorWordings';
import type { Translator } from './upload/progressFormat';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

const text = (v: Values, key: string) => String(v[key]);
const path = (v: Values) => text(v, 'path');

/** Every config message ends by saying the file was not changed, after a full stop (configError). */
function unchanged(body: string, l10n: Translator): string {
	const sentence = /[.。]$/.test(body) ? body : l10n.t('{0}.', body);
	return l10n.t('{0} The file was not changed.', sentence);
}

/** A config wording: its body, then "The file was not changed."; a hint when the core gives one. */
export function config(body: (v: Values, l10n: Translator) => string, hint?: (l10n: Translator) => string): Wording {
	return { message: (v, l10n) => unchanged(body(v, l10n), l10n), hint: hint && ((_v, l10n) => hint(l10n)) };
}

function headerMalformed(v: Values, l10n: Translator): string {
	switch (v.fault) {
		case 'after-else':
			return l10n.t('Malformed C header at line {0}: #{1} after #else', v.line, text(v, 'directive'));
		case 'no-if':
			return l10n.t('Malformed C header at line {0}: #{1} without a matching #if', v.line, text(v, 'directive'));
		case 'no-endif':
			return l10n.t('Malformed C header: the #{0} at line {1} has no #endif', text(v, 'directive'), v.line);
		default:
			return l10n.t('Malformed C header at line {0}: the /* comment is never closed', v.line);
	}
}

/** Why a value cannot go into the file (core valueRefused), by its rule. */
function valueRefused(v: Values, l10n: Translator): string {
	const env = (why: string) =>
		l10n.t('The value cannot be written to a .env file so that sh/bash (when the file is sourced) and dotenv read it alike: {0}', why);
	switch (v.rule) {
		case 'not-string':
			return l10n.t('The value to insert must be a string.');
		case 'surrogate':
			return l10n.t('The value is not valid Unicode text (it holds an unpaired surrogate).');
		case 'ini-control':
			return l10n.t('INI values are written verbatim and cannot contain line breaks or other control characters.');
		case 'ini-whitespace':
			return l10n.t('INI values are written verbatim and cannot start or end with whitespace (readers drop it).');
		case 'ini-comment':
			return l10n.t(
				'The value starts with ; or # or contains " ;" or " #", which INI readers such as PlatformIO treat as the start of a comment.',
			);
		case 'ini-reference':
			return l10n.t('The value contains "${…}", which PlatformIO expands as a reference to another setting.');
		case 'kconfig-control':
			return l10n.t('Kconfig string values cannot contain line breaks or other control characters.');
		case 'env-nul':
			return env(l10n.t('it contains a NUL character, which a shell variable cannot hold'));
		case 'env-cr':
			return env(l10n.t('it contains a carriage return, which dotenv turns into a line break'));
		case 'env-backslash':
			return env(l10n.t('it ends with a backslash'));
		default:
			// The characters go in as values: the bundle's keys stay free of escapes.
			return env(l10n.t('it contains a single quote ({0}) together with one of {1}', "'", '$ ` " \\ !'));
	}
}

/** What one config format refuses, worded by reason code. */
export const FORMAT_WORDINGS: Record<ConfigFormatReason, Wording> = {
	'c-header-malformed': config(headerMalformed),
	'value-refused': config(valueRefused),
	'c-function-macro': config((v, l10n) =>
		l10n.t('{0} is a function-like macro; choose another name or edit it by hand.', text(v, 'name')),
	),
	'c-defined-conditionally': config(
		(v, l10n) =>
			l10n.t(
				'{0} is defined at line {1}, inside "{2}" (line {3}), which depends on the build (-D flags or other headers), so this tool cannot tell whether the compiler uses that definition',
				text(v, 'name'),
				v.line,
				text(v, 'condition'),
				v.conditionLine,
			),
		(l10n) => l10n.t('Edit it by hand, or move the definition out of the conditional block, then try again.'),
	),
	'c-undefined-after': config(
		(v, l10n) =>
			l10n.t(
				"{0} is #undef'd at line {1}, after its last definition, so code that includes the header does not see it",
				text(v, 'name'),
				v.line,
			),
		(l10n) => l10n.t('Remove that #undef or edit the header by hand, then try again.'),
	),
	'c-defined-only-skipped': config(
		(v, l10n) =>
			l10n.t(
				'{0} is defined only where the compiler skips it (line {1}, inside "{2}" (line {3}))',
				text(v, 'name'),
				v.line,
				text(v, 'condition'),
				v.conditionLine,
			),
		(l10n) => l10n.t('Enable that branch, or add a definition outside it, then try again.'),
	),
	'env-line-continues': config(
		(v, l10n) =>
			l10n.t(
				'In the .env file, line {0} ends with a backslash, so a shell that sources the file reads {1} (line {2}) as part of that line',
				v.line,
				text(v, 'key'),
				v.keyLine,
			),
		(l10n) => l10n.t('Remove or escape that backslash and try again.'),
	),
	'env-trailing-text': config(
		(v, l10n) =>
			l10n.t(
				"In the .env file, {0}'s value is followed by other text on its line, which a shell reads as part of the value or as a command",
				text(v, 'key'),
			),
		(l10n) => l10n.t('Put a comment after " #" or remove that text, then try again.'),
	),
	'toml-array-item-missing': config((v, l10n) =>
		l10n.t('Cannot set "{0}": array items can only be addressed when they already exist in a TOML file.', path(v)),
	),
	'toml-array-append': config((v, l10n) =>
		l10n.t('Cannot set "{0}": appending array items is not supported for TOML files; add the [[table]] by hand first.', path(v)),
	),
	'toml-uneditable': config((v, l10n) =>
		l10n.t('"{0}" is written in a form this editor cannot change safely (e.g. inside an inline array); edit it by hand.', path(v)),
	),
	'toml-no-place': config((v, l10n) => l10n.t('Could not find a safe place to add "{0}" to the TOML file; add it by hand.', path(v))),
};
