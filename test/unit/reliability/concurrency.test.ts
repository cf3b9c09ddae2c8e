// 20 concurrent uploads (+ CreateOTAFirmware) from one account against the sandbox's default 10 QPS limit:
// the client's shared per-account limiter must keep the sandbox's observed QPS ≤ 10, with zero failures.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, before, describe, test } from 'node:test';
import { prepareFlow, runFlow } from '../../../src/core/flow';
import { IotClient } from '../../../src/core/iotClient';
import type { Sandbox } from '../../../src/sandbox';
import { FAST_RETRY, installTripwire, sandboxTmp } from '../../support/reliability';
import { useSandboxSuite } from '../../support/reliabilitySuite';

const tripwire = installTripwire();

void describe('reliability: 20 concurrent uploads from one account', () => {
	const suite = useSandboxSuite('iot-ota-rel-qps-'); // the sandbox's default: 10 calls/s per AccessKeyId
	let sandbox: Sandbox;

	before(() => ({ sandbox } = suite));

	afterEach(() => tripwire.assertClean());

	void test(
		'20 × (upload + CreateOTAFirmware) in parallel: all succeed, sandbox sees ≤ 10 QPS, never throttles',
		{ timeout: 30_000 },
		async () => {
			// Separate IotClient objects, as separate commands would create: they share the process-wide limiter of the key.
			const jobs = await Promise.all(
				Array.from({ length: 20 }, async (_, i) => {
					const file = path.join(suite.work, `fw-${i}.bin`);
					writeFileSync(file, randomBytes(8 * 1024 + i));
					const prepared = await prepareFlow({
						filePath: file,
						create: { productKey: sandbox.productKey, destVersion: `1.0.${i}` },
					});
					const client = new IotClient({
						region: 'cn-shanghai',
						endpoint: sandbox.endpoint,
						credentials: sandbox,
						retry: FAST_RETRY,
					});
					return { client, prepared };
				}),
			);
			const outcomes = await Promise.allSettled(jobs.map(({ client, prepared }) => runFlow(client, prepared)));
			const failures = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [`#${i}: ${String((o.reason as Error).message)}`] : []));
			assert.deepEqual(failures, [], 'user-visible failures');
			const ids = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.created?.firmwareId : undefined));
			assert.equal(new Set(ids).size, 20, 'every upload registered exactly once');

			assert.ok(
				sandbox.stats.maxQps[sandbox.accessKeyId] <= 10,
				`sandbox observed ${sandbox.stats.maxQps[sandbox.accessKeyId]} calls within one second`,
			);
			assert.equal(
				sandbox.stats.apiErrors['Throttling.User'] ?? 0,
				0,
				`the sandbox had to throttle the client (${JSON.stringify(sandbox.stats.apiCalls)})`,
			);
			const calls = sandbox.stats.apiCalls;
			assert.equal(calls.GenerateOTAUploadURL, 20, 'one ticket per upload');
			assert.equal(calls.CreateOTAFirmware, 20);
			assert.equal(sandbox.stats.ossUploads, 20);
			await sandbox.uploadsSettled();
			assert.deepEqual(sandboxTmp(sandbox), []);
		},
	);
});
