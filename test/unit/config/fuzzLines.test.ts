// Property-based tests for the line formats (INI, .env) with independent readers, and garbage input for every format.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import dotenv from 'dotenv';
import fc from 'fast-check';
import { CONFIG_FORMATS, formatKeyPath } from '../../../src/core/configInsert';
import { RUNS, runEngine, valueArb, withCrlf } from './fuzzSupport';
import { envUnwritable } from './readers';

const TOP = '(top level)';

// ---- INI ---------------------------------------------------------------------------------------------

type IniData = Map<string, Map<string, string>>;

/** PlatformIO / configparser inline comments: ; or # after whitespace (the separator's included). */
function stripIniComment(value: string): string {
	return /^[;#]/.test(value) ? '' : value.replace(/\s+[;#].*$/, '');
}

/** configparser-like reader: [section], key = value / key: value (keys lowercased), indented continuation lines, ; and # comments. */
function readIni(text: string): IniData {
	const data: IniData = new Map([[TOP, new Map()]]);
	let section = TOP;
	let last: string | undefined;
	for (const line of text.split(/\r?\n/)) {
		const trimmed = line.trim();
		if (trimmed.length === 0) {
			last = undefined;
		} else if (/^[;#]/.test(trimmed)) {
			continue;
		} else if (/^\[[^\]]*\]/.test(trimmed)) {
			section = (/^\[([^\]]*)\]/.exec(trimmed)?.[1] ?? '').trim();
			data.set(section, data.get(section) ?? new Map());
			last = undefined;
		} else if (last !== undefined && /^\s/.test(line)) {
			const entries = data.get(section) as Map<string, string>;
			entries.set(last, `${entries.get(last) ?? ''}\n${stripIniComment(trimmed)}`);
		} else {
			const cut = line.search(/[=:]/);
			assert.ok(cut > 0, `not an INI line: ${JSON.stringify(line)}`);
			last = line.slice(0, cut).trim().toLowerCase();
			data.get(section)?.set(last, stripIniComment(line.slice(cut + 1).trim()));
		}
	}
	return data;
}

