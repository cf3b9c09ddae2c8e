/**
 * Writing TOML text: strings and keys as TOML needs them, a changed value in the form it had, and the places a
 * missing key can go (toml.ts keeps the first of those whose result parses to the expected data).
 */
import { isDeepStrictEqual } from 'node:util';
import { appendBlockEdit, appendLineEdit, detectEol, insertAfterLineEdit, splitLines, type Line } from './text';
import { scanToml, type InlineTable, type TomlEntry, type TomlSection } from './tomlScan';
import type { KeySegment, TextEdit } from './types';

/** Characters written as escapes: the controls TOML requires escaped, plus C1 controls, LS and PS, which TOML allows
 * raw but other tools (editors, YAML 1.1-era scripts) take for line breaks. */
// eslint-disable-next-line no-control-regex
const ESCAPED = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Basic-string TOML escaping (control characters as \uXXXX). */
export function tomlString(value: string): string {
	const escaped = value.replace(new RegExp(`[\\\\"]|${ESCAPED.source}`, 'g'), (ch) => {
		const named: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };
		return named[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;
	});
	return `"${escaped}"`;
}

function tomlKey(key: string): string {
	return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

function dotted(keys: readonly KeySegment[]): string {
	return keys.map((k) => tomlKey(String(k))).join('.');
}

function startsWithPath(path: readonly KeySegment[], prefix: readonly KeySegment[]): boolean {
	return prefix.length <= path.length && prefix.every((k, i) => path[i] === k);
}

interface Located {
	entry: TomlEntry;
	/** Full path of the entry's key. */
	path: KeySegment[];
	/** The section the entry (or its outermost inline table) belongs to. */
	section: TomlSection;
	/** The innermost inline table holding the entry, if any. */
	inlineParent?: InlineTable;
}

/** Every key/value entry of the file with its full path, including entries nested in inline tables. */
function allEntries(sections: readonly TomlSection[]): Located[] {
	const out: Located[] = [];
	const visit = (entries: readonly TomlEntry[], base: KeySegment[], section: TomlSection, inlineParent?: InlineTable) => {
		for (const entry of entries) {
			const path = [...base, ...entry.keys];
			out.push({ entry, path, section, inlineParent });
			if (entry.inline) {
				visit(entry.inline.entries, path, section, entry.inline);
			}
		}
	};
	for (const section of sections) {
		visit(section.entries, section.path, section);
	}
	return out;
}

export function renderValue(value: string, previousText: string): string {
	// Keep a literal 'string' literal when the new value can be one.
	if (previousText.startsWith("'") && !previousText.startsWith("'''") && !value.includes("'") && !ESCAPED.test(value)) {
		return `'${value}'`;
	}
	return tomlString(value);
}

export class Planner {
	readonly sections: TomlSection[];
	readonly entries: Located[];
	readonly lines: Line[];
	readonly eol: string;

	constructor(readonly text: string) {
		this.sections = scanToml(text);
		this.entries = allEntries(this.sections);
		this.lines = splitLines(text);
		this.eol = detectEol(text);
	}

	lineAt(offset: number): Line {
		return this.lines.find((l) => offset >= l.start && offset <= l.end) ?? (this.lines[this.lines.length - 1] as Line);
	}

	/** Appends `key = value` after the section's last entry (or its header), indented like that entry. */
	appendToSection(section: TomlSection, keys: readonly KeySegment[], value: string): TextEdit {
		const last = section.entries[section.entries.length - 1];
		const indent = last ? (/^[ \t]*/.exec(this.lineAt(last.keyStart).text)?.[0] ?? '') : '';
		const line = `${indent}${dotted(keys)} = ${tomlString(value)}`;
		if (section.kind === 'root' && !last) {
			const firstHeader = this.sections[1];
			if (!firstHeader) {
				return appendLineEdit(this.text, line, this.eol);
			}
			// Above the first [table] and the comment lines attached to it.
			let before = this.lineAt(firstHeader.headerStart);
			while (before.index > 0 && /^\s*#/.test(this.lines[before.index - 1]?.text ?? '')) {
				before = this.lines[before.index - 1] as Line;
			}
			return { offset: before.start, length: 0, newText: line + this.eol + this.eol };
		}
		return insertAfterLineEdit(this.lineAt(section.contentEnd), line, this.eol);
	}

	insertIntoInline(table: InlineTable, keys: readonly KeySegment[], value: string): TextEdit {
		const pair = `${dotted(keys)} = ${tomlString(value)}`;
		const last = table.entries[table.entries.length - 1];
		if (!last) {
			return { offset: table.open + 1, length: table.close - table.open - 1, newText: ` ${pair} ` };
		}
		return { offset: last.valueEnd, length: 0, newText: `, ${pair}` };
	}

	newTableAtEnd(tablePath: readonly KeySegment[], key: string, value: string): TextEdit {
		return appendBlockEdit(this.text, [`[${dotted(tablePath)}]`, `${tomlKey(key)} = ${tomlString(value)}`], this.eol);
	}

	/** Candidate edits for a missing key, most idiomatic first; the caller keeps the first that checks out. */
	*insertCandidates(segments: readonly KeySegment[], existing: number, value: string): Generator<TextEdit | undefined> {
		const tablePath = segments.slice(0, -1);
		const key = segments[segments.length - 1] as string;
		const owner = segments.slice(0, existing);
		const missing = segments.slice(existing);
		// 1. The table has its own [header] (or is the root / an [[array]] element).
		const exact = this.sections.find((s) => isDeepStrictEqual(s.path, tablePath));
		if (exact) {
			yield this.appendToSection(exact, [key], value);
		}
		// 2. The deepest existing table is an inline table: insert inside its braces.
		const inline = this.entries.find((e) => e.entry.inline && isDeepStrictEqual(e.path, owner));
		if (inline?.entry.inline) {
			yield this.insertIntoInline(inline.entry.inline, missing, value);
		}
		// 3. The deepest existing table was made by dotted keys: add another dotted key next to them.
		for (const located of owner.length > 0 ? this.entries : []) {
			if (!located.inlineParent && startsWithPath(located.path, owner) && located.path.length > owner.length) {
				const relative = segments.slice(located.section.path.length);
				// Only when the owner lies inside the dotted part of the key (else candidate 4's new [table] reads better).
				if (located.section.path.length < owner.length && startsWithPath(segments, located.section.path)) {
					yield this.appendToSection(located.section, relative, value);
				}
				break;
			}
		}
		// 4. A new [table] at the end of the file.
		if (tablePath.length > 0) {
			yield this.newTableAtEnd(tablePath, key, value);
		}
		// 5. Dotted keys under the deepest existing table's own section.
		const ownerSection = this.sections.find((s) => isDeepStrictEqual(s.path, owner));
		if (ownerSection) {
			yield this.appendToSection(ownerSection, missing, value);
		}
	}
}
