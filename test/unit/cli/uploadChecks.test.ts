import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { IotClient } from '../../../src/core/iotClient';
import { parseJsonOutput, runCli } from './cliHarness';
import { useUploadSuite } from './uploadSuite';

void describe('iot-ota upload refusals before anything is sent: version markers, flags of several files, folders', () => {
	const suite = useUploadSuite('iot-ota-cli-upload-checks-');

	void test('--version-marker gives unknown contents their version, as inspect does; without it they declare none', async () => {
		const vendor = path.join(suite.work, 'vendor.bin');
		writeFileSync(vendor, Buffer.concat([randomBytes(4000), Buffer.from('FW_VERSION=2.5.1;')]));
		const create = [
			'upload',
			vendor,
			'--endpoint',
			suite.sandbox.endpoint,
			'--json',
			'--create',
			'--product-key',
			suite.sandbox.productKey,
		];
		const unmarked = await runCli(suite.cli.cliPath, create, { env: suite.env(), cwd: suite.work });
		assert.equal(unmarked.code, 2, unmarked.stderr);
		assert.match(String((parseJsonOutput(unmarked).error as { message: string }).message), /declares no version/);
		const run = await runCli(suite.cli.cliPath, [...create, '--version-marker', 'FW_VERSION=([0-9.]+)'], {
			env: suite.env(),
			cwd: suite.work,
		});
		assert.equal(run.code, 0, run.stderr);
		const client = new IotClient({ region: 'cn-shanghai', endpoint: suite.sandbox.endpoint, credentials: suite.sandbox });
		assert.equal((await client.queryOtaFirmware(String(parseJsonOutput(run).firmwareId))).destVersion, '2.5.1');
	});

	void test('--version-marker that backtracks catastrophically is stopped: exit 2 with one message, nothing sent', async () => {
		const slow = path.join(suite.work, 'slow.bin');
		writeFileSync(slow, Buffer.concat([Buffer.alloc(1024 * 1024 - 1, 'a'), Buffer.from('b')]));
		suite.sandbox.requests.clear();
		const args = ['upload', slow, '--endpoint', suite.sandbox.endpoint, '--version-marker', '(a+)+$'];
		const json = await runCli(suite.cli.cliPath, [...args, '--json'], { env: suite.env(), cwd: suite.work });
		assert.equal(json.code, 2, json.stderr);
		const message = `The version marker took longer than 200 milliseconds to search a MB of ${slow} and was stopped. Give a pattern that runs in linear time: start it with literal text, e.g. FW_VERSION=([0-9.]+), and avoid nested or overlapping quantifiers such as (a+)+ or (x|x)*.`;
		assert.deepEqual(parseJsonOutput(json).error, { code: 'VersionMarkerTooSlow', message });
		const human = await runCli(suite.cli.cliPath, args, { env: suite.env(), cwd: suite.work });
		assert.equal(human.code, 2);
		assert.equal(human.stderr, `Error: ${message} (VersionMarkerTooSlow)\n`);
		assert.deepEqual(suite.sandbox.requests.entries, []);
	});

	void test('several files without --create, with --insert or --force-new are usage errors that say what to do; nothing is sent', async () => {
		suite.sandbox.requests.clear();
		const several = (...flags: string[]) =>
			runCli(suite.cli.cliPath, ['upload', suite.firmwarePath, suite.firmwarePath, '--endpoint', suite.sandbox.endpoint, ...flags], {
				env: suite.env(),
				cwd: suite.work,
			});
		const create = ['--create', '--product-key', suite.sandbox.productKey, '--dest-version', '1.0'];
		const cases: Array<[string[], RegExp]> = [
			[[], /^Error: 2 files were given without --create: .* Add --create --product-key PK .*, or upload them one by one/],
			[
				[...create, '--insert', 'x.json#ota.url'],
				/^Error: --insert writes one FirmwareUrl, .* Drop --insert and take the URLs from the output/,
			],
			[[...create, '--force-new'], /^Error: --force-new applies to one file/],
		];
		for (const [flags, message] of cases) {
			const run = await several(...flags);
			assert.equal(run.code, 2, run.stderr);
			assert.match(run.stderr, message);
			assert.match(run.stderr, /\(UsageError\)\n$/);
		}
		const twice = await several(...create);
		assert.equal(twice.code, 2);
		assert.equal(
			twice.stderr,
			`Error: ${suite.firmwarePath} is given twice; a package holds each file once. Give each file once. (InvalidMultiFiles)\n`,
		);
		assert.deepEqual(suite.sandbox.requests.entries, []);
	});

	void test('a folder is refused before anything is read or sent, with one usage message that says to name the files', async () => {
		suite.sandbox.requests.clear();
		const build = path.join(suite.work, 'build');
		mkdirSync(build, { recursive: true });
		writeFileSync(path.join(build, 'app.bin'), randomBytes(1024));
		const create = ['--create', '--product-key', suite.sandbox.productKey, '--dest-version', '1.0'];
		for (const args of [['build'], ['build/', '--json'], [suite.firmwarePath, 'build', ...create]]) {
			const run = await runCli(suite.cli.cliPath, ['upload', ...args, '--endpoint', suite.sandbox.endpoint], {
				env: suite.env(),
				cwd: suite.work,
			});
			assert.equal(run.code, 2, run.stderr);
			const message = args.includes('--json') ? String((parseJsonOutput(run).error as { message: string }).message) : run.stderr;
			assert.match(
				message,
				/^(Error: )?build\/? is a folder: iot-ota upload takes firmware files\. Name the files in it, e\.g\. iot-ota upload build\/\*\.bin /,
			);
			assert.equal(run.stdout.includes('"firmwareUrl"'), false);
		}
		assert.deepEqual(suite.sandbox.requests.entries, [], 'nothing was sent');
	});
});
