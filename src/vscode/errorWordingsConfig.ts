// The config-insertion engine's errors (src/core/configInsert), worded in the window's language by their reasons: the
// config file, its syntax, the key path. A parser's own words (the detail of a JSON, YAML or TOML syntax error) and the
// system's stay as they were said, in the values. Registered in errorWordings.ts.
import type { l10n } from 'vscode';
import type { ConfigReason } from '../core/configInsert/configError';
import { config, FORMAT_WORDINGS } from './errorWordingsConfigFormats';
import type { Values, Wording } from './errorWordings';
import type { Translator } from './upload/progressFormat';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

const text = (v: Values, key: string) => String(v[key]);
const path = (v: Values) => text(v, 'path');

const runAgain = (l10n: Translator) => l10n.t('Run the command again.');
const fixSyntax = (l10n: Translator) => l10n.t('Fix the syntax error and try again.');
const fixLine = (l10n: Translator) => l10n.t('Fix or comment out that line and try again.');

/** What a value is ("an object", "a string"), as the engine names it; a YAML alias by its anchor's name; a name not listed stays as said. */
function kind(v: Values, l10n: Translator): string {
	if (v.alias !== undefined) {
		return l10n.t('an alias (*{0})', text(v, 'alias'));
	}
	const actual = text(v, 'actual');
	const names: Record<string, () => string> = {
		'an object': () => l10n.t('an object'),
		'an array': () => l10n.t('an array'),
		'a table': () => l10n.t('a table'),
		'a string': () => l10n.t('a string'),
		'a number': () => l10n.t('a number'),
		'a boolean': () => l10n.t('a boolean'),
		'a date': () => l10n.t('a date'),
		'binary data': () => l10n.t('binary data'),
		null: () => l10n.t('null'),
	};
	return Object.hasOwn(names, actual) ? names[actual]() : actual;
}

/** Where in the file a key path stops: its parent key path, or the top level. */
function place(v: Values, l10n: Translator): string {
	const parent = text(v, 'parent');
	return parent ? l10n.t('"{0}"', parent) : l10n.t('the top level of the file');
}

/** What is wrong with a key path (core keyPath.ts), by its `why`. */
function keyPathFault(v: Values, l10n: Translator): string {
	const at = v.at;
	switch (v.why) {
		case 'quote-unclosed':
			return l10n.t('the quote at position {0} is never closed', at);
		case 'bracket-expected':
			return l10n.t('expected "]" at position {0}', at);
		case 'bracket-unclosed':
			return l10n.t('the "[" at position {0} is never closed', at);
		case 'not-index':
			return l10n.t('"[{0}]" is not an array index (use [0], [1], … or ["key"])', text(v, 'text'));
		case 'empty':
			return l10n.t('it is empty');
		case 'empty-key':
			return l10n.t('empty key at position {0}', at);
		case 'ends-with-dot':
			return l10n.t('it ends with "."');
		case 'dot-expected':
			return l10n.t('expected "." or "[" at position {0}', at);
		default:
			return l10n.t('unexpected "{0}" at position {1}', text(v, 'text'), at);
	}
}

/** A key name the format cannot take (core env.ts, ini.ts, sdkconfig.ts, cHeader.ts, properties.ts), by its `rule`. */
function keyName(v: Values, l10n: Translator): string {
	const key = text(v, 'key');
	switch (v.rule) {
		case 'env':
			return l10n.t('"{0}" is not a valid .env variable name; use a single KEY such as FIRMWARE_URL (letters, digits, _).', key);
		case 'ini-array':
			return l10n.t('"{0}": INI files have no arrays; use section.key.', key);
		case 'ini-key':
			return l10n.t('"{0}" cannot be an INI key (no =, :, line breaks, or leading ; # [).', key);
		case 'ini-section':
			return l10n.t('"{0}" cannot be an INI section name.', key);
		case 'kconfig':
			return l10n.t('"{0}" is not a Kconfig symbol; use a name like CONFIG_OTA_URL (letters, digits, _).', key);
		case 'c':
			return l10n.t(
				'"{0}" is not a C identifier; use a macro name like OTA_FIRMWARE_URL (letters, digits, _; not starting with a digit).',
				key,
			);
		default:
			return l10n.t('The .properties key is empty; give the full key, e.g. ota.firmware.url.');
	}
}

function malformed(v: Values, l10n: Translator): string {
	const format = text(v, 'format');
	const detail = text(v, 'detail');
	return v.line === undefined
		? l10n.t('Malformed {0}: {1}', format, detail)
		: l10n.t('Malformed {0} at line {1}, column {2}: {3}', format, v.line, v.column, detail);
}

function lineMalformed(v: Values, l10n: Translator): string {
	switch (v.format) {
		case 'env':
			return l10n.t('Malformed .env file at line {0}: expected KEY=value', v.line);
		case 'ini':
			return l10n.t('Malformed INI file at line {0}: expected [section], key = value or a ; comment', v.line);
		default:
			return l10n.t('Malformed Kconfig file at line {0}: expected CONFIG_NAME=value or a # comment', v.line);
	}
}

