import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { FIELD_RULES, validateCreateFirmware } from '../../../src/core/limits';
import type { CreateFirmwareRequest } from '../../../src/core/types';

const valid: CreateFirmwareRequest = {
	firmwareUrl: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/firmware/abc.bin',
	firmwareName: 'esp32-main_v1(beta)',
	destVersion: '1.2.3-rc.1',
	productKey: 'a1B2c3D4e5F',
};

function rejects(patch: Partial<Record<keyof CreateFirmwareRequest, unknown>>, code: string, message: string): void {
	assert.throws(
		() => validateCreateFirmware({ ...valid, ...patch } as CreateFirmwareRequest),
		(error: unknown) => {
			assert.ok(error instanceof OtaError);
			assert.equal(error.source, 'validation');
			assert.equal(error.code, code);
			assert.equal(error.message, message);
			return true;
		},
	);
}

void describe('validateCreateFirmware accepts', () => {
	const accepted: Array<[string, Partial<CreateFirmwareRequest>]> = [
		['the minimal request', {}],
		['a Chinese name', { firmwareName: '主控固件-v2' }],
		['a Japanese name (kana, kanji, prolonged sound mark)', { firmwareName: 'ファームウェア_更新ー' }],
		['a name starting with a digit', { firmwareName: '2024_fw' }],
		['a 40-character name', { firmwareName: 'a'.repeat(40) }],
		['a 40-character CJK name', { firmwareName: '固'.repeat(40) }],
		['a 64-character version', { destVersion: 'v'.repeat(64) }],
		['a delta package', { type: 1, srcVersion: '1.2.2' }],
		['a full package with a source version', { type: 0, srcVersion: '1.0' }],
		['a module name', { moduleName: 'wifi.module_2-a' }],
		['a 100-character CJK description', { firmwareDesc: '说'.repeat(100) }],
		['an MD5 sign (default method)', { firmwareSign: 'D41D8CD98F00B204E9800998ECF8427E' }],
		['a SHA256 sign', { signMethod: 'SHA256', firmwareSign: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }],
		['the maximum size', { firmwareSize: 1_048_576_000 }],
		['a plain http URL (sandbox)', { firmwareUrl: 'http://127.0.0.1:9000/ota/firmware/x.bin' }],
	];
	for (const [name, patch] of accepted) {
		void test(name, () => assert.doesNotThrow(() => validateCreateFirmware({ ...valid, ...patch })));
	}
});

void describe('validateCreateFirmware rejects', () => {
	const nameRule = FIELD_RULES.FirmwareName;
	const versionRule = '1–64 characters: letters, digits, ".", "_" and "-"';
	const table: Array<[string, Partial<Record<keyof CreateFirmwareRequest, unknown>>, string, string]> = [
		['an empty name', { firmwareName: '' }, 'InvalidFirmwareName', `Invalid FirmwareName "": must be ${nameRule}.`],
		[
			'a 41-character name',
			{ firmwareName: 'a'.repeat(41) },
			'InvalidFirmwareName',
			`Invalid FirmwareName "${'a'.repeat(41)}": must be ${nameRule}.`,
		],
		['a name starting with "-"', { firmwareName: '-fw' }, 'InvalidFirmwareName', `Invalid FirmwareName "-fw": must be ${nameRule}.`],
		[
			'a name starting with "("',
			{ firmwareName: '(beta)' },
			'InvalidFirmwareName',
			`Invalid FirmwareName "(beta)": must be ${nameRule}.`,
		],
		['a name with a space', { firmwareName: 'my fw' }, 'InvalidFirmwareName', `Invalid FirmwareName "my fw": must be ${nameRule}.`],
		['a name with a dot', { firmwareName: 'fw.v1' }, 'InvalidFirmwareName', `Invalid FirmwareName "fw.v1": must be ${nameRule}.`],
		[
			'a name with full-width parentheses',
			{ firmwareName: 'fw（1）' },
			'InvalidFirmwareName',
			`Invalid FirmwareName "fw（1）": must be ${nameRule}.`,
		],
		['an empty DestVersion', { destVersion: '' }, 'InvalidDestVersion', `Invalid DestVersion "": must be ${versionRule}.`],
		['a DestVersion with a space', { destVersion: '1 0' }, 'InvalidDestVersion', `Invalid DestVersion "1 0": must be ${versionRule}.`],
		[
			'a 65-character DestVersion',
			{ destVersion: '1'.repeat(65) },
			'InvalidDestVersion',
			`Invalid DestVersion "${'1'.repeat(65)}": must be ${versionRule}.`,
		],
		['an unknown Type', { type: 2 }, 'InvalidType', 'Invalid Type 2: must be 0 (full package) or 1 (delta package).'],
		['a delta without SrcVersion', { type: 1 }, 'InvalidSrcVersion', 'Invalid SrcVersion: is required for a delta package (Type 1).'],
		[
			'a delta with SrcVersion = DestVersion',
			{ type: 1, srcVersion: '1.2.3-rc.1' },
			'InvalidSrcVersion',
			'Invalid SrcVersion "1.2.3-rc.1": must differ from DestVersion for a delta package (Type 1).',
		],
		[
			'a SrcVersion with "/"',
			{ srcVersion: '1/2' },
			'InvalidSrcVersion',
			`Invalid SrcVersion "1/2": must be ${FIELD_RULES.SrcVersion}.`,
		],
		['a ModuleName with CJK', { moduleName: '模块' }, 'InvalidModuleName', `Invalid ModuleName "模块": must be ${versionRule}.`],
		['an empty ModuleName', { moduleName: '' }, 'InvalidModuleName', `Invalid ModuleName "": must be ${versionRule}.`],
		[
			'an empty ProductKey',
			{ productKey: '' },
			'InvalidProductKey',
			'Invalid ProductKey "": must be a product key of 1–64 letters and digits.',
		],
		[
			'a ProductKey with "-"',
			{ productKey: 'a1-b2' },
			'InvalidProductKey',
			'Invalid ProductKey "a1-b2": must be a product key of 1–64 letters and digits.',
		],
		[
			'a FirmwareUrl that is not a URL',
			{ firmwareUrl: 'ota/firmware/x.bin' },
			'InvalidFirmwareUrl',
			'Invalid FirmwareUrl "ota/firmware/x.bin": must be the FirmwareUrl returned by GenerateOTAUploadURL (https://; http:// only from the local sandbox or an endpoint allowed to be insecure).',
		],
		[
			'a 101-character description',
			{ firmwareDesc: 'd'.repeat(101) },
			'InvalidFirmwareDesc',
			'Invalid FirmwareDesc: must be at most 100 characters (got 101).',
		],
		['an unknown SignMethod', { signMethod: 'SHA1' }, 'InvalidSignMethod', 'Invalid SignMethod "SHA1": must be "MD5" or "SHA256".'],
		[
			'an MD5 sign of 31 digits',
			{ firmwareSign: 'a'.repeat(31) },
			'InvalidFirmwareSign',
			`Invalid FirmwareSign "${'a'.repeat(31)}": must be 32 hex digits for SignMethod MD5.`,
		],
		[
			'a non-hex MD5 sign',
			{ firmwareSign: 'g'.repeat(32) },
			'InvalidFirmwareSign',
			`Invalid FirmwareSign "${'g'.repeat(32)}": must be 32 hex digits for SignMethod MD5.`,
		],
		[
			'an MD5-length sign for SHA256',
			{ signMethod: 'SHA256', firmwareSign: 'a'.repeat(32) },
			'InvalidFirmwareSign',
			`Invalid FirmwareSign "${'a'.repeat(32)}": must be 64 hex digits for SignMethod SHA256.`,
		],
		[
			'a zero size',
			{ firmwareSize: 0 },
			'InvalidFirmwareSize',
			'Invalid FirmwareSize 0: must be a whole number of bytes from 1 to 1,048,576,000.',
		],
		[
			'a fractional size',
			{ firmwareSize: 1.5 },
			'InvalidFirmwareSize',
			'Invalid FirmwareSize 1.5: must be a whole number of bytes from 1 to 1,048,576,000.',
		],
		[
			'a size over the limit',
			{ firmwareSize: 1_048_576_001 },
			'InvalidFirmwareSize',
			'Invalid FirmwareSize 1048576001: must be a whole number of bytes from 1 to 1,048,576,000.',
		],
	];
	for (const [name, patch, code, message] of table) {
		void test(name, () => rejects(patch, code, message));
	}
});

