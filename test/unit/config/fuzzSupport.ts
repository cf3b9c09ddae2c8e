// Generators, independent readers and a reference "set" model for the property-based config tests.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyTextEdits, computeInsertEdits, formatKeyPath, type ConfigFormat, type KeySegment } from '../../../src/core/configInsert';
import { OtaError } from '../../../src/core/errors';

/** CONFIG_FUZZ_RUNS=5000 for a deeper local run. */
export const RUNS = Number(process.env.CONFIG_FUZZ_RUNS ?? 300);

export const keyArb = fc.oneof(
	fc.constantFrom('a', 'b', 'url', 'ota', 'x.y', 'k"q', 'ü', '1', 'true', 'null', '', 'a b', "it's", '#c', '-', 'back\\slash', '[0]'),
	fc.string({ maxLength: 6 }),
);

export const valueArb = fc.oneof(
	fc.constantFrom(
		'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/x/fw.bin?Expires=1&Signature=a%2Bb',
		'a"b',
		'back\\slash',
		'line1\nline2',
		'crlf\r\nend',
		'tab\there',
		'',
		' lead',
		'trail ',
		'#hash',
		'x # not a comment',
		"it's",
		'ü🚀',
		'null',
		'true',
		'123',
		'- x',
		'a: b',
		'{x}',
		'[1]',
		'$HOME',
		'"""',
		"'''",
	),
	fc.string({ maxLength: 20 }),
	fc.string({ unit: 'grapheme', maxLength: 8 }),
	fc.string({ unit: 'binary-ascii', maxLength: 12 }),
);

export type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

export function isObject(value: unknown): value is Record<string, Plain> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON round trip: plain prototypes, comparable with deepEqual. */
export function normalize<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

/** Follows random choices into the data, then appends random new keys (may lead through scalars: that is tested too). */
export function derivePath(root: unknown, choices: readonly number[], extra: readonly string[], allowAppend: boolean): KeySegment[] {
	const segments: KeySegment[] = [];
	let node: unknown = root;
	for (const choice of choices) {
		if (isObject(node)) {
			const keys = Object.keys(node);
			if (keys.length === 0) {
				break;
			}
			const key = keys[choice % keys.length] as string;
			segments.push(key);
			node = node[key];
		} else if (Array.isArray(node)) {
			const span = node.length + (allowAppend ? 1 : 0);
			if (span === 0) {
				break;
			}
			const index = choice % span;
			segments.push(index);
			node = node[index];
		} else {
			break;
		}
	}
	segments.push(...extra);
	return segments.length > 0 ? segments : ['url'];
}

export interface ModelOptions {
	/** YAML replaces a null on the way with a new mapping; JSON refuses to walk through null. */
	nullIsMissing: boolean;
}

/** What setting the path should produce, or undefined when the path is not settable. */
export function modelSet(data: unknown, segments: readonly KeySegment[], value: string, opts: ModelOptions): unknown {
	const root = { value: normalize(data) as unknown };
	let parent: Record<string | number, unknown> = root;
	let slot: string | number = 'value';
	for (const segment of segments) {
		let node = parent[slot];
		if (node === undefined || (node === null && opts.nullIsMissing)) {
			if (typeof segment === 'number' && segment !== 0) {
				return undefined;
			}
			node = typeof segment === 'number' ? [] : {};
			parent[slot] = node;
		}
		if (typeof segment === 'string') {
			if (!isObject(node)) {
				return undefined;
			}
		} else if (!Array.isArray(node) || segment > node.length) {
			return undefined;
		}
		parent = node as Record<string | number, unknown>;
		slot = segment;
	}
	const current = parent[slot];
	if (typeof current === 'object' && current !== null) {
		return undefined;
	}
	parent[slot] = value;
	return root.value;
}

/** Runs the engine; returns the new text, or the OtaError it threw (anything else fails the test). */
export function runEngine(text: string, format: ConfigFormat, keyPath: string, value: string): string | OtaError {
	try {
		return applyTextEdits(text, computeInsertEdits(text, format, keyPath, value));
	} catch (error) {
		assert.ok(error instanceof OtaError, `not an OtaError: ${String(error)}`);
		assert.equal(error.source, 'config');
		return error;
	}
}

export function withCrlf(text: string, crlf: boolean): string {
	return crlf ? text.replace(/\r?\n/g, '\r\n') : text;
}

export { formatKeyPath };
