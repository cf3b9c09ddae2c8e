import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { buildCli, cleanEnv, parseJsonOutput, runCli, tempDir, type CliRun } from './cliHarness';

void describe('iot-ota failures', () => {
	let cli: Awaited<ReturnType<typeof buildCli>>;
	let sandbox: Sandbox;
	let work: string;
	let firmwarePath: string;
	const wrongSecret = 'WrongSecretValue0123456789abcd';

	const credentials = () => ({
		ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
		ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret,
	});
	const run = (args: string[], extraEnv: NodeJS.ProcessEnv = credentials()) =>
		runCli(cli.cliPath, args, { env: cleanEnv(path.join(work, 'home'), extraEnv), cwd: work });
	const upload = (...args: string[]) => run(['upload', firmwarePath, '--endpoint', sandbox.endpoint, ...args]);
	const apiCalls = () => Object.values(sandbox.stats.apiCalls).reduce((sum, n) => sum + n, 0);

	/** Exit code, the JSON error, and no secret anywhere. */
	function expectFailure(result: CliRun, exitCode: number, code: string | RegExp): { code: string; message: string; requestId?: string } {
		assert.equal(result.code, exitCode, `${result.stdout}\n${result.stderr}`);
		for (const secret of [sandbox.accessKeySecret, wrongSecret]) {
			assert.equal(result.stdout.includes(secret) || result.stderr.includes(secret), false, 'a secret was printed');
		}
		const body = parseJsonOutput(result) as { error: { code: string; message: string; requestId?: string } };
		assert.deepEqual(Object.keys(body), ['error']);
		if (typeof code === 'string') {
			assert.equal(body.error.code, code);
		} else {
			assert.match(body.error.code, code);
		}
		assert.ok(body.error.message.length > 10);
		return body.error;
	}

	before(async () => {
		work = tempDir('iot-ota-cli-failures-');
		[cli, sandbox] = await Promise.all([buildCli(), startSandbox({ dataDir: path.join(work, 'sandbox') })]);
		firmwarePath = path.join(work, 'fw.bin');
		writeFileSync(firmwarePath, randomBytes(64 * 1024));
	});

	after(async () => {
		await sandbox?.stop();
		cli?.dispose();
		rmSync(work, { recursive: true, force: true });
	});

	void test('missing credentials: exit 3 and one message naming both ways to provide them', async () => {
		const result = await run(['upload', firmwarePath, '--endpoint', sandbox.endpoint, '--json'], {});
		const error = expectFailure(result, 3, 'MissingCredentials');
		assert.match(error.message, /ALIBABA_CLOUD_ACCESS_KEY_ID/);
		assert.match(error.message, /aliyun/);
		assert.match(result.stderr, /^$/);
	});

	void test('wrong secret: SignatureDoesNotMatch with the RequestId, exit 3, secret not echoed', async () => {
		const before = sandbox.stats.ossUploads;
		const result = await run(['upload', firmwarePath, '--endpoint', sandbox.endpoint, '--json'], {
			ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
			ALIBABA_CLOUD_ACCESS_KEY_SECRET: wrongSecret,
		});
		const error = expectFailure(result, 3, 'SignatureDoesNotMatch');
		assert.match(error.requestId ?? '', /\S{8,}/);
		assert.equal(sandbox.stats.ossUploads, before);
	});

	void test('local mistakes fail with exit 2 before any network call', async () => {
		const exe = path.join(work, 'fw.exe');
		writeFileSync(exe, randomBytes(1024));
		writeFileSync(path.join(work, 'notes.txt'), 'x');
		const cases: Array<[string[], string | RegExp, RegExp]> = [
			[['upload', path.join(work, 'missing.bin')], /./, /missing\.bin/],
			[['upload', exe], 'InvalidFileSuffix', /bin, dav, apk/],
			[['upload', firmwarePath, '--suffix', 'exe'], 'InvalidFileSuffix', /Allowed suffixes/],
			[
				['upload', firmwarePath, '--create', '--product-key', sandbox.productKey, '--dest-version', '1 0'],
				'InvalidDestVersion',
				/DestVersion/,
			],
			[
				['upload', firmwarePath, '--create', '--product-key', sandbox.productKey, '--dest-version', '1.0', '--name', '(bad)'],
				'InvalidFirmwareName',
				/FirmwareName/,
			],
			[['upload', firmwarePath, '--insert', 'absent.json#ota.url'], 'ConfigNotFound', /absent\.json/],
			[['upload', firmwarePath, '--insert', 'notes.txt#ota.url'], 'UnknownConfigFormat', /notes\.txt/],
			[['upload', firmwarePath, '--bogus'], 'UsageError', /--bogus.*Valid flags: .*--dest-version/s],
			[['upload'], 'UsageError', /Missing argument/],
			[['frobnicate'], 'UsageError', /Unknown command/],
		];
		const callsBefore = apiCalls();
		const uploadsBefore = sandbox.stats.ossUploads;
		// Independent processes with no network in play: run them side by side to keep the file fast.
		const results = await Promise.all(cases.map(([args]) => run([...args, '--endpoint', sandbox.endpoint, '--json'])));
		results.forEach((result, i) => {
			const [args, code, message] = cases[i];
			const error = expectFailure(result, 2, code);
			assert.match(error.message, message, args.join(' '));
		});
		assert.equal(apiCalls(), callsBefore, 'an API call was made');
		assert.equal(sandbox.stats.ossUploads, uploadsBefore);
	});

	void test('without --json a failure is one readable line on stderr and nothing on stdout', async () => {
		const result = await run(['upload', firmwarePath, '--suffix', 'exe']);
		assert.equal(result.code, 2);
		assert.equal(result.stdout, '');
		assert.match(result.stderr, /^Error: Unsupported firmware file suffix "exe"\. Allowed suffixes: .*\(InvalidFileSuffix\)\n$/);
	});

	void test('an unknown product is refused before the upload: exit 2 with its code, nothing uploaded or inserted', async () => {
		const config = path.join(work, 'c.json');
		writeFileSync(config, '{"ota": {"url": ""}}\n');
		const uploads = sandbox.stats.ossUploads;
		const result = await upload(
			'--json',
			'--create',
			'--product-key',
			'a1NoSuchProduct',
			'--dest-version',
			'1.0',
			'--insert',
			'c.json#ota.url',
		);
		assert.match(expectFailure(result, 2, 'iot.prod.NotExistedProduct').message, /Nothing was uploaded\./);
		assert.equal(sandbox.stats.ossUploads, uploads, 'nothing was uploaded');
		assert.equal(readFileSync(config, 'utf8'), '{"ota": {"url": ""}}\n');
	});

	void test('--help, <command> --help and --version succeed', async () => {
		const help = await run(['--help'], {});
		assert.equal(help.code, 0);
		assert.match(help.stdout, /Commands:[\s\S]*upload[\s\S]*sandbox[\s\S]*demo/);
		assert.match(help.stdout, /128 \+ the signal number when\s+cancelled \(130 Ctrl\+C, 143 SIGTERM, 129 SIGHUP\)/);
		for (const args of [
			['firmware', '--help'],
			['help', 'firmware'],
		]) {
			const groupHelp = await run(args, {});
			assert.equal(groupHelp.code, 0, args.join(' '));
			assert.match(
				groupHelp.stdout,
				/Usage: iot-ota firmware <subcommand>[\s\S]*firmware list[\s\S]*firmware show[\s\S]*firmware delete/,
			);
		}
		const uploadHelp = await run(['upload', '--help'], {});
		assert.equal(uploadHelp.code, 0);
		assert.match(uploadHelp.stdout, /Usage: iot-ota upload <file>/);
		assert.match(uploadHelp.stdout, /--insert FILE#KEY\.PATH/);
		assert.match(
			uploadHelp.stdout,
			/--sign-method MD5\|SHA256 +Digest registered as FirmwareSign, in a package as each file's SignValue/,
		);
		const version = await run(['--version'], {});
		assert.equal(version.code, 0);
		assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
	});
});
