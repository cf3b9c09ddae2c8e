import { at, configError, valueRefused } from './configError';
import { formatKeyPath } from './keyPath';
import { appendBlockEdit, detectEol, hasControlCharacter, insertAfterLineEdit, splitLines, type Line } from './text';
import type { InsertPlan, KeySegment, TextEdit } from './types';

export interface IniEntry {
	/** undefined for keys above the first [section]. */
	section: string | undefined;
	key: string;
	indent: string;
	/** The text between key and value, e.g. " = ". */
	separator: string;
	value: string;
	valueStart: number;
	/** End of the value (continuation lines included, trailing comment excluded). */
	valueEnd: number;
	/** The last physical line of the entry. */
	lastLine: Line;
}

export interface IniSection {
	name: string | undefined;
	header?: Line;
	entries: IniEntry[];
}

const SECTION = /^\s*\[([^\]]*)\]\s*(?:[;#].*)?$/;
const ENTRY = /^([ \t]*)([^=:\s;#[][^=:]*?)([ \t]*[=:][ \t]*)(.*)$/;
/** An inline comment needs whitespace before ; or # (PlatformIO style), so URLs with # fragments survive. */
const INLINE_COMMENT = /\s+[;#].*$/;

function splitComment(raw: string): string {
	return raw.replace(INLINE_COMMENT, '').trimEnd();
}

/** Sections and key = value entries; indented lines continue the previous value (configparser / PlatformIO). */
export function scanIni(text: string): IniSection[] {
	const sections: IniSection[] = [{ name: undefined, entries: [] }];
	let current = sections[0] as IniSection;
	let previous: IniEntry | undefined;
	for (const line of splitLines(text)) {
		const trimmed = line.text.trim();
		if (trimmed.length === 0) {
			previous = undefined;
			continue;
		}
		if (/^[;#]/.test(trimmed)) {
			continue;
		}
		const section = SECTION.exec(line.text);
		if (section) {
			current = { name: (section[1] as string).trim(), header: line, entries: [] };
			sections.push(current);
			previous = undefined;
			continue;
		}
		if (previous && /^[ \t]/.test(line.text)) {
			const continued = splitComment(trimmed);
			previous.value += `\n${continued}`;
			previous.valueEnd = line.start + (line.text.length - line.text.trimStart().length) + continued.length;
			previous.lastLine = line;
			continue;
		}
		const entry = ENTRY.exec(line.text);
		if (!entry) {
			throw configError(
				'ConfigSyntaxError',
				`Malformed INI file at ${at(line.index + 1)}: expected [section], key = value or a ; comment`,
				'Fix or comment out that line and try again.',
				{ code: 'config-line-malformed', values: { format: 'ini', line: line.index + 1 } },
			);
		}
		const valueStart = line.start + (entry[1] as string).length + (entry[2] as string).length + (entry[3] as string).length;
		const raw = entry[4] as string;
		// `key = ; note` is an empty value with a comment (the separator's space counts).
		const value = /[ \t]$/.test(entry[3] as string) && /^[;#]/.test(raw) ? '' : splitComment(raw);
		previous = {
			section: current.name,
			key: (entry[2] as string).trim(),
			indent: entry[1] as string,
			separator: entry[3] as string,
			value,
			valueStart,
			valueEnd: valueStart + value.length,
			lastLine: line,
		};
		current.entries.push(previous);
	}
	return sections;
}

function splitPath(segments: readonly KeySegment[]): { section: string | undefined; key: string } {
	if (segments.some((s) => typeof s === 'number')) {
		const keyPath = formatKeyPath(segments);
		throw configError('InvalidKeyPath', `"${keyPath}": INI files have no arrays; use section.key.`, undefined, {
			code: 'key-name-invalid',
			values: { rule: 'ini-array', key: keyPath },
		});
	}
	const names = segments as readonly string[];
	const key = names.length === 1 ? names[0] : names.slice(1).join('.');
	if (!key || key.trim() !== key || /[=:\r\n]/.test(key) || /^[;#[]/.test(key)) {
		throw configError('InvalidKeyPath', `"${key ?? ''}" cannot be an INI key (no =, :, line breaks, or leading ; # [).`, undefined, {
			code: 'key-name-invalid',
			values: { rule: 'ini-key', key: key ?? '' },
		});
	}
	const section = names.length === 1 ? undefined : names[0];
	if (section !== undefined && (section.trim().length === 0 || /[[\]\r\n]/.test(section))) {
		throw configError('InvalidKeyPath', `"${section}" cannot be an INI section name.`, undefined, {
			code: 'key-name-invalid',
			values: { rule: 'ini-section', key: section },
		});
	}
	return { section, key };
}

/** ` =` (spaced before, nothing after — an empty or continued value) reads as ` = ` once a value follows. */
function withSpaceAfter(separator: string): string {
	return /^[ \t]+[=:]$/.test(separator) ? `${separator} ` : separator;
}

function newEntryLine(key: string, value: string, like: IniEntry | undefined): string {
	const separator = like?.separator.includes('=') ? withSpaceAfter(like.separator) : ' = ';
	return `${like?.indent ?? ''}${key}${value.length > 0 ? separator : separator.trimEnd()}${value}`;
}

export function planIniInsert(text: string, segments: readonly KeySegment[], value: string): InsertPlan {
	const { section, key } = splitPath(segments);
	if (hasControlCharacter(value)) {
		throw valueRefused('INI values are written verbatim and cannot contain line breaks or other control characters.', 'ini-control');
	}
	if (value.trim() !== value) {
		throw valueRefused('INI values are written verbatim and cannot start or end with whitespace (readers drop it).', 'ini-whitespace');
	}
	if (INLINE_COMMENT.test(value) || /^[;#]/.test(value)) {
		throw valueRefused(
			'The value starts with ; or # or contains " ;" or " #", which INI readers such as PlatformIO treat as the start of a comment.',
			'ini-comment',
		);
	}
	if (/\$\{[^}]*\}/.test(value)) {
		throw valueRefused('The value contains "${…}", which PlatformIO expands as a reference to another setting.', 'ini-reference');
	}
	const sections = scanIni(text);
	const eol = detectEol(text);
	const named = sections.filter((s) => s.name === section);
	// Option names are case-insensitive for configparser (PlatformIO): URL and url are the same option.
	const matches = named.flatMap((s) => s.entries).filter((e) => e.key.toLowerCase() === key.toLowerCase());
	const previousValue = matches[matches.length - 1]?.value;
	if (matches.length > 0) {
		if (matches.every((e) => e.value === value)) {
			return { edits: [], previousValue };
		}
		const edits: TextEdit[] = matches.map((e) => ({
			offset: e.valueStart,
			length: e.valueEnd - e.valueStart,
			newText: withSpaceAfter(e.separator).slice(e.separator.length) + value + (/[;#]/.test(text[e.valueEnd] ?? '') ? ' ' : ''),
		}));
		return { edits, previousValue };
	}
	const target = named[named.length - 1];
	const allEntries = sections.flatMap((s) => s.entries);
	const like = target?.entries[target.entries.length - 1] ?? allEntries[allEntries.length - 1];
	const line = newEntryLine(key, value, like);
	if (target) {
		const last = target.entries[target.entries.length - 1];
		const anchor = last?.lastLine ?? target.header;
		if (anchor) {
			return { edits: [insertAfterLineEdit(anchor, line, eol)] };
		}
		// Top-level key, nothing above the first section yet: put it first, with a blank line before the section.
		const firstHeader = sections[1]?.header;
		if (firstHeader) {
			return { edits: [{ offset: firstHeader.start, length: 0, newText: line + eol + eol }] };
		}
		return { edits: [appendBlockEdit(text, [line], eol)] };
	}
	return { edits: [appendBlockEdit(text, [`[${section}]`, line], eol)] };
}
