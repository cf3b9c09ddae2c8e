/**
 * Config-insertion engine: text in → TextEdit[] out (against the original text), so the
 * extension can apply a WorkspaceEdit and the CLI can write the file atomically (see file.ts).
 * Every planner refuses malformed input with an OtaError (source 'config') and never guesses.
 */
import { planCHeaderInsert } from './cHeader';
import { configError, valueRefused } from './configError';
import { planEnvInsert } from './env';
import { planIniInsert } from './ini';
import { planJsonInsert } from './json';
import { parseKeyPath } from './keyPath';
import { planPropertiesInsert } from './properties';
import { planSdkconfigInsert } from './sdkconfig';
import { planTomlInsert } from './toml';
import type { ConfigFormat, InsertPlan, TextEdit } from './types';
import { planYamlInsert } from './yaml';

export type { ConfigFormat, InsertPlan, KeySegment, TextEdit } from './types';
export { CONFIG_FORMATS, describeFormat, detectConfigFormat } from './detect';
export { formatKeyPath, parseKeyPath } from './keyPath';
export { applyTextEdits } from './text';

/** Like computeInsertEdits, but also reports the value that was there before. */
export function planInsert(text: string, format: ConfigFormat, keyPath: string, value: string): InsertPlan {
	if (typeof value !== 'string') {
		throw valueRefused('The value to insert must be a string.', 'not-string');
	}
	if (/\p{Cs}/u.test(value)) {
		// A lone surrogate has no UTF-8 form: written to a file it would silently become U+FFFD.
		throw valueRefused('The value is not valid Unicode text (it holds an unpaired surrogate).', 'surrogate');
	}
	if (text.startsWith('\ufeff')) {
		// A byte-order mark is not part of the content; plan without it and keep it where it is.
		const plan = planFormat(text.slice(1), format, keyPath, value);
		return { ...plan, edits: plan.edits.map((edit) => ({ ...edit, offset: edit.offset + 1 })) };
	}
	return planFormat(text, format, keyPath, value);
}

function planFormat(text: string, format: ConfigFormat, keyPath: string, value: string): InsertPlan {
	switch (format) {
		case 'json':
			return planJsonInsert(text, parseKeyPath(keyPath), value);
		case 'yaml':
			return planYamlInsert(text, parseKeyPath(keyPath), value);
		case 'toml':
			return planTomlInsert(text, parseKeyPath(keyPath), value);
		case 'ini':
			return planIniInsert(text, parseKeyPath(keyPath), value);
		case 'env':
			return planEnvInsert(text, keyPath.trim(), value);
		case 'properties':
			return planPropertiesInsert(text, keyPath.trim(), value);
		case 'sdkconfig':
			return planSdkconfigInsert(text, keyPath.trim(), value);
		case 'c-header':
			return planCHeaderInsert(text, keyPath.trim(), value);
		default:
			throw configError('UnknownConfigFormat', `Unknown config format "${String(format)}".`);
	}
}

/** The edits that set `keyPath` to the string `value`; [] when it already has that value. Throws OtaError(config). */
export function computeInsertEdits(text: string, format: ConfigFormat, keyPath: string, value: string): TextEdit[] {
	return planInsert(text, format, keyPath, value).edits;
}
