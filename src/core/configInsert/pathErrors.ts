import type { OtaError } from '../errors';
import { configError } from './configError';
import { formatKeyPath } from './keyPath';
import type { KeySegment } from './types';

function where(segments: readonly KeySegment[], depth: number): string {
	return depth === 0 ? 'the top level of the file' : `"${formatKeyPath(segments.slice(0, depth))}"`;
}

/** `segments[depth]` cannot be applied because the value at `segments[0..depth)` is `actual` (e.g. "a string"). */
export function throughNonContainer(segments: readonly KeySegment[], depth: number, actual: string): OtaError {
	const full = formatKeyPath(segments);
	const segment = segments[depth];
	const at = where(segments, depth);
	if (typeof segment === 'number') {
		return configError('KeyPathConflict', `Cannot set "${full}": ${at} is ${actual}, not an array, so [${segment}] does not apply.`);
	}
	if (actual === 'an array') {
		const example = formatKeyPath([...segments.slice(0, depth), 0, ...segments.slice(depth)]);
		return configError('KeyPathConflict', `Cannot set "${full}": ${at} is an array; pick an item with an index, e.g. "${example}".`);
	}
	return configError(
		'KeyPathConflict',
		`Cannot set "${full}": ${at} is ${actual}, not an object, so it cannot hold the key "${segment}".`,
	);
}

/** The key path ends at an object/array; replacing a whole structure with a string is almost certainly a mistake. */
export function endsAtContainer(segments: readonly KeySegment[], actual: string): OtaError {
	const full = formatKeyPath(segments);
	return configError(
		'KeyPathConflict',
		`Cannot set "${full}": it is ${actual}; the key path must end at a single value (e.g. "${full}.url").`,
	);
}

/** Writing past the end of an array would leave holes. */
export function indexGap(segments: readonly KeySegment[], depth: number, length: number): OtaError {
	const full = formatKeyPath(segments);
	const at = where(segments, depth);
	return configError(
		'KeyPathConflict',
		`Cannot set "${full}": ${at} has ${length} item(s), so index [${String(segments[depth])}] would leave a gap; use [${length}] to append.`,
	);
}

/** After creating a missing array only [0] is meaningful. */
export function newArrayIndex(segments: readonly KeySegment[], depth: number): OtaError {
	return indexGap(segments, depth, 0);
}
