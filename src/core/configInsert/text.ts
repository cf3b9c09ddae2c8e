import { configError } from './configError';
import type { TextEdit } from './types';

export interface Line {
	/** 0-based index. */
	index: number;
	start: number;
	/** End of the content, before the line break. */
	end: number;
	/** End including the line break (== end on the last line without one). */
	breakEnd: number;
	text: string;
}

/** '\r\n' when the text's line breaks are CRLF (judged by the first one), else '\n'. */
export function detectEol(text: string): '\n' | '\r\n' {
	const first = text.indexOf('\n');
	return first > 0 && text[first - 1] === '\r' ? '\r\n' : '\n';
}

export function splitLines(text: string): Line[] {
	const lines: Line[] = [];
	let start = 0;
	while (start < text.length) {
		const nl = text.indexOf('\n', start);
		const breakEnd = nl === -1 ? text.length : nl + 1;
		let end = nl === -1 ? text.length : nl;
		if (end > start && text[end - 1] === '\r') {
			end--;
		}
		lines.push({ index: lines.length, start, end, breakEnd, text: text.slice(start, end) });
		start = breakEnd;
	}
	return lines;
}

/** 1-based line and column of a UTF-16 offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
	const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
	const lastBreak = before.lastIndexOf('\n');
	return { line: before.split('\n').length, column: offset - lastBreak };
}

export function endsWithLineBreak(text: string): boolean {
	return text.endsWith('\n');
}

/**
 * An edit that adds `line` as the new last line, keeping the file's final-newline habit (empty files get one).
 * `afterBlankLine` puts an empty line first, for when the last line continues onto the next (a trailing backslash).
 */
export function appendLineEdit(text: string, line: string, eol: string, afterBlankLine = false): TextEdit {
	const gap = afterBlankLine ? eol : '';
	if (text.length === 0) {
		return { offset: 0, length: 0, newText: line + eol };
	}
	if (endsWithLineBreak(text)) {
		return { offset: text.length, length: 0, newText: gap + line + eol };
	}
	return { offset: text.length, length: 0, newText: eol + gap + line };
}

/** An edit that adds `line` right after the given existing line. */
export function insertAfterLineEdit(after: Line, line: string, eol: string): TextEdit {
	if (after.breakEnd > after.end) {
		return { offset: after.breakEnd, length: 0, newText: line + eol };
	}
	return { offset: after.end, length: 0, newText: eol + line };
}

/** An edit that adds `line` right before the given existing line. */
export function insertBeforeLineEdit(before: Line, line: string, eol: string): TextEdit {
	return { offset: before.start, length: 0, newText: line + eol };
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
	return code >= 0xdc00 && code <= 0xdfff;
}

/** The smallest single edit (common prefix/suffix) turning `before` into `after`; never splits a surrogate pair. */
export function minimalEdits(before: string, after: string): TextEdit[] {
	if (before === after) {
		return [];
	}
	const limit = Math.min(before.length, after.length);
	let prefix = 0;
	while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) {
		prefix++;
	}
	if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) {
		prefix--;
	}
	let suffix = 0;
	while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) {
		suffix++;
	}
	if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) {
		suffix--;
	}
	return [{ offset: prefix, length: before.length - prefix - suffix, newText: after.slice(prefix, after.length - suffix) }];
}

/** Applies non-overlapping edits (all against `text`) in one pass. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
	const sorted = edits.map((edit, order) => ({ edit, order })).sort((a, b) => a.edit.offset - b.edit.offset || a.order - b.order);
	let out = '';
	let cursor = 0;
	for (const { edit } of sorted) {
		const { offset, length } = edit;
		if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > text.length) {
			throw configError(
				'ConfigInsertFailed',
				`Edit at offset ${offset} (length ${length}) lies outside the text (length ${text.length}).`,
			);
		}
		if (offset < cursor) {
			throw configError('ConfigInsertFailed', `Edits overlap at offset ${offset}.`);
		}
		out += text.slice(cursor, offset) + edit.newText;
		cursor = offset + length;
	}
	return out + text.slice(cursor);
}

/** An edit that appends a block (e.g. a new [section]) at the end, separated by a blank line from earlier content. */
export function appendBlockEdit(text: string, lines: readonly string[], eol: string): TextEdit {
	const block = lines.join(eol);
	if (text.trim().length === 0) {
		return { offset: text.length, length: 0, newText: block + eol };
	}
	const hasFinalBreak = text.endsWith('\n');
	const separator = (hasFinalBreak ? '' : eol) + (/\n[ \t]*\r?\n$/.test(text) ? '' : eol);
	return { offset: text.length, length: 0, newText: separator + block + (hasFinalBreak ? eol : '') };
}

/**
 * Values written verbatim into line-based formats (INI, Kconfig) cannot hold line breaks (of any kind) or other
 * control characters: readers split or strip at them (Python's str.strip() removes \x1c-\x1f and NEL, JavaScript's
 * trim() does not), and Kconfig copies them raw into sdkconfig.h string literals. Tabs are fine.
 */
export function hasControlCharacter(value: string): boolean {
	// eslint-disable-next-line no-control-regex
	return /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/.test(value);
}
