import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { buildCli, cleanEnv, parseJsonOutput, runCli, tempDir, type CliRun } from './cliHarness';

void describe('iot-ota with the aliyun CLI config (~/.aliyun/config.json)', () => {
	let cli: Awaited<ReturnType<typeof buildCli>>;
	let sandbox: Sandbox;
	let work: string;
	let home: string;
	let firmwarePath: string;

	const upload = (args: string[], env: NodeJS.ProcessEnv = {}) =>
		runCli(cli.cliPath, ['upload', firmwarePath, '--endpoint', sandbox.endpoint, '--json', ...args], {
			env: cleanEnv(home, env),
			cwd: work,
		});
	const assertNoSecrets = (run: CliRun) => {
		for (const secret of [sandbox.accessKeySecret, sandbox.sts.accessKeySecret, sandbox.sts.securityToken]) {
			assert.equal(run.stdout.includes(secret) || run.stderr.includes(secret), false, 'a secret was printed');
		}
	};

	before(async () => {
		work = tempDir('iot-ota-cli-profile-');
		home = path.join(work, 'home');
		[cli, sandbox] = await Promise.all([buildCli(), startSandbox({ dataDir: path.join(work, 'sandbox') })]);
		firmwarePath = path.join(work, 'fw.bin');
		writeFileSync(firmwarePath, randomBytes(32 * 1024));
		mkdirSync(path.join(home, '.aliyun'), { recursive: true });
		const profile = (name: string, fields: Record<string, string>) => ({
			name,
			region_id: 'cn-shanghai',
			output_format: 'json',
			language: 'en',
			...fields,
		});
		const config = {
			current: 'dev',
			profiles: [
				profile('dev', { mode: 'AK', access_key_id: sandbox.accessKeyId, access_key_secret: sandbox.accessKeySecret }),
				profile('temp', {
					mode: 'StsToken',
					access_key_id: sandbox.sts.accessKeyId,
					access_key_secret: sandbox.sts.accessKeySecret,
					sts_token: sandbox.sts.securityToken,
				}),
				profile('bad-region', {
					mode: 'AK',
					access_key_id: sandbox.accessKeyId,
					access_key_secret: sandbox.accessKeySecret,
					region_id: 'not a region',
				}),
				profile('role', { mode: 'RamRoleArn', access_key_id: 'x', access_key_secret: 'y', ram_role_arn: 'acs:ram::1:role/r' }),
			],
			meta_path: '',
		};
		writeFileSync(path.join(home, '.aliyun', 'config.json'), JSON.stringify(config, null, 2));
	});

	after(async () => {
		await sandbox?.stop();
		cli?.dispose();
		rmSync(work, { recursive: true, force: true });
	});

	void test('the current AK profile is used when no variables are set', async () => {
		const run = await upload([]);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(typeof parseJsonOutput(run).firmwareUrl, 'string');
		assertNoSecrets(run);
	});

	void test('--profile selects a StsToken profile', async () => {
		const run = await upload(['--profile', 'temp']);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(typeof parseJsonOutput(run).firmwareUrl, 'string');
		assertNoSecrets(run);
	});

	void test("the profile's region is used, and --region overrides it", async () => {
		const bad = await upload(['--profile', 'bad-region']);
		assert.equal(bad.code, 2);
		assert.equal((parseJsonOutput(bad).error as { code: string }).code, 'InvalidRegion');
		const fixed = await upload(['--profile', 'bad-region', '--region', 'cn-shanghai']);
		assert.equal(fixed.code, 0, fixed.stderr);
	});

	void test('an unknown profile or an unsupported mode is a credentials error (exit 3)', async () => {
		for (const [name, code] of [
			['nope', 'ProfileNotFound'],
			['role', 'UnsupportedProfileMode'],
		]) {
			const run = await upload(['--profile', name]);
			assert.equal(run.code, 3, run.stderr);
			const error = parseJsonOutput(run).error as { code: string; message: string };
			assert.equal(error.code, code);
			assertNoSecrets(run);
		}
	});

	void test('environment variables win over the current profile', async () => {
		const run = await upload([], {
			ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
			ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'EnvSecretThatIsWrong123456',
		});
		assert.equal(run.code, 3);
		assert.equal((parseJsonOutput(run).error as { code: string }).code, 'SignatureDoesNotMatch');
		assert.equal(run.stdout.includes('EnvSecretThatIsWrong123456') || run.stderr.includes('EnvSecretThatIsWrong123456'), false);
	});
});
