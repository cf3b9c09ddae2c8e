/**
 * A structural scanner for TOML text that smol-toml has already validated: it finds where tables,
 * keys and values are (offsets), so values can be replaced and keys added without reformatting.
 */
import { configError } from './configError';
import type { KeySegment } from './types';

export interface TomlEntry {
	/** The (dotted) key relative to its table or inline table. */
	keys: string[];
	/** Offset where the key starts (line indentation precedes it). */
	keyStart: number;
	valueStart: number;
	valueEnd: number;
	/** Set when the value is an inline table `{ … }`. */
	inline?: InlineTable;
}

export interface InlineTable {
	open: number;
	close: number;
	entries: TomlEntry[];
}

export interface TomlSection {
	kind: 'root' | 'table' | 'array';
	/** Full path of the table, with [[array]] elements resolved to indices. */
	path: KeySegment[];
	/** Start of the header line (0 for the root section). */
	headerStart: number;
	/** End of the header line content (after any comment), -1 for the root section. */
	headerEnd: number;
	entries: TomlEntry[];
	/** End of the last entry's line content (or of the header line when there is none). */
	contentEnd: number;
}

const WS = ' \t';
const SCALAR_STOP = ' \t\r\n#,]}';

class Scanner {
	i = 0;
	constructor(readonly text: string) {}

	fail(): never {
		throw configError('ConfigSyntaxError', `Unexpected TOML text at offset ${this.i}`);
	}
	startsWith(s: string): boolean {
		return this.text.startsWith(s, this.i);
	}
	skipWs(): void {
		while (this.i < this.text.length && WS.includes(this.text[this.i] as string)) {
			this.i++;
		}
	}
	/** Skips whitespace, line breaks, comments and (inside arrays) commas. */
	skipBlank(commas: boolean): void {
		for (;;) {
			const ch = this.text[this.i];
			if (ch === undefined) {
				return;
			}
			if (WS.includes(ch) || ch === '\r' || ch === '\n' || (commas && ch === ',')) {
				this.i++;
			} else if (ch === '#') {
				this.skipComment();
			} else {
				return;
			}
		}
	}
	skipComment(): void {
		while (this.i < this.text.length && this.text[this.i] !== '\n' && this.text[this.i] !== '\r') {
			this.i++;
		}
	}
	/** Skips trailing whitespace and comment; returns the end of the line's content. */
	restOfLine(): number {
		this.skipWs();
		if (this.text[this.i] === '#') {
			this.skipComment();
		}
		return this.i;
	}

	basicString(): string {
		let out = '';
		this.i++;
		for (;;) {
			const ch = this.text[this.i];
			if (ch === undefined || ch === '\n') {
				this.fail();
			}
			if (ch === '"') {
				this.i++;
				return out;
			}
			if (ch === '\\') {
				out += this.escape();
			} else {
				out += ch;
				this.i++;
			}
		}
	}
	escape(): string {
		const code = this.text[this.i + 1];
		const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\x1b', '"': '"', '\\': '\\' };
		const hexLength = code === 'u' ? 4 : code === 'U' ? 8 : code === 'x' ? 2 : 0;
		if (hexLength > 0) {
			const hex = this.text.slice(this.i + 2, this.i + 2 + hexLength);
			this.i += 2 + hexLength;
			return String.fromCodePoint(parseInt(hex, 16));
		}
		this.i += 2;
		return simple[code ?? ''] ?? this.fail();
	}
	literalString(): string {
		const close = this.text.indexOf("'", this.i + 1);
		if (close === -1) {
			this.fail();
		}
		const out = this.text.slice(this.i + 1, close);
		this.i = close + 1;
		return out;
	}
	multiline(delimiter: string, escapes: boolean): void {
		this.i += 3;
		while (this.i < this.text.length) {
			if (escapes && this.text[this.i] === '\\') {
				this.i += 2;
			} else if (this.startsWith(delimiter)) {
				this.i += 3;
				for (let extra = 0; extra < 2 && this.text[this.i] === delimiter[0]; extra++) {
					this.i++;
				}
				return;
			} else {
				this.i++;
			}
		}
		this.fail();
	}

