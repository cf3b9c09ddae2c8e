import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	classifyBuildOutput,
	flasherArgsBuildDir,
	newestFile,
	newestFirst,
	parseFlasherArgs,
	planFirmwareList,
	type FlasherArgs,
} from '../../../src/vscode/views/buildOutputRules';

// A real ESP-IDF v5 flasher_args.json (hello_world, esp32), trimmed.
const FLASHER_ARGS = JSON.stringify({
	write_flash_args: ['--flash_mode', 'dio', '--flash_size', '2MB', '--flash_freq', '40m'],
	flash_settings: { flash_mode: 'dio', flash_size: '2MB', flash_freq: '40m' },
	flash_files: {
		'0x1000': 'bootloader/bootloader.bin',
		'0x10000': 'hello_world.bin',
		'0x8000': 'partition_table/partition-table.bin',
		'0xd000': 'ota_data_initial.bin',
	},
	bootloader: { offset: '0x1000', file: 'bootloader/bootloader.bin', encrypted: 'false' },
	app: { offset: '0x10000', file: 'hello_world.bin', encrypted: 'false' },
	'partition-table': { offset: '0x8000', file: 'partition_table/partition-table.bin', encrypted: 'false' },
	otadata: { offset: '0xd000', file: 'ota_data_initial.bin', encrypted: 'false' },
	extra_esptool_args: { after: 'hard_reset', before: 'default_reset', stub: true, chip: 'esp32' },
});

void test('PlatformIO: firmware.bin per env, at the root or one/two folders down', () => {
	assert.deepEqual(classifyBuildOutput('.pio/build/esp32dev/firmware.bin'), {
		relativePath: '.pio/build/esp32dev/firmware.bin',
		kind: 'platformio',
		origin: 'esp32dev',
	});
	assert.equal(classifyBuildOutput('fw/.pio/build/nodemcu/firmware.bin')?.kind, 'platformio');
	assert.equal(classifyBuildOutput('a/b/.pio/build/x/firmware.bin')?.kind, 'platformio');
	assert.equal(classifyBuildOutput('a/b/c/.pio/build/x/firmware.bin'), undefined);
	assert.equal(classifyBuildOutput('.pio/build/esp32dev/bootloader.bin'), undefined);
	assert.equal(classifyBuildOutput('.pio/build/esp32dev/partitions.bin'), undefined);
	assert.equal(classifyBuildOutput('.pio\\build\\env\\firmware.bin')?.relativePath, '.pio/build/env/firmware.bin');
});

void test('build/: any uploadable suffix directly inside, never ota_data_initial.bin or non-firmware files', () => {
	assert.equal(classifyBuildOutput('build/app.tar.gz')?.kind, 'build');
	assert.equal(classifyBuildOutput('build/hello_world.bin')?.kind, 'build');
	assert.equal(classifyBuildOutput('build/OTA.ZIP')?.kind, 'build');
	assert.equal(classifyBuildOutput('build/ota_data_initial.bin'), undefined);
	assert.equal(classifyBuildOutput('build/hello_world.elf'), undefined);
	assert.equal(classifyBuildOutput('build/flasher_args.json'), undefined);
	assert.equal(classifyBuildOutput('build/bootloader/bootloader.bin'), undefined);
	assert.equal(classifyBuildOutput('node_modules/x/build/a.bin'), undefined);
	assert.equal(classifyBuildOutput('firmware.bin'), undefined);
});

void test('Zephyr: build/zephyr/*.bin, sysbuild build/<app>/zephyr/*.bin, dfu_application.zip', () => {
	assert.deepEqual(classifyBuildOutput('build/zephyr/zephyr.signed.bin'), {
		relativePath: 'build/zephyr/zephyr.signed.bin',
		kind: 'zephyr',
	});
	assert.deepEqual(classifyBuildOutput('build/blinky/zephyr/zephyr.bin'), {
		relativePath: 'build/blinky/zephyr/zephyr.bin',
		kind: 'zephyr',
		origin: 'blinky',
	});
	assert.equal(classifyBuildOutput('build/dfu_application.zip')?.kind, 'zephyr');
	assert.equal(classifyBuildOutput('build/zephyr/zephyr.hex'), undefined);
	assert.equal(classifyBuildOutput('build/zephyr/zephyr.elf'), undefined);
});

