// What the YAML writer emits must read back identically in a YAML 1.1 reader (PyYAML where installed, which
// Zephyr's west and ESP-IDF use) and an independent YAML 1.2 reader (js-yaml). The test names say which ran.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { applyTextEdits, computeInsertEdits, formatKeyPath } from '../../../src/core/configInsert';
import { RUNS } from './fuzzSupport';
import { YAML11, YAML12, type YamlReader } from './readers';

const READERS = `${YAML11.name} and ${YAML12.name}`;

const VALUES = [
	'https://h.example/fw.bin?Expires=1&Signature=a%2Bb',
	'line\u2028sep',
	'para\u2029sep',
	'next\u0085line',
	'esc\u001b[2Jbel\u0007',
	'del\u007fc1\u009b',
	'\ufeffbom',
	'nonchar\ufffe\uffff',
	'tab\tcr\rnul\u0000',
	'multi\nline\n',
	'yes',
	'No',
	'on',
	'OFF',
	'y',
	'1:20',
	'1:20.5',
	'0b101',
	'017',
	'0x1F',
	'1_000',
	'.inf',
	'2001-12-14',
	'~',
	'null',
	'',
	'=',
	'<<',
	"it's",
	'- item',
	'a: b',
	'#hash',
	' lead',
	'trail ',
	'ü🚀',
];

function set(text: string, keyPath: string, value: string): string {
	return applyTextEdits(text, computeInsertEdits(text, 'yaml', keyPath, value));
}

function at(data: unknown, keys: readonly string[]): unknown {
	return keys.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], data);
}

function assertReads(reader: YamlReader, text: string, expected: ReadonlyArray<[string[], string]>): void {
	const data = reader.read(text);
	for (const [keys, value] of expected) {
		assert.equal(at(data, keys), value, `${reader.name} read ${formatKeyPath(keys)} differently from:\n${text}`);
	}
}

/** Each starting document holds the key `k` under `ota` in a different form; `key(i)` is where value i goes. */
const SITUATIONS: Array<{ name: string; before: (i: number) => string; key: (i: number) => string[] }> = [
	{ name: 'a plain value replaced', before: (i) => `v${i}: old # note\n`, key: (i) => [`v${i}`] },
	{ name: 'a double-quoted value replaced', before: (i) => `v${i}: "old"\n`, key: (i) => [`v${i}`] },
	{ name: 'a single-quoted value replaced', before: (i) => `v${i}: 'old'\n`, key: (i) => [`v${i}`] },
	{ name: 'a value in a flow mapping replaced', before: (i) => `m${i}: { url: old, n: 1 }\n`, key: (i) => [`m${i}`, 'url'] },
	{ name: 'a key added to a flow mapping', before: (i) => `m${i}: { n: 1 }\n`, key: (i) => [`m${i}`, 'url'] },
	{ name: 'a value with an anchor replaced', before: (i) => `v${i}: &a${i} old\n`, key: (i) => [`v${i}`] },
	{ name: 'a key added under a mapping', before: (i) => `m${i}:\n  n: 1\n`, key: (i) => [`m${i}`, 'ota', 'url'] },
];

for (const situation of SITUATIONS) {
	void test(`YAML: ${situation.name} reads back identically in ${READERS}`, () => {
		let text = '';
		const expected: Array<[string[], string]> = [];
		VALUES.forEach((value, i) => {
			text = set(text + situation.before(i), formatKeyPath(situation.key(i)), value);
			expected.push([situation.key(i), value]);
		});
		assertReads(YAML11, text, expected);
		assertReads(YAML12, text, expected);
		assert.doesNotMatch(text, /[\u0085\u2028\u2029]/, 'a YAML 1.1 line break was written raw');
	});
}

void test(`YAML: new keys that YAML 1.1 would retype (on, yes, 1:20, =) read back as strings in ${READERS}`, () => {
	const keys = ['on', 'yes', '1:20', '=', '<<', 'line\u2028sep', 'null', '017'];
	let text = 'top: 1\n';
	for (const key of keys) {
		text = set(text, formatKeyPath(['ota', key]), `v-${key}`);
	}
	for (const reader of [YAML11, YAML12]) {
		const ota = (reader.read(text) as { ota: Record<string, unknown> }).ota;
		assert.deepEqual(Object.keys(ota), keys, `${reader.name} read other keys from:\n${text}`);
	}
});

void test(`YAML: other values keep their YAML 1.1 reading when the file is re-rendered (${YAML11.name})`, () => {
	const before = 'flag: yes\nwhen: 2001-12-14\nm: &m { n: 1 }\n';
	const after = set(before, 'm.url', 'on');
	const data = YAML11.read(after) as { flag: unknown; m: Record<string, unknown> };
	assert.equal(data.flag, true, `flag changed for YAML 1.1 readers:\n${after}`);
	assert.equal(data.m.url, 'on');
	assert.match(after, /^flag: yes\nwhen: 2001-12-14\n/);
});

const specialChar = fc.constantFrom(...'\u2028\u2029\u0085\u001b\u007f\u009f\ufeff\t\n\r\0 :#-\'"\\yesonoff0x1b_.~'.split(''));

void test(`YAML: random values, replaced and added, read back identically in ${READERS} (fuzz)`, { timeout: 120_000 }, () => {
	fc.assert(
		fc.property(
			fc.array(fc.oneof(fc.string({ unit: specialChar, maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 12 }),
			(values) => {
				let text = 'ota:\n  keep: yes\n';
				const expected: Array<[string[], string]> = [];
				values.forEach((value, i) => {
					text = set(text, `ota.k${i}`, 'placeholder');
					text = set(text, `ota.k${i}`, value);
					text = set(text, `ota.n${i}.url`, value);
					expected.push([['ota', `k${i}`], value], [['ota', `n${i}`, 'url'], value]);
				});
				assertReads(YAML11, text, expected);
				assertReads(YAML12, text, expected);
			},
		),
		{ numRuns: Math.max(10, Math.round(RUNS / 10)) },
	);
});
