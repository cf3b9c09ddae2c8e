import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { MAX_CURRENT_PAGE } from '../../../src/core/iot/actions';
import { IotClient, type IotClientOptions } from '../../../src/core/iotClient';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { okBody, startStub, type CapturedRequest, type Stub, type StubReply } from './stubServer';

/** Counts acquisitions, so tests can check that every attempt passed the limiter. */
class CountingLimiter extends RateLimiter {
	acquired = 0;
	override run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
		return super.run(() => {
			this.acquired++;
			return call();
		}, signal);
	}
}

const THROTTLED: StubReply = {
	status: 400,
	json: { RequestId: 'R-T', Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' },
};
const UNAVAILABLE: StubReply = {
	status: 503,
	json: { RequestId: 'R-U', Code: 'ServiceUnavailable', Message: 'The request has failed due to a temporary failure of the server.' },
};
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

let stub: Stub;
let script: StubReply[] = [];
let limiter: CountingLimiter;
const logLines: string[] = [];

before(async () => {
	stub = await startStub(() => script.shift() ?? okBody({ Data: { FirmwareId: 'F-NEW' } }));
});
after(() => stub.close());
beforeEach(() => {
	script = [];
	limiter = new CountingLimiter({ perSecond: 1000 });
	logLines.length = 0;
});

function client(over: Partial<IotClientOptions> = {}): IotClient {
	const log = (m: string): void => void logLines.push(m);
	return new IotClient({
		region: 'cn-shanghai',
		endpoint: stub.url,
		credentials: { accessKeyId: 'LTAItest', accessKeySecret: 'testsecret' },
		limiter,
		retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
		logger: { trace: log, debug: log, info: log, warn: log, error: log },
		...over,
	});
}

async function sentDuring(action: () => Promise<unknown>): Promise<{ requests: CapturedRequest[]; outcome: unknown }> {
	const start = stub.requests.length;
	const outcome = await action().catch((e: unknown) => e);
	return { requests: stub.requests.slice(start), outcome };
}

const CREATE = { firmwareUrl: 'https://x/fw.bin', firmwareName: 'SecretProjectName', destVersion: '1.0.0', productKey: 'a1pk' };

void test('Throttling.User is retried (each attempt through the limiter) until the call succeeds', async () => {
	script = [THROTTLED, THROTTLED, okBody({ RequestId: 'R-OK', Data: TICKET_DATA })];
	const before = Date.now();
	const { requests, outcome } = await sentDuring(() => client().generateOtaUploadUrl('bin'));
	assert.equal(requests.length, 3);
	assert.equal(limiter.acquired, 3);
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
	script = [UNAVAILABLE];
	const { requests, outcome } = await sentDuring(() => client().createOtaFirmware(CREATE));
	assert.equal(requests.length, 1);
	assert.ok(outcome instanceof OtaError);
	assert.equal(outcome.code, 'ServiceUnavailable');
	assert.equal(outcome.status, 503);
	assert.equal(outcome.retryable, false);
	assert.equal(logLines.join('\n').includes('SecretProjectName'), false, 'parameters must not be logged');
});

void test('CreateOTAFirmware IS retried on throttling', async () => {
	script = [THROTTLED];
	const { requests, outcome } = await sentDuring(() => client().createOtaFirmware(CREATE));
	assert.equal(requests.length, 2);
	assert.deepEqual(outcome, { firmwareId: 'F-NEW', requestId: 'REQ-OK' });
});

void test('idempotent reads are retried on 5xx and on a dropped connection', async () => {
	script = [
		UNAVAILABLE,
		'destroy',
		okBody({ FirmwareInfo: { FirmwareId: 'F1', FirmwareName: 'fw', DestVersion: '2.0', FirmwareSize: 123, Status: 1 } }),
	];
	const { requests, outcome } = await sentDuring(() => client().queryOtaFirmware('F1'));
	assert.equal(requests.length, 3);
	assert.deepEqual(outcome, { firmwareId: 'F1', firmwareName: 'fw', destVersion: '2.0', firmwareSize: 123, status: 1 });
});

void test('retries stop after maxAttempts with the last error', async () => {
	script = [THROTTLED, THROTTLED, THROTTLED];
	const { requests, outcome } = await sentDuring(() =>
		client({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } }).listOtaFirmware({}),
	);
	assert.equal(requests.length, 3);
	assert.ok(outcome instanceof OtaError);
	assert.equal(outcome.code, 'Throttling.User');
	assert.equal(outcome.retryable, true);
});

