// "Insertion never corrupts a valid file", at the FILE level (the config engine's own property tests cover
// the text edits): random valid JSON / YAML / TOML / .env / .properties / INI files, random key paths and
// FirmwareUrl-like values go through insertIntoFile, the way the CLI writes. Afterwards either
//   - the file parses with an independent parser and equals the original with exactly that key set, or
//   - insertIntoFile threw ONE config OtaError and the file is byte-for-byte what it was;
// and in both cases no temp file is left, the mode is kept and a symlink stays a symlink.
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type * as SmolToml from 'smol-toml' with { 'resolution-mode': 'import' };
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { insertIntoFile } from '../../../src/core/configInsert/file';
import { OtaError } from '../../../src/core/errors';
import { checkProperty, fuzzParams, installTripwire, removeDir, tempDir } from '../../support/reliability';

// smol-toml's typings are ESM-only; its CommonJS build loads through require() (as in src/core/configInsert/toml.ts).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parse: parseToml, stringify: stringifyToml } = require('smol-toml') as typeof SmolToml;

const tripwire = installTripwire();
/** Plain objects only (parsers differ in prototypes), so deepEqual compares content. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

type Doc = { [key: string]: Leaf | Doc };
type Leaf = string | number | boolean;

const keyArb = fc.constantFrom('a', 'b', 'ota', 'url', 'x_1');
const leafArb: fc.Arbitrary<Leaf> = fc.oneof(
	fc.string({ maxLength: 12 }),
	fc.integer({ min: -1000, max: 1000 }),
	fc.boolean(),
	fc.constantFrom('https://old.example/fw.bin', '#not a comment', 'a: b', "it's", 'ü🚀'),
);
const docArb: fc.Arbitrary<Doc> = fc.letrec<{ doc: Doc }>((tie) => ({
	doc: fc.dictionary(keyArb, fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafArb, tie('doc')), { maxKeys: 4 }),
})).doc;
const flatArb = fc.dictionary(fc.constantFrom('A', 'B', 'OTA_URL', 'url', 'x.y'), fc.stringMatching(/^[A-Za-z0-9_./:-]{0,16}$/), {
	maxKeys: 5,
});
const pathArb = fc.array(keyArb, { minLength: 1, maxLength: 3 });
const valueArb = fc.oneof(
	fc.constantFrom(
		'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/abc/DEF.bin',
		'http://127.0.0.1:41234/ota/4087351b41a056f3/ef.tar.gz',
		'https://h.example/a b#c?d=e&f="g"',
		"https://h.example/it's",
		'https://h.example/ü/🚀.bin',
	),
	fc.webUrl(),
);

const flatValueArb = fc.constantFrom(
	'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/abc/DEF.bin',
	'http://127.0.0.1:41234/ota/4087351b41a056f3/ef.tar.gz',
	'https://h.example/fw.bin?Expires=1&x=y',
	'https://h.example/fw.bin#part',
);

/** The original with `keys` set to `value`, or undefined when a step goes through a scalar (must be refused). */
function expectedAfterSet(
	doc: Doc,
	keys: readonly string[],
	value: string,
): { doc: Doc; settable: true } | { settable: false; final: boolean } {
	const copy = structuredClone(doc);
	let node: Doc = copy;
	for (const key of keys.slice(0, -1)) {
		const next = node[key];
		if (next === undefined) {
			node[key] = {};
		} else if (typeof next !== 'object') {
			return { settable: false, final: false };
		}
		node = node[key] as Doc;
	}
	const last = keys[keys.length - 1];
	if (typeof node[last] === 'object') {
		// Replacing a whole table/mapping with a string: the engine may refuse it or do it; both are acceptable.
		return { settable: false, final: true };
	}
	node[last] = value;
	return { doc: copy, settable: true };
}

interface FileCase {
	format: string;
	name: string;
	text: string;
	keyPath: string;
	/** Parses the file after a successful insert; compares with the expectation. */
	verify(after: string): void;
	/** True when the engine must succeed. */
	mustSucceed: boolean;
}

