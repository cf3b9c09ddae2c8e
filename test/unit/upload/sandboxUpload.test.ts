// End to end against the local Alibaba emulator: IotClient tickets + uploadFirmware + the sandbox's OSS listener.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { IotClient } from '../../../src/core/iotClient';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { uploadFirmware, type UploadFirmwareOptions } from '../../../src/core/uploader';
import { startSandbox, type Sandbox } from '../../../src/sandbox/index';
import { digestsOf, patternBytes, scratchDir } from './stubOss';
import { signedUrl } from '../../support/ossDownload';

const scratch = scratchDir();
const bytes = patternBytes(2 * 1024 * 1024 + 321, 21);
const firmware = scratch.file('sandbox-fw.bin', bytes);
const FAST: UploadFirmwareOptions = { retry: { baseDelayMs: 1, maxDelayMs: 5 } };

let sandbox: Sandbox;
let client: IotClient;
async function storedBytes(url: string): Promise<Buffer> {
	return Buffer.from(await (await fetch(signedUrl(sandbox, url))).arrayBuffer());
}

let stored: Array<{ key: string; size: number; etag: string }>;

void describe('uploadFirmware against the sandbox', () => {
	before(async () => {
		sandbox = await startSandbox({ qps: 1000 });
		client = new IotClient({
			region: 'cn-shanghai',
			endpoint: sandbox.endpoint,
			credentials: { accessKeyId: sandbox.accessKeyId, accessKeySecret: sandbox.accessKeySecret },
			limiter: new RateLimiter({ perSecond: 1000 }),
		});
		sandbox.events.on('objectStored', (object: { key: string; size: number; etag: string }) => stored.push(object));
	});
	beforeEach(() => {
		stored = [];
		sandbox.faults.clear();
	});
	after(async () => {
		await sandbox.stop();
		scratch.cleanup();
	});

	void test('stores exactly the file and returns the matching FirmwareUrl and digests', async () => {
		const result = await uploadFirmware(client, firmware, FAST);
		const { md5, sha256 } = digestsOf(bytes);
		assert.equal(result.md5, md5);
		assert.equal(result.sha256, sha256);
		assert.equal(result.attempts, 1);
		assert.equal(result.host, sandbox.ossHost);
		assert.equal(result.firmwareUrl, `${sandbox.ossHost}/${result.key}`);
		assert.deepEqual(
			stored.map(({ key, size }) => ({ key, size })),
			[{ key: result.key, size: bytes.length }],
		);
		assert.equal(digestsOf(await storedBytes(result.firmwareUrl)).md5, md5, 'the sandbox stored exactly the file');
	});

	void test('an expired policy at OSS is renewed with a fresh ticket', async () => {
		sandbox.faults.add({ target: 'oss', kind: 'expirePolicy' });
		const result = await uploadFirmware(client, firmware, FAST);
		assert.equal(result.attempts, 2);
		assert.deepEqual(
			stored.map((o) => o.key),
			[result.key],
		);
	});

	void test('a connection reset mid-body is retried and the object is stored once', async () => {
		sandbox.faults.add({ target: 'oss', kind: 'reset', afterBytes: 300_000 });
		const result = await uploadFirmware(client, firmware, FAST);
		assert.equal(result.attempts, 2);
		assert.equal(stored.length, 1);
		assert.equal(digestsOf(await storedBytes(result.firmwareUrl)).md5, digestsOf(bytes).md5);
	});

	void test('persistent 503s exhaust the attempts with one clear error', async () => {
		sandbox.faults.add({ target: 'oss', kind: 'status', status: 503, code: 'ServiceUnavailable', times: 3 });
		await assert.rejects(uploadFirmware(client, firmware, { ...FAST, maxAttempts: 3 }), (e: unknown) => {
			assert.ok(e instanceof OtaError);
			assert.match(e.message, /^Upload failed after 3 attempts\. Last error: OSS rejected the upload \(HTTP 503 ServiceUnavailable/);
			assert.ok(e.requestId, 'the last RequestId is kept');
			return true;
		});
		assert.equal(stored.length, 0);
	});

	void test('cancelling mid-upload stores nothing and the sandbox sees the upload aborted', async () => {
		// The stall keeps the upload in flight until we abort; the sandbox notices the close once it reads again.
		sandbox.faults.add({ target: 'oss', kind: 'stall', ms: 1000 });
		const aborted = new Promise((resolve) => sandbox.events.once('uploadAborted', resolve));
		const controller = new AbortController();
		const upload = uploadFirmware(client, firmware, {
			...FAST,
			signal: controller.signal,
			onProgress: (p) => p.bytesSent > 0 && controller.abort(),
		});
		await assert.rejects(upload, (e: unknown) => e instanceof OtaError && e.source === 'cancelled');
		await aborted;
		assert.equal(stored.length, 0);
	});
});
