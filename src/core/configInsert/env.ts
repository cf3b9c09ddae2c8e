import { at, configError } from './configError';
import { renderEnvValue, type EnvQuote } from './envValue';
import { appendLineEdit, detectEol, splitLines, type Line } from './text';
import type { InsertPlan, TextEdit } from './types';

export { renderEnvValue } from './envValue';

export interface EnvAssignment {
	key: string;
	/** 0-based index of the assignment's first physical line. */
	line: number;
	/** Offset just past the key, where the `=` (with any blanks around it) starts. */
	keyEnd: number;
	valueStart: number;
	valueEnd: number;
	quote: EnvQuote;
	value: string;
	/** What follows the value on its last line (blanks, a comment, or anything else). */
	trailing: string;
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

function lineEndAfter(text: string, offset: number): number {
	const nl = text.indexOf('\n', offset);
	const end = nl === -1 ? text.length : nl;
	return end > offset && text[end - 1] === '\r' ? end - 1 : end;
}

/** Every KEY=value assignment of a .env file; throws on lines that are not assignments, comments or blank. */
export function scanEnv(text: string): EnvAssignment[] {
	const out: EnvAssignment[] = [];
	let resumeAt = 0;
	for (const line of splitLines(text)) {
		if (line.start < resumeAt || /^\s*(#.*)?$/.test(line.text)) {
			continue;
		}
		const match = ASSIGNMENT.exec(line.text);
		if (!match) {
			throw configError(
				'ConfigSyntaxError',
				`Malformed .env file at ${at(line.index + 1)}: expected KEY=value`,
				'Fix or comment out that line and try again.',
				{ code: 'config-line-malformed', values: { format: 'env', line: line.index + 1 } },
			);
		}
		const key = match[2] as string;
		const keyEnd = line.start + (match[1] as string).length + key.length;
		const valueStart = line.start + match[0].length;
		const first = text[valueStart];
		if (first === '"' || first === "'" || first === '`') {
			const close = closingQuote(text, valueStart, first);
			if (close === -1) {
				throw configError(
					'ConfigSyntaxError',
					`Malformed .env file at ${at(line.index + 1)}: the ${first} quote is never closed`,
					undefined,
					{ code: 'config-quote-unclosed', values: { line: line.index + 1, quote: first } },
				);
			}
			const body = text.slice(valueStart + 1, close);
			const value = first === '"' ? unescapeDouble(body) : body;
			const trailing = text.slice(close + 1, lineEndAfter(text, close + 1));
			out.push({ key, line: line.index, keyEnd, valueStart, valueEnd: close + 1, quote: first, value, trailing });
			resumeAt = close + 1;
		} else {
			const rest = text.slice(valueStart, line.end);
			const comment = /(^|[ \t])#/.exec(rest);
			const raw = (comment ? rest.slice(0, comment.index) : rest).trimEnd();
			const trailing = rest.slice(raw.length);
			out.push({ key, line: line.index, keyEnd, valueStart, valueEnd: valueStart + raw.length, quote: '', value: raw, trailing });
		}
	}
	return out;
}

/** True when sh joins the next physical line to `line`: it ends in an odd number of backslashes outside a comment. */
function continuesInShell(line: Line, assignments: readonly EnvAssignment[]): boolean {
	const backslashes = /\\*$/.exec(line.text)?.[0].length ?? 0;
	if (backslashes % 2 === 0 || /^\s*#/.test(line.text)) {
		return false;
	}
	const owner = assignments.find((a) => a.valueEnd >= line.start && a.valueEnd <= line.end);
	return owner !== undefined && !/(^|[ \t])#/.test(owner.trailing);
}

function checkSourceable(a: EnvAssignment, lines: readonly Line[], assignments: readonly EnvAssignment[]): void {
	const previous = lines[a.line - 1];
	if (previous && continuesInShell(previous, assignments)) {
		throw configError(
			'UnsupportedValue',
			`In the .env file, ${at(a.line)} ends with a backslash, so a shell that sources the file reads ${a.key} (${at(a.line + 1)}) as part of that line`,
			'Remove or escape that backslash and try again.',
			{ code: 'env-line-continues', values: { line: a.line, key: a.key, keyLine: a.line + 1 } },
		);
	}
	// A bare value directly followed by # gets a space (see planEnvInsert); anything else must be blanks or a " #" comment.
	if (!/^(?:[ \t]*|[ \t]+#.*)$/.test(a.trailing) && !(a.quote === '' && a.trailing.startsWith('#'))) {
		throw configError(
			'UnsupportedValue',
			`In the .env file, ${a.key}'s value is followed by other text on its line, which a shell reads as part of the value or as a command`,
			'Put a comment after " #" or remove that text, then try again.',
			{ code: 'env-trailing-text', values: { key: a.key } },
		);
	}
}

export function planEnvInsert(text: string, key: string, value: string): InsertPlan {
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
		throw configError(
			'InvalidKeyPath',
			`"${key}" is not a valid .env variable name; use a single KEY such as FIRMWARE_URL (letters, digits, _).`,
			undefined,
			{ code: 'key-name-invalid', values: { rule: 'env', key } },
		);
	}
	const assignments = scanEnv(text);
	const lines = splitLines(text);
	const matches = assignments.filter((a) => a.key === key);
	const previousValue = matches[matches.length - 1]?.value;
	const eol = detectEol(text);
	if (matches.length === 0) {
		const last = lines[lines.length - 1];
		const lastContinues = last !== undefined && continuesInShell(last, assignments);
		return { edits: [appendLineEdit(text, `${key}=${renderEnvValue(value)}`, eol, lastContinues)] };
	}
	const edits: TextEdit[] = [];
	for (const a of matches) {
		checkSourceable(a, lines, assignments);
		const rendered = renderEnvValue(value, a.quote);
		// `KEY = v` is not an assignment for sh (it runs KEY as a command), so the blanks around = go.
		const separatorOk = text.slice(a.keyEnd, a.valueStart) === '=';
		const commentGlued = a.trailing.startsWith('#');
		if (separatorOk && !commentGlued && text.slice(a.valueStart, a.valueEnd) === rendered) {
			continue;
		}
		const offset = separatorOk ? a.valueStart : a.keyEnd;
		// A value directly followed by its comment (`KEY=# note`) needs a space to keep the comment a comment.
		const newText = (separatorOk ? '' : '=') + rendered + (commentGlued ? ' ' : '');
		edits.push({ offset, length: a.valueEnd - offset, newText });
	}
	return { edits, previousValue };
}