	keys(): string[] {
		const keys: string[] = [];
		for (;;) {
			this.skipWs();
			const ch = this.text[this.i];
			if (ch === '"') {
				keys.push(this.basicString());
			} else if (ch === "'") {
				keys.push(this.literalString());
			} else {
				const start = this.i;
				while (this.i < this.text.length && /[A-Za-z0-9_-]/.test(this.text[this.i] as string)) {
					this.i++;
				}
				if (this.i === start) {
					this.fail();
				}
				keys.push(this.text.slice(start, this.i));
			}
			this.skipWs();
			if (this.text[this.i] !== '.') {
				return keys;
			}
			this.i++;
		}
	}

	entry(): TomlEntry {
		const keyStart = this.i;
		const keys = this.keys();
		if (this.text[this.i] !== '=') {
			this.fail();
		}
		this.i++;
		this.skipWs();
		const valueStart = this.i;
		const inline = this.text[this.i] === '{' ? this.inlineTable() : undefined;
		if (!inline) {
			this.value();
		}
		return { keys, keyStart, valueStart, valueEnd: this.i, inline };
	}

	inlineTable(): InlineTable {
		const open = this.i;
		this.i++;
		const entries: TomlEntry[] = [];
		for (;;) {
			this.skipBlank(true);
			if (this.text[this.i] === '}') {
				const close = this.i;
				this.i++;
				return { open, close, entries };
			}
			if (this.i >= this.text.length) {
				this.fail();
			}
			entries.push(this.entry());
		}
	}

	value(): void {
		const ch = this.text[this.i];
		if (this.startsWith('"""')) {
			this.multiline('"""', true);
		} else if (this.startsWith("'''")) {
			this.multiline("'''", false);
		} else if (ch === '"') {
			this.basicString();
		} else if (ch === "'") {
			this.literalString();
		} else if (ch === '{') {
			this.inlineTable();
		} else if (ch === '[') {
			this.i++;
			for (;;) {
				this.skipBlank(true);
				if (this.text[this.i] === ']') {
					this.i++;
					return;
				}
				if (this.i >= this.text.length) {
					this.fail();
				}
				this.value();
			}
		} else {
			this.scalar();
		}
	}
	scalar(): void {
		const start = this.i;
		while (this.i < this.text.length && !SCALAR_STOP.includes(this.text[this.i] as string)) {
			this.i++;
		}
		if (this.i === start) {
			this.fail();
		}
		// A date and a time may be separated by one space: 1979-05-27 07:32:00Z.
		if (/^\d{4}-\d{2}-\d{2}$/.test(this.text.slice(start, this.i)) && /^ \d{2}:/.test(this.text.slice(this.i, this.i + 4))) {
			this.i++;
			this.scalar();
		}
	}
}

function pathKey(path: readonly KeySegment[]): string {
	return JSON.stringify(path);
}

/** Splits validated TOML text into sections with their entries and resolved paths. */
export function scanToml(text: string): TomlSection[] {
	const s = new Scanner(text);
	const root: TomlSection = { kind: 'root', path: [], headerStart: 0, headerEnd: -1, entries: [], contentEnd: 0 };
	const sections: TomlSection[] = [root];
	const arrayLengths = new Map<string, number>();
	let current = root;
	for (;;) {
		s.skipBlank(false);
		if (s.i >= text.length) {
			return sections;
		}
		const lineStart = text.lastIndexOf('\n', s.i - 1) + 1;
		if (text[s.i] === '[') {
			const isArray = s.startsWith('[[');
			s.i += isArray ? 2 : 1;
			const keys = s.keys();
			if (!s.startsWith(isArray ? ']]' : ']')) {
				s.fail();
			}
			s.i += isArray ? 2 : 1;
			const path: KeySegment[] = [];
			keys.forEach((key, index) => {
				path.push(key);
				const length = arrayLengths.get(pathKey(path));
				const last = index === keys.length - 1;
				if (last && isArray) {
					arrayLengths.set(pathKey(path), (length ?? 0) + 1);
					path.push(length ?? 0);
				} else if (length !== undefined) {
					path.push(length - 1);
				}
			});
			const headerEnd = s.restOfLine();
			current = { kind: isArray ? 'array' : 'table', path, headerStart: lineStart, headerEnd, entries: [], contentEnd: headerEnd };
			sections.push(current);
		} else {
			current.entries.push(s.entry());
			current.contentEnd = s.restOfLine();
		}
	}
}