void test('flasher_args.json: the app and the serial-only images', () => {
	const args = parseFlasherArgs(FLASHER_ARGS);
	assert.ok(args);
	assert.equal(args.app, 'hello_world.bin');
	assert.equal(args.chip, 'esp32');
	assert.deepEqual([...args.otherImages].sort(), [
		'bootloader/bootloader.bin',
		'ota_data_initial.bin',
		'partition_table/partition-table.bin',
	]);
	assert.equal(parseFlasherArgs('{ not json'), undefined);
	assert.equal(parseFlasherArgs('[]'), undefined);
	assert.equal(parseFlasherArgs('{"unrelated": true}'), undefined);
	assert.deepEqual(parseFlasherArgs('{"flash_files": {"0x0": "./merged.bin"}}'), {
		app: undefined,
		otherImages: ['merged.bin'],
		chip: undefined,
	});
	assert.equal(flasherArgsBuildDir('build/flasher_args.json'), 'build');
	assert.equal(flasherArgsBuildDir('proj/build/flasher_args.json'), 'proj/build');
	assert.equal(flasherArgsBuildDir('flasher_args.json'), undefined);
	assert.equal(flasherArgsBuildDir('out/flasher_args.json'), undefined);
});

void test('plan: ESP-IDF app recognised, serial images dropped, custom globs added once', () => {
	const flasherArgs = new Map<string, FlasherArgs>([['build', parseFlasherArgs(FLASHER_ARGS) as FlasherArgs]]);
	const plan = planFirmwareList({
		found: [
			'build/hello_world.bin',
			'build/ota_data_initial.bin',
			'build/flasher_args.json',
			'build/merged.bin',
			'.pio/build/esp32dev/firmware.bin',
		],
		flasherArgs,
		custom: ['dist/release.bin', 'build/hello_world.bin', 'node_modules/a/b.bin', 'top.bin'],
	});
	assert.deepEqual(
		plan.map((c) => [c.relativePath, c.kind, c.origin]),
		[
			['build/hello_world.bin', 'esp-idf', 'esp32'],
			['build/merged.bin', 'build', undefined],
			['.pio/build/esp32dev/firmware.bin', 'platformio', 'esp32dev'],
			['dist/release.bin', 'custom', 'dist'],
			['top.bin', 'custom', undefined],
		],
	);
});

void test('plan: the app named by flasher_args.json is listed even if the glob missed it', () => {
	const plan = planFirmwareList({ found: [], flasherArgs: new Map([['app/build', { app: 'app.bin', otherImages: [] }]]), custom: [] });
	assert.deepEqual(plan, [{ relativePath: 'app/build/app.bin', kind: 'esp-idf', origin: undefined }]);
});

void test('newest file: the latest modification time across all files, ties broken by path', () => {
	const files = [
		{ relativePath: 'build/app.tar.gz', mtime: 1_000 },
		{ relativePath: 'b/.pio/build/x/firmware.bin', mtime: 3_000 },
		{ relativePath: 'a/.pio/build/x/firmware.bin', mtime: 3_000 },
		{ relativePath: 'build/zephyr/zephyr.bin', mtime: 2_000 },
	];
	assert.equal(newestFile(files)?.relativePath, 'a/.pio/build/x/firmware.bin');
	assert.equal(newestFile([...files].reverse())?.relativePath, 'a/.pio/build/x/firmware.bin', 'independent of the input order');
	assert.equal(newestFile(files.slice(0, 1).concat(files.slice(3)))?.relativePath, 'build/zephyr/zephyr.bin');
	assert.equal(newestFile([]), undefined);
	assert.deepEqual(
		[...files].sort(newestFirst).map((f) => f.mtime),
		[3_000, 3_000, 2_000, 1_000],
	);
});
