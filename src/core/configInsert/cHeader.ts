import { analyzeConditions, type Region } from './cConditions';
import { at, configError } from './configError';
import { scanDirectives, type Directive } from './cSource';
import { appendLineEdit, applyTextEdits, detectEol, insertAfterLineEdit, insertBeforeLineEdit, splitLines } from './text';
import type { InsertPlan, TextEdit } from './types';

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

interface Definition {
	directive: Directive;
	region: Region;
	/** The value as the preprocessor sees it (comments blanked, splices removed); '' for `#define NAME`. */
	value: string;
	/** Original offsets of the value (comments and splices inside it included), or of the name's end when empty. */
	start: number;
	end: number;
}

/** Every `#define name …` of the header with the region it lies in. */
function definitionsOf(directives: readonly Directive[], regions: Map<Directive, Region>, name: string): Definition[] {
	const out: Definition[] = [];
	for (const d of directives) {
		const head = /^\s+([A-Za-z_]\w*)/.exec(d.body);
		if (d.name !== 'define' || head?.[1] !== name) {
			continue;
		}
		if (d.body[head[0].length] === '(') {
			throw configError('UnsupportedValue', `${name} is a function-like macro; choose another name or edit it by hand.`, undefined, {
				code: 'c-function-macro',
				values: { name },
			});
		}
		const rest = d.body.slice(head[0].length);
		const value = rest.trim();
		const from = head[0].length + (rest.length - rest.trimStart().length);
		const start = value.length > 0 ? (d.offsets[from] as number) : (d.offsets[head[0].length - 1] as number) + 1;
		const end = value.length > 0 ? (d.offsets[from + value.length - 1] as number) + 1 : start;
		out.push({ directive: d, region: regions.get(d) as Region, value, start, end });
	}
	return out;
}

/** Refuses definitions the compiler may or may not see, and names that only have definitions it skips. */
function checkConditions(name: string, definitions: readonly Definition[], undefs: ReadonlyArray<{ line: number; region: Region }>): void {
	const inside = (d: Definition) => {
		const because = d.region.because as Directive;
		return `${at(d.directive.line)}, inside "${because.text}" (${at(because.line)})`;
	};
	const insideValues = (d: Definition) => {
		const because = d.region.because as Directive;
		return { name, line: d.directive.line, condition: because.text, conditionLine: because.line };
	};
	const unknown = definitions.find((d) => d.region.state === 'unknown');
	if (unknown) {
		throw configError(
			'ConditionalDefinition',
			`${name} is defined at ${inside(unknown)}, which depends on the build (-D flags or other headers), so this tool cannot tell whether the compiler uses that definition`,
			'Edit it by hand, or move the definition out of the conditional block, then try again.',
			{ code: 'c-defined-conditionally', values: insideValues(unknown) },
		);
	}
	const first = definitions[0];
	const lastLive = definitions.filter((d) => d.region.state === 'live').pop();
	const undefAfter = lastLive && undefs.find((u) => u.region.state !== 'dead' && u.line > lastLive.directive.line);
	if (undefAfter) {
		throw configError(
			'ConditionalDefinition',
			`${name} is #undef'd at ${at(undefAfter.line)}, after its last definition, so code that includes the header does not see it`,
			'Remove that #undef or edit the header by hand, then try again.',
			{ code: 'c-undefined-after', values: { name, line: undefAfter.line } },
		);
	}
	if (first && definitions.every((d) => d.region.state === 'dead')) {
		throw configError(
			'ConditionalDefinition',
			`${name} is defined only where the compiler skips it (${inside(first)})`,
			'Enable that branch, or add a definition outside it, then try again.',
			{ code: 'c-defined-only-skipped', values: insideValues(first) },
		);
	}
}