void describe('reliability fuzz: insertIntoFile never corrupts a valid file', () => {
	let work: string;
	let caseNo = 0;

	before(() => {
		work = tempDir('iot-ota-rel-fuzz-config-');
	});

	afterEach(() => tripwire.assertClean());

	after(() => removeDir(work));

	async function runCase(c: FileCase, value: string, mode: number, viaSymlink: boolean): Promise<void> {
		const dir = mkdtempSync(path.join(work, `c${++caseNo}-`));
		const real = path.join(dir, c.name);
		writeFileSync(real, c.text, { mode });
		const target = viaSymlink ? path.join(dir, `link-${c.name}`) : real;
		if (viaSymlink) {
			symlinkSync(real, target);
		}
		const before = readFileSync(real);
		let failure: unknown;
		try {
			await insertIntoFile(target, c.keyPath, value);
		} catch (error) {
			failure = error;
		}
		const after = readFileSync(real, 'utf8');
		if (failure === undefined) {
			c.verify(after);
		} else {
			assert.ok(failure instanceof OtaError, `not an OtaError: ${String(failure)}`);
			assert.equal(failure.source, 'config');
			assert.ok(!c.mustSucceed, `refused a settable key ${c.keyPath} in ${c.format}: ${failure.code}: ${failure.message}\n${c.text}`);
			assert.deepEqual(readFileSync(real), before, 'a refused insert changed the file');
		}
		assert.deepEqual(
			readdirSync(dir).sort(),
			(viaSymlink ? [c.name, `link-${c.name}`] : [c.name]).sort(),
			'a temp file was left next to the config',
		);
		assert.equal(statSync(real).mode & 0o777, mode, 'the file mode changed');
		if (viaSymlink) {
			assert.ok(lstatSync(target).isSymbolicLink(), 'the symlink was replaced by a file');
		}
	}

	const treeFormats: Array<[string, string, (doc: Doc) => string, (text: string) => unknown]> = [
		['JSON (2-space)', 'device.json', (d) => `${JSON.stringify(d, null, 2)}\n`, (t) => plain(JSON.parse(t))],
		['JSON (tabs, no final newline)', 'device.json', (d) => JSON.stringify(d, null, '\t'), (t) => plain(JSON.parse(t))],
		['YAML', 'device.yaml', (d) => stringifyYaml(d), (t) => plain(parseYaml(t) ?? {})],
		['TOML', 'device.toml', (d) => stringifyToml(d), (t) => plain(parseToml(t))],
	];
	for (const [format, name, write, read] of treeFormats) {
		void test(`${format}: success means the independent parser sees exactly the one change; failure means the same bytes`, async () => {
			await checkProperty(() =>
				fc.assert(
					fc.asyncProperty(
						docArb,
						pathArb,
						valueArb,
						fc.constantFrom(0o644, 0o600, 0o640),
						fc.boolean(),
						async (doc, keys, value, mode, viaSymlink) => {
							const text = write(doc);
							const expected = expectedAfterSet(read(text) as Doc, keys, value);
							await runCase(
								{
									format,
									name,
									text,
									keyPath: keys.join('.'),
									mustSucceed: expected.settable,
									verify: (after) => {
										assert.ok(
											expected.settable || expected.final,
											`wrote through a scalar on the way to ${keys.join('.')}:\n${text}\n→\n${after}`,
										);
										if (expected.settable) {
											assert.deepEqual(
												read(after),
												expected.doc,
												`${format}: wrong result for ${keys.join('.')}:\n${text}\n→\n${after}`,
											);
										}
									},
								},
								value,
								mode,
								viaSymlink,
							);
						},
					),
					fuzzParams(60, 4),
				),
			);
		});
	}

	/** KEY=value lines; a reader that understands the quoting styles the engine may write. */
	function readFlat(text: string, separator: '=' | ': '): Record<string, string> {
		const out: Record<string, string> = {};
		for (const line of text.split(/\r?\n/)) {
			const m = /^\s*([^#;!=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
			if (!m || /^\s*[#;!]/.test(line) || /^\s*\[/.test(line)) {
				continue;
			}
			let value = m[2];
			if (/^".*"$/.test(value)) {
				value = JSON.parse(value) as string;
			} else if (/^'.*'$/.test(value)) {
				value = value.slice(1, -1);
			}
			out[m[1]] = separator === ': ' ? value.replace(/\\(.)/g, '$1') : value;
		}
		return out;
	}

	const flatFormats: Array<[string, string, (d: Record<string, string>) => string]> = [
		[
			'.env',
			'.env',
			(d) =>
				`# generated\n${Object.entries(d)
					.map(([k, v]) => `${k.replace('.', '_')}=${v}`)
					.join('\n')}\n`,
		],
		[
			'INI (one section)',
			'device.ini',
			(d) =>
				`[ota]\n${Object.entries(d)
					.map(([k, v]) => `${k.replace('.', '_')} = ${v}`)
					.join('\n')}\n`,
		],
	];
	for (const [format, name, write] of flatFormats) {
		void test(`${format}: other lines survive verbatim and the key is readable back; failure means the same bytes`, async () => {
			await checkProperty(() =>
				fc.assert(
					fc.asyncProperty(
						flatArb,
						fc.constantFrom('OTA_URL', 'A', 'url', 'NEW_KEY'),
						flatValueArb,
						async (entries, key, value) => {
							const text = write(entries);
							const keyPath = format.startsWith('INI') ? `ota.${key}` : key;
							await runCase(
								{
									format,
									name,
									text,
									keyPath,
									mustSucceed: true,
									verify: (after) => {
										const untouched = text.split('\n').filter((line) => !new RegExp(`^${key}\\s*=`).test(line));
										const kept = after.split('\n');
										let at = 0;
										for (const line of untouched) {
											const found = kept.indexOf(line, at);
											assert.ok(
												found >= 0,
												`${format}: line ${JSON.stringify(line)} was lost:\n${text}\n→\n${after}`,
											);
											at = found + 1;
										}
										assert.equal(readFlat(after, '=')[key], value, `${format}: ${key} does not read back:\n${after}`);
									},
								},
								value,
								0o644,
								false,
							);
						},
					),
					fuzzParams(60, 3),
				),
			);
		});
	}
});
