// INI, TOML and .properties read back by the readers their users run: Python's configparser (PlatformIO), Python's
// tomllib, and java.util.Properties. Worst values and worst existing content (case-insensitive INI options, a
// .properties line continued into the end of the file, a byte-order mark) included.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTextEdits, computeInsertEdits, CONFIG_FORMATS, type ConfigFormat } from '../../../src/core/configInsert';
import { OtaError } from '../../../src/core/errors';
import { readIniWithConfigparser, readPropertiesWithJava, readTomlWithTomllib } from './readers';

function set(text: string, format: ConfigFormat, keyPath: string, value: string): string {
	return applyTextEdits(text, computeInsertEdits(text, format, keyPath, value));
}

function refused(text: string, format: ConfigFormat, keyPath: string, value: string): OtaError {
	try {
		computeInsertEdits(text, format, keyPath, value);
	} catch (error) {
		assert.ok(error instanceof OtaError && error.code === 'UnsupportedValue', String(error));
		return error;
	}
	assert.fail(`${format}: ${JSON.stringify(value)} was written`);
}

const URL = 'https://h.example/fw.bin?Expires=1&Signature=a%2Bb%3D';

void test('INI: Python configparser (as PlatformIO) reads what was written; option names match case-insensitively', () => {
	const values = [URL, 'a;b', 'a#b', '100%', 'tab\tin', 'ü🚀', 'x = y', 'it\'s "q"'];
	let text = '[ota]\nURL = old ; the server\n\n[env:esp32]\nboard = esp32dev\n';
	text = set(text, 'ini', 'ota.url', URL);
	values.forEach((value, i) => {
		text = set(text, 'ini', `env:esp32.k${i}`, value);
	});
	const data = readIniWithConfigparser(text);
	assert.equal(data.ota?.url, URL, 'configparser (strict) would refuse a second "url" next to "URL"');
	values.forEach((value, i) => assert.equal(data['env:esp32']?.[`k${i}`], value));
});

void test('INI refuses what configparser or PlatformIO would read differently: control characters, ${…}', () => {
	for (const value of ['x\u001c', 'x\u0085', 'a\u000bb', 'x\u007f', '${env.url}']) {
		refused('[ota]\n', 'ini', 'ota.url', value);
	}
	assert.match(refused('[ota]\n', 'ini', 'ota.url', '${env.url}').message, /PlatformIO expands as a reference to another setting/);
});

void test('TOML: Python tomllib reads what was written (controls, NEL, LS, quotes), and C1/LS/PS are escaped', () => {
	const values = [URL, 'q"uote\\back', "'''", 'line\nbreak\ttab', 'nel\u0085ls\u2028ps\u2029', 'esc\u001bdel\u007f', 'ü🚀'];
	let text = "[ota]\nurl = 'old'\ninline = { a = 1 }\n";
	const expected: Record<string, string> = {};
	values.forEach((value, i) => {
		text = set(text, 'toml', i === 0 ? 'ota.url' : `ota.k${i}`, value);
		text = set(text, 'toml', `ota.inline.k${i}`, value);
		expected[i === 0 ? 'url' : `k${i}`] = value;
	});
	const ota = (readTomlWithTomllib(text) as { ota: Record<string, unknown> & { inline: Record<string, unknown> } }).ota;
	for (const [key, value] of Object.entries(expected)) {
		assert.equal(ota[key], value);
	}
	values.forEach((value, i) => assert.equal(ota.inline[`k${i}`], value));
	assert.doesNotMatch(text, /[\u0080-\u009f\u2028\u2029]/);
});

void test('.properties: java.util.Properties reads what was written, also after a line continued into the end of the file', () => {
	const values = [URL, ' lead and trail ', '#!=: start', 'back\\slash\\', 'line\nbreak', 'ü🚀', ''];
	for (const before of ['a=x\\\n', 'a=x\\', 'a = part1\\\n    part2\\\n', '# note \\\na=x\n']) {
		let text = before;
		values.forEach((value, i) => {
			text = set(text, 'properties', `k ${i}`, value);
		});
		const data = readPropertiesWithJava(text);
		assert.deepEqual(
			values.map((_, i) => data.get(`k ${i}`)),
			values,
			`java read other values from:\n${text}`,
		);
		assert.equal(data.get('a'), before.includes('part1') ? 'part1part2' : 'x', `"a" changed:\n${text}`);
	}
});

void test('every format keeps a leading byte-order mark and plans around it', () => {
	const samples: Record<ConfigFormat, [string, string]> = {
		json: ['{"a": 1}\n', 'b'],
		yaml: ['a: 1\n', 'b'],
		toml: ['a = 1\n', 'b'],
		env: ['A=1\n', 'B'],
		properties: ['a=1\n', 'b'],
		ini: ['[s]\na = 1\n', 's.b'],
		sdkconfig: ['CONFIG_A=y\n', 'CONFIG_B'],
		'c-header': ['#define A 1\n', 'B'],
	};
	for (const format of CONFIG_FORMATS) {
		const [text, key] = samples[format];
		assert.equal(set(`\ufeff${text}`, format, key, 'v'), `\ufeff${set(text, format, key, 'v')}`, format);
	}
});

void test('every format refuses a value with an unpaired surrogate (it has no UTF-8 form)', () => {
	for (const format of CONFIG_FORMATS) {
		const error = refused('', format, format === 'ini' ? 's.k' : 'K', 'x\ud800y');
		assert.match(error.message, /^The value is not valid Unicode text \(it holds an unpaired surrogate\)\./);
	}
});