/** Where a new #define goes: before the include guard's #endif, after a top-level #pragma once, else at the end. */
function insertionEdit(source: string, directives: readonly Directive[], regions: Map<Directive, Region>, line: string): TextEdit {
	const eol = detectEol(source);
	const lines = splitLines(source);
	const [first, second] = directives;
	const last = directives[directives.length - 1];
	const guard = first?.name === 'ifndef' ? /^\s+(\w+)/.exec(first.body)?.[1] : undefined;
	const lastCode = [...lines].reverse().find((l) => l.text.trim().length > 0 && !/^\s*(\/\/|\/\*)/.test(l.text));
	const guardSpansFile =
		guard !== undefined &&
		second?.name === 'define' &&
		new RegExp(`^\\s+${guard}\\b`).test(second.body) &&
		last?.name === 'endif' &&
		last !== second &&
		lastCode?.index === last.line - 1 &&
		directives.slice(1, -1).every((d) => (regions.get(d)?.depth ?? 0) >= 1);
	if (guardSpansFile) {
		const endif = lines[last.line - 1];
		const before = lines
			.slice(second.line, last.line - 1)
			.reverse()
			.find((l) => l.text.trim().length > 0);
		if (before) {
			return insertAfterLineEdit(before, line, eol);
		}
		if (endif) {
			return insertBeforeLineEdit(endif, line, eol);
		}
	}
	const pragma = directives.find((d) => d.name === 'pragma' && /^\s+once\b/.test(d.body) && regions.get(d)?.depth === 0);
	const after = pragma && lines[pragma.line - 1];
	return after ? insertAfterLineEdit(after, line, eol) : appendLineEdit(source, line, eol);
}

/** A line ending in a backslash would splice the new #define into itself: a blank line goes between. */
function unspliced(source: string, edit: TextEdit): TextEdit {
	const at = edit.newText.indexOf('#define');
	const before = source.slice(0, edit.offset) + edit.newText.slice(0, at);
	if (!/\\\r?\n$/.test(before)) {
		return edit;
	}
	const eol = detectEol(source);
	return { ...edit, newText: edit.newText.slice(0, at) + eol + edit.newText.slice(at) };
}

/** The compiler's view after the edit: every live definition holds the value, and there is one. */
function verify(result: string, name: string, value: string): void {
	const directives = scanDirectives(result);
	const definitions = definitionsOf(directives, analyzeConditions(directives, name), name);
	const live = definitions.filter((d) => d.region.state === 'live');
	if (live.length === 0 || definitions.some((d) => d.region.state === 'unknown') || live.some((d) => readCString(d.value) !== value)) {
		throw configError('ConfigInsertFailed', `Could not set ${name} in the C header safely (internal check failed).`);
	}
}

export function planCHeaderInsert(text: string, name: string, value: string): InsertPlan {
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
		throw configError(
			'InvalidKeyPath',
			`"${name}" is not a C identifier; use a macro name like OTA_FIRMWARE_URL (letters, digits, _; not starting with a digit).`,
			undefined,
			{ code: 'key-name-invalid', values: { rule: 'c', key: name } },
		);
	}
	const directives = scanDirectives(text);
	const regions = analyzeConditions(directives, name);
	const definitions = definitionsOf(directives, regions, name);
	const undefs = directives
		.filter((d) => d.name === 'undef' && /^\s*(\w+)/.exec(d.body)?.[1] === name)
		.map((d) => ({ line: d.line, region: regions.get(d) as Region }));
	checkConditions(name, definitions, undefs);
	// Definitions in branches the compiler skips (#if 0, the other side of a decided #if) are left as they are.
	const live = definitions.filter((d) => d.region.state === 'live');
	const literal = cString(value);
	let edits: TextEdit[];
	let previousValue: string | undefined;
	if (live.length > 0) {
		const current = (live[live.length - 1] as Definition).value;
		previousValue = current.length > 0 ? (readCString(current) ?? current) : undefined;
		if (live.every((d) => readCString(d.value) === value)) {
			return { edits: [], previousValue };
		}
		edits = live.map((d) => ({ offset: d.start, length: d.end - d.start, newText: d.value.length > 0 ? literal : ` ${literal}` }));
	} else {
		edits = [unspliced(text, insertionEdit(text, directives, regions, `#define ${name} ${literal}`))];
	}
	verify(applyTextEdits(text, edits), name, value);
	return { edits, previousValue };
}