/** The config engine's wordings, by reason code. */
export const CONFIG_WORDINGS: Record<ConfigReason, Wording> = {
	...FORMAT_WORDINGS,
	'config-file-not-found': config((v, l10n) => l10n.t('Config file not found: {0}', path(v))),
	'config-not-regular': config((v, l10n) => l10n.t('{0} is not a regular file', path(v))),
	'config-too-large': config((v, l10n) => l10n.t('Config file {0} is larger than {1} MB', path(v), v.mb)),
	'config-cannot-write': config(
		(v, l10n) => l10n.t('Config file {0} cannot be written ({1})', path(v), text(v, 'code')),
		(l10n) => l10n.t('Check the file and folder permissions.'),
	),
	'config-read-only': config(
		(v, l10n) => l10n.t('Config file {0} is read-only', path(v)),
		(l10n) => l10n.t('Make it writable (e.g. chmod u+w) and try again.'),
	),
	'config-folder-read-only': config(
		(v, l10n) => l10n.t('The folder of {0} is not writable, so the file cannot be replaced safely', path(v)),
		(l10n) => l10n.t('Check the folder permissions.'),
	),
	'config-inaccessible': config((v, l10n) => l10n.t('Could not access config file {0}: {1}', path(v), text(v, 'detail'))),
	'config-not-utf8': config(
		(v, l10n) => l10n.t('{0} is not UTF-8 text', path(v)),
		(l10n) => l10n.t('Convert it to UTF-8 first.'),
	),
	'config-changed': config((v, l10n) => l10n.t('{0} changed on disk while the value was being inserted', path(v)), runAgain),
	'config-moved': config((v, l10n) => l10n.t('{0} was deleted or moved while the value was being inserted', path(v)), runAgain),
	'config-format-unknown': config(
		(v, l10n) => l10n.t('Cannot tell the config format of {0} from its name', text(v, 'name')),
		(l10n) => l10n.t('Pass the format explicitly (json, yaml, toml, env, properties, ini, sdkconfig or c-header).'),
	),
	'config-malformed': config(malformed, fixSyntax),
	'config-line-malformed': config(lineMalformed, fixLine),
	'config-quote-unclosed': config((v, l10n) =>
		l10n.t('Malformed .env file at line {0}: the {1} quote is never closed', v.line, text(v, 'quote')),
	),
	'config-yaml-documents': config(
		(v, l10n) => l10n.t('The YAML file holds {0} documents (separated by "---"); only single-document files can be edited', v.count),
		(l10n) => l10n.t('Put the setting in a single-document YAML file, or edit it by hand.'),
	),
	'config-duplicate-key': config(
		(v, l10n) =>
			Number(v.lineCount) > 1
				? l10n.t(
						'"{0}" appears {1} times in the same object (lines {2}); JSON readers disagree on which one counts (most take the last, some the first)',
						text(v, 'key'),
						v.count,
						text(v, 'lines'),
					)
				: l10n.t(
						'"{0}" appears {1} times in the same object (line {2}); JSON readers disagree on which one counts (most take the last, some the first)',
						text(v, 'key'),
						v.count,
						text(v, 'lines'),
					),
		(l10n) => l10n.t('Remove the duplicates, keeping the one you mean, and try again.'),
	),
	'key-path-invalid': config(
		(v, l10n) => l10n.t('Invalid key path "{0}": {1}', path(v), keyPathFault(v, l10n)),
		(l10n) => l10n.t('Use dots between keys (a.b.c), [0] for array items, and quotes for keys containing dots: a."b.c" or a["b.c"].'),
	),
	'key-name-invalid': config(keyName),
	'key-path-not-array': config((v, l10n) =>
		l10n.t('Cannot set "{0}": {1} is {2}, not an array, so [{3}] does not apply.', path(v), place(v, l10n), kind(v, l10n), v.index),
	),
	'key-path-is-array': config((v, l10n) =>
		l10n.t('Cannot set "{0}": {1} is an array; pick an item with an index, e.g. "{2}".', path(v), place(v, l10n), text(v, 'example')),
	),
	'key-path-not-object': config((v, l10n) =>
		l10n.t(
			'Cannot set "{0}": {1} is {2}, not an object, so it cannot hold the key "{3}".',
			path(v),
			place(v, l10n),
			kind(v, l10n),
			text(v, 'key'),
		),
	),
	'key-path-ends-at-container': config((v, l10n) =>
		l10n.t('Cannot set "{0}": it is {1}; the key path must end at a single value (e.g. "{0}.url").', path(v), kind(v, l10n)),
	),
	'key-path-index-gap': config((v, l10n) =>
		l10n.t(
			'Cannot set "{0}": {1} has {2} item(s), so index [{3}] would leave a gap; use [{2}] to append.',
			path(v),
			place(v, l10n),
			v.length,
			text(v, 'index'),
		),
	),
};
