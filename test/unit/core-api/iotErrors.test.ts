import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, test } from 'node:test';
import { OtaError, redact } from '../../../src/core/errors';
import { IotClient, type IotClientOptions } from '../../../src/core/iotClient';
import type { Logger } from '../../../src/core/logger';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { startStub, type Stub, type StubReply } from './stubServer';

const SECRET = 'Sup3rSecretValue/+=xyz';
const TOKEN = 'CAIS-token/with+chars=';
const REQUEST_ID = '8906582E-6722-4F2A-A9E2-6BEB0E1A3B1C';

/** One stub whose reply is chosen per test through `nextReply`. */
let stub: Stub;
let nextReply: StubReply = 'destroy';
const logLines: string[] = [];
const logger: Logger = {
	trace: (m) => logLines.push(m),
	debug: (m) => logLines.push(m),
	info: (m) => logLines.push(m),
	warn: (m) => logLines.push(m),
	error: (m) => logLines.push(m),
};

before(async () => {
	stub = await startStub(() => nextReply);
});
after(() => stub.close());

function client(over: Partial<IotClientOptions> = {}): IotClient {
	return new IotClient({
		region: 'cn-shanghai',
		endpoint: stub.url,
		credentials: { accessKeyId: 'STS.NUxyz', accessKeySecret: SECRET, securityToken: TOKEN },
		limiter: new RateLimiter({ perSecond: 1000 }),
		retry: { maxAttempts: 1 },
		logger,
		...over,
	});
}

async function failureOf(
	reply: StubReply,
	call: (c: IotClient) => Promise<unknown> = (c) => c.queryOtaFirmware('F1'),
	over: Partial<IotClientOptions> = {},
): Promise<OtaError> {
	nextReply = reply;
	const sentBefore = stub.requests.length;
	const error = await call(client(over)).then(
		() => assert.fail('expected the call to fail'),
		(e: unknown) => e,
	);
	assert.ok(error instanceof OtaError, `not an OtaError: ${String(error)}`);
	assertNoSecrets(
		error,
		stub.requests.slice(sentBefore).map((r) => r.params.Signature),
	);
	return error;
}

/** No secret, token or signature in the message, the one-line description or the log. */
function assertNoSecrets(error: OtaError, signatures: string[]): void {
	const texts = [error.message, error.describe(), error.hint ?? '', JSON.stringify(error), ...logLines];
	for (const value of [SECRET, encodeURIComponent(SECRET), TOKEN, encodeURIComponent(TOKEN), ...signatures.filter(Boolean)]) {
		for (const text of texts) {
			assert.equal(text.includes(value), false, `leaked "${value}" in: ${text}`);
		}
	}
	assert.doesNotMatch(error.message, /URL: |undefined/);
}

void test('IoT business error (200, Success:false) uses ErrorMessage, Code, RequestId and status', async () => {
	const err = await failureOf({
		json: {
			RequestId: REQUEST_ID,
			Success: false,
			Code: 'iot.ota.FirmwareNotFound',
			ErrorMessage: 'The specified firmware does not exist.',
		},
	});
	assert.equal(err.code, 'iot.ota.FirmwareNotFound');
	assert.equal(err.message, 'QueryOTAFirmware failed: The specified firmware does not exist.');
	assert.equal(err.requestId, REQUEST_ID);
	assert.equal(err.status, 200);
	assert.equal(err.source, 'api');
	assert.equal(err.retryable, false);
	assert.ok(logLines.some((l) => l.includes('QueryOTAFirmware') && l.includes(REQUEST_ID)));
});

void test('Success:false without a Code (pop-core resolves it) is still one OtaError', async () => {
	const err = await failureOf({ json: { RequestId: REQUEST_ID, Success: false, ErrorMessage: 'Something broke.' } });
	assert.equal(err.code, 'RequestFailed');
	assert.equal(err.message, 'QueryOTAFirmware failed: Something broke.');
	assert.equal(err.requestId, REQUEST_ID);
	assert.equal(err.status, 200);
});

void test('a JSON 5xx answer without Code (pop-core resolves it) becomes a retryable error with the status', async () => {
	const err = await failureOf({ status: 500, json: { RequestId: REQUEST_ID } });
	assert.equal(err.code, 'RequestFailed');
	assert.equal(err.status, 500);
	assert.equal(err.retryable, true);
	assert.equal(err.message, 'QueryOTAFirmware failed with RequestFailed.');
});

