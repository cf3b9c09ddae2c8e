import type { FormattingOptions, Node, ParseError } from 'jsonc-parser';
import { jsoncParser } from '../vendor';
import { at, configError, position } from './configError';
import { formatKeyPath } from './keyPath';
import { endsAtContainer, indexGap, newArrayIndex, throughNonContainer } from './pathErrors';
import { appendLineEdit, applyTextEdits, detectEol, lineColumnAt } from './text';
import type { InsertPlan, KeySegment, TextEdit } from './types';

const PARSE_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

function describeNode(node: Node): string {
	switch (node.type) {
		case 'object':
			return 'an object';
		case 'array':
			return 'an array';
		case 'null':
			return 'null';
		default:
			return `a ${node.type}`;
	}
}

function parseOrThrow(text: string): Node | undefined {
	const errors: ParseError[] = [];
	const root = jsoncParser().parseTree(text, errors, PARSE_OPTIONS);
	const first = errors[0];
	if (first) {
		const { line, column } = lineColumnAt(text, first.offset);
		const what = jsoncParser()
			.printParseErrorCode(first.error)
			.replace(/([a-z])([A-Z])/g, '$1 $2')
			.toLowerCase();
		throw configError('ConfigSyntaxError', `Malformed JSON at ${at(line, column)}: ${what}`, 'Fix the syntax error and try again.', {
			code: 'config-malformed',
			values: { format: 'JSON', ...position(line, column), detail: what },
		});
	}
	return root;
}

/** Indentation and line endings as the file already uses them (tabs or the smallest space indent; default 2). */
export function detectJsonFormatting(text: string): FormattingOptions {
	const eol = detectEol(text);
	const indents = [...text.matchAll(/^([ \t]+)["{[\]}]/gm)].map((m) => m[1] ?? '');
	if (indents[0]?.startsWith('\t')) {
		return { eol, insertSpaces: false, tabSize: 4 };
	}
	const spaces = indents.filter((s) => !s.includes('\t')).map((s) => s.length);
	const tabSize = spaces.length > 0 ? Math.min(...spaces, 8) : 2;
	return { eol, insertSpaces: true, tabSize };
}

/** Readers disagree on a duplicated key (JSON.parse and Python take the last, cJSON the first), so none is edited. */
function duplicateKey(text: string, path: readonly KeySegment[], properties: readonly Node[]) {
	const lines = [...new Set(properties.map((p) => lineColumnAt(text, p.offset).line))];
	const where = `${lines.length > 1 ? 'lines' : 'line'} ${lines.join(', ')}`;
	return configError(
		'DuplicateKey',
		`"${formatKeyPath(path)}" appears ${properties.length} times in the same object (${where}); JSON readers disagree on which one counts (most take the last, some the first)`,
		'Remove the duplicates, keeping the one you mean, and try again.',
		{
			code: 'config-duplicate-key',
			values: { key: formatKeyPath(path), count: properties.length, lines: lines.join(', '), lineCount: lines.length },
		},
	);
}

/** Walks the existing tree along the path; returns the node at the path or undefined when it will be created. */
function walk(text: string, root: Node | undefined, segments: readonly KeySegment[]): Node | undefined {
	let node = root;
	for (let depth = 0; depth < segments.length; depth++) {
		const segment = segments[depth] as KeySegment;
		if (node === undefined) {
			if (typeof segment === 'number' && segment !== 0) {
				throw newArrayIndex(segments, depth);
			}
			continue;
		}
		if (typeof segment === 'string') {
			if (node.type !== 'object') {
				throw throughNonContainer(segments, depth, describeNode(node));
			}
			const properties = (node.children ?? []).filter((p) => p.children?.[0]?.value === segment);
			if (properties.length > 1) {
				throw duplicateKey(text, segments.slice(0, depth + 1), properties);
			}
			node = properties[0]?.children?.[1];
		} else {
			if (node.type !== 'array') {
				throw throughNonContainer(segments, depth, describeNode(node));
			}
			const length = node.children?.length ?? 0;
			if (segment > length) {
				throw indexGap(segments, depth, length);
			}
			node = node.children?.[segment];
		}
	}
	return node;
}

function nested(segments: readonly KeySegment[], value: string): unknown {
	return segments.reduceRight<unknown>((inner, segment) => (typeof segment === 'number' ? [inner] : { [segment]: inner }), value);
}

export function planJsonInsert(text: string, segments: readonly KeySegment[], value: string): InsertPlan {
	const root = parseOrThrow(text);
	const existing = walk(text, root, segments);
	let previousValue: string | undefined;
	if (existing) {
		if (existing.type === 'object' || existing.type === 'array') {
			throw endsAtContainer(segments, describeNode(existing));
		}
		previousValue =
			existing.type === 'string' ? String(existing.value) : text.slice(existing.offset, existing.offset + existing.length);
		if (existing.type === 'string' && existing.value === value) {
			return { edits: [], previousValue };
		}
	}
	const formatting = detectJsonFormatting(text);
	let edits: TextEdit[];
	if (root === undefined) {
		// Empty or comment-only: append the new document after any comments instead of before them.
		const indent = formatting.insertSpaces ? ' '.repeat(formatting.tabSize ?? 2) : '\t';
		const body = JSON.stringify(nested(segments, value), null, indent).replace(/\n/g, formatting.eol ?? '\n');
		edits = [appendLineEdit(text, body, formatting.eol ?? '\n')];
	} else {
		edits = jsoncParser()
			.modify(text, [...segments], value, { formattingOptions: formatting })
			.map((e) => ({
				offset: e.offset,
				length: e.length,
				newText: e.content,
			}));
	}
	verify(applyTextEdits(text, edits), segments, value);
	return { edits, previousValue };
}

function verify(result: string, segments: readonly KeySegment[], value: string): void {
	const errors: ParseError[] = [];
	const root = jsoncParser().parseTree(result, errors, PARSE_OPTIONS);
	const node = root && jsoncParser().findNodeAtLocation(root, [...segments]);
	if (errors.length > 0 || !node || jsoncParser().getNodeValue(node) !== value) {
		throw configError('ConfigInsertFailed', 'Could not insert the value into the JSON file safely (internal check failed).');
	}
}
