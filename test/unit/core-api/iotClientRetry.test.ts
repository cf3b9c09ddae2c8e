// IotClient's retries (throttling, 5xx, dropped connections; never a 5xx of CreateOTAFirmware) and cancellation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { okBody } from './stubServer';
import { CountingLimiter, THROTTLED, UNAVAILABLE, useIotClientStub } from './iotClientSupport';

const TICKET_DATA = {
	Key: 'ota/abc/fw.bin',
	Host: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com',
	Policy: 'eyJleHBpcmF0aW9uIjoi',
	OSSAccessKeyId: 'cS8uRRy54Rsz',
	Signature: 'v6lViO4FBvfquajQjg20K5hK',
	FirmwareUrl: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/abc/fw.bin',
	ObjectStorage: 'OSS',
	UtcCreate: '2019-11-04T06:21:54.607Z',
};

const io = useIotClientStub();
const { client, sentDuring, logLines } = io;

const CREATE = { firmwareUrl: 'https://x/fw.bin', firmwareName: 'SecretProjectName', destVersion: '1.0.0', productKey: 'a1pk' };

void test('Throttling.User is retried (each attempt through the limiter) until the call succeeds', async () => {
	io.script = [THROTTLED, THROTTLED, okBody({ RequestId: 'R-OK', Data: TICKET_DATA })];
	const before = Date.now();
	const { requests, outcome } = await sentDuring(() => client().generateOtaUploadUrl('bin'));
	assert.equal(requests.length, 3);
	assert.equal(io.limiter.acquired, 3);
	assert.deepEqual(outcome, {
		host: TICKET_DATA.Host,
		key: TICKET_DATA.Key,
		policy: TICKET_DATA.Policy,
		ossAccessKeyId: TICKET_DATA.OSSAccessKeyId,
		signature: TICKET_DATA.Signature,
		firmwareUrl: TICKET_DATA.FirmwareUrl,
		objectStorage: 'OSS',
		utcCreate: TICKET_DATA.UtcCreate,
		requestId: 'R-OK',
		receivedAt: (outcome as { receivedAt: number }).receivedAt,
	});
	const { receivedAt } = outcome as { receivedAt: number };
	assert.ok(receivedAt >= before && receivedAt <= Date.now());
	assert.equal(requests[0].params.FileSuffix, 'bin');
	assert.ok(logLines.some((l) => /GenerateOTAUploadURL ok in \d+ ms \(RequestId: R-OK\)/.test(l)));
	assert.equal(logLines.filter((l) => l.includes('retrying')).length, 2);
});

void test('CreateOTAFirmware is NOT retried on a 5xx (it could register the firmware twice)', async () => {
	io.script = [UNAVAILABLE];
	const { requests, outcome } = await sentDuring(() => client().createOtaFirmware(CREATE));
	assert.equal(requests.length, 1);
	assert.ok(outcome instanceof OtaError);
	assert.equal(outcome.code, 'ServiceUnavailable');
	assert.equal(outcome.status, 503);
	assert.equal(outcome.retryable, false);
	// Made not retryable, it keeps its reason: the extension words it (errorWordings.ts), as an error a caller may wrap.
	assert.equal(outcome.reason?.code, 'api-failed');
	assert.equal(outcome.reason?.values.action, 'CreateOTAFirmware');
	assert.equal(logLines.join('\n').includes('SecretProjectName'), false, 'parameters must not be logged');
});

void test('CreateOTAFirmware IS retried on throttling', async () => {
	io.script = [THROTTLED];
	const { requests, outcome } = await sentDuring(() => client().createOtaFirmware(CREATE));
	assert.equal(requests.length, 2);
	assert.deepEqual(outcome, { firmwareId: 'F-NEW', requestId: 'REQ-OK' });
});

void test('idempotent reads are retried on 5xx and on a dropped connection', async () => {
	io.script = [
		UNAVAILABLE,
		'destroy',
		okBody({ FirmwareInfo: { FirmwareId: 'F1', FirmwareName: 'fw', DestVersion: '2.0', FirmwareSize: 123, Status: 1 } }),
	];
	const { requests, outcome } = await sentDuring(() => client().queryOtaFirmware('F1'));
	assert.equal(requests.length, 3);
	assert.deepEqual(outcome, { firmwareId: 'F1', firmwareName: 'fw', destVersion: '2.0', firmwareSize: 123, status: 1 });
});

void test('retries stop after maxAttempts with the last error', async () => {
	io.script = [THROTTLED, THROTTLED, THROTTLED];
	const { requests, outcome } = await sentDuring(() =>
		client({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } }).listOtaFirmware({}),
	);
	assert.equal(requests.length, 3);
	assert.ok(outcome instanceof OtaError);
	assert.equal(outcome.code, 'Throttling.User');
	assert.equal(outcome.retryable, true);
});

void test('non-retryable business errors fail at once', async () => {
	io.script = [
		{
			json: {
				RequestId: 'R',
				Success: false,
				Code: 'iot.ota.FirmwareNotFound',
				ErrorMessage: 'The specified firmware does not exist.',
			},
		},
	];
	const { requests, outcome } = await sentDuring(() => client().queryOtaFirmware('F404'));
	assert.equal(requests.length, 1);
	assert.equal((outcome as OtaError).code, 'iot.ota.FirmwareNotFound');
});

void test('abort while the request is in flight rejects at once with the cancelled error', { timeout: 5000 }, async () => {
	io.script = ['hang'];
	const controller = new AbortController();
	const start = io.stub.requests.length;
	const call = client({ timeoutMs: 60_000 }).queryOtaFirmware('F1', controller.signal);
	const request = await io.stub.received(start + 1);
	controller.abort();
	const error = await call.catch((e: unknown) => e);
	assert.ok(error instanceof OtaError);
	assert.equal(error.source, 'cancelled');
	await request.connectionClosed; // the socket is really closed, not just the result dropped
	assert.equal(io.stub.requests.length, start + 1, 'no retry after cancellation');
});

void test('abort during the back-off wait cancels instead of retrying', async () => {
	io.script = [THROTTLED];
	const controller = new AbortController();
	const start = io.stub.requests.length;
	const c = client({ retry: { maxAttempts: 4, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
	const call = c.listOtaFirmware({}, controller.signal);
	await io.stub.received(start + 1);
	// The retry log line is written right before the back-off wait starts.
	while (!logLines.some((l) => l.includes('retrying'))) {
		await new Promise((resolve) => setImmediate(resolve));
	}
	controller.abort();
	const error = await call.catch((e: unknown) => e);
	assert.equal((error as OtaError).source, 'cancelled');
	assert.equal(io.stub.requests.length, start + 1);
});

void test('an already-aborted signal sends nothing', async () => {
	const { requests, outcome } = await sentDuring(() => client().deleteOtaFirmware('F1', AbortSignal.abort()));
	assert.equal(requests.length, 0);
	assert.equal((outcome as OtaError).source, 'cancelled');
});

void test('abort while waiting for the rate limiter sends nothing', async () => {
	io.limiter = new CountingLimiter({ perSecond: 1, windowMs: 60_000 });
	const c = client();
	await c.deleteOtaFirmware('F1');
	const controller = new AbortController();
	const start = io.stub.requests.length;
	const call = c.deleteOtaFirmware('F2', controller.signal);
	controller.abort();
	assert.equal(((await call.catch((e: unknown) => e)) as OtaError).source, 'cancelled');
	assert.equal(io.stub.requests.length, start);
});
