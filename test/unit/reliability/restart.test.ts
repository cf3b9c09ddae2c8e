// The sandbox stopped or SIGKILLed mid-run and started again on the same data dir: every object and
// firmware record it acknowledged survives, nothing half-written is left behind, and a client that was
// uploading at that moment recovers by itself (retry with a fresh ticket).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { prepareFlow, runFlow } from '../../../src/core/flow';
import { IotClient } from '../../../src/core/iotClient';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { buildCli, cleanEnv, startCli } from '../cli/cliHarness';
import { installTripwire, leftoverTempFiles, persistedState, removeDir, tempDir, waitFor, withDeadline } from '../../support/reliability';
import { signedUrl } from '../../support/ossDownload';

const tripwire = installTripwire();
const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');
const portOf = (url: string): number => Number(new URL(url).port);

/** Patient enough to ride out a restart of a second or so. */
const RESTART_RETRY = { baseDelayMs: 150, maxDelayMs: 600, maxAttempts: 8 } as const;

function clientFor(endpoint: string, creds: { accessKeyId: string; accessKeySecret: string }): IotClient {
	return new IotClient({
		region: 'cn-shanghai',
		endpoint,
		credentials: creds,
		retry: RESTART_RETRY,
		timeoutMs: 3000,
		limiter: new RateLimiter(),
	});
}

async function uploadAndCreate(
	client: IotClient,
	work: string,
	name: string,
	productKey: string,
	bytes = 16 * 1024,
): Promise<{ firmwareId: string; key: string; md5: string }> {
	const file = path.join(work, `${name}.bin`);
	const data = randomBytes(bytes);
	writeFileSync(file, data);
	const prepared = await prepareFlow({ filePath: file, create: { productKey, destVersion: '1.0.0', firmwareName: name } });
	const result = await runFlow(client, prepared);
	return { firmwareId: result.created?.firmwareId ?? '', key: result.upload?.key ?? '', md5: md5(data) };
}

