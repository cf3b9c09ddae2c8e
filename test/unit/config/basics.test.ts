import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	applyTextEdits,
	CONFIG_FORMATS,
	describeFormat,
	detectConfigFormat,
	formatKeyPath,
	parseKeyPath,
} from '../../../src/core/configInsert';
import { OtaError } from '../../../src/core/errors';

void test('parseKeyPath reads dots, indices and quoted keys', () => {
	assert.deepEqual(parseKeyPath('a.b.c'), ['a', 'b', 'c']);
	assert.deepEqual(parseKeyPath('a.list[0].url'), ['a', 'list', 0, 'url']);
	assert.deepEqual(parseKeyPath('a."b.c".d'), ['a', 'b.c', 'd']);
	assert.deepEqual(parseKeyPath('a["b.c"]'), ['a', 'b.c']);
	assert.deepEqual(parseKeyPath("a['b.c'][2]"), ['a', 'b.c', 2]);
	assert.deepEqual(parseKeyPath('[1].x'), [1, 'x']);
	assert.deepEqual(parseKeyPath('env:esp32dev.upload_url'), ['env:esp32dev', 'upload_url']);
	assert.deepEqual(parseKeyPath('a."say \\"hi\\""'), ['a', 'say "hi"']);
	assert.deepEqual(parseKeyPath('  a.0  '), ['a', '0'], 'a bare number is a key, not an index');
});

void test('parseKeyPath rejects malformed paths with an actionable OtaError', () => {
	const cases: Array<[string, RegExp]> = [
		['', /it is empty/],
		['a..b', /empty key at position 3/],
		['a.', /ends with "\."/],
		['.a', /empty key at position 1/],
		['a[x]', /"\[x\]" is not an array index/],
		['a[1', /never closed/],
		['a."b', /quote at position 3 is never closed/],
		['a[0]b', /expected "\." or "\[" at position 5/],
		['a]', /unexpected "\]"/],
	];
	for (const [path, message] of cases) {
		assert.throws(
			() => parseKeyPath(path),
			(error: unknown) =>
				error instanceof OtaError && error.source === 'config' && error.code === 'InvalidKeyPath' && message.test(error.message),
			path,
		);
	}
});

void test('formatKeyPath output parses back to the same segments', () => {
	const samples = [['a', 'b.c', 0, 'd e'], ['x', 'quote"and\\slash', 'new\nline'], ['', 'ü', 3], ["it's"]];
	for (const segments of samples) {
		assert.deepEqual(parseKeyPath(formatKeyPath(segments)), segments);
	}
	assert.equal(formatKeyPath(['ota', 'list', 0, 'url']), 'ota.list[0].url');
	assert.equal(formatKeyPath(['a', 'b.c']), 'a."b.c"');
});

void test('detectConfigFormat maps file names to formats', () => {
	const expected: Record<string, string | undefined> = {
		'settings.json': 'json',
		'/w/.vscode/settings.json': 'json',
		'tsconfig.jsonc': 'json',
		'my.code-workspace': 'json',
		'app.YAML': 'yaml',
		'config.yml': 'yaml',
		'Cargo.toml': 'toml',
		'.env': 'env',
		'.env.production': 'env',
		'C:\\proj\\prod.env': 'env',
		'application.properties': 'properties',
		'platformio.ini': 'ini',
		'setup.cfg': 'ini',
		'app.conf': 'ini',
		'prj.conf': 'sdkconfig',
		'prj_nrf52.conf': 'sdkconfig',
		sdkconfig: 'sdkconfig',
		'sdkconfig.defaults': 'sdkconfig',
		'sdkconfig.defaults.esp32': 'sdkconfig',
		'ota_config.h': 'c-header',
		'config.hpp': 'c-header',
		'a.hh': 'c-header',
		'a.hxx': 'c-header',
		'main.c': undefined,
		'firmware.bin': undefined,
		Makefile: undefined,
	};
	for (const [name, format] of Object.entries(expected)) {
		assert.equal(detectConfigFormat(name), format, name);
	}
});

void test('describeFormat gives every format a human label', () => {
	assert.equal(CONFIG_FORMATS.length, 8);
	for (const format of CONFIG_FORMATS) {
		assert.ok(describeFormat(format).length > 2, format);
	}
	assert.equal(describeFormat('ini'), 'INI (e.g. platformio.ini)');
});

void test('applyTextEdits applies unordered edits against the original text', () => {
	const text = 'hello world';
	const edits = [
		{ offset: 6, length: 5, newText: 'there' },
		{ offset: 0, length: 0, newText: '>> ' },
		{ offset: 11, length: 0, newText: '!' },
	];
	assert.equal(applyTextEdits(text, edits), '>> hello there!');
	assert.equal(applyTextEdits(text, []), text);
	assert.throws(
		() =>
			applyTextEdits(text, [
				{ offset: 3, length: 4, newText: '' },
				{ offset: 5, length: 1, newText: '' },
			]),
		/overlap/,
	);
	assert.throws(() => applyTextEdits(text, [{ offset: 10, length: 5, newText: '' }]), /outside the text/);
});
