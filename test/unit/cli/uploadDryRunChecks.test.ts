// What `iot-ota upload --dry-run` reads and refuses before it plans, as the real run does: the same-content lookup
// (a package reused, --force-new, a lookup that fails, none without --create), the product and module check, and the
// checks that fail before anything is sent. What it prints is in uploadDryRun.test.ts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { espImage } from '../../support/firmware';
import { parseJsonOutput, runCli } from './cliHarness';
import { useDryRunSuite } from './uploadDryRunSuite';
import { hex } from './uploadSuite';

type Call = {
	action: string;
};

void describe('iot-ota upload --dry-run: its lookups and checks against the sandbox', () => {
	const setup = useDryRunSuite('iot-ota-cli-dry-run-checks-');
	const { env, cliRun, create, sent } = setup;

	void test('a package of the same content already registered: reused, nothing would be uploaded; the edit names its URL', async () => {
		const registered = parseJsonOutput(await cliRun([setup.firmwarePath, ...create('3.2.0'), '--json']));
		const config = path.join(setup.work, 'ota.env');
		writeFileSync(config, 'OTA_URL=\n');
		setup.sandbox.requests.clear();
		const args = [setup.firmwarePath, ...create('3.2.0'), '--insert', 'ota.env#OTA_URL', '--dry-run'];
		const json = await cliRun([...args, '--json']);
		assert.equal(json.code, 0, json.stderr);
		const plan = parseJsonOutput(json);
		assert.deepEqual(plan.calls, []);
		assert.deepEqual(plan.reused, {
			firmwareId: registered.firmwareId,
			firmwareName: `app-3_2_0-${hex(setup.firmware, 'sha256').slice(0, 8)}`,
			destVersion: '3.2.0',
			firmwareUrl: registered.firmwareUrl,
		});
		assert.equal((plan.insert as { value: string }).value, registered.firmwareUrl);
		const text = await cliRun(args);
		assert.equal(text.code, 0, text.stderr);
		assert.match(
			text.stdout,
			/\n {2}Reused: nothing would be uploaded or registered \(--force-new uploads and registers it anyway\)\.\n/,
		);
		assert.equal(text.stdout.includes('Calls it would make'), false);
		assert.ok(
			sent().every((request) => ['api:ListOTAFirmware', 'api:QueryOTAFirmware'].includes(request)),
			sent().join(),
		);
		assert.equal(readFileSync(config, 'utf8'), 'OTA_URL=\n');
	});

	void test('--force-new: no lookup (the product check only), the upload and registration it would make even though the same content is registered', async () => {
		assert.equal((await cliRun([setup.firmwarePath, ...create('3.3.0'), '--json'])).code, 0);
		setup.sandbox.requests.clear();
		const plan = parseJsonOutput(await cliRun([setup.firmwarePath, ...create('3.3.0'), '--force-new', '--json', '--dry-run']));
		assert.deepEqual(sent(), ['api:QueryProduct']);
		assert.equal(plan.reused, null);
		assert.deepEqual(
			(plan.calls as Call[]).map((c) => c.action),
			['GenerateOTAUploadURL', 'PostObject', 'CreateOTAFirmware'],
		);
	});

	void test('a same-content lookup that fails is the failure the real run meets next, not "no package found" (wrong secret: exit 3)', async () => {
		const wrongSecret = { ...env(), ALIBABA_CLOUD_ACCESS_KEY_SECRET: `${setup.sandbox.accessKeySecret}x` };
		const args = ['upload', setup.firmwarePath, ...create('3.4.0'), '--endpoint', setup.sandbox.endpoint];
		const real = await runCli(setup.cli.cliPath, args, { env: wrongSecret, cwd: setup.work });
		const dry = await runCli(setup.cli.cliPath, [...args, '--dry-run'], { env: wrongSecret, cwd: setup.work });
		assert.equal(real.code, 3, real.stderr);
		assert.equal(dry.code, 3, dry.stdout);
		assert.equal(dry.stdout, '');
		assert.match(dry.stderr, /^Error: .*\(SignatureDoesNotMatch, RequestId: \S+\)$/m);
		const json = await runCli(setup.cli.cliPath, [...args, '--dry-run', '--json'], { env: wrongSecret, cwd: setup.work });
		assert.equal(json.code, 3);
		assert.equal((parseJsonOutput(json).error as { code: string }).code, 'SignatureDoesNotMatch');
	});

	void test('without --create, no lookup in the plan nor in the real run, though the image declares its version and its package exists', async () => {
		const imagePath = path.join(setup.work, 'declared.bin');
		writeFileSync(imagePath, espImage({ app: { version: '3.5.0' } }));
		assert.equal((await cliRun([imagePath, ...create('3.5.0'), '--json'])).code, 0);
		setup.sandbox.requests.clear();
		const dry = await cliRun([imagePath, '--dry-run']);
		assert.equal(dry.code, 0, dry.stderr);
		assert.deepEqual(sent(), [], 'the CLI cannot ask which package to take, and names no product: it uploads');
		assert.equal(dry.stdout.includes('Same'), false, dry.stdout);
		assert.ok(dry.stdout.includes('(read now: the image was read whole for the version it declares)'), dry.stdout);
		assert.ok(dry.stdout.includes('  1. POST GenerateOTAUploadURL  FileSuffix=bin'), dry.stdout);
		assert.equal((await cliRun([imagePath, '--json'])).code, 0);
		assert.deepEqual(sent(), ['api:GenerateOTAUploadURL', 'oss:PostObject'], 'the real run makes the calls planned');
	});

	void test('a ProductKey or module the platform would refuse: the dry run and the real run exit 2 with the same message, nothing uploaded', async () => {
		const second = path.join(setup.work, 'second.bin');
		writeFileSync(second, randomBytes(5000));
		const wrongProduct = ['--create', '--product-key', 'a1NoSuchPK9', '--dest-version', '2.0.0'];
		const cases: Array<[string[], RegExp, string[], string]> = [
			[
				[setup.firmwarePath, ...wrongProduct],
				/^Error: QueryProduct failed: The specified product does not exist\. Nothing was uploaded\. Check the ProductKey, and that the product belongs to this region and instance\. \(iot\.prod\.NotExistedProduct, RequestId: \S+\)$/m,
				['api:ListOTAFirmware', 'api:QueryProduct'],
				'iot.prod.NotExistedProduct',
			],
			[
				[setup.firmwarePath, ...create('2.0.0'), '--module', 'nosuchmod'],
				/^Error: Product \S+ has no OTA module "nosuchmod" \(its modules: default\)\. Nothing was uploaded\. Check the module name \(--module on the command line\)[^\n]*\(iot\.ota\.OtaModuleNotExisted\)$/m,
				['api:ListOTAFirmware', 'api:ListOTAModuleByProduct'],
				'iot.ota.OtaModuleNotExisted',
			],
			[
				[setup.firmwarePath, second, ...wrongProduct, '--module', 'modem'],
				/^Error: ListOTAModuleByProduct failed: The specified product does not exist\. Nothing was uploaded\./m,
				['api:ListOTAModuleByProduct'],
				'iot.prod.NotExistedProduct',
			],
		];
		for (const [args, message, reads, code] of cases) {
			const dry = await cliRun([...args, '--dry-run']);
			assert.equal(dry.code, 2, dry.stderr);
			assert.equal(dry.stdout, '');
			assert.match(dry.stderr, message);
			assert.deepEqual(sent(), reads, args.join(' '));
			setup.sandbox.requests.clear();
			const real = await cliRun(args);
			assert.equal(real.code, 2, real.stderr);
			assert.match(real.stderr, message);
			assert.doesNotMatch(real.stderr, /upload itself succeeded/);
			assert.deepEqual(sent(), reads, `${args.join(' ')}: no ticket, no PostObject`);
			setup.sandbox.requests.clear();
			const json = await cliRun([...args, '--json', '--dry-run']);
			assert.equal(json.code, 2);
			assert.equal((parseJsonOutput(json).error as { code: string }).code, code);
			setup.sandbox.requests.clear();
		}
	});

	void test('a failing check: the same exit code and message as the real command, and nothing sent', async () => {
		writeFileSync(path.join(setup.work, 'broken.json'), '{ "ota": ');
		const cases = [
			[setup.firmwarePath, '--insert', 'missing.json#ota.url'],
			[setup.firmwarePath, '--insert', 'broken.json#ota.url'],
			[setup.firmwarePath, '--create'],
			[setup.firmwarePath, '--suffix', 'exe'],
			[setup.firmwarePath, setup.firmwarePath, ...create('5.0.0')],
			[setup.work],
		];
		for (const args of cases) {
			for (const json of [[], ['--json']]) {
				const real = await cliRun([...args, ...json]);
				const dry = await cliRun([...args, ...json, '--dry-run']);
				assert.equal(real.code, 2, `${args.join(' ')}: ${real.stderr}`);
				assert.deepEqual(
					{ code: dry.code, stdout: dry.stdout, stderr: dry.stderr },
					{ code: real.code, stdout: real.stdout, stderr: real.stderr },
				);
			}
		}
		assert.deepEqual(sent(), []);
	});
});
