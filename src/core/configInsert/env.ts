import { at, configError } from './configError';
import { appendLineEdit, detectEol, splitLines } from './text';
import type { InsertPlan, TextEdit } from './types';

export interface EnvAssignment {
	key: string;
	valueStart: number;
	valueEnd: number;
	quote: '"' | "'" | '`' | '';
	value: string;
}

const ASSIGNMENT = /^([ \t]*(?:export[ \t]+)?)([A-Za-z_][A-Za-z0-9_.-]*)([ \t]*=[ \t]*)/;

function unescapeDouble(body: string): string {
	const named: Record<string, string> = { n: '\n', r: '\r', t: '\t' };
	return body.replace(/\\(.)/gs, (_, ch: string) => named[ch] ?? ch);
}

/** Finds the closing quote (a double-quoted value honours backslash escapes); values may span lines. */
function closingQuote(text: string, open: number, quote: string): number {
	for (let i = open + 1; i < text.length; i++) {
		if (quote === '"' && text[i] === '\\') {
			i++;
		} else if (text[i] === quote) {
			return i;
		}
	}
	return -1;
}

/** Every KEY=value assignment of a .env file; throws on lines that are not assignments, comments or blank. */
export function scanEnv(text: string): EnvAssignment[] {
	const out: EnvAssignment[] = [];
	const lines = splitLines(text);
	let resumeAt = 0;
	for (const line of lines) {
		if (line.start < resumeAt || /^\s*(#.*)?$/.test(line.text)) {
			continue;
		}
		const match = ASSIGNMENT.exec(line.text);
		if (!match) {
			throw configError(
				'ConfigSyntaxError',
				`Malformed .env file at ${at(line.index + 1)}: expected KEY=value`,
				'Fix or comment out that line and try again.',
			);
		}
		const valueStart = line.start + match[0].length;
		const first = text[valueStart];
		if (first === '"' || first === "'" || first === '`') {
			const close = closingQuote(text, valueStart, first);
			if (close === -1) {
				throw configError('ConfigSyntaxError', `Malformed .env file at ${at(line.index + 1)}: the ${first} quote is never closed`);
			}
			const body = text.slice(valueStart + 1, close);
			out.push({
				key: match[2] as string,
				valueStart,
				valueEnd: close + 1,
				quote: first,
				value: first === '"' ? unescapeDouble(body) : body,
			});
			resumeAt = close + 1;
		} else {
			const rest = text.slice(valueStart, line.end);
			const comment = /(^|[ \t])#/.exec(rest);
			const raw = (comment ? rest.slice(0, comment.index) : rest).trimEnd();
			out.push({ key: match[2] as string, valueStart, valueEnd: valueStart + raw.length, quote: '', value: raw });
		}
	}
	return out;
}

/** Double quotes when the value has spaces, #, quotes, $, backslashes or line breaks; '…' kept when it was used and still fits. */
export function renderEnvValue(value: string, previousQuote: EnvAssignment['quote'] = ''): string {
	// eslint-disable-next-line no-control-regex
	const needsQuotes = /[\s#"'`\\$\u0000-\u001f\u007f]/.test(value);
	if (previousQuote === "'" && !/['\r\n]/.test(value)) {
		return `'${value}'`;
	}
	if (!needsQuotes && previousQuote !== '"') {
		return value;
	}
	const escaped = value.replace(/[\\"\n\r]/g, (ch) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r' })[ch] ?? ch);
	return `"${escaped}"`;
}

export function planEnvInsert(text: string, key: string, value: string): InsertPlan {
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
		throw configError(
			'InvalidKeyPath',
			`"${key}" is not a valid .env variable name; use a single KEY such as FIRMWARE_URL (letters, digits, _).`,
		);
	}
	const matches = scanEnv(text).filter((a) => a.key === key);
	const previousValue = matches[matches.length - 1]?.value;
	if (matches.length > 0 && matches.every((a) => a.value === value)) {
		return { edits: [], previousValue };
	}
	if (matches.length === 0) {
		return { edits: [appendLineEdit(text, `${key}=${renderEnvValue(value)}`, detectEol(text))] };
	}
	const edits: TextEdit[] = matches.map((a) => ({
		offset: a.valueStart,
		length: a.valueEnd - a.valueStart,
		// An empty value directly followed by its comment (`KEY= # note`) needs a space to keep the comment a comment.
		newText: renderEnvValue(value, a.quote) + (text[a.valueEnd] === '#' ? ' ' : ''),
	}));
	return { edits, previousValue };
}