void test('SignatureDoesNotMatch drops the server string-to-sign (it embeds the token) and hints at the secret', async () => {
	const sts = `POST&%2F&AccessKeyId%3DSTS.NUxyz%26SecurityToken%3D${encodeURIComponent(encodeURIComponent(TOKEN))}%26Version%3D2018-01-20`;
	const err = await failureOf({
		status: 400,
		json: {
			RequestId: REQUEST_ID,
			HostId: 'iot.cn-shanghai.aliyuncs.com',
			Code: 'SignatureDoesNotMatch',
			Message: `Specified signature is not matched with our calculation. server string to sign is:${sts}`,
			Recommend: 'https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=Iot',
		},
	});
	assert.equal(err.code, 'SignatureDoesNotMatch');
	assert.equal(err.status, 400);
	assert.equal(err.requestId, REQUEST_ID);
	assert.equal(err.message, 'QueryOTAFirmware failed: Specified signature is not matched with our calculation.');
	assert.match(err.hint ?? '', /AccessKey Secret/);
	assert.equal(err.message.includes('SecurityToken'), false);
});

const hintCases: Array<[string, number, RegExp]> = [
	['InvalidAccessKeyId.NotFound', 404, /AccessKey ID/],
	// Codes compare without case (apiErrorCodes.ts names this one for the hint table and the watch rules alike).
	['invalidaccesskeyid.notfound', 404, /AccessKey ID/],
	['iot.common.PermissionDeny', 200, /RAM/],
	['InvalidSecurityToken.Expired', 400, /refresh the STS token/i],
	['iot.system.InstanceNotFound', 200, /IotInstanceId/],
	['iot.Sre.IotInstanceNotFound', 200, /IotInstanceId/],
	['Forbidden.RAM', 403, /RAM/],
	['InvalidTimeStamp.Expired', 400, /clock/],
	// The limit of the action throttled, from iot/actions.ts (QueryOTAFirmware: 20 QPS), not one number for all.
	[
		'Throttling.User',
		400,
		/^Too many requests: wait a moment and try again \(QueryOTAFirmware allows 20 calls per second per account\)\.$/,
	],
];
for (const [code, status, hint] of hintCases) {
	void test(`${code} carries an actionable hint`, async () => {
		const err = await failureOf({
			status,
			json: { RequestId: REQUEST_ID, Code: code, Message: 'Refused.', ErrorMessage: status === 200 ? 'Refused.' : undefined },
		});
		assert.equal(err.code, code);
		assert.equal(err.status, status);
		assert.match(err.hint ?? '', hint);
		assert.match(err.describe(), new RegExp(`\\(${code.replace(/\./g, '\\.')}, RequestId: ${REQUEST_ID}\\)$`));
	});
}

void test('an HTML answer (e.g. a 502 page) becomes NonJsonResponse naming the endpoint and the HTTP status', async () => {
	const err = await failureOf({ status: 502, text: '<html><head><title>502 Bad Gateway</title></head><body>Tengine</body></html>' });
	assert.equal(err.code, 'NonJsonResponse');
	assert.match(err.message, /returned a non-JSON answer \(HTTP 502\) \("502 Bad Gateway"\)/);
	assert.ok(err.message.includes(stub.url));
	assert.equal(err.status, 502);
});

void test('a refused connection is a retryable network error without the httpx suffix', async () => {
	const port = await closedPort();
	const err = await failureOf('destroy', (c) => c.queryOtaFirmware('F1'), { endpoint: `http://127.0.0.1:${port}` });
	assert.equal(err.code, 'ECONNREFUSED');
	assert.equal(err.source, 'network');
	assert.equal(err.retryable, true);
	assert.match(err.message, /^QueryOTAFirmware: cannot reach http:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED [\d.:]+\.$/);
});

void test('a connection reset mid-request is a network error', async () => {
	const err = await failureOf('destroy');
	assert.equal(err.source, 'network');
	assert.equal(err.code, 'ECONNRESET');
});

void test('a silent server hits the configured timeout (RequestTimeoutError)', async () => {
	const err = await failureOf('hang', (c) => c.queryOtaFirmware('F1'), { timeoutMs: 150 });
	assert.equal(err.code, 'RequestTimeout');
	assert.equal(err.source, 'network');
	assert.equal(err.retryable, true);
	assert.match(err.message, /did not answer within 150 milliseconds\./);
});

void test('a 200 answer without the expected payload is InvalidResponse, not a crash', async () => {
	const err = await failureOf({ json: { RequestId: REQUEST_ID, Success: true } }, (c) => c.generateOtaUploadUrl('bin'));
	assert.equal(err.code, 'InvalidResponse');
	assert.equal(err.requestId, REQUEST_ID);
});

async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

void test('redact also removes secrets in their POP-encoded and doubly encoded spellings', () => {
	const token = "a/b+c=d*e'f";
	const popEncoded = encodeURIComponent(token).replace(/[*']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	const text = `raw ${token} form ${popEncoded} sts ${encodeURIComponent(popEncoded)}`;
	assert.equal(redact(text, [token]), 'raw *** form *** sts ***');
});