void test('non-retryable business errors fail at once', async () => {
	script = [
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
	script = ['hang'];
	const controller = new AbortController();
	const start = stub.requests.length;
	const call = client({ timeoutMs: 60_000 }).queryOtaFirmware('F1', controller.signal);
	const request = await stub.received(start + 1);
	controller.abort();
	const error = await call.catch((e: unknown) => e);
	assert.ok(error instanceof OtaError);
	assert.equal(error.source, 'cancelled');
	await request.connectionClosed; // the socket is really closed, not just the result dropped
	assert.equal(stub.requests.length, start + 1, 'no retry after cancellation');
});

void test('abort during the back-off wait cancels instead of retrying', async () => {
	script = [THROTTLED];
	const controller = new AbortController();
	const start = stub.requests.length;
	const c = client({ retry: { maxAttempts: 4, baseDelayMs: 60_000, maxDelayMs: 60_000 } });
	const call = c.listOtaFirmware({}, controller.signal);
	await stub.received(start + 1);
	// The retry log line is written right before the back-off wait starts.
	while (!logLines.some((l) => l.includes('retrying'))) {
		await new Promise((resolve) => setImmediate(resolve));
	}
	controller.abort();
	const error = await call.catch((e: unknown) => e);
	assert.equal((error as OtaError).source, 'cancelled');
	assert.equal(stub.requests.length, start + 1);
});

void test('an already-aborted signal sends nothing', async () => {
	const { requests, outcome } = await sentDuring(() => client().deleteOtaFirmware('F1', AbortSignal.abort()));
	assert.equal(requests.length, 0);
	assert.equal((outcome as OtaError).source, 'cancelled');
});

void test('abort while waiting for the rate limiter sends nothing', async () => {
	limiter = new CountingLimiter({ perSecond: 1, windowMs: 60_000 });
	const c = client();
	await c.deleteOtaFirmware('F1');
	const controller = new AbortController();
	const start = stub.requests.length;
	const call = c.deleteOtaFirmware('F2', controller.signal);
	controller.abort();
	assert.equal(((await call.catch((e: unknown) => e)) as OtaError).source, 'cancelled');
	assert.equal(stub.requests.length, start);
});

void test('ListOTAFirmware reads the FirmwareInfo.SimpleFirmwareInfo double wrapper and the page fields', async () => {
	script = [
		okBody({
			Total: 3,
			PageSize: 2,
			PageCount: 2,
			CurrentPage: 1,
			FirmwareInfo: {
				SimpleFirmwareInfo: [
					{
						FirmwareId: 'F1',
						FirmwareName: 'one',
						DestVersion: '1.0',
						ProductKey: 'pk',
						Type: 0,
						Status: -1,
						UtcCreate: '2024-01-01T00:00:00.000Z',
					},
					{ FirmwareId: 'F2', FirmwareName: 'two', DestVersion: '2.0', SrcVersion: '1.0', Type: 1 },
				],
			},
		}),
	];
	const { requests, outcome } = await sentDuring(() =>
		client({ iotInstanceId: 'iot-1' }).listOtaFirmware({ pageSize: 2, productKey: 'pk' }),
	);
	assert.deepEqual(
		{
			CurrentPage: requests[0].params.CurrentPage,
			PageSize: requests[0].params.PageSize,
			ProductKey: requests[0].params.ProductKey,
			IotInstanceId: requests[0].params.IotInstanceId,
		},
		{ CurrentPage: '1', PageSize: '2', ProductKey: 'pk', IotInstanceId: 'iot-1' },
	);
	assert.deepEqual(outcome, {
		total: 3,
		pageSize: 2,
		pageCount: 2,
		currentPage: 1,
		items: [
			{
				firmwareId: 'F1',
				firmwareName: 'one',
				destVersion: '1.0',
				productKey: 'pk',
				type: 0,
				status: -1,
				utcCreate: '2024-01-01T00:00:00.000Z',
			},
			{ firmwareId: 'F2', firmwareName: 'two', destVersion: '2.0', srcVersion: '1.0', type: 1 },
		],
	});
});

void test('an empty firmware list (no wrapper at all) is an empty page', async () => {
	script = [okBody({ Total: 0, PageSize: 20, PageCount: 0, CurrentPage: 1 })];
	const page = await client().listOtaFirmware({});
	assert.deepEqual(page, { total: 0, pageSize: 20, pageCount: 0, currentPage: 1, items: [] });
});

void test('QueryProductList reads Data.List.ProductInfo and normalises json-bigint numbers', async () => {
	// Raw text so the big integer reaches json-bigint (it becomes a BigNumber there).
	script = [
		{
			contentType: 'application/json',
			text:
				'{"RequestId":"R","Success":true,"Data":{"CurrentPage":1,"PageCount":1,"PageSize":10,"Total":2,"List":{"ProductInfo":[' +
				'{"ProductKey":"a1one","ProductName":"One","NodeType":0,"DeviceCount":12345678901234567890,"GmtCreate":1700000000000},' +
				'{"ProductKey":"a1two","ProductName":"Two","NodeType":1,"DeviceCount":3,"Description":"d"}]}}}',
		},
	];
	const page = await client().queryProductList({ pageSize: 10 });
	assert.equal(Object.getPrototypeOf(page.items[0]), Object.prototype);
	assert.deepEqual(page, {
		total: 2,
		pageSize: 10,
		pageCount: 1,
		currentPage: 1,
		items: [
			{ productKey: 'a1one', productName: 'One', nodeType: 0, deviceCount: Number('12345678901234567890') },
			{ productKey: 'a1two', productName: 'Two', nodeType: 1, deviceCount: 3, description: 'd' },
		],
	});
});

void test('page arguments are validated before any call', async () => {
	const { requests, outcome } = await sentDuring(() => client().listOtaFirmware({ pageSize: 101 }));
	assert.equal(requests.length, 0);
	assert.equal((outcome as OtaError).code, 'InvalidPageSize');
	await assert.rejects(client().queryProductList({ currentPage: 0 }), { code: 'InvalidCurrentPage' });
	for (const list of [
		(q: { currentPage: number }) => client().listOtaFirmware(q),
		(q: { currentPage: number }) => client().queryProductList(q),
	]) {
		const deep = await sentDuring(() => list({ currentPage: MAX_CURRENT_PAGE + 1 }));
		assert.equal(deep.requests.length, 0);
		assert.equal((deep.outcome as OtaError).code, 'InvalidCurrentPage');
		assert.match((deep.outcome as OtaError).message, new RegExp(`from 1 to ${MAX_CURRENT_PAGE} \\(got ${MAX_CURRENT_PAGE + 1}\\)`));
	}
});

void test('the constructor refuses a plain-http endpoint on a remote host', () => {
	assert.throws(() => client({ endpoint: 'http://iot.example.com' }), { code: 'InsecureEndpoint' });
	assert.equal(client({ endpoint: 'http://iot.example.com', allowInsecure: true }).endpoint, 'http://iot.example.com');
});

void test('the constructor validates the credentials (clear OtaError instead of a pop-core assertion)', () => {
	assert.throws(() => client({ credentials: { accessKeyId: '', accessKeySecret: 'x' } }), {
		code: 'MissingAccessKeyId',
		source: 'credentials',
	});
});
