// One rule, one verdict: each CreateOTAFirmware field rule walked over its edge characters through the client's
// check (validateCreateFirmware), the sandbox's own check (parseCreateFirmware) and, for FirmwareName, the name the
// client derives (defaultFirmwareName). Client and sandbox build their checks from the same facts (core/otaFacts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateCreateFirmware } from '../../../src/core/limits';
import type { CreateFirmwareRequest } from '../../../src/core/types';
import { defaultFirmwareName } from '../../../src/core/upload/defaultFirmwareName';
import { parseCreateFirmware } from '../../../src/sandbox/firmwareRules';

const base: CreateFirmwareRequest & { firmwareUrl: string } = {
	firmwareUrl: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/abc.bin',
	firmwareName: 'fw',
	destVersion: '1.0.0',
	productKey: 'a1B2c3D4e5F',
};

/** Outside the Basic Multilingual Plane (CJK Extension B): one character, two UTF-16 code units. */
const EXT_B = '𠀋';

function clientAccepts(patch: Partial<CreateFirmwareRequest>): boolean {
	try {
		validateCreateFirmware({ ...base, ...patch });
		return true;
	} catch {
		return false;
	}
}

function sandboxAccepts(params: Record<string, string>): boolean {
	try {
		parseCreateFirmware({
			FirmwareName: base.firmwareName,
			DestVersion: base.destVersion,
			ProductKey: base.productKey,
			FirmwareUrl: base.firmwareUrl,
			...params,
		});
		return true;
	} catch {
		return false;
	}
}

function walk(field: 'firmwareName' | 'destVersion' | 'srcVersion' | 'moduleName' | 'firmwareDesc', cases: Array<[string, boolean]>): void {
	const param = field[0].toUpperCase() + field.slice(1);
	for (const [value, expected] of cases) {
		const shown = JSON.stringify(value.length > 24 ? `${value.slice(0, 12)}…(${value.length} units)` : value);
		assert.equal(clientAccepts({ [field]: value }), expected, `client, ${param} ${shown}`);
		assert.equal(sandboxAccepts({ [param]: value }), expected, `sandbox, ${param} ${shown}`);
	}
}

void describe('CreateOTAFirmware field rules: client and sandbox agree on every edge', () => {
	void test('FirmwareName: ASCII letters/digits, Chinese, Japanese (incl. ー), half-width - _ ( ), 1–40 UTF-16 units', () => {
		walk('firmwareName', [
			['a', true],
			['固件-1', true],
			['ラーメン-1', true],
			['らーめん', true],
			['ﾗｰﾒﾝ', true],
			['3D(beta)_v2', true],
			['中文(测试)', true],
			['a'.repeat(40), true],
			['固'.repeat(40), true],
			[EXT_B.repeat(20), true],
			['', false],
			['-a', false],
			['_a', false],
			['(a)', false],
			['Ａpp', false],
			['１fw', false],
			['fw（1）', false],
			['fw－1', false],
			['a b', false],
			['a.b', false],
			['fw/1', false],
			['Ωmega', false],
			['café', false],
			['한국어', false],
			['fw😀', false],
			['fw・1', false],
			['a'.repeat(41), false],
			['固'.repeat(41), false],
			[EXT_B.repeat(21), false],
			['a'.repeat(39) + EXT_B, false],
		]);
	});

	void test('DestVersion, SrcVersion, ModuleName: [A-Za-z0-9._-], 1–64 characters', () => {
		const cases: Array<[string, boolean]> = [
			['1.0.0', true],
			['v2_rc-1', true],
			['v'.repeat(64), true],
			['v'.repeat(65), false],
			['1 0', false],
			['1.0.0+build', false],
			['１.0', false],
			['版本1', false],
			['(1)', false],
		];
		walk('destVersion', [['', false], ...cases]);
		walk('srcVersion', cases);
		walk('moduleName', cases);
	});

	void test('FirmwareDesc: at most 100 UTF-16 units, a Chinese character counting one', () => {
		walk('firmwareDesc', [
			['x'.repeat(100), true],
			['描'.repeat(100), true],
			['😀'.repeat(50), true],
			['（全角）、。'.repeat(16), true],
			['x'.repeat(101), false],
			['描'.repeat(101), false],
			['😀'.repeat(51), false],
		]);
	});
});

void describe('defaultFirmwareName keeps what the rule allows and replaces only what it refuses', () => {
	const cases: Array<[file: string, version: string, expected: string]> = [
		['/build/app.bin', '1.2.0', 'app-1_2_0'],
		['C:\\out\\fw image.tar.gz', 'v2', 'fw_image-v2'],
		['固件.zip', '3.0', '固件-3_0'],
		['ラーメン.bin', '1', 'ラーメン-1'],
		['ﾗｰﾒﾝ.bin', '1', 'ﾗｰﾒﾝ-1'],
		['(beta)build.bin', '2', 'beta)build-2'],
		['Ａpp.bin', '1.0', 'pp-1_0'],
		['fw（1）.bin', '1', 'fw_1-1'],
		['.hidden.bin', '1', 'hidden-1'],
		['---.bin', '9', 'firmware-9'],
		['ü.bin', '1', 'firmware-1'],
	];
	for (const [file, version, expected] of cases) {
		void test(`${file} + ${version} → ${expected}`, () => {
			const name = defaultFirmwareName(file, version);
			assert.equal(name, expected);
			assert.ok(clientAccepts({ firmwareName: name }) && sandboxAccepts({ FirmwareName: name }), name);
		});
	}

	void test('the version is kept whole and the name fits 40 units, counted as the platform counts', () => {
		for (const stem of ['very-long-firmware-name-'.repeat(4), EXT_B.repeat(30), `a${EXT_B.repeat(30)}`]) {
			const name = defaultFirmwareName(`${stem}.bin`, '10.20.30-rc1');
			assert.ok(name.length <= 40, `${name} is ${name.length} units`);
			assert.ok(name.endsWith('-10_20_30-rc1'), name);
			assert.ok(clientAccepts({ firmwareName: name }) && sandboxAccepts({ FirmwareName: name }), name);
		}
	});

	void test('a content tag keeps different contents apart: the tag whole, then the version, the stem gets the rest', () => {
		const sha = (c: string) => c.repeat(64);
		assert.equal(defaultFirmwareName('/build/app.bin', '1.2.0', sha('A')), 'app-1_2_0-aaaaaaaa');
		assert.notEqual(defaultFirmwareName('app.bin', '1.2.0', sha('a')), defaultFirmwareName('app.bin', '1.2.0', sha('b')));
		for (const [stem, version] of [
			['very-long-firmware-name-'.repeat(4), '10.20.30-rc1'],
			[EXT_B.repeat(30), '1.0'],
			['app', `v${'9'.repeat(63)}`],
		]) {
			const name = defaultFirmwareName(`${stem}.bin`, version, sha('c'));
			assert.ok(name.length <= 40, `${name} is ${name.length} units`);
			assert.ok(name.endsWith('-cccccccc'), name);
			assert.ok(clientAccepts({ firmwareName: name }) && sandboxAccepts({ FirmwareName: name }), name);
		}
		assert.equal(defaultFirmwareName('app.bin', `v${'9'.repeat(63)}`, sha('c')), `a-v${'9'.repeat(28)}-cccccccc`);
		assert.equal(defaultFirmwareName('app.bin', '1.0', 'not hex'), 'app-1_0', 'no digest, no tag');
	});
});
