import { configError } from './configError';
import { appendLineEdit, detectEol, insertAfterLineEdit, insertBeforeLineEdit, splitLines, type Line } from './text';
import type { InsertPlan, TextEdit } from './types';

interface Directive {
	/** First physical line. */
	line: Line;
	/** Offset just past the directive's last physical line content (backslash continuations included). */
	end: number;
	/** The directive text from '#' on (continuations included). */
	text: string;
}

/** Preprocessor directives outside block comments (string literals and // comments respected). */
function scanDirectives(source: string): Directive[] {
	const lines = splitLines(source);
	const directives: Directive[] = [];
	let inBlockComment = false;
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i] as Line;
		const startsInComment = inBlockComment;
		inBlockComment = endsInBlockComment(line.text, inBlockComment);
		if (startsInComment || !/^\s*#/.test(line.text)) {
			continue;
		}
		let last = line;
		while (/\\$/.test(last.text) && i + 1 < lines.length) {
			last = lines[++i] as Line;
			inBlockComment = endsInBlockComment(last.text, inBlockComment);
		}
		directives.push({ line, end: last.end, text: source.slice(line.start, last.end).trimStart() });
	}
	return directives;
}

function endsInBlockComment(text: string, inside: boolean): boolean {
	let state: 'code' | 'block' | 'string' | 'char' = inside ? 'block' : 'code';
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (state === 'block') {
			if (ch === '*' && text[i + 1] === '/') {
				state = 'code';
				i++;
			}
		} else if (state === 'string' || state === 'char') {
			if (ch === '\\') {
				i++;
			} else if (ch === (state === 'string' ? '"' : "'")) {
				state = 'code';
			}
		} else if (ch === '/' && text[i + 1] === '/') {
			return false;
		} else if (ch === '/' && text[i + 1] === '*') {
			state = 'block';
			i++;
		} else if (ch === '"') {
			state = 'string';
		} else if (ch === "'") {
			state = 'char';
		}
	}
	return state === 'block';
}

/** Offset (within `body`) where a // or /* comment starts outside literals, or body.length. */
function commentStart(body: string): number {
	let quote: string | undefined;
	for (let i = 0; i < body.length; i++) {
		const ch = body[i];
		if (quote) {
			if (ch === '\\') {
				i++;
			} else if (ch === quote) {
				quote = undefined;
			}
		} else if (ch === '"' || ch === "'") {
			quote = ch;
		} else if (ch === '/' && (body[i + 1] === '/' || body[i + 1] === '*')) {
			return i;
		}
	}
	return body.length;
}

/** C string literal; non-printable characters as octal escapes of their UTF-8 bytes, `??` broken to avoid trigraphs. */
export function cString(value: string): string {
	let out = '';
	for (const ch of value) {
		const code = ch.codePointAt(0) as number;
		const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
		if (named[ch]) {
			out += named[ch];
		} else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff) {
			out += [...Buffer.from(ch, 'utf8')].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
		} else if (ch === '?' && out.endsWith('?')) {
			out += '\\?';
		} else {
			out += ch;
		}
	}
	return `"${out}"`;
}

/** The value of a single C string literal, or undefined when the text is something else. */
export function readCString(literal: string): string | undefined {
	const match = /^"((?:[^"\\\n]|\\.)*)"$/s.exec(literal.trim());
	if (!match) {
		return undefined;
	}
	const body = match[1] as string;
	const bytes: number[] = [];
	const named: Record<string, number> = { n: 10, r: 13, t: 9, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34, "'": 39, '?': 63 };
	for (let i = 0; i < body.length; i++) {
		const ch = body[i] as string;
		if (ch !== '\\') {
			const cp = body.codePointAt(i) as number;
			bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
			i += cp > 0xffff ? 1 : 0;
			continue;
		}
		const rest = body.slice(i + 1);
		const octal = /^[0-7]{1,3}/.exec(rest)?.[0];
		const hex = /^x([0-9a-fA-F]+)/.exec(rest)?.[1];
		const ucn = /^(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))/.exec(rest);
		if (octal) {
			bytes.push(parseInt(octal, 8) & 0xff);
			i += octal.length;
		} else if (hex) {
			bytes.push(parseInt(hex, 16) & 0xff);
			i += hex.length + 1;
		} else if (ucn) {
			bytes.push(...Buffer.from(String.fromCodePoint(parseInt((ucn[1] ?? ucn[2]) as string, 16)), 'utf8'));
			i += ucn[0].length;
		} else {
			bytes.push(named[rest[0] ?? ''] ?? rest.charCodeAt(0) & 0xff);
			i += 1;
		}
	}
	return Buffer.from(bytes).toString('utf8');
}

