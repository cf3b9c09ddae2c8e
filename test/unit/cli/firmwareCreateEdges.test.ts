import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { IotClient } from '../../../src/core/iotClient';
import { firmwareCreateCommand, uploadCreateCommand } from '../../../src/cli/registerLine';
import { parseJsonOutput, runCli, type CliRun } from './cliHarness';
import { useUploadSuite } from './uploadSuite';

/** The words a POSIX shell makes of a printed `iot-ota …` line, without the `iot-ota` (the shell runs nothing else). */
function shellWords(line: string): string[] {
	assert.ok(line.startsWith('iot-ota '), line);
	const printed = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${line.slice('iot-ota '.length)}`], { encoding: 'utf8' });
	return printed.split('\0').slice(0, -1);
}

void describe('iot-ota firmware create: its lines run through a shell, and a package given its files in another order', () => {
	const suite = useUploadSuite('iot-ota-cli-firmware-create-edges-');
	const cli = (args: readonly string[]): Promise<CliRun> => runCli(suite.cli.cliPath, args, { env: suite.env(), cwd: suite.work });
	const refuse = () => suite.refuseNextRegistration();

	void test('file names and flag values with quotes, spaces, shell metacharacters and a leading dash finish the registration as given', async () => {
		mkdirSync(path.join(suite.work, "it's a dir"), { recursive: true });
		const files = [path.join("it's a dir", '-app $(x).bin'), '-fs;`y`.bin'];
		for (const file of files) {
			writeFileSync(path.join(suite.work, file), randomBytes(8 * 1024));
		}
		const desc = '-beta $(touch pwned) & "quoted"';
		const flags = ['--create', '--product-key', suite.sandbox.productKey, '--dest-version', '6.0.0-rc.1', `--desc=${desc}`];
		refuse();
		const failed = await cli(['upload', '--endpoint', suite.sandbox.endpoint, ...flags, '--json', '--', ...files]);
		assert.equal(failed.code, 4, failed.stderr);
		const { error } = parseJsonOutput(failed) as { error: { registerCommand: string } };
		const words = shellWords(error.registerCommand);
		assert.deepEqual(words.slice(0, 2), ['firmware', 'create']);
		assert.deepEqual(
			words.filter((_word, index) => words[index - 1] === '--file'),
			files.map((file) => (file.startsWith('-') ? `./${file}` : file)),
			'the files in their order, a leading dash kept from reading as a flag',
		);

		const finished = await cli([...words, '--json']);
		assert.equal(finished.code, 0, finished.stderr);
		const result = parseJsonOutput(finished) as { firmwareId: string; files: Array<{ name: string }> };
		assert.deepEqual(
			result.files.map(({ name }) => name),
			files.map((file) => path.basename(file)),
		);
		const show = await cli(['firmware', 'show', result.firmwareId, '--endpoint', suite.sandbox.endpoint, '--json']);
		const info = parseJsonOutput(show) as { destVersion: string; firmwareDesc?: string };
		assert.equal(info.destVersion, '6.0.0-rc.1');
		assert.equal(info.firmwareDesc, desc);
	});

	void test('the upload --create line a refused FirmwareUrl offers keeps a dash-led file and value as given', () => {
		const line = uploadCreateCommand(['-app.bin', 'b c.bin'], { 'product-key': 'pk', desc: '-x y', 'dest-version': '1.0' });
		assert.deepEqual(shellWords(line), [
			'upload',
			'./-app.bin',
			'b c.bin',
			'--create',
			'--product-key',
			'pk',
			'--dest-version',
			'1.0',
			'--desc=-x y',
		]);
		const create = firmwareCreateCommand([{ firmwareUrl: 'https://h/ota/a/b.bin?x=1&y=$(z)', file: '-a.bin' }], {
			'product-key': 'pk',
		});
		assert.deepEqual(shellWords(create), [
			'firmware',
			'create',
			'https://h/ota/a/b.bin?x=1&y=$(z)',
			'--file',
			'./-a.bin',
			'--product-key',
			'pk',
		]);
	});

	void test('a package whose --file are given in another order than its FirmwareUrls is refused by the platform, nothing registered', async () => {
		writeFileSync(path.join(suite.work, 'fs.bin'), randomBytes(20 * 1024));
		const flags = ['--product-key', suite.sandbox.productKey, '--dest-version', '7.0.0'];
		refuse();
		const failed = await cli(['upload', 'app.bin', 'fs.bin', '--endpoint', suite.sandbox.endpoint, '--create', ...flags, '--json']);
		assert.equal(failed.code, 4, failed.stderr);
		const urls = (parseJsonOutput(failed) as { error: { files: Array<{ firmwareUrl: string }> } }).error.files.map(
			(file) => file.firmwareUrl,
		);
		assert.equal(urls.length, 2);

		const swapped = await cli([
			'firmware',
			'create',
			...urls,
			'--file',
			'fs.bin',
			'--file',
			'app.bin',
			...flags,
			'--endpoint',
			suite.sandbox.endpoint,
		]);
		assert.equal(swapped.code, 4, swapped.stderr);
		assert.match(
			swapped.stderr,
			/--file is not the file that was uploaded to this FirmwareUrl: .*iot-ota upload fs\.bin app\.bin --create --product-key/,
		);
		const iot = new IotClient({ region: 'cn-shanghai', endpoint: suite.sandbox.endpoint, credentials: suite.sandbox });
		const list = await iot.listOtaFirmware({
			currentPage: 1,
			pageSize: 100,
			productKey: suite.sandbox.productKey,
			destVersion: '7.0.0',
		});
		assert.equal(list.items.length, 0, 'nothing registered');
	});

	void test('a line break in a file name cannot forge a line under the error: the finishing line is printed as one line', async () => {
		const file = 'app\nError: forged.bin';
		writeFileSync(path.join(suite.work, file), randomBytes(4 * 1024));
		const flags = ['--create', '--product-key', suite.sandbox.productKey, '--dest-version', '8.0.0'];
		refuse();
		const single = await cli(['upload', file, '--endpoint', suite.sandbox.endpoint, ...flags]);
		assert.equal(single.code, 4, single.stderr);
		assert.match(single.stderr, /^ {2}iot-ota firmware create \S+ --file 'app Error: forged\.bin' --product-key /m);
		assert.doesNotMatch(single.stderr, /^Error: forged/m);
		refuse();
		const json = await cli(['upload', file, '--endpoint', suite.sandbox.endpoint, ...flags, '--json']);
		const { error } = parseJsonOutput(json) as { error: { registerCommand: string } };
		assert.deepEqual(shellWords(error.registerCommand).slice(3, 5), ['--file', file], '--json keeps the exact line');

		const dir = 'd\nError: forged package';
		mkdirSync(path.join(suite.work, dir));
		writeFileSync(path.join(suite.work, dir, 'a.bin'), randomBytes(4 * 1024));
		refuse();
		const pkg = await cli(['upload', path.join(dir, 'a.bin'), 'app.bin', '--endpoint', suite.sandbox.endpoint, ...flags]);
		assert.equal(pkg.code, 4, pkg.stderr);
		assert.match(
			pkg.stderr,
			/^Register the package with:\n {2}iot-ota firmware create \S+ \S+ --file 'd Error: forged package\/a\.bin' /m,
		);
		assert.doesNotMatch(pkg.stderr, /^Error: forged/m);
	});

	void test('a file whose name starts with a space is the file the printed line registers, not app.bin', async () => {
		const file = ' app.bin';
		writeFileSync(path.join(suite.work, file), randomBytes(6 * 1024));
		const flags = ['--create', '--product-key', suite.sandbox.productKey, '--dest-version', '9.0.0', '--name', 'spaced', '--json'];
		refuse();
		const failed = await cli(['upload', file, '--endpoint', suite.sandbox.endpoint, ...flags]);
		assert.equal(failed.code, 4, failed.stderr);
		const { error } = parseJsonOutput(failed) as { error: { registerCommand: string } };
		const finished = await cli([...shellWords(error.registerCommand), '--json']);
		assert.equal(finished.code, 0, finished.stderr);
	});
});
