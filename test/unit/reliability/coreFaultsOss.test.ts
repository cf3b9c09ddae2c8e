// Fault injection through the core, the upload itself: OSS connection resets, stalls, 5xx answers, early error answers
// and upload tickets that expire. Every fault must end in success after bounded retries (each upload attempt with a
// fresh ticket), or in ONE OtaError carrying the RequestId — never a hang or an unhandled rejection.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, before, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import type { IotClient } from '../../../src/core/iotClient';
import type { UploadProgress } from '../../../src/core/types';
import { uploadFirmware } from '../../../src/core/uploader';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import {
	FAST_RETRY,
	installTripwire,
	removeDir,
	sandboxClient,
	sandboxTmp,
	tempDir,
	waitFor,
	withDeadline,
} from '../../support/reliability';
import { signedUrl } from '../../support/ossDownload';
import { RecordingTickets, useCoreFaultSuite } from './coreFaultsSupport';

const tripwire = installTripwire();

void describe('reliability: faults through the core (uploadFirmware + IotClient → sandbox): OSS and tickets', () => {
	const f = useCoreFaultSuite('iot-ota-rel-core-oss-');
	const { clock, firmwareMd5, tickets, upload, failsOnce } = f;
	let sandbox: Sandbox;
	let client: IotClient;
	let smallFirmware: string;

	before(() => ({ sandbox, client, smallFirmware } = f));

	void test('connection reset after 64 KiB of the upload → retried with a fresh ticket, stored once and intact', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'reset', afterBytes: 64 * 1024 });
		const source = new RecordingTickets(client);
		const result = await upload(source);
		assert.equal(result.attempts, 2);
		assert.equal(tickets(), 2);
		assert.equal(new Set(source.keys).size, 2, 'the retry reused the old ticket');
		assert.equal(result.key, source.keys[1]);
		assert.equal(result.md5, firmwareMd5);
		assert.equal(sandbox.stats.ossUploads, 1);
		const stored = await fetch(signedUrl(sandbox, result.firmwareUrl));
		assert.equal(
			createHash('md5')
				.update(Buffer.from(await stored.arrayBuffer()))
				.digest('hex'),
			firmwareMd5,
		);
		assert.equal(
			(await fetch(signedUrl(sandbox, `${sandbox.ossHost}/${source.keys[0]}`))).status,
			404,
			'the interrupted attempt left an object behind',
		);
	});

	void test('a reset on every attempt → bounded (4 attempts, 4 tickets), then one network error', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'reset', afterBytes: 1024, times: 10 });
		const error = await failsOnce(
			upload(),
			'ECONNRESET',
			/^Upload failed after 4 attempts\. Last error: Upload to 127\.0\.0\.1:\d+ failed: /,
		);
		assert.equal(error.source, 'network');
		assert.equal(tickets(), 4, `ticket calls (errors: ${JSON.stringify(sandbox.stats.apiErrors)})`);
		assert.equal(sandbox.stats.ossUploads, 0);
	});

	void test('a stalled OSS socket hits the inactivity timeout, then the retry with a fresh ticket succeeds', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'stall' });
		const phases: UploadProgress['phase'][] = [];
		const started = Date.now();
		const result = await upload(client, { timeoutMs: 300, onProgress: (p) => phases.push(p.phase) });
		assert.equal(result.attempts, 2);
		assert.equal(tickets(), 2);
		assert.ok(phases.includes('retrying'), `no retrying phase in ${phases.join(',')}`);
		assert.ok(Date.now() - started < 5000, 'the stall was not cut at the 300 ms timeout');
	});

	void test('a stall on every attempt → one UploadTimeout error naming the timeout', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'stall', times: 10 });
		await failsOnce(
			upload(client, { timeoutMs: 200, maxAttempts: 2 }),
			'UploadTimeout',
			/^Upload failed after 2 attempts\. Last error: No progress for 200 milliseconds while uploading to 127\.0\.0\.1:\d+; the connection was dropped\.$/,
		);
		assert.equal(tickets(), 2);
	});

	for (const status of [500, 502, 503]) {
		void test(`OSS ${status} twice → retried with back-off, each attempt with a fresh ticket`, async () => {
			sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'status', status, times: 2 });
			const source = new RecordingTickets(client);
			const result = await upload(source);
			assert.equal(result.attempts, 3);
			assert.equal(new Set(source.keys).size, 3);
			assert.equal(sandbox.stats.ossUploads, 1);
		});
	}

	void test('OSS 503 on every attempt → 4 tickets, then one error with the OSS RequestId and a hint', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'status', status: 503, times: 10 });
		const error = await failsOnce(
			uploadFirmware(client, smallFirmware, { retry: FAST_RETRY }),
			'ServiceUnavailable',
			/^Upload failed after 4 attempts\. Last error: OSS rejected the upload \(HTTP 503 ServiceUnavailable\): Please try again later/,
			/^[0-9A-F]{24}$/,
		);
		assert.equal(error.status, 503);
		assert.equal(error.hint, 'OSS had a temporary problem; try again in a moment.');
		assert.equal(tickets(), 4, `ticket calls (errors: ${JSON.stringify(sandbox.stats.apiErrors)})`);
	});

	void test('ticket expiry during a slow start: OSS "Policy expired" → renewed with a fresh ticket at once', async () => {
		// OSS waits 300 ms before reading; meanwhile the sandbox clock passes the ticket's 60 s lifetime.
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'delay', ms: 300 });
		const pending = upload();
		await waitFor(() => tickets() === 1, 5000, 'the first ticket');
		clock.advance(61_000);
		const result = await pending;
		assert.equal(result.attempts, 2);
		assert.equal(tickets(), 2);
		assert.equal(sandbox.stats.ossErrors.AccessDenied, 1);
		assert.equal(sandbox.stats.ossUploads, 1);
	});

	void test('OSS answers "Policy expired" → PolicyExpired is renewed with a new ticket, not retried blindly', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'expirePolicy' });
		const source = new RecordingTickets(client);
		const result = await upload(source);
		assert.equal(result.attempts, 2);
		assert.equal(new Set(source.keys).size, 2);
		assert.equal(sandbox.stats.ossErrors.AccessDenied, 1);
	});

	void test('GenerateOTAUploadURL hands out an already-expired policy → renewed', async () => {
		sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'expirePolicy' });
		const result = await upload();
		assert.equal(result.attempts, 2);
		assert.equal(tickets(), 2);
	});

	void test('"Policy expired" on every attempt → bounded, then one PolicyExpired error with the hint', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'expirePolicy', times: 10 });
		const error = await failsOnce(
			uploadFirmware(client, smallFirmware, { retry: FAST_RETRY }),
			'PolicyExpired',
			/^Upload failed after 4 attempts\. Last error: OSS rejected the upload \(HTTP 403 AccessDenied, EC 0006-00000213\): Invalid according to Policy: Policy expired\.$/,
			/^[0-9A-F]{24}$/,
		);
		assert.equal(error.hint, 'The upload ticket is valid for only 1 minute; request a fresh one and upload right away.');
		assert.equal(tickets(), 4, `ticket calls (errors: ${JSON.stringify(sandbox.stats.apiErrors)})`);
	});

	void test('a ticket already close to its expiry when the upload would start is replaced before uploading', async () => {
		const source = new RecordingTickets(client, (t, index) => (index === 0 ? { ...t, receivedAt: t.receivedAt - 55_000 } : t));
		const result = await upload(source);
		assert.equal(result.attempts, 1);
		assert.equal(tickets(), 2);
		assert.equal(result.key, source.keys[1]);
		assert.deepEqual(sandbox.stats.ossErrors, {}, 'the stale ticket was sent to OSS');
	});

	void test('an early OSS error answer while the body is still streaming reaches the client as that answer (30 × 256 KiB, never EPIPE)', async () => {
		const seen: Record<string, number> = {};
		for (let i = 0; i < 30; i++) {
			sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'status', status: 503 });
			try {
				await upload(client, { maxAttempts: 1 });
				seen.ok = (seen.ok ?? 0) + 1;
			} catch (error) {
				const key = error instanceof OtaError ? `${error.code}${error.requestId ? '+RequestId' : ''}` : String(error);
				seen[key] = (seen[key] ?? 0) + 1;
			}
		}
		assert.deepEqual(seen, { 'ServiceUnavailable+RequestId': 30 }, 'OSS closed the socket before the client could read its answer');
	});
});

void describe('reliability: the sandbox survives abandoned uploads', () => {
	afterEach(() => tripwire.assertClean());

	void test('a client that gives up on a stalled, fully received PostObject leaves nothing pending: the sandbox stops promptly', async () => {
		const work = tempDir('iot-ota-rel-stop-');
		const sandbox = await startSandbox({ dataDir: path.join(work, 'sandbox'), qps: 1000 });
		try {
			const file = path.join(work, 'fw.bin');
			writeFileSync(file, randomBytes(4096));
			// The sandbox never reads the (small, already buffered) body; the client times out and closes the socket.
			sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'stall' });
			await assert.rejects(
				uploadFirmware(sandboxClient(sandbox), file, { maxAttempts: 1, timeoutMs: 200 }),
				(error: unknown) => error instanceof OtaError && error.code === 'UploadTimeout',
			);
			await sandbox.uploadsSettled();
			assert.deepEqual(sandboxTmp(sandbox), []);
		} finally {
			await withDeadline(sandbox.stop(), 5000, 'sandbox.stop() after an abandoned upload');
			removeDir(work);
		}
	});
});