/** Where a new #define goes: before the include guard's #endif, after #pragma once, else at the end. */
function insertionEdit(source: string, directives: Directive[], line: string): TextEdit {
	const eol = detectEol(source);
	const lines = splitLines(source);
	const [first, second] = directives;
	const guard = first && /^#\s*ifndef\s+(\w+)/.exec(first.text)?.[1];
	const lastDirective = directives[directives.length - 1];
	const lastCode = [...lines].reverse().find((l) => l.text.trim().length > 0 && !/^\s*(\/\/|\/\*)/.test(l.text));
	if (
		guard &&
		second &&
		new RegExp(`^#\\s*define\\s+${guard}\\b`).test(second.text) &&
		lastDirective &&
		/^#\s*endif\b/.test(lastDirective.text) &&
		lastCode?.index === lastDirective.line.index &&
		lastDirective !== second
	) {
		const endif = lastDirective.line;
		const before = lines
			.slice(second.line.index + 1, endif.index)
			.reverse()
			.find((l) => l.text.trim().length > 0);
		return before ? insertAfterLineEdit(before, line, eol) : insertBeforeLineEdit(endif, line, eol);
	}
	const pragma = directives.find((d) => /^#\s*pragma\s+once\b/.test(d.text));
	return pragma ? insertAfterLineEdit(pragma.line, line, eol) : appendLineEdit(source, line, eol);
}

export function planCHeaderInsert(text: string, name: string, value: string): InsertPlan {
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
		throw configError(
			'InvalidKeyPath',
			`"${name}" is not a C identifier; use a macro name like OTA_FIRMWARE_URL (letters, digits, _; not starting with a digit).`,
		);
	}
	const directives = scanDirectives(text);
	const literal = cString(value);
	const defineOf = new RegExp(`^#\\s*define\\s+${name}(?![A-Za-z0-9_])`);
	const edits: TextEdit[] = [];
	let previousValue: string | undefined;
	let allSame = true;
	for (const directive of directives) {
		const head = defineOf.exec(directive.text);
		if (!head) {
			continue;
		}
		const headEnd = directive.end - directive.text.length + head[0].length;
		if (text[headEnd] === '(') {
			throw configError('UnsupportedValue', `${name} is a function-like macro; choose another name or edit it by hand.`);
		}
		const body = text.slice(headEnd, directive.end);
		const code = body.slice(0, commentStart(body));
		// Backslash-newline continuations count as whitespace around the value.
		const leading = (/^(?:\s|\\\r?\n)*/.exec(code)?.[0] ?? '').length;
		const current = code.slice(leading).replace(/(?:\s|\\\r?\n)*$/, '');
		const start = headEnd + leading;
		previousValue = current.length > 0 ? (readCString(current) ?? current) : undefined;
		allSame &&= readCString(current) === value;
		edits.push(
			current.length === 0
				? { offset: headEnd, length: 0, newText: ` ${literal}` }
				: { offset: start, length: current.length, newText: literal },
		);
	}
	if (edits.length > 0) {
		return { edits: allSame ? [] : edits, previousValue };
	}
	return { edits: [insertionEdit(text, directives, `#define ${name} ${literal}`)] };
}