void describe('reliability: sandbox restarts keep what they acknowledged', () => {
	let work: string;
	let cli: Awaited<ReturnType<typeof buildCli>>;

	before(async () => {
		work = tempDir('iot-ota-rel-restart-');
		cli = await buildCli();
	});

	afterEach(() => tripwire.assertClean());

	after(() => {
		cli?.dispose();
		removeDir(work);
	});

	void test(
		'stop() mid-upload, restart on the same ports and data dir: the upload recovers; earlier records and objects survive',
		{ timeout: 30_000 },
		async () => {
			const dataDir = path.join(work, 'graceful');
			let sandbox: Sandbox = await startSandbox({ dataDir });
			const ports = { apiPort: portOf(sandbox.endpoint), ossPort: portOf(sandbox.ossHost) };
			const client = clientFor(sandbox.endpoint, sandbox);
			try {
				const earlier = [];
				for (const name of ['keep-a', 'keep-b', 'keep-c']) {
					earlier.push(await uploadAndCreate(client, work, name, sandbox.productKey));
				}
				// The 4th upload is in flight (OSS stops reading) when the sandbox goes down.
				sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'stall' });
				const inFlight = uploadAndCreate(client, work, 'in-flight', sandbox.productKey, 2 * 1024 * 1024);
				inFlight.catch(() => undefined); // awaited below; a failing assertion before that must not leave it unhandled
				// The OSS listener takes the stall rule when the PostObject request arrives: from then on the upload is in flight.
				await waitFor(() => sandbox.faults.list().length === 0, 5000, 'the in-flight upload to reach OSS');
				await withDeadline(sandbox.stop(), 5000, 'sandbox.stop() with an upload in flight');
				assert.deepEqual(leftoverTempFiles(dataDir), [], 'stop() left partial files');
				sandbox = await startSandbox({ dataDir, ...ports });

				const recovered = await withDeadline(inFlight, 20_000, 'the in-flight upload');
				const page = await client.listOtaFirmware({ pageSize: 100 });
				const byName = new Map(page.items.map((f) => [f.firmwareName, f.firmwareId]));
				assert.deepEqual(
					['keep-a', 'keep-b', 'keep-c', 'in-flight'].map((n) => byName.get(n)),
					[...earlier, recovered].map((r) => r.firmwareId),
				);
				assert.equal(page.total, 4, 'a firmware was registered twice');
				for (const item of [...earlier, recovered]) {
					const res = await fetch(signedUrl(sandbox, `${sandbox.ossHost}/${item.key}`));
					assert.equal(res.status, 200, item.key);
					assert.equal(md5(Buffer.from(await res.arrayBuffer())), item.md5);
				}
				assert.deepEqual(leftoverTempFiles(dataDir), []);
			} finally {
				await withDeadline(sandbox.stop(), 5000, 'sandbox.stop()');
			}
		},
	);

	void test(
		'the sandbox process SIGKILLed during uploads and registrations: everything acknowledged survives, no partial files',
		{ timeout: 30_000 },
		async () => {
			const dataDir = path.join(work, 'killed');
			const { child, done } = startCli(cli.cliPath, ['sandbox', '--data', dataDir], { env: cleanEnv(path.join(work, 'home')) });
			let stdout = '';
			child.stdout?.on('data', (chunk: string) => (stdout += chunk));
			await waitFor(() => stdout.includes('\n'), 10_000, 'the sandbox ready line');
			const ready = JSON.parse(stdout.split('\n')[0]) as { endpoint: string; accessKeyId: string; accessKeySecret: string };
			const client = new IotClient({
				region: 'cn-shanghai',
				endpoint: ready.endpoint,
				credentials: ready,
				retry: { baseDelayMs: 5, maxDelayMs: 40 },
				timeoutMs: 2000,
			});

			const acknowledged: Array<{ firmwareId: string; key: string; md5: string }> = [];
			let killed = false;
			const worker = async (w: number): Promise<void> => {
				for (let i = 0; !killed; i++) {
					try {
						acknowledged.push(await uploadAndCreate(client, work, `w${w}-n${i}`, 'a1SandboxPK1', 64 * 1024));
					} catch (error) {
						if (!killed) {
							throw error;
						}
					}
				}
			};
			const workers = Promise.all([0, 1, 2].map(worker));
			workers.catch(() => undefined); // awaited below
			try {
				await waitFor(() => acknowledged.length >= 6, 15_000, 'six acknowledged registrations');
			} finally {
				killed = true;
				child.kill('SIGKILL');
			}
			const exit = await done;
			assert.equal(exit.signal, 'SIGKILL');
			await workers;

			// The state file is whole JSON (atomic rename), whatever moment the kill hit.
			assert.doesNotThrow(() => JSON.parse(readFileSync(path.join(dataDir, 'state.json'), 'utf8')));
			const restarted = await startSandbox({ dataDir });
			try {
				const state = await persistedState(dataDir);
				const ids = new Set(state.firmware.map((f) => f.firmwareId));
				const lost = acknowledged.filter((a) => !ids.has(a.firmwareId));
				assert.deepEqual(lost, [], 'acknowledged firmware records were lost');
				for (const item of acknowledged) {
					const res = await fetch(signedUrl(restarted, `${restarted.ossHost}/${item.key}`));
					assert.equal(res.status, 200, `object ${item.key} lost`);
					assert.equal(md5(Buffer.from(await res.arrayBuffer())), item.md5);
				}
				assert.deepEqual(leftoverTempFiles(dataDir), [], 'partial files survived the restart');
			} finally {
				await withDeadline(restarted.stop(), 5000, 'sandbox.stop()');
			}
		},
	);

	void test('temp files a crash left next to state.json / identity.json are removed when the sandbox starts again', async () => {
		const dataDir = path.join(work, 'crashed-mid-write');
		const first = await startSandbox({ dataDir });
		await first.stop();
		// Exactly what writeJsonAtomic leaves when the process dies between writeFile and rename.
		const stale = [path.join(dataDir, 'state.json.4242.0badc0de.tmp'), path.join(dataDir, 'identity.json.4242.0badc0de.tmp')];
		for (const file of stale) {
			writeFileSync(file, '{"half": ');
		}
		const second = await startSandbox({ dataDir });
		try {
			assert.deepEqual(leftoverTempFiles(dataDir), []);
		} finally {
			await second.stop();
		}
	});
});
