// Property-based tests: random valid documents + random key paths/values → the result parses back,
// holds the value at the path, and every other value is unchanged; invalid paths fail with OtaError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };
import { parseAllDocuments, stringify as yamlStringify } from 'yaml';
import { OtaError } from '../../../src/core/errors';
import { derivePath, formatKeyPath, keyArb, modelSet, normalize, RUNS, runEngine, valueArb, withCrlf, type Plain } from './fuzzSupport';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const toml = require('smol-toml') as typeof SmolToml;

const leafArb = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean(), fc.constant(null));

function treeArb(leaf: fc.Arbitrary<Plain>): fc.Arbitrary<Record<string, Plain>> {
	const { node } = fc.letrec<{ node: Plain }>((tie) => ({
		node: fc.oneof(
			{ maxDepth: 3, depthIdentifier: 'tree' },
			leaf,
			fc.dictionary(keyArb, tie('node'), { maxKeys: 4, noNullPrototype: true }),
			fc.array(tie('node'), { maxLength: 3 }),
		),
	}));
	return fc.dictionary(keyArb, node, { maxKeys: 5, noNullPrototype: true });
}

const pathChoices = fc.record({
	choices: fc.array(fc.nat(), { maxLength: 4 }),
	extra: fc.array(keyArb, { maxLength: 2 }),
	value: valueArb,
	crlf: fc.boolean(),
});

void test('fuzz: JSON documents', { timeout: 20_000 }, () => {
	fc.assert(
		fc.property(treeArb(leafArb), fc.constantFrom(0, 2, 4, '\t'), pathChoices, (doc, indent, { choices, extra, value, crlf }) => {
			const text = withCrlf(JSON.stringify(doc, null, indent) + (indent === 0 ? '' : '\n'), crlf);
			const data = JSON.parse(text) as unknown;
			const segments = derivePath(data, choices, extra, true);
			const expected = modelSet(data, segments, value, { nullIsMissing: false });
			const result = runEngine(text, 'json', formatKeyPath(segments), value);
			if (expected === undefined) {
				assert.ok(
					result instanceof OtaError && result.code === 'KeyPathConflict',
					`expected a KeyPathConflict for ${formatKeyPath(segments)}`,
				);
				return;
			}
			assert.equal(typeof result, 'string', result instanceof OtaError ? result.message : '');
			assert.deepEqual(JSON.parse(result as string), expected);
			if (crlf && indent !== 0) {
				assert.doesNotMatch(result as string, /[^\r]\n/, 'CRLF kept');
			}
		}),
		{ numRuns: RUNS },
	);
});

function parseYaml(text: string): unknown {
	const docs = parseAllDocuments(text);
	assert.ok(Array.isArray(docs), 'one YAML stream');
	assert.ok(docs.length <= 1, 'a single document');
	for (const doc of docs) {
		assert.deepEqual(doc.errors, [], 'no YAML errors');
	}
	return normalize(docs[0]?.toJS() ?? null);
}

void test('fuzz: YAML documents', { timeout: 20_000 }, () => {
	const style = fc.record({
		indent: fc.constantFrom(2, 4),
		indentSeq: fc.boolean(),
		collectionStyle: fc.constantFrom('any', 'any', 'flow', 'block') as fc.Arbitrary<'any' | 'flow' | 'block'>,
		lineWidth: fc.constantFrom(0, 80),
	});
	fc.assert(
		fc.property(treeArb(leafArb), style, pathChoices, (doc, options, { choices, extra, value, crlf }) => {
			const text = withCrlf(yamlStringify(doc, options), crlf);
			// The yaml library's own output is occasionally invalid (e.g. `[]` under indentSeq: false): skip those.
			fc.pre(parseAllDocuments(text).every((d) => d.errors.length === 0));
			const data = parseYaml(text);
			const segments = derivePath(data, choices, extra, true);
			const expected = modelSet(data, segments, value, { nullIsMissing: true });
			const result = runEngine(text, 'yaml', formatKeyPath(segments), value);
			if (expected === undefined) {
				assert.ok(
					result instanceof OtaError && result.code === 'KeyPathConflict',
					`expected a KeyPathConflict for ${formatKeyPath(segments)}`,
				);
				return;
			}
			assert.equal(typeof result, 'string', result instanceof OtaError ? result.message : '');
			assert.deepEqual(parseYaml(result as string), expected);
		}),
		{ numRuns: RUNS },
	);
});

