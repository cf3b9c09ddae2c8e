import { configError } from './configError';
import { appendLineEdit, detectEol, splitLines } from './text';
import type { InsertPlan, TextEdit } from './types';

export interface PropertyEntry {
	key: string;
	value: string;
	/** The separator as written (e.g. "=", " = ", ": ", " "). */
	separator: string;
	valueStart: number;
	/** End of the logical line's content (continuations included). */
	valueEnd: number;
}

const WS = ' \t\f';

function isBreak(ch: string | undefined): boolean {
	return ch === '\n' || ch === '\r';
}

/** Index just past the line break at `i` (handles \r\n). */
function afterBreak(text: string, i: number): number {
	return text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
}

/** Java Properties.load semantics: escapes, continuation lines, `#`/`!` comments, key ends at =, : or whitespace. */
export function scanProperties(text: string): PropertyEntry[] {
	const out: PropertyEntry[] = [];
	let i = 0;
	while (i < text.length) {
		while (i < text.length && (WS.includes(text[i] as string) || isBreak(text[i]))) {
			i++;
		}
		if (i >= text.length) {
			break;
		}
		if (text[i] === '#' || text[i] === '!') {
			while (i < text.length && !isBreak(text[i])) {
				i++;
			}
			continue;
		}
		// Reads one logical-line part, unescaping; stops at `stop` characters (unescaped) or the end of the logical line.
		const read = (stop: (ch: string) => boolean): string => {
			let out = '';
			while (i < text.length && !isBreak(text[i]) && !stop(text[i] as string)) {
				const ch = text[i] as string;
				if (ch !== '\\') {
					out += ch;
					i++;
					continue;
				}
				const next = text[i + 1];
				if (next === undefined) {
					i++;
				} else if (isBreak(next)) {
					i = afterBreak(text, i + 1);
					while (i < text.length && WS.includes(text[i] as string)) {
						i++;
					}
				} else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
					out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
					i += 6;
				} else {
					out += ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[next] ?? next;
					i += 2;
				}
			}
			return out;
		};
		const key = read((ch) => ch === '=' || ch === ':' || WS.includes(ch));
		const sepStart = i;
		while (i < text.length && WS.includes(text[i] as string)) {
			i++;
		}
		if (text[i] === '=' || text[i] === ':') {
			i++;
			while (i < text.length && WS.includes(text[i] as string)) {
				i++;
			}
		}
		const valueStart = i;
		const value = read(() => false);
		out.push({ key, value, separator: text.slice(sepStart, valueStart), valueStart, valueEnd: i });
	}
	return out;
}

function escapeChar(ch: string, forKey: boolean): string {
	const named: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f' };
	if (named[ch]) {
		return named[ch];
	}
	const code = ch.charCodeAt(0);
	if (code < 0x20 || code > 0x7e) {
		return `\\u${code.toString(16).padStart(4, '0').toUpperCase()}`;
	}
	return forKey && ' =:#!'.includes(ch) ? `\\${ch}` : ch;
}

/**
 * Escapes what Properties.load requires; non-ASCII as \uXXXX because load(InputStream) reads ISO-8859-1.
 * ':' and '=' inside a value stay readable (only the first separator counts).
 */
export function escapePropertiesValue(value: string): string {
	let out = '';
	for (let i = 0; i < value.length; i++) {
		const ch = value[i] as string;
		out += i === 0 && ' =:#!'.includes(ch) ? `\\${ch}` : escapeChar(ch, false);
	}
	return out;
}

export function escapePropertiesKey(key: string): string {
	return [...key].map((ch) => (ch.length > 1 ? [...ch].map((c) => escapeChar(c, true)).join('') : escapeChar(ch, true))).join('');
}

/** True when the file's last line ends in a continuation backslash, which would join a line appended after it. */
function lastLineContinues(text: string): boolean {
	let continuing = false;
	for (const line of splitLines(text)) {
		// A comment line never continues, but a continued line that starts with # is no comment.
		const comment: boolean = !continuing && /^[ \t\f]*[#!]/.test(line.text);
		continuing = !comment && (/\\*$/.exec(line.text)?.[0].length ?? 0) % 2 === 1;
	}
	return continuing;
}

export function planPropertiesInsert(text: string, key: string, value: string): InsertPlan {
	if (key.length === 0) {
		throw configError('InvalidKeyPath', 'The .properties key is empty; give the full key, e.g. ota.firmware.url.', undefined, {
			code: 'key-name-invalid',
			values: { rule: 'properties-empty', key },
		});
	}
	const entries = scanProperties(text);
	const matches = entries.filter((e) => e.key === key);
	const previousValue = matches[matches.length - 1]?.value;
	if (matches.length > 0 && matches.every((e) => e.value === value)) {
		return { edits: [], previousValue };
	}
	const escaped = escapePropertiesValue(value);
	if (matches.length === 0) {
		const separator = /^[ \t]*[=:][ \t]*$/.test(entries[0]?.separator ?? '') ? (entries[0]?.separator as string) : '=';
		const line = `${escapePropertiesKey(key)}${separator}${escaped}`;
		return { edits: [appendLineEdit(text, line, detectEol(text), lastLineContinues(text))] };
	}
	const edits: TextEdit[] = matches.map((e) => ({
		offset: e.valueStart,
		length: e.valueEnd - e.valueStart,
		// A whitespace-only separator that lost its space (`key` + empty value) needs one back.
		newText: e.separator === '' && escaped.length > 0 ? `=${escaped}` : escaped,
	}));
	return { edits, previousValue };
}
