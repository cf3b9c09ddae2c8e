import { configError } from './configError';
import type { KeySegment } from './types';

const SYNTAX_HINT = 'Use dots between keys (a.b.c), [0] for array items, and quotes for keys containing dots: a."b.c" or a["b.c"].';

/** What is wrong with a key path, as reason values: `why` names the fault, `at` its 1-based position, `text` the part. */
type Fault = { why: string; at?: number; text?: string };

function invalid(path: string, why: string, fault: Fault) {
	return configError('InvalidKeyPath', `Invalid key path "${path}": ${why}`, SYNTAX_HINT, {
		code: 'key-path-invalid',
		values: { path, ...fault },
	});
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };

/** Reads a quoted key starting at `start` (the quote); returns the key and the index after the closing quote. */
function readQuoted(path: string, start: number): { key: string; next: number } {
	const quote = path[start];
	let key = '';
	let i = start + 1;
	while (i < path.length) {
		const ch = path[i];
		if (ch === '\\' && i + 1 < path.length) {
			// JSON-style escapes, so formatKeyPath (JSON.stringify) output parses back.
			const next = path[i + 1] as string;
			const hex = next === 'u' ? /^[0-9a-fA-F]{4}/.exec(path.slice(i + 2))?.[0] : undefined;
			key += hex ? String.fromCharCode(parseInt(hex, 16)) : (ESCAPES[next] ?? next);
			i += hex ? 6 : 2;
			continue;
		}
		if (ch === quote) {
			return { key, next: i + 1 };
		}
		key += ch;
		i++;
	}
	throw invalid(path, `the quote at position ${start + 1} is never closed`, { why: 'quote-unclosed', at: start + 1 });
}

function readBracket(path: string, start: number): { segment: KeySegment; next: number } {
	const inner = start + 1;
	if (path[inner] === '"' || path[inner] === "'") {
		const { key, next } = readQuoted(path, inner);
		if (path[next] !== ']') {
			throw invalid(path, `expected "]" at position ${next + 1}`, { why: 'bracket-expected', at: next + 1 });
		}
		return { segment: key, next: next + 1 };
	}
	const close = path.indexOf(']', inner);
	if (close === -1) {
		throw invalid(path, `the "[" at position ${start + 1} is never closed`, { why: 'bracket-unclosed', at: start + 1 });
	}
	const body = path.slice(inner, close).trim();
	if (!/^\d+$/.test(body) || body.length > 9) {
		throw invalid(path, `"[${body}]" is not an array index (use [0], [1], … or ["key"])`, { why: 'not-index', text: body });
	}
	return { segment: Number(body), next: close + 1 };
}

/**
 * Parses `a.b.c`, `a.list[0].url`, `a."b.c".d`, `a["b.c"]` into segments.
 * Numbers appear only from brackets: `a.0` is the key "0".
 */
export function parseKeyPath(path: string): KeySegment[] {
	const text = path.trim();
	if (text.length === 0) {
		throw invalid(path, 'it is empty', { why: 'empty' });
	}
	const segments: KeySegment[] = [];
	let i = 0;
	let expectKey = true;
	while (i < text.length) {
		const ch = text[i];
		if (ch === '[') {
			const { segment, next } = readBracket(text, i);
			segments.push(segment);
			i = next;
			expectKey = false;
		} else if (ch === '.') {
			if (expectKey) {
				throw invalid(path, `empty key at position ${i + 1}`, { why: 'empty-key', at: i + 1 });
			}
			i++;
			expectKey = true;
			if (i === text.length) {
				throw invalid(path, 'it ends with "."', { why: 'ends-with-dot' });
			}
		} else if (!expectKey) {
			throw invalid(path, `expected "." or "[" at position ${i + 1}`, { why: 'dot-expected', at: i + 1 });
		} else if (ch === '"' || ch === "'") {
			const { key, next } = readQuoted(text, i);
			segments.push(key);
			i = next;
			expectKey = false;
		} else {
			let end = i;
			while (end < text.length && text[end] !== '.' && text[end] !== '[') {
				if (text[end] === ']' || text[end] === '"') {
					throw invalid(path, `unexpected "${text[end]}" at position ${end + 1}`, {
						why: 'unexpected',
						at: end + 1,
						text: text[end] ?? '',
					});
				}
				end++;
			}
			segments.push(text.slice(i, end));
			i = end;
			expectKey = false;
		}
	}
	return segments;
}

const BARE_SEGMENT = /^[^.[\]"'\s]+$/;

/** The inverse of parseKeyPath, for messages: a.list[0]."b.c". */
export function formatKeyPath(segments: readonly KeySegment[]): string {
	let out = '';
	for (const segment of segments) {
		if (typeof segment === 'number') {
			out += `[${segment}]`;
		} else {
			const key = BARE_SEGMENT.test(segment) ? segment : JSON.stringify(segment);
			out += out.length === 0 ? key : `.${key}`;
		}
	}
	return out.length === 0 ? '(root)' : out;
}
