import { isDeepStrictEqual } from 'node:util';
import { at, configError, position } from './configError';
import { formatKeyPath } from './keyPath';
import { endsAtContainer, indexGap, throughNonContainer } from './pathErrors';
import { applyTextEdits } from './text';
import { Planner, renderValue } from './tomlWrite';
import type { InsertPlan, KeySegment, TextEdit } from './types';
import { smolToml } from '../vendor';

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
	if (Array.isArray(value)) {
		return 'an array';
	}
	if (value instanceof Date) {
		return 'a date';
	}
	return isTable(value) ? 'a table' : `a ${typeof value}`;
}

function parseOrThrow(text: string): Table {
	try {
		return smolToml().parse(text) as Table;
	} catch (error) {
		if (error instanceof smolToml().TomlError) {
			const what = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
			throw configError(
				'ConfigSyntaxError',
				`Malformed TOML at ${at(error.line, error.column)}: ${what}`,
				'Fix the syntax error and try again.',
				{ code: 'config-malformed', values: { format: 'TOML', ...position(error.line, error.column), detail: what } },
			);
		}
		const detail = error instanceof Error ? error.message : String(error);
		throw configError('ConfigSyntaxError', `Malformed TOML: ${detail}`, undefined, {
			code: 'config-malformed',
			values: { format: 'TOML', detail },
		});
	}
}

/** Checks the path against the parsed data; returns how many leading segments exist and the value at the path. */
function walk(data: Table, segments: readonly KeySegment[]): { existing: number; value: unknown } {
	let node: unknown = data;
	for (let depth = 0; depth < segments.length; depth++) {
		const segment = segments[depth] as KeySegment;
		if (typeof segment === 'string') {
			if (!isTable(node)) {
				throw throughNonContainer(segments, depth, describe(node));
			}
			if (!Object.prototype.hasOwnProperty.call(node, segment)) {
				if (segments.slice(depth).some((s) => typeof s === 'number')) {
					throw configError(
						'UnsupportedValue',
						`Cannot set "${formatKeyPath(segments)}": array items can only be addressed when they already exist in a TOML file.`,
						undefined,
						{ code: 'toml-array-item-missing', values: { path: formatKeyPath(segments) } },
					);
				}
				return { existing: depth, value: undefined };
			}
			node = node[segment];
		} else {
			if (!Array.isArray(node)) {
				throw throughNonContainer(segments, depth, describe(node));
			}
			if (segment >= node.length) {
				throw segment > node.length
					? indexGap(segments, depth, node.length)
					: configError(
							'UnsupportedValue',
							`Cannot set "${formatKeyPath(segments)}": appending array items is not supported for TOML files; add the [[table]] by hand first.`,
							undefined,
							{ code: 'toml-array-append', values: { path: formatKeyPath(segments) } },
						);
			}
			node = node[segment];
		}
	}
	return { existing: segments.length, value: node };
}

export function planTomlInsert(text: string, segments: readonly KeySegment[], value: string): InsertPlan {
	const data = parseOrThrow(text);
	const found = walk(data, segments);
	const planner = new Planner(text);
	const expected = smolToml().parse(text) as Table;
	setIn(expected, segments, value);
	const accept = (edits: TextEdit[]): boolean => {
		try {
			return isDeepStrictEqual(smolToml().parse(applyTextEdits(text, edits)), expected);
		} catch {
			return false;
		}
	};
	if (found.existing === segments.length) {
		if (isTable(found.value) || Array.isArray(found.value)) {
			throw endsAtContainer(segments, describe(found.value));
		}
		const previousValue = found.value instanceof Date ? found.value.toISOString() : String(found.value);
		if (found.value === value) {
			return { edits: [], previousValue };
		}
		const located = planner.entries.find((e) => isDeepStrictEqual(e.path, segments));
		if (located) {
			const { valueStart, valueEnd } = located.entry;
			const edits = [
				{ offset: valueStart, length: valueEnd - valueStart, newText: renderValue(value, text.slice(valueStart, valueEnd)) },
			];
			if (accept(edits)) {
				return { edits, previousValue };
			}
		}
		throw configError(
			'UnsupportedValue',
			`"${formatKeyPath(segments)}" is written in a form this editor cannot change safely (e.g. inside an inline array); edit it by hand.`,
			undefined,
			{ code: 'toml-uneditable', values: { path: formatKeyPath(segments) } },
		);
	}
	for (const edit of planner.insertCandidates(segments, found.existing, value)) {
		if (edit && accept([edit])) {
			return { edits: [edit] };
		}
	}
	throw configError(
		'UnsupportedValue',
		`Could not find a safe place to add "${formatKeyPath(segments)}" to the TOML file; add it by hand.`,
		undefined,
		{ code: 'toml-no-place', values: { path: formatKeyPath(segments) } },
	);
}

function setIn(data: Table, segments: readonly KeySegment[], value: string): void {
	let node: Record<string | number, unknown> = data;
	segments.forEach((segment, index) => {
		if (index === segments.length - 1) {
			node[segment] = value;
			return;
		}
		if (node[segment] === undefined) {
			// Same prototype as the parser's tables (smol-toml may use null-prototype objects), for deep equality.
			node[segment] = Object.create(Object.getPrototypeOf(data) as object | null) as Table;
		}
		node = node[segment] as Record<string | number, unknown>;
	});
}
