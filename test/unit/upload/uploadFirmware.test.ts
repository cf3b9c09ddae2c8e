import assert from 'node:assert/strict';
import type http from 'node:http';
import { after, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import type { Logger } from '../../../src/core/logger';
import type { UploadProgress } from '../../../src/core/types';
import { uploadFirmware, type UploadFirmwareOptions } from '../../../src/core/uploader';
import {
	digestsOf,
	FakeTickets,
	ossErrorXml,
	patternBytes,
	receivePost,
	scratchDir,
	sendXml,
	startServer,
	type ReceivedPost,
} from './stubOss';

const scratch = scratchDir();
after(() => scratch.cleanup());

const bytes = patternBytes(1024 * 1024 + 999, 11);
const firmware = scratch.file('esp32-app.bin', bytes);
const FAST: UploadFirmwareOptions = { retry: { baseDelayMs: 1, maxDelayMs: 5 } };

type Answer = 'ok' | 'reset' | { status: number; code: string; message: string; requestId: string };
const EXPIRED: Answer = {
	status: 403,
	code: 'AccessDenied',
	message: 'Invalid according to Policy: Policy expired.',
	requestId: 'RID-EXPIRED',
};
const UNAVAILABLE = (n: number): Answer => ({
	status: 503,
	code: 'ServiceUnavailable',
	message: 'Service is busy.',
	requestId: `RID-503-${n}`,
});

/** A stub OSS that answers request i with answers[i] (the last one repeats) and records every complete post. */
async function scriptedOss(t: { after(fn: () => Promise<void>): void }, answers: Answer[]) {
	const posts: ReceivedPost[] = [];
	let requests = 0;
	const oss = await startServer(async (req: http.IncomingMessage, res: http.ServerResponse) => {
		const answer = answers[Math.min(requests++, answers.length - 1)];
		if (answer === 'reset') {
			req.socket.destroy();
			return;
		}
		posts.push(await receivePost(req));
		if (answer === 'ok') {
			res.writeHead(200, { 'x-oss-request-id': `RID-OK-${requests}` });
			res.end();
		} else {
			sendXml(res, answer.status, ossErrorXml(answer.code, answer.message, answer.requestId), answer.requestId);
		}
	});
	t.after(() => oss.close());
	return { host: oss.host, posts, requests: () => requests };
}

function recordingLogger(): Logger & { lines: string[] } {
	const lines: string[] = [];
	const log = (level: string) => (message: string) => lines.push(`${level}: ${message}`);
	return { lines, trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

void describe('uploadFirmware', () => {
	void test('uploads with one fresh ticket and reports everything the caller needs', async (t) => {
		const oss = await scriptedOss(t, ['ok']);
		const tickets = new FakeTickets(oss.host);
		const progress: UploadProgress[] = [];
		const logger = recordingLogger();
		const result = await uploadFirmware(tickets, firmware, { ...FAST, logger, onProgress: (p) => progress.push(p) });

		const ticket = tickets.issued[0];
		const { md5, sha256 } = digestsOf(bytes);
		assert.deepEqual(
			{ ...result, durationMs: 0 },
			{
				firmwareUrl: ticket.firmwareUrl,
				key: ticket.key,
				host: oss.host,
				suffix: 'bin',
				size: bytes.length,
				md5,
				sha256,
				utcCreate: ticket.utcCreate,
				requestId: 'RID-OK-1',
				attempts: 1,
				durationMs: 0,
			},
		);
		assert.ok(result.durationMs >= 0);
		assert.deepEqual(tickets.suffixes, ['bin']);
		assert.equal(oss.posts[0].fields.key, ticket.key);

		const phases = progress.map((p) => p.phase).filter((phase, i, all) => phase !== all[i - 1]);
		assert.deepEqual(phases, ['ticket', 'uploading', 'done']);
		const uploading = progress.filter((p) => p.phase === 'uploading').map((p) => p.bytesSent);
		assert.deepEqual(
			uploading,
			[...uploading].sort((a, b) => a - b),
		);
		assert.deepEqual(progress.at(-1), {
			...progress.at(-1)!,
			phase: 'done',
			bytesSent: bytes.length,
			totalBytes: bytes.length,
			attempt: 1,
		});
		assert.ok(progress.every((p) => p.bytesPerSecond >= 0 && Number.isFinite(p.bytesPerSecond)));

		const secrets = [ticket.policy, ticket.signature];
		assert.ok(logger.lines.length > 0);
		assert.ok(
			logger.lines.every((line) => secrets.every((s) => !line.includes(s))),
			'no policy/signature in the log',
		);
	});

	void test('infers the suffix from the file name and honours an explicit one', async (t) => {
		const oss = await scriptedOss(t, ['ok']);
		const tickets = new FakeTickets(oss.host);
		const archive = scratch.file('bundle.tar.gz', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
		assert.equal((await uploadFirmware(tickets, archive, FAST)).suffix, 'tar.gz');
		assert.equal((await uploadFirmware(tickets, archive, { ...FAST, suffix: 'gz' })).suffix, 'gz');
		const unknown = scratch.file('fw.elf', Buffer.from('ELF'));
		assert.equal((await uploadFirmware(tickets, unknown, FAST)).suffix, 'bin');
		assert.deepEqual(tickets.suffixes, ['tar.gz', 'gz', 'bin']);
	});

	void test('pre-flight failures and a bad suffix stop before any ticket is requested', async () => {
		const tickets = new FakeTickets('http://127.0.0.1:9');
		const empty = scratch.file('empty.bin', Buffer.alloc(0));
		await assert.rejects(uploadFirmware(tickets, empty, FAST), (e: unknown) => e instanceof OtaError && e.code === 'FileEmpty');
		await assert.rejects(
			uploadFirmware(tickets, firmware, { ...FAST, suffix: 'exe' as never }),
			(e: unknown) => e instanceof OtaError && e.code === 'InvalidFileSuffix',
		);
		assert.equal(tickets.issued.length, 0);
	});

	void test('Policy expired → a fresh ticket → success (two tickets, no back-off needed)', async (t) => {
		const oss = await scriptedOss(t, [EXPIRED, 'ok']);
		const tickets = new FakeTickets(oss.host);
		const progress: UploadProgress[] = [];
		const result = await uploadFirmware(tickets, firmware, {
			retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 },
			onProgress: (p) => progress.push(p),
		});
		assert.equal(result.attempts, 2);
		assert.equal(tickets.issued.length, 2);
		assert.deepEqual(
			oss.posts.map((p) => p.fields.key),
			tickets.issued.map((tk) => tk.key),
		);
		assert.equal(result.key, tickets.issued[1].key);
		assert.ok(progress.some((p) => p.phase === 'retrying' && p.attempt === 1));
	});

	void test('503 twice, then success, each attempt with its own ticket', async (t) => {
		const oss = await scriptedOss(t, [UNAVAILABLE(1), UNAVAILABLE(2), 'ok']);
		const tickets = new FakeTickets(oss.host);
		const result = await uploadFirmware(tickets, firmware, FAST);
		assert.equal(result.attempts, 3);
		assert.equal(tickets.issued.length, 3);
		assert.equal(new Set(oss.posts.map((p) => p.fields.key)).size, 3);
		assert.equal(result.md5, digestsOf(bytes).md5);
	});

	void test('connection reset, then success with a new ticket', async (t) => {
		const oss = await scriptedOss(t, ['reset', 'ok']);
		const tickets = new FakeTickets(oss.host);
		const result = await uploadFirmware(tickets, firmware, FAST);
		assert.equal(result.attempts, 2);
		assert.equal(oss.requests(), 2);
		assert.equal(tickets.issued.length, 2);
		assert.equal(oss.posts[0].fields.key, tickets.issued[1].key);
	});

	void test('maxAttempts exhausted → one clear error naming the attempts and the last RequestId', async (t) => {
		const oss = await scriptedOss(t, [UNAVAILABLE(1), UNAVAILABLE(2), UNAVAILABLE(3)]);
		const tickets = new FakeTickets(oss.host);
		await assert.rejects(uploadFirmware(tickets, firmware, { ...FAST, maxAttempts: 3 }), (e: unknown) => {
			assert.ok(e instanceof OtaError);
			assert.equal(
				e.message,
				'Upload failed after 3 attempts. Last error: OSS rejected the upload (HTTP 503 ServiceUnavailable, EC 0006-00000000): Service is busy.',
			);
			assert.equal(e.code, 'ServiceUnavailable');
			assert.equal(e.source, 'oss');
			assert.equal(e.status, 503);
			assert.equal(e.requestId, 'RID-503-3');
			assert.match(e.describe(), /RequestId: RID-503-3/);
			return true;
		});
		assert.equal(tickets.issued.length, 3);
		assert.equal(oss.requests(), 3);
	});

	void test('a stale ticket is replaced before the upload starts', async (t) => {
		const oss = await scriptedOss(t, ['ok']);
		const tickets = new FakeTickets(oss.host, (n) => (n === 1 ? 55_000 : 0));
		const result = await uploadFirmware(tickets, firmware, FAST);
		assert.equal(tickets.issued.length, 2);
		assert.equal(oss.requests(), 1);
		assert.equal(oss.posts[0].fields.key, tickets.issued[1].key);
		assert.equal(result.attempts, 1);
	});

	void test('ticketMaxAgeMs is configurable', async (t) => {
		const oss = await scriptedOss(t, ['ok']);
		const tickets = new FakeTickets(oss.host, () => 5_000);
		await uploadFirmware(tickets, firmware, { ...FAST, ticketMaxAgeMs: 10_000 });
		assert.equal(tickets.issued.length, 1);
	});

	void test('a 400 is not retried', async (t) => {
		const oss = await scriptedOss(t, [{ status: 400, code: 'InvalidArgument', message: 'Bad form.', requestId: 'RID-400' }, 'ok']);
		const tickets = new FakeTickets(oss.host);
		await assert.rejects(uploadFirmware(tickets, firmware, FAST), (e: unknown) => {
			assert.ok(e instanceof OtaError);
			assert.equal(e.code, 'InvalidArgument');
			assert.equal(e.requestId, 'RID-400');
			assert.match(e.message, /^Upload failed after 1 attempt\. Last error: OSS rejected the upload \(HTTP 400 InvalidArgument/);
			return true;
		});
		assert.equal(tickets.issued.length, 1);
		assert.equal(oss.requests(), 1);
	});

	void test('a failed policy condition (403 AccessDenied) is not retried', async (t) => {
		const condition: Answer = {
			status: 403,
			code: 'AccessDenied',
			message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "ota/"]',
			requestId: 'RID-COND',
		};
		const oss = await scriptedOss(t, [condition, 'ok']);
		const tickets = new FakeTickets(oss.host);
		await assert.rejects(uploadFirmware(tickets, firmware, FAST), (e: unknown) => e instanceof OtaError && e.code === 'AccessDenied');
		assert.equal(tickets.issued.length, 1);
	});

	void test('cancelling during the back-off wait rejects as cancelled without another attempt', async (t) => {
		const oss = await scriptedOss(t, [UNAVAILABLE(1), 'ok']);
		const tickets = new FakeTickets(oss.host);
		const controller = new AbortController();
		const upload = uploadFirmware(tickets, firmware, {
			retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 },
			signal: controller.signal,
			onProgress: (p) => p.phase === 'retrying' && controller.abort(),
		});
		await assert.rejects(upload, (e: unknown) => e instanceof OtaError && e.source === 'cancelled');
		assert.equal(tickets.issued.length, 1);
	});
});
