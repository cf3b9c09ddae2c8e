// Fault injection through the core, the API calls: GenerateOTAUploadURL and CreateOTAFirmware answering 5xx, stalling,
// slow, throttled or reset. Every fault must end in success after bounded retries, or in ONE OtaError carrying the
// RequestId — never a hang, a duplicate registration or an unhandled rejection.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { IotClient } from '../../../src/core/iotClient';
import type { Sandbox } from '../../../src/sandbox';
import { apiCalls, sandboxClient } from '../../support/reliability';
import { useCoreFaultSuite } from './coreFaultsSupport';

void describe('reliability: faults through the core (uploadFirmware + IotClient → sandbox): API calls', () => {
	const f = useCoreFaultSuite('iot-ota-rel-core-api-');
	const { limiter, tickets, upload, failsOnce } = f;
	let sandbox: Sandbox;
	let client: IotClient;

	before(() => ({ sandbox, client } = f));

	for (const status of [500, 502, 503]) {
		void test(`API ${status} on GenerateOTAUploadURL twice → IotClient retries, upload succeeds`, async () => {
			sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'status', status, times: 2 });
			const result = await upload();
			assert.equal(result.attempts, 1);
			assert.equal(tickets(), 3);
		});
	}

	void test('API 503 on every GenerateOTAUploadURL → 4 calls, then one error with the POP RequestId', async () => {
		sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'status', status: 503, times: 50 });
		const error = await failsOnce(upload(), 'ServiceUnavailable', /^GenerateOTAUploadURL failed: /, /^[0-9A-F-]{36}$/);
		assert.equal(error.status, 503);
		assert.equal(tickets(), 4, `ticket calls (errors: ${JSON.stringify(sandbox.stats.apiErrors)})`);
		assert.equal(sandbox.stats.ossUploads, 0);
	});

	void test('API stall longer than the request timeout → retried; the upload succeeds', async () => {
		sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'stall' });
		const slowClient = sandboxClient(sandbox, { limiter, timeoutMs: 300 });
		const started = Date.now();
		const result = await upload(slowClient);
		assert.equal(result.attempts, 1);
		assert.equal(tickets(), 2);
		assert.ok(Date.now() - started < 5000);
	});

	void test('slow answers below the timeouts succeed without any retry', async () => {
		sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'delay', ms: 300 });
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'delay', ms: 300 });
		const result = await upload(sandboxClient(sandbox, { limiter, timeoutMs: 2000 }), { timeoutMs: 2000 });
		assert.equal(result.attempts, 1);
		assert.equal(tickets(), 1);
	});

	void test('a Throttling.User burst is retried through the limiter and the upload succeeds', async () => {
		sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'throttle', times: 3 });
		const result = await upload();
		assert.equal(result.attempts, 1);
		assert.equal(tickets(), 4, `ticket calls (errors: ${JSON.stringify(sandbox.stats.apiErrors)})`);
		assert.equal(sandbox.stats.apiErrors['Throttling.User'], 3);
	});

	void test("endless Throttling.User → bounded attempts, then one error with RequestId and the hint naming that action's QPS", async () => {
		sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'throttle', times: 50 });
		const error = await failsOnce(
			upload(),
			'Throttling.User',
			/^GenerateOTAUploadURL failed: Request was denied due to user flow control\.$/,
			/^[0-9A-F-]{36}$/,
		);
		assert.equal(
			error.hint,
			'Too many requests: wait a moment and try again (GenerateOTAUploadURL allows 10 calls per second per account).',
		);
		assert.equal(tickets(), 4, `ticket calls (errors: ${JSON.stringify(sandbox.stats.apiErrors)})`);
	});

	void test('CreateOTAFirmware 500 is not repeated (no duplicate registration); the error carries the RequestId', async () => {
		const uploaded = await upload();
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 500 });
		const request = {
			firmwareUrl: uploaded.firmwareUrl,
			firmwareName: 'rel-create-500',
			destVersion: '1.0.0',
			productKey: sandbox.productKey,
			firmwareSign: uploaded.md5,
			signMethod: 'MD5' as const,
			firmwareSize: uploaded.size,
		};
		const error = await failsOnce(client.createOtaFirmware(request), 'InternalError', /^CreateOTAFirmware failed: /, /^[0-9A-F-]{36}$/);
		assert.equal(error.retryable, false, 'a caller could repeat a create that may have succeeded');
		assert.equal(apiCalls(sandbox, 'CreateOTAFirmware'), 1);
		const created = await client.createOtaFirmware(request);
		const page = await client.listOtaFirmware({ pageSize: 100 });
		assert.deepEqual(
			page.items.filter((f) => f.firmwareName === 'rel-create-500').map((f) => f.firmwareId),
			[created.firmwareId],
		);
	});

	void test('CreateOTAFirmware throttled twice → retried (a throttled call was never executed) and registered once', async () => {
		const uploaded = await upload();
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'throttle', times: 2 });
		await client.createOtaFirmware({
			firmwareUrl: uploaded.firmwareUrl,
			firmwareName: 'rel-create-throttled',
			destVersion: '1.0.0',
			productKey: sandbox.productKey,
		});
		assert.equal(apiCalls(sandbox, 'CreateOTAFirmware'), 3);
		const page = await client.listOtaFirmware({ pageSize: 100 });
		assert.equal(page.items.filter((f) => f.firmwareName === 'rel-create-throttled').length, 1);
	});

	void test('CreateOTAFirmware connection reset → one non-retryable network error, nothing registered', async () => {
		const uploaded = await upload();
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'reset', afterBytes: 0 });
		const error = await failsOnce(
			client.createOtaFirmware({
				firmwareUrl: uploaded.firmwareUrl,
				firmwareName: 'rel-create-reset',
				destVersion: '1.0.0',
				productKey: sandbox.productKey,
			}),
			'ECONNRESET',
			/^CreateOTAFirmware: cannot reach http:\/\/127\.0\.0\.1:\d+: /,
		);
		assert.equal(error.retryable, false);
		assert.equal(apiCalls(sandbox, 'CreateOTAFirmware'), 1);
		const page = await client.listOtaFirmware({ pageSize: 100 });
		assert.equal(page.items.filter((f) => f.firmwareName === 'rel-create-reset').length, 0);
	});
});
