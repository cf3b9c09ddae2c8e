/**
 * A C header as the preprocessor sees it, with offsets back into the original text: backslash-newline splices are
 * removed (translation phase 2), comments become blanks (phase 3; a comment may hide a directive, and a `//`
 * comment ending in a backslash swallows the next line), and the lines that start with # are the directives.
 */
import { at, configError } from './configError';

export interface Directive {
	/** 1-based number of the directive's first physical line. */
	line: number;
	/** Offset where that line starts. */
	lineStart: number;
	/** The directive's name (define, ifdef, …; '' for a lone #). */
	name: string;
	/** The text after the name, spliced, with comments blanked and the line break excluded. */
	body: string;
	/** Original offset of each character of `body`, plus one entry for its end. */
	offsets: number[];
	/** The whole directive from # on, for messages (one line, blanks collapsed). */
	text: string;
}

/** The source without splices: each remaining character with its original offset. */
function splice(source: string): { chars: string[]; offsets: number[] } {
	const chars: string[] = [];
	const offsets: number[] = [];
	for (let i = 0; i < source.length; i++) {
		const ch = source[i] as string;
		if (ch === '\\' && (source[i + 1] === '\n' || (source[i + 1] === '\r' && source[i + 2] === '\n'))) {
			i += source[i + 1] === '\r' ? 2 : 1;
			continue;
		}
		chars.push(ch);
		offsets.push(i);
	}
	return { chars, offsets };
}

/** A ' between hex digits of a number that starts with a digit is a digit separator (C23, C++14), not a char literal. */
function isDigitSeparator(chars: readonly string[], i: number): boolean {
	if (!/[0-9A-Za-z]/.test(chars[i - 1] ?? '') || !/[0-9A-Za-z]/.test(chars[i + 1] ?? '')) {
		return false;
	}
	let start = i - 1;
	while (start > 0 && /[0-9A-Za-z_.']/.test(chars[start - 1] as string)) {
		start--;
	}
	return /[0-9]/.test(chars[start] as string);
}

/** Blanks comments in place (their line breaks too: a comment is one space, so the logical line goes on). */
function blankComments(chars: string[], source: string, offsets: readonly number[]): void {
	let state: 'code' | 'line' | 'block' | '"' | "'" = 'code';
	let opened = 0;
	for (let i = 0; i < chars.length; i++) {
		const ch = chars[i] as string;
		const next = chars[i + 1];
		if (state === 'code') {
			if (ch === '/' && (next === '/' || next === '*')) {
				state = next === '/' ? 'line' : 'block';
				opened = i;
				chars[i] = ' ';
				chars[++i] = ' ';
			} else if (ch === '"' || (ch === "'" && !isDigitSeparator(chars, i))) {
				state = ch;
			}
		} else if (state === 'line') {
			if (ch === '\n') {
				state = 'code';
			} else {
				chars[i] = ' ';
			}
		} else if (state === 'block') {
			chars[i] = ' ';
			if (ch === '*' && next === '/') {
				chars[++i] = ' ';
				state = 'code';
			}
		} else if (ch === '\\') {
			i++;
		} else if (ch === state || ch === '\n') {
			state = 'code';
		}
	}
	if (state === 'block') {
		const line = source.slice(0, offsets[opened]).split('\n').length;
		throw configError('ConfigSyntaxError', `Malformed C header at ${at(line)}: the /* comment is never closed`, undefined, {
			code: 'c-header-malformed',
			values: { fault: 'comment', directive: '', line },
		});
	}
}

export function scanDirectives(source: string): Directive[] {
	const { chars, offsets } = splice(source);
	blankComments(chars, source, offsets);
	const directives: Directive[] = [];
	let line = 1;
	let counted = 0;
	let start = 0;
	while (start < chars.length) {
		let end = chars.indexOf('\n', start);
		end = end === -1 ? chars.length : end;
		const logical = chars.slice(start, end).join('');
		const head = /^[ \t\f\v]*#[ \t\f\v]*([A-Za-z_]\w*)?/.exec(logical);
		if (head) {
			let bodyEnd = logical.length;
			while (bodyEnd > head[0].length && /\s/.test(logical[bodyEnd - 1] as string)) {
				bodyEnd--;
			}
			const lineStart = source.lastIndexOf('\n', (offsets[start] as number) - 1) + 1;
			for (; counted < lineStart; counted++) {
				line += source[counted] === '\n' ? 1 : 0;
			}
			const bodyOffsets = offsets.slice(start + head[0].length, start + bodyEnd);
			bodyOffsets.push((offsets[start + bodyEnd - 1] as number) + 1);
			directives.push({
				line,
				lineStart,
				name: head[1] ?? '',
				body: logical.slice(head[0].length, bodyEnd),
				offsets: bodyOffsets,
				text: logical.slice(0, bodyEnd).trim().replace(/\s+/g, ' '),
			});
		}
		start = end + 1;
	}
	return directives;
}
