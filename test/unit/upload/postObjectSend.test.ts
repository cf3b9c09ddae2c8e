// postObject against a stub OSS, the upload itself: the form as sent (fields in order, file last, exact length and
// bytes), progress, digests, and abort. How OSS and network failures come back: postObjectErrors.test.ts.
import assert from 'node:assert/strict';
import type http from 'node:http';
import { describe, test } from 'node:test';
import { postFile } from '../../support/postFile';
import { digestsOf, isOtaError, receivePost, startServer, ticketFor, useScratchFirmware, type ReceivedPost } from './stubOss';

const { bytes, firmware } = useScratchFirmware();
const SIZE = bytes.length;

void describe('postObject against a stub OSS', () => {
	void test('sends the form fields in order with file last, the announced Content-Length, and the exact bytes', async (t) => {
		const posts: ReceivedPost[] = [];
		const oss = await startServer(async (req, res) => {
			posts.push(await receivePost(req));
			res.writeHead(200, { 'x-oss-request-id': 'OSS-REQ-1', etag: '"ABC"' });
			res.end();
		});
		t.after(() => oss.close());
		const ticket = ticketFor(oss.host);
		const result = await postFile(ticket, firmware);

		const [post] = posts;
		assert.deepEqual(post.order, ['key', 'OSSAccessKeyId', 'policy', 'Signature', 'success_action_status', 'file']);
		assert.deepEqual(post.fields, {
			key: ticket.key,
			OSSAccessKeyId: ticket.ossAccessKeyId,
			policy: ticket.policy,
			Signature: ticket.signature,
			success_action_status: '200',
		});
		assert.equal(post.headers['content-length'], String(post.bodyBytes));
		assert.match(post.headers['content-type'] ?? '', /^multipart\/form-data; boundary=/);
		assert.equal(post.headers['transfer-encoding'], undefined);
		assert.equal(post.file?.filename, 'ticket-1.bin');
		assert.equal(post.file?.mimeType, 'application/octet-stream');
		assert.ok(post.file?.bytes.equals(bytes));

		const expected = digestsOf(bytes);
		assert.deepEqual(result, {
			status: 200,
			size: SIZE,
			md5: expected.md5,
			sha256: expected.sha256,
			etag: '"ABC"',
			requestId: 'OSS-REQ-1',
		});
	});

	void test('progress is monotonic, counts only file bytes, and ends at the file size', async (t) => {
		const oss = await startServer(async (req, res) => {
			await receivePost(req);
			res.writeHead(200);
			res.end();
		});
		t.after(() => oss.close());
		const calls: Array<[number, number]> = [];
		await postFile(ticketFor(oss.host), firmware, { onProgress: (sent, total) => calls.push([sent, total]) });
		assert.ok(calls.length >= 4, `expected one call per chunk, got ${calls.length}`);
		for (let i = 1; i < calls.length; i++) {
			assert.ok(calls[i][0] > calls[i - 1][0], 'strictly increasing');
		}
		assert.ok(calls.every(([sent, total]) => total === SIZE && sent <= SIZE));
		assert.deepEqual(calls.at(-1), [SIZE, SIZE]);
	});

	void test('hash: false skips the digests', async (t) => {
		const oss = await startServer(async (req, res) => {
			await receivePost(req);
			res.writeHead(204);
			res.end();
		});
		t.after(() => oss.close());
		const result = await postFile(ticketFor(oss.host), firmware, { hash: false });
		assert.equal(result.status, 204);
		assert.equal(result.md5, '');
		assert.equal(result.sha256, '');
	});

	void test('abort mid-upload rejects at once and the server sees the connection close', async (t) => {
		let serverReq: http.IncomingMessage | undefined;
		let firstBytes!: () => void;
		const receiving = new Promise<void>((resolve) => (firstBytes = resolve));
		const oss = await startServer((req) => {
			serverReq = req;
			// Read one chunk, then stop reading so the client is still mid-body when we abort.
			req.once('data', () => {
				req.pause();
				firstBytes();
			});
		});
		t.after(() => oss.close());
		const controller = new AbortController();
		const upload = postFile(ticketFor(oss.host), firmware, { signal: controller.signal });
		await receiving;
		// Not events.once: the aborted socket may emit 'error' (truncated body) before 'close'.
		const closed = new Promise((resolve) => serverReq!.socket.once('close', resolve));
		controller.abort();
		// Cancelled, not UploadTimeout: the rejection came from the abort while the server still read nothing.
		await assert.rejects(
			upload,
			isOtaError((e) => assert.equal(e.source, 'cancelled')),
		);
		// A paused server reads nothing, so it only notices the FIN once it reads again.
		serverReq!.resume();
		await closed;
		assert.ok(!serverReq!.complete, 'the request body was cut off');
	});

	void test('an already aborted signal rejects before connecting', async () => {
		const controller = new AbortController();
		controller.abort();
		await assert.rejects(
			postFile(ticketFor('http://127.0.0.1:9'), firmware, { signal: controller.signal }),
			isOtaError((e) => assert.equal(e.code, 'Cancelled')),
		);
	});
});
