// iot-ota sandbox with a fleet: the flags scripts rely on, the JSON line, the instructions on stderr, the saved fleet.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildCli, cleanEnv, runCli, startCli, tempDir, waitFor } from './cliHarness';

void describe('iot-ota sandbox --devices / --behaviour / --time-scale', () => {
	let cli: Awaited<ReturnType<typeof buildCli>>;
	let work: string;

	before(async () => {
		work = tempDir('iot-ota-cli-fleet-');
		cli = await buildCli();
	});

	after(() => {
		cli?.dispose();
		rmSync(work, { recursive: true, force: true });
	});

	/** Runs `iot-ota sandbox` until its instructions are out, then `during` its run, then stops it (killed whatever happens). */
	async function runSandbox(
		args: string[],
		during?: (endpoint: string) => Promise<void>,
	): Promise<{ ready: Record<string, unknown>; stderr: string }> {
		const { child, done } = startCli(cli.cliPath, ['sandbox', '--data', path.join(work, 'data'), ...args], {
			env: cleanEnv(path.join(work, 'home')),
		});
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (chunk: string) => (stdout += chunk));
		child.stderr?.on('data', (chunk: string) => (stderr += chunk));
		try {
			await waitFor(() => stderr.includes('Press Ctrl+C'), 30_000, 'the instructions');
			const ready = JSON.parse(stdout) as Record<string, unknown>;
			const fleet = (await (await fetch(`${String(ready.endpoint)}/__sandbox/faults`)).json()) as { fleet: { devices: number } };
			assert.equal(fleet.fleet.devices, 21, '20 devices and the gateway');
			await during?.(String(ready.endpoint));
			child.kill('SIGINT');
			assert.equal((await done).code, 0);
			return { ready, stderr };
		} finally {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGKILL');
				await done;
			}
		}
	}

	void test('the JSON line reports the fleet; stderr says how to point the CLI and the extension at it; a restart keeps it', async () => {
		const upgradeMost = async (endpoint: string): Promise<void> => {
			const rule = { target: 'device', version: '2.0.0', match: 'dev-*', percent: 60 };
			const added = await fetch(`${endpoint}/__sandbox/faults`, { method: 'POST', body: JSON.stringify(rule) });
			assert.equal(added.status, 201);
		};
		const { ready, stderr } = await runSandbox(
			['--devices', '20', '--behaviour', 'fail-flash=5%', '--behaviour', 'offline=10', '--time-scale', '60'],
			upgradeMost,
		);
		assert.deepEqual(ready.fleet, {
			productKey: 'a1SandboxPK1',
			devices: 20,
			firstDevice: 'dev-00001',
			lastDevice: 'dev-00020',
			version: '1.0.0',
			versions: { '1.0.0': 20 },
			behaviours: { ok: 17, 'fail-flash': 1, offline: 2 },
			timeScale: 60,
		});
		assert.ok(stderr.includes('20 devices dev-00001…dev-00020 of product a1SandboxPK1, on version 1.0.0;'), stderr);
		assert.ok(stderr.includes(`iot-ota list --endpoint ${String(ready.endpoint)}`), stderr);
		assert.ok(stderr.includes(`"iotOta.endpoint": "${String(ready.endpoint)}"`), stderr);
		assert.ok(stderr.includes(`ALIBABA_CLOUD_ACCESS_KEY_ID=${String(ready.accessKeyId)}`), stderr);

		const again = await runSandbox([]);
		assert.deepEqual(
			again.ready.fleet,
			{ ...(ready.fleet as object), version: '2.0.0', versions: { '1.0.0': 8, '2.0.0': 12 }, timeScale: 1 },
			'the saved fleet is used when no flag changes it; devices come back on their saved versions',
		);
		assert.ok(again.stderr.includes('on versions 2.0.0 (12), 1.0.0 (8);'), again.stderr);
	});

	for (const [args, message] of [
		[['--behaviour', 'explode=5%'], /--behaviour: Invalid behaviour "explode=5%"/],
		[['--behaviour', 'fail=60%', '--behaviour', 'slow=50%'], /add up to 110%/],
		[['--time-scale', '0'], /--time-scale must be a number above 0/],
		[['--devices', '0'], /--devices must be a whole number from 1 to 1000000/],
	] as const) {
		void test(`${args.join(' ')} is a usage error (exit 2)`, async () => {
			const run = await runCli(cli.cliPath, ['sandbox', ...args], { env: cleanEnv(path.join(work, 'home')) });
			assert.equal(run.code, 2, run.stderr);
			assert.match(run.stderr, message);
			assert.equal(run.stdout, '');
		});
	}
});