void describe('validateCreateFirmware on a multi-file package (MultiFiles.N)', () => {
	const file = (name: string) => ({
		name,
		url: `${valid.firmwareUrl}?${name}`,
		size: 10,
		signValue: 'a'.repeat(32),
		fileMd5: 'b'.repeat(32),
	});
	const multi = { firmwareUrl: undefined, multiFiles: [file('app.bin'), file('fs.bin')] };

	void test('accepts up to 20 files with their own names and digests', () => {
		assert.doesNotThrow(() => validateCreateFirmware({ ...valid, ...multi }));
		const twenty = Array.from({ length: 20 }, (_, i) => file(`f${i}`));
		assert.doesNotThrow(() => validateCreateFirmware({ ...valid, firmwareUrl: undefined, multiFiles: twenty }));
	});

	const table: Array<[string, Partial<Record<keyof CreateFirmwareRequest, unknown>>, string, string]> = [
		[
			'21 files',
			{ ...multi, multiFiles: Array.from({ length: 21 }, (_, i) => file(`f${i}`)) },
			'InvalidMultiFiles',
			'Invalid MultiFiles: a multi-file package holds at most 20 files (got 21).',
		],
		[
			'a FirmwareUrl too',
			{ ...multi, firmwareUrl: valid.firmwareUrl },
			'InvalidMultiFiles',
			"A multi-file package takes no FirmwareUrl: each file's URL, size and digest go in MultiFiles.N.",
		],
		[
			'a duplicate name',
			{ ...multi, multiFiles: [file('a'), file('a')] },
			'InvalidPackageFileName',
			'Invalid MultiFiles.N.Name: the name "a" is used by another file of the package; each file of a package needs its own name of 1–32 characters.',
		],
		[
			'a 33-character name',
			{ ...multi, multiFiles: [file('n'.repeat(33))] },
			'InvalidPackageFileName',
			`Invalid MultiFiles.N.Name: the name "${'n'.repeat(33)}" has 33 characters; each file of a package needs its own name of 1–32 characters.`,
		],
		[
			'an MD5 as SignValue of a SHA256 package',
			{ ...multi, signMethod: 'SHA256' },
			'InvalidMultiFiles',
			'Invalid MultiFiles.N.SignValue or FileMd5 of "app.bin": must be the file\'s SHA256 and MD5 in hex.',
		],
	];
	for (const [name, patch, code, message] of table) {
		void test(`refuses ${name}`, () => rejects(patch, code, message));
	}
});
