// Secret leak audit of the lifecycle commands: the sandbox's answers carry real-looking DeviceSecret and ProductSecret
// values (and a signed FirmwareUrl); none of them, nor the AccessKey secret, may reach stdout, stderr, the GitHub step
// summary or any file of the run, in human, --json and --verbose output.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { popRpcClient } from '../../../src/core/vendor';
import type { Sandbox } from '../../../src/sandbox';
import { cleanEnv, runCli, type CliRun } from '../cli/cliHarness';
import { findLeaks, scanFiles, SIGNED_URL_VALUE } from '../../support/reliability';
import { useSandboxSuite } from '../../support/reliabilitySuite';

const SECRET = `LkSecret${randomBytes(12).toString('hex')}`;

void describe('reliability: lifecycle commands never show device or product secrets', () => {
	const suite = useSandboxSuite('iot-ota-rel-lifecycle-leak-', {
		sandbox: { accessKeySecret: SECRET, devices: 12, timeScale: 600, qps: 1000 },
		cli: true,
	});
	let home: string;
	let sandbox: Sandbox;
	const needles: string[] = [SECRET];
	const runs: Array<{ name: string; run: CliRun }> = [];

	/** The raw answer of the sandbox, read with pop-core alone (the project's client drops these fields). */
	async function raw(action: string, params: Record<string, string>): Promise<Record<string, unknown>> {
		const RPC = popRpcClient();
		const rpc = new RPC({
			endpoint: sandbox.endpoint,
			apiVersion: '2018-01-20',
			accessKeyId: sandbox.accessKeyId,
			accessKeySecret: SECRET,
		});
		return (await rpc.request(action, { RegionId: 'cn-shanghai', ...params }, { method: 'POST' })) as Record<string, unknown>;
	}

	/**
	 * Runs the CLI and checks its exit code and one fact of its stdout that shows the secret-bearing answers were
	 * read and handled (a run that failed early would leak nothing and prove nothing).
	 */
	async function run(name: string, args: string[], expected: { code: number; stdout: RegExp }): Promise<CliRun> {
		const env = cleanEnv(home, {
			ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
			ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
			GITHUB_ACTIONS: 'true',
			GITHUB_STEP_SUMMARY: path.join(suite.work, 'summary.md'),
		});
		const result = await runCli(suite.cli.cliPath, [...args, '--endpoint', sandbox.endpoint], { env, cwd: suite.work });
		runs.push({ name, run: result });
		assert.equal(result.code, expected.code, `${name}: ${result.stdout}${result.stderr}`);
		assert.match(result.stdout, expected.stdout, `${name}: ${result.stderr}`);
		return result;
	}

	before(async () => {
		({ sandbox } = suite);
		home = path.join(suite.work, 'home');
		mkdirSync(home);
		writeFileSync(path.join(suite.work, 'summary.md'), '');
		for (const name of ['dev-00001', 'dev-00002', 'dev-00012']) {
			const detail = (await raw('QueryDeviceDetail', { ProductKey: sandbox.productKey, DeviceName: name })).Data as {
				DeviceSecret?: string;
			};
			assert.ok(detail.DeviceSecret && detail.DeviceSecret.length >= 8, 'the sandbox answers a DeviceSecret');
			needles.push(detail.DeviceSecret);
		}
		const product = (await raw('QueryProduct', { ProductKey: sandbox.productKey })).Data as { ProductSecret?: string };
		assert.ok(product.ProductSecret && product.ProductSecret.length >= 8, 'the sandbox answers a ProductSecret');
		needles.push(product.ProductSecret);
	});

	void test('devices, firmware, verify, rollout (dry run and real), jobs, watch, doctor, cancel, retry', async () => {
		writeFileSync(path.join(suite.work, 'fw.bin'), randomBytes(16 * 1024));
		const up = await run(
			'upload',
			['upload', 'fw.bin', '--create', '--product-key', sandbox.productKey, '--dest-version', '3.0.0', '--json'],
			{
				code: 0,
				stdout: /"firmwareId"/,
			},
		);
		const firmwareId = String((JSON.parse(up.stdout) as { firmwareId: string }).firmwareId);
		sandbox.ota.setDevices({ deviceNames: ['dev-00005'] }, { behaviour: 'fail-flash' });
		for (const flags of [[], ['--json'], ['--verbose']]) {
			// Every device of the product is listed: QueryDevice and BatchQueryDeviceDetail answers carry DeviceSecret.
			const listed = flags.includes('--json') ? /"total":12,/ : /\n12 devices\n$/;
			await run(`devices ${flags}`, ['devices', '--product-key', sandbox.productKey, ...flags], { code: 0, stdout: listed });
			// The package and its FirmwareUrl (signed in the answer) were read.
			await run(`firmware show ${flags}`, ['firmware', 'show', firmwareId, ...flags], { code: 0, stdout: /3\.0\.0/ });
		}
		await run('verify --watch --json', ['verify', firmwareId, '--devices', 'dev-00001,dev-00002', '--watch', '--json', '--verbose'], {
			code: 0,
			stdout: /"outcome":"succeeded"/,
		});
		await run('rollout --dry-run', ['rollout', firmwareId, '--all', '--dry-run', '--verbose'], {
			code: 0,
			stdout: /Devices it would reach: 12/,
		});
		await run('rollout --dry-run --json', ['rollout', firmwareId, '--devices', 'dev-00012,dev-00011', '--dry-run', '--json'], {
			code: 0,
			stdout: /"deviceNames":\["dev-00012","dev-00011"\]/,
		});
		await run('rollout --watch', ['rollout', firmwareId, '--all', '--watch', '--verbose'], { code: 5, stdout: /dev-00005/ });
		const jobs = await run('jobs --json', ['jobs', firmwareId, '--json'], { code: 0, stdout: /"UPGRADE_FIRMWARE"/ });
		const jobId = (JSON.parse(jobs.stdout) as { jobs: Array<{ jobId: string; jobType: string }> }).jobs.find(
			(j) => j.jobType === 'UPGRADE_FIRMWARE',
		)?.jobId;
		assert.ok(jobId, jobs.stdout);
		await run('watch --json', ['watch', jobId, '--json', '--verbose'], { code: 5, stdout: /"outcome":"failed"/ });
		await run('doctor', ['doctor', jobId, '--verbose'], { code: 0, stdout: /dev-00005 \(task [^)]+\) FAILED/ });
		await run('doctor --json', ['doctor', jobId, '--device', 'dev-00005', '--json'], { code: 0, stdout: /"deviceName":"dev-00005"/ });
		await run('retry', ['retry', jobId, '--json'], { code: 0, stdout: /"retried":1,/ });
		await run('cancel', ['cancel', jobId, '--queued', '--notified', '--verbose'], { code: 0, stdout: /^Cancelled in job / });

		const hits = runs.flatMap(({ name, run: r }) => [
			...findLeaks(`${name} stdout`, r.stdout, needles),
			...findLeaks(`${name} stderr`, r.stderr, needles),
		]);
		hits.push(...scanFiles(suite.work, needles, (file) => file.includes(`${path.sep}sandbox${path.sep}`)));
		assert.deepEqual(
			hits.map((h) => `${h.where}: ${h.needle} as ${h.form}`),
			[],
		);
		for (const { name, run: r } of runs) {
			assert.doesNotMatch(r.stdout + r.stderr, SIGNED_URL_VALUE, `${name}: a signed URL`);
		}
	});
});