const tomlLeafArb = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -1000, max: 1000 }), fc.boolean());

const tomlKey = (key: string) => (/^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key));

function inlineToml(value: Plain): string {
	if (Array.isArray(value)) {
		return `[${value.map(inlineToml).join(', ')}]`;
	}
	if (typeof value === 'object' && value !== null) {
		const pairs = Object.entries(value).map(([k, v]) => `${tomlKey(k)} = ${inlineToml(v)}`);
		return pairs.length > 0 ? `{ ${pairs.join(', ')} }` : '{}';
	}
	return JSON.stringify(value);
}

/** A TOML writer that mixes [headers], dotted keys and inline tables (smol-toml only writes headers). */
function variedToml(doc: Record<string, Plain>, styles: readonly number[]): string {
	let turn = 0;
	const nextStyle = () => styles[turn++ % Math.max(1, styles.length)] ?? 0;
	const sections: string[] = [];
	const emit = (table: Record<string, Plain>, header: string[]) => {
		const lines: string[] = [];
		const later: Array<[Record<string, Plain>, string[]]> = [];
		const dotted = (prefix: string[], obj: Record<string, Plain>) => {
			for (const [k, v] of Object.entries(obj)) {
				const keys = [...prefix, tomlKey(k)];
				if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0) {
					dotted(keys, v);
				} else {
					lines.push(`${keys.join('.')} = ${inlineToml(v)}`);
				}
			}
		};
		for (const [k, v] of Object.entries(table)) {
			const isTable = typeof v === 'object' && v !== null && !Array.isArray(v);
			const style = isTable ? nextStyle() : 0;
			if (isTable && style === 0) {
				later.push([v, [...header, tomlKey(k)]]);
			} else if (isTable && style === 1 && Object.keys(v).length > 0) {
				dotted([tomlKey(k)], v);
			} else {
				lines.push(`${tomlKey(k)} = ${inlineToml(v)}${style === 2 ? ' # inline' : ''}`);
			}
		}
		sections.push([...(header.length > 0 ? [`[${header.join('.')}]`] : []), ...lines].join('\n'));
		later.forEach(([t, h]) => emit(t, h));
	};
	emit(doc, []);
	return `${sections.filter((s) => s.length > 0).join('\n\n')}\n`;
}

const tomlText = fc.oneof(
	fc.tuple(treeArb(tomlLeafArb), fc.constant([] as number[])).map(([doc]) => toml.stringify(doc)),
	fc.tuple(treeArb(tomlLeafArb), fc.array(fc.nat(2), { minLength: 1, maxLength: 6 })).map(([doc, styles]) => variedToml(doc, styles)),
);

void test('fuzz: TOML documents (headers, dotted keys, inline tables)', { timeout: 20_000 }, () => {
	fc.assert(
		fc.property(tomlText, pathChoices, (source, { choices, extra, value, crlf }) => {
			const text = withCrlf(source, crlf);
			const data = normalize(toml.parse(text));
			const segments = derivePath(data, choices, extra, false);
			const expected = modelSet(data, segments, value, { nullIsMissing: false });
			const keyPath = formatKeyPath(segments);
			const result = runEngine(text, 'toml', keyPath, value);
			if (result instanceof OtaError) {
				const indexed = segments.some((s) => typeof s === 'number');
				// Inline arrays and new array items are refused on purpose; everything else must work.
				assert.ok(
					expected === undefined
						? ['KeyPathConflict', 'UnsupportedValue'].includes(result.code)
						: indexed && result.code === 'UnsupportedValue',
					`${keyPath}: ${result.code} ${result.message}\n${text}`,
				);
				return;
			}
			assert.notEqual(expected, undefined, `${keyPath} should have been refused`);
			assert.deepEqual(normalize(toml.parse(result)), expected);
		}),
		{ numRuns: RUNS },
	);
});
