import { isDeepStrictEqual } from 'node:util';
import type { Document, Scalar, ToStringOptions } from 'yaml';
import { yaml } from '../vendor';
import { at, configError, position } from './configError';
import { endsAtContainer, indexGap, newArrayIndex, throughNonContainer, type ValueKind } from './pathErrors';
import { formatKeyPath } from './keyPath';
import { appendLineEdit, applyTextEdits, detectEol, minimalEdits } from './text';
import type { InsertPlan, KeySegment, TextEdit } from './types';
import { needsEscapes, plainInFlowForYaml11, safeStringTags, yamlDoubleQuoted } from './yamlScalar';

type YamlDoc = Document.Parsed | Document;

/** Parses a single-document YAML file; multi-document files are refused (which document to edit is a guess). */
function parseSingle(text: string, isNew: (node: Scalar) => boolean): YamlDoc {
	const docs = yaml().parseAllDocuments(text, { customTags: safeStringTags(isNew) });
	const list = Array.isArray(docs) ? docs : [];
	for (const doc of list) {
		const first = doc.errors[0];
		if (first) {
			const pos = first.linePos?.[0];
			const what = (first.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
			const where = pos ? ` at ${at(pos.line, pos.col)}` : '';
			throw configError('ConfigSyntaxError', `Malformed YAML${where}: ${what}`, 'Fix the syntax error and try again.', {
				code: 'config-malformed',
				values: { format: 'YAML', ...(pos ? position(pos.line, pos.col) : {}), detail: what },
			});
		}
	}
	if (list.length > 1) {
		throw configError(
			'UnsupportedValue',
			`The YAML file holds ${list.length} documents (separated by "---"); only single-document files can be edited`,
			'Put the setting in a single-document YAML file, or edit it by hand.',
			{ code: 'config-yaml-documents', values: { count: list.length } },
		);
	}
	return list[0] ?? yaml().parseDocument(text, { customTags: safeStringTags(isNew) });
}

/** Every string in text the engine writes itself is new: escaped and quoted for YAML 1.1 readers as well. */
const ALL_NEW = safeStringTags(() => true);

function describe(node: unknown): ValueKind {
	if (yaml().isMap(node)) {
		return 'an object';
	}
	if (yaml().isSeq(node)) {
		return 'an array';
	}
	if (yaml().isAlias(node)) {
		return { alias: node.source };
	}
	const value = yaml().isScalar(node) ? node.value : node;
	if (value instanceof Uint8Array) {
		return 'binary data'; // !!binary
	}
	if (value instanceof Date) {
		return 'a date'; // !!timestamp
	}
	return value === null || value === undefined ? 'null' : `a ${typeof value}`;
}

function isNullish(node: unknown): boolean {
	return node === null || (yaml().isScalar(node) && node.value === null);
}

interface Located {
	/** Keys as they exist in the document (e.g. the number 1 for a `1:` key) followed by the missing ones. */
	resolved: KeySegment[];
	/** How many segments exist in the document already. */
	existingDepth: number;
	/** The node at the full path, when it exists. */
	node: unknown;
	/** The collection holding `node` (for flow-style checks). */
	parent: unknown;
	/** Where missing keys would go: the deepest existing block of the path, the empty document, or unknown. */
	insertInto: unknown;
}

function locate(doc: YamlDoc, segments: readonly KeySegment[]): Located {
	const resolved: KeySegment[] = [];
	let node: unknown = doc.contents;
	let parent: unknown = undefined;
	let insertInto: unknown = node === null ? 'document' : undefined;
	let existingDepth = 0;
	for (let depth = 0; depth < segments.length; depth++) {
		const segment = segments[depth] as KeySegment;
		if (node === undefined || isNullish(node)) {
			if (typeof segment === 'number' && segment !== 0) {
				throw newArrayIndex(segments, depth);
			}
			if (node !== undefined) {
				insertInto = node === null && depth === 0 ? 'document' : undefined;
			}
			resolved.push(segment);
			node = undefined;
			continue;
		}
		if (typeof segment === 'string') {
			if (!yaml().isMap(node)) {
				throw throughNonContainer(segments, depth, describe(node));
			}
			const pair = node.items.find((p) => (yaml().isScalar(p.key) ? String(p.key.value) === segment : p.key === segment));
			resolved.push(pair ? ((yaml().isScalar(pair.key) ? pair.key.value : pair.key) as KeySegment) : segment);
			parent = node;
			insertInto = node;
			node = pair ? (pair.value ?? null) : undefined;
		} else {
			if (!yaml().isSeq(node)) {
				throw throughNonContainer(segments, depth, describe(node));
			}
			if (segment > node.items.length) {
				throw indexGap(segments, depth, node.items.length);
			}
			resolved.push(segment);
			parent = node;
			insertInto = undefined;
			node = node.items[segment];
		}
		existingDepth = node === undefined ? depth : depth + 1;
	}
	return { resolved, existingDepth, node, parent, insertInto };
}

function nested(segments: readonly KeySegment[], value: string): unknown {
	return segments.reduceRight<unknown>((inner, segment) => (typeof segment === 'number' ? [inner] : { [segment]: inner }), value);
}

/** Sets the value the way the yaml library would (used for the expected data and the fallback rendering). */
function setWithLibrary(doc: YamlDoc, located: Located, value: string): void {
	const { resolved } = located;
	// Replace the deepest existing null/missing node with a freshly created subtree (setIn cannot grow through nulls).
	let depth = resolved.length;
	while (depth > 0 && (doc.getIn(resolved.slice(0, depth)) === undefined || isNullish(doc.getIn(resolved.slice(0, depth), true)))) {
		depth--;
	}
	const subtree = nested(resolved.slice(depth + 1), value);
	if (depth === resolved.length) {
		doc.setIn(resolved, value);
	} else if (depth === 0 && isNullish(doc.contents ?? null)) {
		doc.contents = doc.createNode(nested(resolved, value)) as typeof doc.contents;
	} else {
		doc.setIn(resolved.slice(0, depth + 1), doc.createNode(subtree));
	}
}

function renderScalar(value: string, style: string | undefined, inFlow: boolean): string {
	if (needsEscapes(value) || style === 'QUOTE_DOUBLE' || (style === 'QUOTE_SINGLE' && value.includes('\n'))) {
		return yamlDoubleQuoted(value);
	}
	if (style === 'QUOTE_SINGLE') {
		return `'${value.replace(/'/g, "''")}'`;
	}
	const plain = yaml()
		.stringify(value, { lineWidth: 0, minContentWidth: 0, customTags: ALL_NEW })
		.replace(/\r?\n$/, '');
	const unsafe = plain.includes('\n') || /^[|>]/.test(plain) || (inFlow && !plainInFlowForYaml11(plain));
	return unsafe ? yamlDoubleQuoted(value) : plain;
}

function detectIndent(text: string): number {
	const indents = [...text.matchAll(/^( +)[^\s#]/gm)].map((m) => (m[1] ?? '').length);
	return indents.length > 0 ? Math.max(2, Math.min(8, ...indents)) : 2;
}

function toStringOptions(text: string): ToStringOptions {
	return {
		indent: detectIndent(text),
		indentSeq: !/^( *)[^\s#-][^\n]*:[ \t]*\r?\n\1- /m.test(text),
		lineWidth: 0,
		minContentWidth: 0,
		flowCollectionPadding: !/[:,[]\s*[[{][^\s\]}]/.test(text),
	};
}

function withEol(text: string, eol: string): string {
	return eol === '\n' ? text : text.replace(/\r?\n/g, eol);
}

/** Replaces an existing scalar in place, or appends new keys under the deepest existing block mapping. */
function surgicalEdits(
	text: string,
	located: Located,
	segments: readonly KeySegment[],
	value: string,
	eol: string,
): TextEdit[] | undefined {
	const { node, parent, existingDepth, insertInto } = located;
	if (yaml().isScalar(node) && node.range && !node.anchor && !node.tag) {
		const start = node.range[0];
		let end = node.range[1];
		while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) {
			end--;
		}
		const rendered = renderScalar(value, node.type, yaml().isCollection(parent) && parent.flow === true);
		return [{ offset: start, length: end - start, newText: start === end ? ` ${rendered}` : rendered }];
	}
	if (node !== undefined || typeof segments[existingDepth] !== 'string') {
		return undefined;
	}
	const rest = segments.slice(existingDepth);
	const indentUnit = detectIndent(text);
	const block = new (yaml().Document)(nested(rest, value), { customTags: ALL_NEW })
		.toString({ indent: indentUnit, lineWidth: 0, minContentWidth: 0 })
		.replace(/\n$/, '');
	if (insertInto === 'document') {
		return [appendLineEdit(text, withEol(block, eol), eol)];
	}
	if (!yaml().isMap(insertInto) || insertInto.flow || insertInto.items.length === 0) {
		return undefined;
	}
	const first = insertInto.items[0];
	const last = insertInto.items[insertInto.items.length - 1];
	const firstKey = yaml().isScalar(first?.key) ? first.key.range : undefined;
	const lastNode = last?.value ?? last?.key;
	const lastRange = yaml().isScalar(lastNode) || yaml().isCollection(lastNode) || yaml().isAlias(lastNode) ? lastNode.range : undefined;
	if (!firstKey || !lastRange) {
		return undefined;
	}
	const column = firstKey[0] - (text.lastIndexOf('\n', firstKey[0] - 1) + 1);
	const pad = ' '.repeat(column);
	const lines = block.split('\n').map((line) => (line.length > 0 ? pad + line : line));
	const end = lastRange[1];
	const lineBreak = text[end - 1] === '\n' ? end - 1 : text.indexOf('\n', end);
	if (lineBreak === -1) {
		return [{ offset: text.length, length: 0, newText: eol + lines.join(eol) }];
	}
	return [{ offset: lineBreak + 1, length: 0, newText: lines.join(eol) + eol }];
}

function reparse(result: string): unknown {
	const docs = yaml().parseAllDocuments(result);
	const list = Array.isArray(docs) ? docs : [];
	if (list.length > 1 || list.some((d) => d.errors.length > 0)) {
		return Symbol('invalid');
	}
	return list[0]?.toJS() ?? null;
}

export function planYamlInsert(text: string, segments: readonly KeySegment[], value: string): InsertPlan {
	// New nodes (no source range) and the scalar that receives the value count as new when the document is re-rendered.
	const changed: { target?: unknown } = {};
	const doc = parseSingle(text, (node) => node.range === undefined || node === changed.target);
	const located = locate(doc, segments);
	let previousValue: string | undefined;
	if (located.node !== undefined) {
		if (yaml().isCollection(located.node) || yaml().isAlias(located.node)) {
			throw endsAtContainer(segments, describe(located.node));
		}
		const scalar = yaml().isScalar(located.node) ? located.node.value : null;
		previousValue = scalar === null || scalar === undefined ? undefined : String(scalar);
		if (scalar === value) {
			return { edits: [], previousValue };
		}
	}
	const eol = detectEol(text);
	// Plan the in-place edit before the library mutates the nodes it reads ranges from.
	const surgical = surgicalEdits(text, located, segments, value, eol);
	setWithLibrary(doc, located, value);
	changed.target = doc.getIn(located.resolved, true);
	const expected = doc.toJS();
	if (surgical && isDeepStrictEqual(reparse(applyTextEdits(text, surgical)), expected)) {
		return { edits: surgical, previousValue };
	}
	const rendered = withEol(doc.toString(toStringOptions(text)), eol);
	const edits = minimalEdits(text, rendered);
	if (!isDeepStrictEqual(reparse(applyTextEdits(text, edits)), expected)) {
		throw configError(
			'ConfigInsertFailed',
			`Could not set "${formatKeyPath(segments)}" in the YAML file safely (internal check failed).`,
		);
	}
	return { edits, previousValue };
}
