// Key-path suggestions for "Insert FirmwareUrl" and where the inserted value lands (no vscode import).
import type { Node } from 'jsonc-parser';
import { computeInsertEdits, formatKeyPath, type ConfigFormat, type KeySegment, type TextEdit } from '../../core/configInsert';
import { OtaError } from '../../core/errors';
import { jsoncParser, smolToml, yaml } from '../../core/vendor';
import { shownText } from '../errorText';
import type { SecretMask } from '../log';
import type { Translator } from '../upload/progressFormat';

const MAX_SUGGESTIONS = 50;
const RELEVANT = /url|firmware|ota|\bfw|upgrade|update/i;

/** A sensible new key when the file has no fitting one. */
export function defaultKeyPath(format: ConfigFormat): string {
	switch (format) {
		case 'env':
		case 'properties':
			return format === 'env' ? 'FIRMWARE_URL' : 'ota.firmwareUrl';
		case 'sdkconfig':
			return 'CONFIG_OTA_FIRMWARE_URL';
		case 'c-header':
			return 'OTA_FIRMWARE_URL';
		case 'ini':
			return 'ota.firmware_url';
		default:
			return 'ota.firmwareUrl';
	}
}

/**
 * Why `url` cannot go at `keyPath` in `text`, worded in the window's language and masked as the failed insert's
 * notification would be (shownText); undefined when it can.
 */
export function keyPathProblem(
	text: string,
	format: ConfigFormat,
	keyPath: string,
	url: string,
	l10n: Translator,
	mask: Pick<SecretMask, 'apply'>,
): string | undefined {
	try {
		computeInsertEdits(text, format, keyPath, url);
		return undefined;
	} catch (error) {
		return error instanceof OtaError ? shownText(error, l10n, mask) : mask.apply(String(error));
	}
}

/** Existing scalar keys of the file, the ones that look like a firmware URL first; [] when it cannot be read. */
export function suggestKeyPaths(text: string, format: ConfigFormat): string[] {
	let keys: string[];
	try {
		keys = collectKeys(text, format);
	} catch {
		keys = [];
	}
	const unique = [...new Set(keys)];
	const rank = (key: string) => (/firmware.?url|ota.?url/i.test(key) ? 0 : RELEVANT.test(key) ? 1 : 2);
	return unique
		.map((key, index) => ({ key, index }))
		.sort((a, b) => rank(a.key) - rank(b.key) || a.index - b.index)
		.map((row) => row.key)
		.slice(0, MAX_SUGGESTIONS);
}

function collectKeys(text: string, format: ConfigFormat): string[] {
	switch (format) {
		case 'json':
			return jsonKeys(jsoncParser().parseTree(text, [], { allowTrailingComma: true, disallowComments: false }), []);
		case 'yaml':
			return yamlKeys(yaml().parseDocument(text).contents, []);
		case 'toml':
			return objectKeys(smolToml().parse(text), []);
		case 'ini':
			return iniKeys(text);
		case 'env':
			return lineKeys(text, /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=/);
		case 'properties':
			return lineKeys(text, /^\s*([^#!\s=:][^\s=:]*)\s*[=:]/);
		case 'sdkconfig':
			return lineKeys(text, /^\s*(?:#\s*)?(CONFIG_[A-Za-z0-9_]+)(?:=|\s+is not set)/);
		case 'c-header':
			return lineKeys(text, /^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)\s+\S/);
	}
}

function lineKeys(text: string, pattern: RegExp): string[] {
	return text.split(/\r?\n/).flatMap((line) => {
		const match = pattern.exec(line);
		return match ? [match[1]] : [];
	});
}

function jsonKeys(node: Node | undefined, prefix: KeySegment[]): string[] {
	if (!node) {
		return [];
	}
	if (node.type === 'object') {
		return (node.children ?? []).flatMap((property) => {
			const [keyNode, valueNode] = property.children ?? [];
			return keyNode && typeof keyNode.value === 'string' ? jsonKeys(valueNode, [...prefix, keyNode.value]) : [];
		});
	}
	if (node.type === 'array') {
		return (node.children ?? []).flatMap((child, index) => jsonKeys(child, [...prefix, index]));
	}
	return prefix.length > 0 && (node.type === 'string' || node.type === 'null') ? [formatKeyPath(prefix)] : [];
}

function yamlKeys(node: unknown, prefix: KeySegment[]): string[] {
	if (yaml().isMap(node)) {
		return node.items.flatMap((pair) => {
			const key = yaml().isScalar(pair.key) ? pair.key.value : pair.key;
			return typeof key === 'string' || typeof key === 'number' ? yamlKeys(pair.value, [...prefix, String(key)]) : [];
		});
	}
	if (yaml().isSeq(node)) {
		return node.items.flatMap((item, index) => yamlKeys(item, [...prefix, index]));
	}
	if (prefix.length === 0) {
		return [];
	}
	const value = yaml().isScalar(node) ? node.value : node;
	return value === null || value === undefined || typeof value === 'string' ? [formatKeyPath(prefix)] : [];
}

function objectKeys(value: unknown, prefix: KeySegment[]): string[] {
	if (Array.isArray(value)) {
		return value.flatMap((item, index) => objectKeys(item, [...prefix, index]));
	}
	if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
		return Object.entries(value).flatMap(([key, child]) => objectKeys(child, [...prefix, key]));
	}
	return prefix.length > 0 && typeof value === 'string' ? [formatKeyPath(prefix)] : [];
}

function iniKeys(text: string): string[] {
	let section: string | undefined;
	const keys: string[] = [];
	for (const line of text.split(/\r?\n/)) {
		const header = /^\s*\[([^\]]+)\]/.exec(line);
		if (header) {
			section = header[1].trim();
			continue;
		}
		const entry = /^\s*([^;#\s=][^=]*?)\s*=/.exec(line);
		if (entry) {
			keys.push(formatKeyPath(section ? [section, entry[1]] : [entry[1]]));
		}
	}
	return keys;
}

/**
 * Where `value` sits in the text after `edits` (made against the original) were applied: the range
 * to select and reveal. Undefined when no edit inserted it (the key already had that value).
 */
export function insertedRange(edits: readonly TextEdit[], value: string): { offset: number; length: number } | undefined {
	let shift = 0;
	for (const edit of [...edits].sort((a, b) => a.offset - b.offset)) {
		const at = edit.newText.indexOf(value);
		if (at >= 0) {
			return { offset: edit.offset + shift + at, length: value.length };
		}
		shift += edit.newText.length - edit.length;
	}
	return undefined;
}
