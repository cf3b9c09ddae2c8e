import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, beforeEach, describe, test } from 'node:test';
import type { Sandbox } from '../../../src/sandbox';
import { useSandboxSuite, type BuiltCli } from '../../support/reliabilitySuite';
import { parseJsonOutput, runCli, type CliRun } from './cliHarness';
import { hex } from './uploadSuite';
import { espImage } from '../../support/firmware';

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
	const suite = useSandboxSuite('iot-ota-cli-dry-run-', { cli: true });
	let cli: BuiltCli;
	let sandbox: Sandbox;
	let work: string;
	let firmware: Buffer;
	let firmwarePath: string;

	const env = (sts = false) =>
		suite.cliEnv(
			sts
				? {
						ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.sts.accessKeyId,
						ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.sts.accessKeySecret,
						ALIBABA_CLOUD_SECURITY_TOKEN: sandbox.sts.securityToken,
					}
				: {},
		);
	const cliRun = (args: string[], sts = false) =>
		runCli(cli.cliPath, ['upload', ...args, '--endpoint', sandbox.endpoint], { env: env(sts), cwd: work });
	const create = (version: string) => ['--create', '--product-key', sandbox.productKey, '--dest-version', version];
	/** Every request the sandbox received, as "api:Action" / "oss:PostObject". */
	const sent = () => sandbox.requests.entries.map((e) => `${e.target}:${e.action}`);
	const apiParams = (action: string) => sandbox.requests.entries.find((e) => e.target === 'api' && e.action === action)?.params;
	const assertNoSecret = (run: CliRun) => {
		for (const secret of [sandbox.accessKeySecret, sandbox.sts.accessKeySecret, sandbox.sts.securityToken]) {
			assert.equal(run.stdout.includes(secret) || run.stderr.includes(secret), false, 'a secret was printed');
		}
	};

	before(() => {
		({ cli, sandbox, work } = suite);
		firmware = randomBytes(64 * 1024 + 3);
		firmwarePath = path.join(work, 'app.bin');
		writeFileSync(firmwarePath, firmware);
	});

	beforeEach(() => sandbox.requests.clear());

	void test('one file, text: no request at all; the ticket, the PostObject as curl with file last, no secret (STS, --verbose)', async () => {
		const uploads = sandbox.stats.ossUploads;
		const run = await cliRun([firmwarePath, '--dry-run', '--verbose'], true);
		assert.equal(run.code, 0, run.stderr);
		assertNoSecret(run);
		assert.deepEqual(sent(), []);
		assert.equal(sandbox.stats.ossUploads, uploads);
		const lines = run.stdout.split('\n');
		assert.equal(lines[0], 'Dry run: nothing is changed.');
		assert.equal(
			lines[1],
			`File app.bin (64.0 KB, ${firmware.length} bytes, suffix bin); its MD5 and SHA-256 are measured during the upload`,
		);
		const endpoint = new URL(sandbox.endpoint).host;
		assert.ok(lines.includes('  1. POST GenerateOTAUploadURL  FileSuffix=bin'), run.stdout);
		assert.ok(
			lines.includes(`     aliyun iot GenerateOTAUploadURL --region cn-shanghai --endpoint ${endpoint} --insecure --FileSuffix bin`),
			run.stdout,
		);
		assert.ok(
			lines.includes(
				`  2. POST PostObject  key=<Key> OSSAccessKeyId=<OSSAccessKeyId> policy=<Policy> Signature=<Signature> success_action_status=200 file=${firmwarePath}`,
			),
			run.stdout,
		);
		assert.ok(
			lines.includes(
				`     curl --form-string "key=$Key" --form-string "OSSAccessKeyId=$OSSAccessKeyId" --form-string "policy=$Policy" ` +
					`--form-string "Signature=$Signature" --form-string success_action_status=200 ` +
					`-F 'file=@"${firmwarePath}";type=application/octet-stream' "$Host"`,
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
		const config = path.join(work, 'device.json');
		const original = '{\n  "ota": { "url": "http://old.example/fw.bin" }\n}\n';
		writeFileSync(config, original);
		const args = [firmwarePath, ...create('3.1.0'), '--sign-method', 'SHA256', '--insert', 'device.json#ota.url', '--json'];
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
			{ file: firmwarePath, suffix: 'bin', size: firmware.length, md5: hex(firmware, 'md5'), sha256: hex(firmware, 'sha256') },
		]);
		assert.deepEqual(
			calls.map((c) => c.action),
			['GenerateOTAUploadURL', 'PostObject', 'CreateOTAFirmware'],
		);
		assert.equal(Object.keys(calls[1].params).at(-1), 'file', 'file is the last form field');
		assert.equal(calls[1].size, firmware.length);
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

		sandbox.requests.clear();
		const real = parseJsonOutput(await cliRun(args));
		assert.deepEqual(apiParams('GenerateOTAUploadURL'), { RegionId: 'cn-shanghai', ...calls[0].params });
		assert.deepEqual(apiParams('CreateOTAFirmware'), { RegionId: 'cn-shanghai', ...calls[2].params, FirmwareUrl: real.firmwareUrl });
		assert.equal(calls[2].params.FirmwareSign, hex(firmware, 'sha256'));
	});

	void test('--create --insert, text: the digests read now, the lookup found nothing, the registration, then the config edit', async () => {
		const config = path.join(work, 'device-text.json');
		writeFileSync(config, '{ "ota": { "url": "http://old.example/fw.bin" } }\n');
		const run = await cliRun([firmwarePath, ...create('3.5.0'), '--insert', 'device-text.json#ota.url', '--dry-run']);
		assert.equal(run.code, 0, run.stderr);
		assert.deepEqual(sent(), ['api:ListOTAFirmware', 'api:QueryProduct']);
		const lines = run.stdout.split('\n');
		assert.deepEqual(lines.slice(0, 5), [
			'Dry run: nothing is changed.',
			`File app.bin (64.0 KB, ${firmware.length} bytes, suffix bin)`,
			`  MD5 ${hex(firmware, 'md5')}, SHA-256 ${hex(firmware, 'sha256')} (read now: a registering run measures them before the upload)`,
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

	void test('a package of the same content already registered: reused, nothing would be uploaded; the edit names its URL', async () => {
		const registered = parseJsonOutput(await cliRun([firmwarePath, ...create('3.2.0'), '--json']));
		const config = path.join(work, 'ota.env');
		writeFileSync(config, 'OTA_URL=\n');
		sandbox.requests.clear();
		const args = [firmwarePath, ...create('3.2.0'), '--insert', 'ota.env#OTA_URL', '--dry-run'];
		const json = await cliRun([...args, '--json']);
		assert.equal(json.code, 0, json.stderr);
		const plan = parseJsonOutput(json);
		assert.deepEqual(plan.calls, []);
		assert.deepEqual(plan.reused, {
			firmwareId: registered.firmwareId,
			firmwareName: `app-3_2_0-${hex(firmware, 'sha256').slice(0, 8)}`,
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
		assert.equal((await cliRun([firmwarePath, ...create('3.3.0'), '--json'])).code, 0);
		sandbox.requests.clear();
		const plan = parseJsonOutput(await cliRun([firmwarePath, ...create('3.3.0'), '--force-new', '--json', '--dry-run']));
		assert.deepEqual(sent(), ['api:QueryProduct']);
		assert.equal(plan.reused, null);
		assert.deepEqual(
			(plan.calls as Call[]).map((c) => c.action),
			['GenerateOTAUploadURL', 'PostObject', 'CreateOTAFirmware'],
		);
	});

	void test('a same-content lookup that fails is the failure the real run meets next, not "no package found" (wrong secret: exit 3)', async () => {
		const wrongSecret = { ...env(), ALIBABA_CLOUD_ACCESS_KEY_SECRET: `${sandbox.accessKeySecret}x` };
		const args = ['upload', firmwarePath, ...create('3.4.0'), '--endpoint', sandbox.endpoint];
		const real = await runCli(cli.cliPath, args, { env: wrongSecret, cwd: work });
		const dry = await runCli(cli.cliPath, [...args, '--dry-run'], { env: wrongSecret, cwd: work });
		assert.equal(real.code, 3, real.stderr);
		assert.equal(dry.code, 3, dry.stdout);
		assert.equal(dry.stdout, '');
		assert.match(dry.stderr, /^Error: .*\(SignatureDoesNotMatch, RequestId: \S+\)$/m);
		const json = await runCli(cli.cliPath, [...args, '--dry-run', '--json'], { env: wrongSecret, cwd: work });
		assert.equal(json.code, 3);
		assert.equal((parseJsonOutput(json).error as { code: string }).code, 'SignatureDoesNotMatch');
	});

	void test('without --create, no lookup in the plan nor in the real run, though the image declares its version and its package exists', async () => {
		const imagePath = path.join(work, 'declared.bin');
		writeFileSync(imagePath, espImage({ app: { version: '3.5.0' } }));
		assert.equal((await cliRun([imagePath, ...create('3.5.0'), '--json'])).code, 0);
		sandbox.requests.clear();
		const dry = await cliRun([imagePath, '--dry-run']);
		assert.equal(dry.code, 0, dry.stderr);
		assert.deepEqual(sent(), [], 'the CLI cannot ask which package to take, and names no product: it uploads');
		assert.equal(dry.stdout.includes('Same'), false, dry.stdout);
		assert.ok(dry.stdout.includes('(read now: the image was read whole for the version it declares)'), dry.stdout);
		assert.ok(dry.stdout.includes('  1. POST GenerateOTAUploadURL  FileSuffix=bin'), dry.stdout);
		assert.equal((await cliRun([imagePath, '--json'])).code, 0);
		assert.deepEqual(sent(), ['api:GenerateOTAUploadURL', 'oss:PostObject'], 'the real run makes the calls planned');
	});

	void test('several files: only the product check; a ticket and a PostObject per file, then the CreateOTAFirmware the real run sends', async () => {
		const second = randomBytes(9000);
		const fsImage = path.join(work, 'spiffs.bin');
		writeFileSync(fsImage, second);
		const args = [firmwarePath, fsImage, ...create('4.0.0'), '--json'];
		const plan = parseJsonOutput(await cliRun([...args, '--dry-run']));
		assert.deepEqual(sent(), ['api:QueryProduct']);
		const calls = plan.calls as Call[];
		assert.deepEqual(
			calls.map((c) => c.action),
			['GenerateOTAUploadURL', 'PostObject', 'GenerateOTAUploadURL', 'PostObject', 'CreateOTAFirmware'],
		);
		assert.deepEqual(
			calls.filter((c) => c.action === 'PostObject').map((c) => c.params.file),
			[firmwarePath, fsImage],
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
		const run = await runCli(cli.cliPath, ['upload', '--help'], { env: env(), cwd: work });
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /^ {2}--dry-run {2,}Check everything and print the calls it would make/m);
		assert.match(
			run.stdout,
			/^With --dry-run only the reads of --create are sent: the same-content lookup \(ListOTAFirmware, QueryOTAFirmware\) and the check of the product and module \(QueryProduct, or ListOTAModuleByProduct for a module other than default\)\. No upload ticket is requested/m,
		);
	});

	void test('a ProductKey or module the platform would refuse: the dry run and the real run exit 2 with the same message, nothing uploaded', async () => {
		const second = path.join(work, 'second.bin');
		writeFileSync(second, randomBytes(5000));
		const wrongProduct = ['--create', '--product-key', 'a1NoSuchPK9', '--dest-version', '2.0.0'];
		const cases: Array<[string[], RegExp, string[], string]> = [
			[
				[firmwarePath, ...wrongProduct],
				/^Error: QueryProduct failed: The specified product does not exist\. Nothing was uploaded\. Check the ProductKey, and that the product belongs to this region and instance\. \(iot\.prod\.NotExistedProduct, RequestId: \S+\)$/m,
				['api:ListOTAFirmware', 'api:QueryProduct'],
				'iot.prod.NotExistedProduct',
			],
			[
				[firmwarePath, ...create('2.0.0'), '--module', 'nosuchmod'],
				/^Error: Product \S+ has no OTA module "nosuchmod" \(its modules: default\)\. Nothing was uploaded\. Check the module name \(--module on the command line\)[^\n]*\(iot\.ota\.OtaModuleNotExisted\)$/m,
				['api:ListOTAFirmware', 'api:ListOTAModuleByProduct'],
				'iot.ota.OtaModuleNotExisted',
			],
			[
				[firmwarePath, second, ...wrongProduct, '--module', 'modem'],
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
			sandbox.requests.clear();
			const real = await cliRun(args);
			assert.equal(real.code, 2, real.stderr);
			assert.match(real.stderr, message);
			assert.doesNotMatch(real.stderr, /upload itself succeeded/);
			assert.deepEqual(sent(), reads, `${args.join(' ')}: no ticket, no PostObject`);
			sandbox.requests.clear();
			const json = await cliRun([...args, '--json', '--dry-run']);
			assert.equal(json.code, 2);
			assert.equal((parseJsonOutput(json).error as { code: string }).code, code);
			sandbox.requests.clear();
		}
	});

	void test('a failing check: the same exit code and message as the real command, and nothing sent', async () => {
		writeFileSync(path.join(work, 'broken.json'), '{ "ota": ');
		const cases = [
			[firmwarePath, '--insert', 'missing.json#ota.url'],
			[firmwarePath, '--insert', 'broken.json#ota.url'],
			[firmwarePath, '--create'],
			[firmwarePath, '--suffix', 'exe'],
			[firmwarePath, firmwarePath, ...create('5.0.0')],
			[work],
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
