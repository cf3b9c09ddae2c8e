// What `iot-ota upload --dry-run` prints: the calls it would make (text, curl and aliyun lines, JSON), the digests and the
// config edit, for one file and several; the lookups and checks it makes first are in uploadDryRunChecks.test.ts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { parseJsonOutput, runCli } from './cliHarness';
import { useDryRunSuite } from './uploadDryRunSuite';
import { hex } from './uploadSuite';

type Call = {
	action: string;
	method: string;
	params: Record<string, string>;
	aliyun?: string;
	curl?: string;
	host?: string;
	size?: number;
};

void describe('iot-ota upload --dry-run against the sandbox', () => {
	const setup = useDryRunSuite('iot-ota-cli-dry-run-');
	const { env, cliRun, create, sent, apiParams, assertNoSecret } = setup;

	void test('one file, text: no request at all; the ticket, the PostObject as curl with file last, no secret (STS, --verbose)', async () => {
		const uploads = setup.sandbox.stats.ossUploads;
		const run = await cliRun([setup.firmwarePath, '--dry-run', '--verbose'], true);
		assert.equal(run.code, 0, run.stderr);
		assertNoSecret(run);
		assert.deepEqual(sent(), []);
		assert.equal(setup.sandbox.stats.ossUploads, uploads);
		const lines = run.stdout.split('\n');
		assert.equal(lines[0], 'Dry run: nothing is changed.');
		assert.equal(
			lines[1],
			`File app.bin (64.0 KB, ${setup.firmware.length} bytes, suffix bin); its MD5 and SHA-256 are measured during the upload`,
		);
		const endpoint = new URL(setup.sandbox.endpoint).host;
		assert.ok(lines.includes('  1. POST GenerateOTAUploadURL  FileSuffix=bin'), run.stdout);
		assert.ok(
			lines.includes(`     aliyun iot GenerateOTAUploadURL --region cn-shanghai --endpoint ${endpoint} --insecure --FileSuffix bin`),
			run.stdout,
		);
		assert.ok(
			lines.includes(
				`  2. POST PostObject  key=<Key> OSSAccessKeyId=<OSSAccessKeyId> policy=<Policy> Signature=<Signature> success_action_status=200 file=${setup.firmwarePath}`,
			),
			run.stdout,
		);
		assert.ok(
			lines.includes(
				`     curl --form-string "key=$Key" --form-string "OSSAccessKeyId=$OSSAccessKeyId" --form-string "policy=$Policy" ` +
					`--form-string "Signature=$Signature" --form-string success_action_status=200 ` +
					`-F 'file=@"${setup.firmwarePath}";type=application/octet-stream' "$Host"`,
			),
			run.stdout,
		);
		assert.match(
			run.stdout,
			/\n<Host>, <Key>, <OSSAccessKeyId>, <Policy> and <Signature> come from GenerateOTAUploadURL's answer \(its Data\), valid for 1 minute;\n/,
			"the ticket's lifetime worded as every message words it (formatSpan)",
		);
		assert.equal(run.stdout.includes('CreateOTAFirmware'), false);
	});

	void test('--create --insert --json: only the lookup and the product check are sent, the config is untouched, and the calls are the ones the real run sends', async () => {
		const config = path.join(setup.work, 'device.json');
		const original = '{\n  "ota": { "url": "http://old.example/fw.bin" }\n}\n';
		writeFileSync(config, original);
		const args = [setup.firmwarePath, ...create('3.1.0'), '--sign-method', 'SHA256', '--insert', 'device.json#ota.url', '--json'];
		const dry = await cliRun([...args, '--dry-run']);
		assert.equal(dry.code, 0, dry.stderr);
		assertNoSecret(dry);
		assert.deepEqual(sent(), ['api:ListOTAFirmware', 'api:QueryProduct']);
		assert.equal(readFileSync(config, 'utf8'), original, 'the --insert target is unchanged');
		const plan = parseJsonOutput(dry);
		const calls = plan.calls as Call[];
		assert.equal(plan.dryRun, true);
		assert.equal(plan.reused, null);
		assert.deepEqual(plan.files, [
			{
				file: setup.firmwarePath,
				suffix: 'bin',
				size: setup.firmware.length,
				md5: hex(setup.firmware, 'md5'),
				sha256: hex(setup.firmware, 'sha256'),
			},
		]);
		assert.deepEqual(
			calls.map((c) => c.action),
			['GenerateOTAUploadURL', 'PostObject', 'CreateOTAFirmware'],
		);
		assert.equal(Object.keys(calls[1].params).at(-1), 'file', 'file is the last form field');
		assert.equal(calls[1].size, setup.firmware.length);
		assert.equal(calls[1].host, '<Host>');
		assert.deepEqual(plan.insert, {
			file: config,
			path: 'ota.url',
			format: 'json',
			value: '<FirmwareUrl of GenerateOTAUploadURL>',
			previousValue: 'http://old.example/fw.bin',
		});
		assert.match(
			calls[2].aliyun ?? '',
			/^aliyun iot CreateOTAFirmware --region cn-shanghai --endpoint \S+ --insecure --FirmwareUrl '<FirmwareUrl of GenerateOTAUploadURL>' /,
		);

		setup.sandbox.requests.clear();
		const real = parseJsonOutput(await cliRun(args));
		assert.deepEqual(apiParams('GenerateOTAUploadURL'), { RegionId: 'cn-shanghai', ...calls[0].params });
		assert.deepEqual(apiParams('CreateOTAFirmware'), { RegionId: 'cn-shanghai', ...calls[2].params, FirmwareUrl: real.firmwareUrl });
		assert.equal(calls[2].params.FirmwareSign, hex(setup.firmware, 'sha256'));
	});

	void test('--create --insert, text: the digests read now, the lookup found nothing, the registration, then the config edit', async () => {
		const config = path.join(setup.work, 'device-text.json');
		writeFileSync(config, '{ "ota": { "url": "http://old.example/fw.bin" } }\n');
		const run = await cliRun([setup.firmwarePath, ...create('3.5.0'), '--insert', 'device-text.json#ota.url', '--dry-run']);
		assert.equal(run.code, 0, run.stderr);
		assert.deepEqual(sent(), ['api:ListOTAFirmware', 'api:QueryProduct']);
		const lines = run.stdout.split('\n');
		assert.deepEqual(lines.slice(0, 5), [
			'Dry run: nothing is changed.',
			`File app.bin (64.0 KB, ${setup.firmware.length} bytes, suffix bin)`,
			`  MD5 ${hex(setup.firmware, 'md5')}, SHA-256 ${hex(setup.firmware, 'sha256')} (read now: a registering run measures them before the upload)`,
			'Same-content lookup (ListOTAFirmware): no package of the same product, version and content was found.',
			'',
		]);
		assert.match(run.stdout, /\n {2}3\. POST CreateOTAFirmware {2}FirmwareUrl=<FirmwareUrl of GenerateOTAUploadURL> /);
		assert.deepEqual(lines.slice(-3), [
			'',
			`Config edit it would make: ${config} at ota.url (json) set to <FirmwareUrl of GenerateOTAUploadURL>, replacing "http://old.example/fw.bin".`,
			'',
		]);
	});

	void test('several files: only the product check; a ticket and a PostObject per file, then the CreateOTAFirmware the real run sends', async () => {
		const second = randomBytes(9000);
		const fsImage = path.join(setup.work, 'spiffs.bin');
		writeFileSync(fsImage, second);
		const args = [setup.firmwarePath, fsImage, ...create('4.0.0'), '--json'];
		const plan = parseJsonOutput(await cliRun([...args, '--dry-run']));
		assert.deepEqual(sent(), ['api:QueryProduct']);
		const calls = plan.calls as Call[];
		assert.deepEqual(
			calls.map((c) => c.action),
			['GenerateOTAUploadURL', 'PostObject', 'GenerateOTAUploadURL', 'PostObject', 'CreateOTAFirmware'],
		);
		assert.deepEqual(
			calls.filter((c) => c.action === 'PostObject').map((c) => c.params.file),
			[setup.firmwarePath, fsImage],
		);
		const real = parseJsonOutput(await cliRun(args));
		const urls = (real.files as Array<{ firmwareUrl: string }>).map((f) => f.firmwareUrl);
		assert.deepEqual(apiParams('CreateOTAFirmware'), {
			RegionId: 'cn-shanghai',
			...calls[4].params,
			'MultiFiles.1.Url': urls[0],
			'MultiFiles.2.Url': urls[1],
		});
		assert.equal(calls[4].params['MultiFiles.2.FileMd5'], hex(second, 'md5'));
	});

	void test('upload --help names --dry-run and what it sends', async () => {
		const run = await runCli(setup.cli.cliPath, ['upload', '--help'], { env: env(), cwd: setup.work });
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /^ {2}--dry-run {2,}Check everything and print the calls it would make/m);
		assert.match(
			run.stdout,
			/^With --dry-run only the reads of --create are sent: the same-content lookup \(ListOTAFirmware, QueryOTAFirmware\) and the check of the product and module \(QueryProduct, or ListOTAModuleByProduct for a module other than default\)\. No upload ticket is requested/m,
		);
	});
});
