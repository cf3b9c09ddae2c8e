import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { buildCli, cleanEnv, parseJsonOutput, runCli, startCli, tempDir, waitFor } from './cliHarness';

void describe('iot-ota process lifecycle', () => {
	let cli: Awaited<ReturnType<typeof buildCli>>;
	let sandbox: Sandbox;
	let work: string;

	before(async () => {
		work = tempDir('iot-ota-cli-lifecycle-');
		[cli, sandbox] = await Promise.all([buildCli(), startSandbox({ dataDir: path.join(work, 'sandbox') })]);
	});

	after(async () => {
		await sandbox?.stop();
		cli?.dispose();
		rmSync(work, { recursive: true, force: true });
	});

	void test('Ctrl+C during the upload exits 130, stores no object, registers and inserts nothing', async () => {
		const firmware = path.join(work, 'big.bin');
		writeFileSync(firmware, randomBytes(8 * 1024 * 1024));
		const config = path.join(work, 'cfg.json');
		const original = '{\n  // untouched\n  "ota": { "url": "" }\n}\n';
		writeFileSync(config, original);
		// The OSS side stops reading, so the upload is guaranteed to be in flight when the signal arrives.
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'stall' });
		const ticketsBefore = sandbox.stats.apiCalls.GenerateOTAUploadURL ?? 0;
		const uploadsBefore = sandbox.stats.ossUploads;
		const env = cleanEnv(path.join(work, 'home'), {
			ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
			ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret,
		});
		const args = [
			'upload',
			firmware,
			'--endpoint',
			sandbox.endpoint,
			'--json',
			'--create',
			'--product-key',
			sandbox.productKey,
			'--dest-version',
			'9.9.9',
			'--insert',
			'cfg.json#ota.url',
		];
		const { child, done } = startCli(cli.cliPath, args, { env, cwd: work });
		await waitFor(() => (sandbox.stats.apiCalls.GenerateOTAUploadURL ?? 0) > ticketsBefore, 30_000, 'the upload ticket');
		// The stall rule is consumed when the PostObject request arrives: from then on the upload is in flight.
		await waitFor(() => sandbox.faults.list().length === 0, 30_000, 'the PostObject request');
		child.kill('SIGINT');
		const run = await done;

		assert.equal(run.code, 130, run.stderr);
		assert.match(run.stderr, /Cancelled/);
		assert.equal((parseJsonOutput(run).error as { code: string }).code, 'Cancelled');
		assert.equal(sandbox.stats.ossUploads, uploadsBefore);
		assert.equal(sandbox.stats.apiCalls.CreateOTAFirmware ?? 0, 0);
		assert.equal(readFileSync(config, 'utf8'), original);
		assert.equal(run.stdout.includes(sandbox.accessKeySecret) || run.stderr.includes(sandbox.accessKeySecret), false);
	});

	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		void test(`sandbox prints one JSON line when ready and exits 0 on ${signal}`, async () => {
			const dataDir = path.join(work, `sandbox-cmd-${signal}`);
			const { child, done } = startCli(cli.cliPath, ['sandbox', '--data', dataDir], { env: cleanEnv(path.join(work, 'home')) });
			let stdout = '';
			child.stdout?.on('data', (chunk: string) => (stdout += chunk));
			await waitFor(() => stdout.includes('\n'), 30_000, 'the ready line');
			const ready = JSON.parse(stdout) as Record<string, string> & { fleet: Record<string, unknown> };
			assert.deepEqual(Object.keys(ready).sort(), ['accessKeyId', 'accessKeySecret', 'dataDir', 'endpoint', 'fleet', 'ossHost']);
			assert.deepEqual(
				{ devices: ready.fleet.devices, firstDevice: ready.fleet.firstDevice, version: ready.fleet.version },
				{ devices: 5, firstDevice: 'dev-00001', version: '1.0.0' },
			);
			assert.equal(ready.dataDir, dataDir);
			assert.match(ready.endpoint, /^http:\/\/127\.0\.0\.1:\d+/);

			// The advertised endpoint and keys work.
			const probe = await runCli(cli.cliPath, ['products', '--endpoint', ready.endpoint, '--json'], {
				env: cleanEnv(path.join(work, 'home'), {
					ALIBABA_CLOUD_ACCESS_KEY_ID: ready.accessKeyId,
					ALIBABA_CLOUD_ACCESS_KEY_SECRET: ready.accessKeySecret,
				}),
			});
			assert.equal(probe.code, 0, probe.stderr);
			assert.ok((parseJsonOutput(probe).items as unknown[]).length >= 1);

			child.kill(signal);
			const run = await done;
			assert.equal(run.code, 0, run.stderr);
			assert.equal(run.stdout.trim().split('\n').length, 1);
		});
	}

	void test('demo runs the whole flow: the FirmwareUrl, the FirmwareId, the edited config, verification, gray with the guard, promotion', async () => {
		const run = await runCli(cli.cliPath, ['demo'], { env: cleanEnv(path.join(work, 'home')) });
		const folder = /Working folder: (.+)/.exec(run.stdout)?.[1];
		try {
			assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
			assert.match(run.stdout, /FirmwareUrl: http:\/\/\S+\.bin/);
			assert.match(run.stdout, /FirmwareId: {2}\S+/);
			assert.match(run.stdout, /│ {5}"firmwareUrl": "http:\/\/\S+\.bin",/);
			assert.match(run.stdout, /│ {5}\/\* iot-ota writes the FirmwareUrl/);
			assert.match(
				run.stdout,
				/6\. CreateOTAVerifyJob on dev-00001, dev-00002, dev-00003.*\n {3}✓ job \S+: 3 succeeded, 0 failed of 3; the package is now verified/,
			);
			assert.match(run.stdout, /✗ dev-00006: the device could not write the image to flash/);
			assert.match(run.stdout, /8\. The guard's verdict: the rollout went on: 1 of 8 finished tasks failed \(12\.5 % < 25 %\)/);
			assert.match(run.stdout, /✓ job \S+ \(ALL\): 10 succeeded, 0 failed of 10/);
			assert.match(run.stdout, /Stopped the sandbox/);
		} finally {
			if (folder) {
				rmSync(folder, { recursive: true, force: true });
			}
		}
	});
});
