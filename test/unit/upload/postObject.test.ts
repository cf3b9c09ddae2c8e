import assert from 'node:assert/strict';
import type http from 'node:http';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { OssError } from '../../../src/core/upload/ossError';
import { postFile } from '../../support/postFile';
import {
	digestsOf,
	ossErrorXml,
	patternBytes,
	receivePost,
	scratchDir,
	sendXml,
	startServer,
	ticketFor,
	type ReceivedPost,
} from './stubOss';

const scratch = scratchDir();
after(() => scratch.cleanup());

const SIZE = 3 * 1024 * 1024 + 12_345; // several 1 MiB chunks plus a partial one
const bytes = patternBytes(SIZE, 7);
const firmware = scratch.file('fw.bin', bytes);

function isOtaError(check: (error: OtaError) => void): (error: unknown) => boolean {
	return (error: unknown) => {
		assert.ok(error instanceof OtaError, `expected OtaError, got ${String(error)}`);
		check(error);
		return true;
	};
}

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

	void test('an OSS error document becomes an OssError with code, message, RequestId and EC', async (t) => {
		const oss = await startServer(async (req, res) => {
			await receivePost(req);
			sendXml(
				res,
				400,
				ossErrorXml(
					'EntityTooLarge',
					'Your proposed upload exceeds the maximum allowed size.',
					'5C3D9175B6FC201293AD4890',
					'0006-00000003',
				),
				'HDR-ID',
			);
		});
		t.after(() => oss.close());
		await assert.rejects(
			postFile(ticketFor(oss.host), firmware),
			isOtaError((e) => {
				assert.ok(e instanceof OssError);
				assert.equal(e.source, 'oss');
				assert.equal(e.status, 400);
				assert.equal(e.code, 'EntityTooLarge');
				assert.equal(e.ossCode, 'EntityTooLarge');
				assert.equal(e.ec, '0006-00000003');
				assert.equal(e.hostId, 'bucket.oss-cn-shanghai.aliyuncs.com');
				assert.equal(e.requestId, '5C3D9175B6FC201293AD4890');
				assert.equal(e.retryable, false);
				assert.equal(
					e.message,
					'OSS rejected the upload (HTTP 400 EntityTooLarge, EC 0006-00000003): Your proposed upload exceeds the maximum allowed size.',
				);
			}),
		);
	});

	void test('Policy expired is marked PolicyExpired and retryable; 5xx is retryable; non-XML falls back to the status', async (t) => {
		const answers = [
			(res: http.ServerResponse) =>
				sendXml(
					res,
					403,
					ossErrorXml('AccessDenied', 'Invalid according to Policy: Policy expired.', 'RID-EXP', '0006-00000213'),
					'RID-EXP',
				),
			(res: http.ServerResponse) =>
				sendXml(res, 503, ossErrorXml('ServiceUnavailable', 'Please reduce your request rate.', 'RID-503'), 'RID-503'),
			(res: http.ServerResponse) => {
				res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html', 'x-oss-request-id': 'RID-502' });
				res.end('<html>bad gateway</html>');
			},
		];
		let n = 0;
		const oss = await startServer(async (req, res) => {
			await receivePost(req);
			answers[n++](res);
		});
		t.after(() => oss.close());
		const errors: OtaError[] = [];
		for (let i = 0; i < answers.length; i++) {
			errors.push(
				await postFile(ticketFor(oss.host), firmware).then(
					() => assert.fail('should reject'),
					(e: OtaError) => e,
				),
			);
		}
		assert.deepEqual(
			errors.map((e) => [e.code, e.status, e.retryable, e.requestId]),
			[
				['PolicyExpired', 403, true, 'RID-EXP'],
				['ServiceUnavailable', 503, true, 'RID-503'],
				['Http502', 502, true, 'RID-502'],
			],
		);
		assert.equal(errors[2].message, 'OSS rejected the upload (HTTP 502): Bad Gateway');
	});

	void test('an early error answer stops the upload without waiting for the whole body', async (t) => {
		// Raw TCP so the answer goes out after the headers while the server keeps draining the body.
		const xml = ossErrorXml('AccessDenied', 'Invalid according to Policy: Policy expired.', 'RID-EARLY', '0006-00000213');
		let received = 0;
		let contentLength = 0;
		const server = net.createServer((socket) => {
			let head = '';
			socket.on('error', () => undefined);
			socket.on('data', (chunk: Buffer) => {
				received += chunk.length;
				if (head.includes('\r\n\r\n')) {
					return;
				}
				head += chunk.toString('latin1');
				if (head.includes('\r\n\r\n')) {
					contentLength = Number(/content-length: (\d+)/i.exec(head)?.[1]);
					socket.write(
						`HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nx-oss-request-id: RID-EARLY\r\nContent-Length: ${Buffer.byteLength(xml)}\r\n\r\n${xml}`,
					);
				}
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
		const big = scratch.file('early.bin', patternBytes(8 * 1024 * 1024, 3));
		const host = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
		await assert.rejects(
			postFile(ticketFor(host), big),
			isOtaError((e) => {
				assert.equal(e.code, 'PolicyExpired');
				assert.equal(e.requestId, 'RID-EARLY');
			}),
		);
		assert.ok(contentLength > 8 * 1024 * 1024 && received < contentLength, `server received ${received} of ${contentLength} bytes`);
	});

	void test('an early answer followed by the server closing its side fails with that answer, retryable', async (t) => {
		// Raw TCP: the answer goes out after the headers, then the server ends its side (FIN) and keeps draining, so the
		// client reads the whole answer before the end of the stream (no reset can overtake it).
		const xml = ossErrorXml('AccessDenied', 'Invalid according to Policy: Policy expired.', 'RID-CLOSE');
		const server = net.createServer((socket) => {
			let head = '';
			socket.on('error', () => undefined);
			socket.on('data', (chunk: Buffer) => {
				if (head.includes('\r\n\r\n')) {
					return;
				}
				head += chunk.toString('latin1');
				if (head.includes('\r\n\r\n')) {
					socket.end(
						`HTTP/1.1 403 Forbidden\r\nContent-Type: application/xml\r\nx-oss-request-id: RID-CLOSE\r\nContent-Length: ${Buffer.byteLength(xml)}\r\n\r\n${xml}`,
					);
				}
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
		const big = scratch.file('early-close.bin', patternBytes(8 * 1024 * 1024, 4));
		await assert.rejects(
			postFile(ticketFor(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`), big),
			isOtaError((e) => {
				assert.equal(e.code, 'PolicyExpired');
				assert.equal(e.requestId, 'RID-CLOSE');
				assert.equal(e.retryable, true);
			}),
		);
	});

	void test('policy and signature echoed by the server never reach the error message', async (t) => {
		const ticket = ticketFor('http://placeholder');
		const oss = await startServer(async (req, res) => {
			await receivePost(req);
			sendXml(
				res,
				403,
				ossErrorXml(
					'SignatureDoesNotMatch',
					`The request signature ${ticket.signature} does not match policy ${ticket.policy}`,
					'RID-SIG',
				),
				'RID-SIG',
			);
		});
		t.after(() => oss.close());
		await assert.rejects(
			postFile({ ...ticket, host: oss.host }, firmware),
			isOtaError((e) => {
				assert.equal(e.code, 'SignatureDoesNotMatch');
				assert.ok(!e.message.includes(ticket.signature) && !e.message.includes(ticket.policy), e.message);
				assert.match(e.message, /\*\*\*/);
			}),
		);
	});

	void test('a silent server trips the inactivity timeout as a retryable network error', async (t) => {
		const oss = await startServer((req) => req.pause());
		t.after(() => oss.close());
		await assert.rejects(
			postFile(ticketFor(oss.host), firmware, { timeoutMs: 150 }),
			isOtaError((e) => {
				assert.equal(e.code, 'UploadTimeout');
				assert.equal(e.source, 'network');
				assert.equal(e.retryable, true);
			}),
		);
	});

	void test('a connection reset is a retryable network error', async (t) => {
		const oss = await startServer((req) => req.socket.destroy());
		t.after(() => oss.close());
		await assert.rejects(
			postFile(ticketFor(oss.host), firmware),
			isOtaError((e) => {
				assert.equal(e.source, 'network');
				assert.equal(e.retryable, true);
			}),
		);
	});

	void test('a ticket without a usable host or fields is rejected before any connection', async () => {
		await assert.rejects(
			postFile({ ...ticketFor('ftp://example.com') }, firmware),
			isOtaError((e) => assert.equal(e.code, 'InvalidUploadTicket')),
		);
		await assert.rejects(
			postFile({ ...ticketFor('http://127.0.0.1:9'), signature: '' }, firmware),
			isOtaError((e) => assert.match(e.message, /missing signature/)),
		);
	});
});
