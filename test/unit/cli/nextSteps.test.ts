// What the CLI offers after a job ends badly, and the listings its hints point at, as users run them (`node cli.js …`)
// against the built-in sandbox: the doctor and retry lines of a failed watch (that run as printed), retry and confirm
// with --watch (the watch's exit codes), `groups` and `modules`, and the hints that name them.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { clientOf, createPackage, imageWithVersion } from '../sandbox/otaFixtures';
import { buildCli, cleanEnv, runCli, tempDir, type CliRun } from './cliHarness';

void describe('next steps after a job, groups and modules (sandbox)', () => {
	let cli: Awaited<ReturnType<typeof buildCli>>;
	let sandbox: Sandbox;
	let work: string;
	let endpoint: string;

	before(async () => {
		work = tempDir('iot-ota-cli-nextsteps-');
		[cli, sandbox] = await Promise.all([
			buildCli(),
			startSandbox({ dataDir: path.join(work, 'sandbox'), qps: 10_000, devices: 4, timeScale: 6000 }),
		]);
		endpoint = sandbox.endpoint;
	});

	after(async () => {
		await sandbox?.stop();
		cli?.dispose();
		rmSync(work, { recursive: true, force: true });
	});

	const env = (): NodeJS.ProcessEnv =>
		cleanEnv(path.join(work, 'home'), {
			ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
			ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret,
		});
	/** `iot-ota …` at the sandbox (its --endpoint last, as a user adds it). */
	const run = (args: readonly string[]): Promise<CliRun> => runCli(cli.cliPath, [...args, '--endpoint', endpoint], { env: env() });
	/** A line the CLI printed, run as printed (`iot-ota` dropped), with `extra` flags. */
	const runPrinted = (line: string, extra: string[] = []): Promise<CliRun> =>
		runCli(cli.cliPath, [...line.split(' ').slice(1), ...extra], { env: env() });
	const jsonLines = (result: CliRun): Array<Record<string, unknown>> =>
		result.stdout
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line) as Record<string, unknown>);

	/** A package of `version`, verified on dev-00001 by `verify --watch` (exit 0). */
	async function verifiedPackage(version: string): Promise<string> {
		const firmwareId = await createPackage(clientOf(sandbox), sandbox.productKey, version, imageWithVersion(version));
		const verified = await run(['verify', firmwareId, '--devices', 'dev-00001', '--watch']);
		assert.equal(verified.code, 0, verified.stdout + verified.stderr);
		return firmwareId;
	}

	void test('rollout --watch that ends with a failure: exit 5, the doctor and retry lines with the run’s endpoint; both run as printed', async () => {
		const firmwareId = await verifiedPackage('2.0.0');
		sandbox.ota.setDevices({ deviceNames: ['dev-00002'] }, { behaviour: 'fail-flash' });
		const rollout = await run(['rollout', firmwareId, '--all', '--watch']);
		assert.equal(rollout.code, 5, rollout.stdout + rollout.stderr);
		const jobId = /Created all rollout job (\S+) /.exec(rollout.stdout)?.[1] ?? assert.fail(rollout.stdout);
		assert.match(rollout.stdout, /not every task succeeded\./);
		const doctorLine = `iot-ota doctor ${jobId} --endpoint ${endpoint}`;
		const retryLine = `iot-ota retry ${jobId} --endpoint ${endpoint}`;
		assert.ok(rollout.stdout.endsWith(`\nDiagnose it: ${doctorLine}\nRetry the failed tasks: ${retryLine}\n`), rollout.stdout);

		const doctor = await runPrinted(doctorLine);
		assert.equal(doctor.code, 0, doctor.stderr);
		assert.match(doctor.stdout, /dev-00002/);

		// Still failing: retry --watch --json ends like the watch (exit 5), the next steps as fields of the result line.
		const again = await runPrinted(retryLine, ['--watch', '--json']);
		assert.equal(again.code, 5, again.stderr);
		const result = jsonLines(again).at(-1) ?? {};
		assert.equal(result.type, 'result');
		assert.equal(result.outcome, 'failed');
		assert.equal(result.failed, 1);
		assert.deepEqual(result.nextSteps, { diagnose: doctorLine, retry: retryLine });

		// Repaired: retry --watch ends with every task succeeded (exit 0) and offers no next step.
		sandbox.ota.setDevices({ deviceNames: ['dev-00002'] }, { behaviour: 'ok' });
		const fixed = await runPrinted(retryLine, ['--watch']);
		assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
		assert.match(fixed.stdout, new RegExp(`^Retrying 1 task of job ${jobId}\\.\\n`));
		assert.match(fixed.stdout, /every task succeeded\./);
		assert.doesNotMatch(fixed.stdout, /Diagnose it|Retry the failed/);
	});

	void test('confirm --watch: confirms the waiting tasks and watches the job to its end (exit 0)', async () => {
		const firmwareId = await verifiedPackage('3.0.0');
		const created = await run(['rollout', firmwareId, '--devices', 'dev-00003,dev-00004', '--need-confirm', '--json']);
		assert.equal(created.code, 0, created.stderr);
		const jobId = String(JSON.parse(created.stdout).jobId);
		const watched = await run(['confirm', jobId, '--watch']);
		assert.equal(watched.code, 0, watched.stdout + watched.stderr);
		assert.match(watched.stdout, new RegExp(`^Confirmed 2 tasks of job ${jobId}\\.\\n`));
		assert.match(watched.stdout, /every task succeeded\. 2 tasks: 2 succeeded/);
	});

	void test('groups: the static and dynamic groups, as a table and as JSON; a group the platform does not know points at it', async () => {
		const table = await run(['groups']);
		assert.equal(table.code, 0, table.stderr);
		assert.match(table.stdout, /^GROUP ID\s+NAME\s+TYPE\s+DESCRIPTION\n/);
		assert.match(table.stdout, /sandbox-lab\s+static/);
		assert.match(table.stdout, /sandbox-tenth\s+dynamic/);
		assert.match(table.stdout, /\n3 groups\n$/);
		const json = await run(['groups', '--json']);
		assert.equal(json.code, 0, json.stderr);
		const body = JSON.parse(json.stdout) as { total: number; groups: Array<{ groupId: string; groupName: string; dynamic: boolean }> };
		assert.equal(body.total, 3);
		assert.deepEqual(body.groups.map((g) => [g.groupName, g.dynamic]).sort(), [
			['sandbox-canary', false],
			['sandbox-lab', false],
			['sandbox-tenth', true],
		]);
		assert.ok(body.groups.every((g) => g.groupId.length > 0));

		const firmwareId = await verifiedPackage('4.0.0');
		const refused = await run(['rollout', firmwareId, '--group', 'G1', '--region', 'cn-shanghai']);
		assert.equal(refused.code, 4, refused.stderr);
		assert.match(refused.stderr, /The specified group does not exist/);
		assert.ok(
			refused.stderr.includes(`List the device groups: iot-ota groups --region cn-shanghai --endpoint ${endpoint}`),
			refused.stderr,
		);
	});

	void test('modules --product-key: the product’s OTA modules; without it exit 2; an unknown --module points at it', async () => {
		const table = await run(['modules', '--product-key', sandbox.productKey]);
		assert.equal(table.code, 0, table.stderr);
		assert.match(table.stdout, /^MODULE\s+ALIAS\s+DESCRIPTION\n/);
		assert.match(table.stdout, /\ndefault\b/);
		const json = await run(['modules', '--product-key', sandbox.productKey, '--json']);
		assert.equal(json.code, 0, json.stderr);
		const body = JSON.parse(json.stdout) as { productKey: string; total: number; modules: Array<{ moduleName: string }> };
		assert.equal(body.productKey, sandbox.productKey);
		assert.equal(body.total, body.modules.length);
		assert.ok(body.modules.some((m) => m.moduleName === 'default'));
		const missing = await run(['modules']);
		assert.equal(missing.code, 2);
		assert.match(missing.stderr, /iot-ota modules needs --product-key/);

		const firmware = path.join(work, 'fw.bin');
		writeFileSync(firmware, imageWithVersion('5.0.0'));
		const args = [
			'upload',
			firmware,
			'--create',
			'--product-key',
			sandbox.productKey,
			'--dest-version',
			'5.0.0',
			'--module',
			'nosuchmodule',
		];
		const refused = await run(args);
		assert.equal(refused.code, 2, refused.stderr); // refused before the upload (core/flow/packageTarget.ts)
		assert.ok(
			refused.stderr.includes(`List the product's modules: iot-ota modules --product-key '<ProductKey>' --endpoint ${endpoint}`),
			refused.stderr,
		);
	});
});
