import type { OtaError } from '../errors';
import { configError, type ConfigReason } from './configError';
import { formatKeyPath } from './keyPath';
import type { KeySegment } from './types';

/** The key path up to `depth`, as reason values: `parent` is empty at the top level of the file. */
function where(segments: readonly KeySegment[], depth: number): { text: string; parent: string } {
	const parent = depth === 0 ? '' : formatKeyPath(segments.slice(0, depth));
	return { text: depth === 0 ? 'the top level of the file' : `"${parent}"`, parent };
}

/** What a value is, as the messages name it ("a string"); a YAML alias by the name of its anchor. */
export type ValueKind = string | { alias: string };

/** The kind as the English says it, and as reason values: `actual`, and `alias` (the anchor's name) for an alias. */
function kindOf(kind: ValueKind): { said: string; values: Record<string, string> } {
	return typeof kind === 'string'
		? { said: kind, values: { actual: kind } }
		: { said: `an alias (*${kind.alias})`, values: { actual: 'an alias', alias: kind.alias } };
}

function conflict(message: string, code: ConfigReason, values: Record<string, string | number>): OtaError {
	return configError('KeyPathConflict', message, undefined, { code, values });
}

/** `segments[depth]` cannot be applied because the value at `segments[0..depth)` is `actual` (e.g. "a string"). */
export function throughNonContainer(segments: readonly KeySegment[], depth: number, kind: ValueKind): OtaError {
	const full = formatKeyPath(segments);
	const { said: actual, values: kindValues } = kindOf(kind);
	const segment = segments[depth];
	const { text: at, parent } = where(segments, depth);
	if (typeof segment === 'number') {
		return conflict(`Cannot set "${full}": ${at} is ${actual}, not an array, so [${segment}] does not apply.`, 'key-path-not-array', {
			path: full,
			parent,
			...kindValues,
			index: segment,
		});
	}
	if (actual === 'an array') {
		const example = formatKeyPath([...segments.slice(0, depth), 0, ...segments.slice(depth)]);
		return conflict(`Cannot set "${full}": ${at} is an array; pick an item with an index, e.g. "${example}".`, 'key-path-is-array', {
			path: full,
			parent,
			example,
		});
	}
	return conflict(
		`Cannot set "${full}": ${at} is ${actual}, not an object, so it cannot hold the key "${segment}".`,
		'key-path-not-object',
		{ path: full, parent, ...kindValues, key: String(segment) },
	);
}

/** The key path ends at an object/array; replacing a whole structure with a string is almost certainly a mistake. */
export function endsAtContainer(segments: readonly KeySegment[], kind: ValueKind): OtaError {
	const full = formatKeyPath(segments);
	const { said: actual, values: kindValues } = kindOf(kind);
	return conflict(
		`Cannot set "${full}": it is ${actual}; the key path must end at a single value (e.g. "${full}.url").`,
		'key-path-ends-at-container',
		{ path: full, ...kindValues },
	);
}

/** Writing past the end of an array would leave holes. */
export function indexGap(segments: readonly KeySegment[], depth: number, length: number): OtaError {
	const full = formatKeyPath(segments);
	const { text: at, parent } = where(segments, depth);
	const index = String(segments[depth]);
	return conflict(
		`Cannot set "${full}": ${at} has ${length} item(s), so index [${index}] would leave a gap; use [${length}] to append.`,
		'key-path-index-gap',
		{ path: full, parent, length, index },
	);
}

/** After creating a missing array only [0] is meaningful. */
export function newArrayIndex(segments: readonly KeySegment[], depth: number): OtaError {
	return indexGap(segments, depth, 0);
}
