// Bad input through the CLI, the CreateOTAFirmware fields (name, versions, module, description, product key): each
// is refused with one exact message naming the field rule (see badInputSupport.ts), exit 2, before anything is uploaded.
import { before, describe, test } from 'node:test';
import type { Sandbox } from '../../../src/sandbox';
import { expectRefused, useBadInputSuite } from './badInputSupport';

void describe('reliability: bad input is refused with one exact message (CLI): CreateOTAFirmware fields', { concurrency: 8 }, () => {
	const t = useBadInputSuite('iot-ota-rel-input-fields-');
	const { runOffline } = t;
	let sandbox: Sandbox;
	let firmware: string;

	before(() => {
		({ sandbox } = t.suite);
		firmware = t.firmware;
	});

	// Built when the test runs: the sandbox and the firmware path only exist after before().
	const create =
		(...extra: string[]) =>
		(): string[] => ['upload', firmware, '--create', '--product-key', sandbox.productKey, ...extra];
	const long41 = `a${'b'.repeat(40)}`;
	const fieldCases: Array<[string, () => string[], string, string]> = [
		[
			'a 41-character name',
			create('--dest-version', '1.0', '--name', long41),
			'InvalidFirmwareName',
			`Invalid FirmwareName "${long41}": must be 1–40 characters: letters, digits, Chinese or Japanese characters, "-", "_", "(" and ")", starting with a letter, digit or Chinese/Japanese character.`,
		],
		[
			'a name with "!" and a space',
			create('--dest-version', '1.0', '--name', 'fw v1!'),
			'InvalidFirmwareName',
			'Invalid FirmwareName "fw v1!": must be 1–40 characters: letters, digits, Chinese or Japanese characters, "-", "_", "(" and ")", starting with a letter, digit or Chinese/Japanese character.',
		],
		[
			'a name starting with "_"',
			create('--dest-version', '1.0', '--name', '_fw'),
			'InvalidFirmwareName',
			'Invalid FirmwareName "_fw": must be 1–40 characters: letters, digits, Chinese or Japanese characters, "-", "_", "(" and ")", starting with a letter, digit or Chinese/Japanese character.',
		],
		[
			'a version with a space',
			create('--dest-version', '1 0'),
			'InvalidDestVersion',
			'Invalid DestVersion "1 0": must be 1–64 characters: letters, digits, ".", "_" and "-".',
		],
		[
			'a version with "+build"',
			create('--dest-version', '1.0.0+build.5'),
			'InvalidDestVersion',
			'Invalid DestVersion "1.0.0+build.5": must be 1–64 characters: letters, digits, ".", "_" and "-".',
		],
		[
			'a 65-character version',
			create('--dest-version', '9'.repeat(65)),
			'InvalidDestVersion',
			`Invalid DestVersion "${'9'.repeat(65)}": must be 1–64 characters: letters, digits, ".", "_" and "-".`,
		],
		[
			'an empty version',
			create('--dest-version', ''),
			'InvalidDestVersion',
			'Invalid DestVersion "": must be 1–64 characters: letters, digits, ".", "_" and "-".',
		],
		[
			'a source version with "/"',
			create('--dest-version', '2.0', '--src-version', '1/0'),
			'InvalidSrcVersion',
			'Invalid SrcVersion "1/0": must be 1–64 characters: letters, digits, ".", "_" and "-"; required for a delta package (Type 1) and different from DestVersion.',
		],
		[
			'a module name with a space',
			create('--dest-version', '2.0', '--module', 'wifi fw'),
			'InvalidModuleName',
			'Invalid ModuleName "wifi fw": must be 1–64 characters: letters, digits, ".", "_" and "-".',
		],
		[
			'a 101-character description',
			create('--dest-version', '2.0', '--desc', 'd'.repeat(101)),
			'InvalidFirmwareDesc',
			'Invalid FirmwareDesc: must be at most 100 characters (got 101).',
		],
		[
			'a product key with "-"',
			() => ['upload', firmware, '--create', '--product-key', 'a1-bad', '--dest-version', '2.0'],
			'InvalidProductKey',
			'Invalid ProductKey "a1-bad": must be a product key of 1–64 letters and digits.',
		],
	];
	for (const [what, args, code, message] of fieldCases) {
		void test(`CreateOTAFirmware: ${what} → ${code}, exit 2, nothing uploaded`, async () => {
			await expectRefused(runOffline(args()), { exit: 2, code, message, offline: true });
		});
	}
});