const iniKey = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,6}$/);
const iniSection = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_:. -]{0,6}[A-Za-z0-9_]$/);
const iniValue = fc
	.string({ unit: 'grapheme', maxLength: 12 })
	.filter((v) => v.trim() === v && !/[\r\n\u2028\u2029]/.test(v) && !/\s[;#]/.test(v) && !/^[;#]/.test(v));
const iniEntry = fc.record({
	key: iniKey,
	value: fc.oneof(
		iniValue,
		fc.array(
			iniValue.filter((v) => v.length > 0),
			{ minLength: 1, maxLength: 3 },
		),
	),
	sep: fc.constantFrom(' = ', '=', ': ', ' ='),
	comment: fc.boolean(),
});
const iniSectionArb = fc.record({
	name: iniSection,
	entries: fc.uniqueArray(iniEntry, { selector: (e) => e.key.toLowerCase(), maxLength: 4 }),
	blankAfter: fc.boolean(),
});

function writeIni(
	top: ReadonlyArray<typeof iniEntry extends fc.Arbitrary<infer T> ? T : never>,
	sections: ReadonlyArray<typeof iniSectionArb extends fc.Arbitrary<infer T> ? T : never>,
): string {
	const lines: string[] = [];
	const writeEntry = (e: (typeof top)[number]) => {
		if (e.comment) {
			lines.push(`; about ${e.key}`);
		}
		if (Array.isArray(e.value)) {
			lines.push(`${e.key}${e.sep.trimEnd()}`, ...e.value.map((v) => `    ${v}`));
		} else {
			lines.push(`${e.key}${e.value.length > 0 ? e.sep : e.sep.trimEnd()}${e.value}`);
		}
	};
	top.forEach(writeEntry);
	for (const s of sections) {
		lines.push(`[${s.name}]`);
		s.entries.forEach(writeEntry);
		if (s.blankAfter) {
			lines.push('');
		}
	}
	return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

void test('fuzz: INI documents', { timeout: 20_000 }, () => {
	const arb = fc.record({
		top: fc.uniqueArray(iniEntry, { selector: (e) => e.key.toLowerCase(), maxLength: 3 }),
		sections: fc.uniqueArray(iniSectionArb, { selector: (s) => s.name.trim(), maxLength: 4 }),
		pick: fc.nat(),
		newKey: fc.option(iniKey),
		newSection: fc.option(iniSection),
		value: fc.oneof(iniValue, valueArb),
		crlf: fc.boolean(),
	});
	fc.assert(
		fc.property(arb, ({ top, sections, pick, newKey, newSection, value, crlf }) => {
			const text = withCrlf(writeIni(top, sections), crlf);
			const data = readIni(text);
			const names = [...data.keys()];
			const section = newSection ?? (names[pick % names.length] as string);
			const keys = [...(data.get(section)?.keys() ?? [])];
			const key = newKey ?? keys[pick % Math.max(1, keys.length)] ?? 'url';
			const keyPath = formatKeyPath(section === TOP ? [key] : [section, key]);
			const result = runEngine(text, 'ini', keyPath, value);
			const writable =
				value.trim() === value &&
				// eslint-disable-next-line no-control-regex
				!/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/.test(value) &&
				!/\s[;#]/.test(value) &&
				!/^[;#]/.test(value) &&
				!/\$\{[^}]*\}/.test(value);
			if (typeof result !== 'string') {
				assert.ok(!writable && result.code === 'UnsupportedValue', `${keyPath}=${JSON.stringify(value)}: ${result.message}`);
				return;
			}
			assert.ok(writable, `should have refused ${JSON.stringify(value)}`);
			const expected = readIni(text);
			expected.set(section, expected.get(section) ?? new Map());
			expected.get(section)?.set(key.toLowerCase(), value);
			assert.deepEqual(readIni(result), expected);
		}),
		{ numRuns: RUNS },
	);
});

// ---- .env --------------------------------------------------------------------------------------------

const envKey = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,5}$/);
const envEntry = fc.record({
	key: envKey,
	value: valueArb,
	style: fc.constantFrom('auto', 'double', 'single'),
	exported: fc.boolean(),
	comment: fc.boolean(),
});

function writeEnvValue(value: string, style: string): string {
	if (style === 'single' && !/['\n\r]/.test(value)) {
		return `'${value}'`;
	}
	if (style === 'auto' && /^[A-Za-z0-9_./:-]*$/.test(value)) {
		return value;
	}
	return `"${value.replace(/[\\"\n\r]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r' })[c] ?? c)}"`;
}

void test('fuzz: .env documents (read back with dotenv, classic and fast parser)', { timeout: 20_000 }, () => {
	const arb = fc.record({
		entries: fc.uniqueArray(envEntry, { selector: (e) => e.key, maxLength: 5 }),
		pick: fc.nat(),
		newKey: fc.option(envKey),
		value: valueArb,
		crlf: fc.boolean(),
		finalNewline: fc.boolean(),
	});
	fc.assert(
		fc.property(arb, ({ entries, pick, newKey, value, crlf, finalNewline }) => {
			const lines = entries.flatMap((e) => [
				...(e.comment ? [`# ${e.key}`] : []),
				`${e.exported ? 'export ' : ''}${e.key}=${writeEnvValue(e.value, e.style)}${e.comment ? ' # note' : ''}`,
			]);
			const text = withCrlf(lines.join('\n') + (finalNewline && lines.length > 0 ? '\n' : ''), crlf);
			const key = newKey ?? entries[pick % Math.max(1, entries.length)]?.key ?? 'URL';
			const result = runEngine(text, 'env', key, value);
			if (typeof result !== 'string') {
				// No form reads alike in sh and dotenv (see envShell.test.ts, which sources the files in real shells).
				assert.equal(result.code, 'UnsupportedValue', result.message);
				assert.ok(envUnwritable(value), result.message);
				return;
			}
			for (const fast of [false, true]) {
				const expected = dotenv.parse(text, { fast });
				expected[key] = value;
				assert.deepEqual(dotenv.parse(result, { fast }), expected, `dotenv (${fast ? 'fast' : 'classic'})`);
			}
		}),
		{ numRuns: RUNS },
	);
});

// ---- garbage -----------------------------------------------------------------------------------------

const SEEDS = [
	'{\n  "ota": { "url": "x", "list": [1, {"a": null}] } // c\n}\n',
	'a: 1\nb:\n  - x\n  - {y: [1, 2]}\nc: |\n  text\n',
	'[a]\nb = "x" # c\n[[t]]\nu = 1\nv = { w = [1, 2] }\n',
	'export A="x\\"y"\nB=\'z\'\n# c\n',
	'a.b=c\\\n  d\n! c\n',
	'[env:x]\nk = v\n    cont\n; c\n',
	'CONFIG_A="x"\n# CONFIG_B is not set\n',
	'#ifndef H\n#define H\n#define A "x" /* c */\n#endif\n',
];

/** Valid-looking text with random characters spliced in. */
const mutated = fc
	.tuple(
		fc.constantFrom(...SEEDS),
		fc.array(fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 4 }),
	)
	.map(([seed, splices]) =>
		splices.reduce(
			(text, [at, remove, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + remove),
			seed,
		),
	);

void test('fuzz: garbage input yields edits or an OtaError, never another exception', { timeout: 30_000 }, () => {
	const keyPaths = fc.oneof(
		fc.constantFrom('a', 'ota.url', 'A', 'a.b', 'env:x.k', 'CONFIG_A', 'H', 'a[0]', 't[0].u'),
		fc.string({ maxLength: 10 }),
	);
	fc.assert(
		fc.property(
			fc.constantFrom(...CONFIG_FORMATS),
			fc.oneof(fc.string({ unit: 'binary', maxLength: 120 }), mutated),
			keyPaths,
			valueArb,
			(format, text, keyPath, value) => {
				runEngine(text, format, keyPath, value);
			},
		),
		{ numRuns: RUNS * CONFIG_FORMATS.length },
	);
});
