// postObject against a stub OSS, its failures: OSS error documents become OssErrors (code, message, RequestId, EC,
// retryable or not), an early answer stops the upload, secrets never reach a message, a silent server or a reset is a
// retryable network error, a bad ticket is refused before connecting.
import assert from 'node:assert/strict';
import type http from 'node:http';
import net from 'node:net';
import { describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { OssError } from '../../../src/core/upload/ossError';
import { postFile } from '../../support/postFile';
import { isOtaError, ossErrorXml, patternBytes, receivePost, sendXml, startServer, ticketFor, useScratchFirmware } from './stubOss';

const { scratch, firmware } = useScratchFirmware();

void describe('postObject against a stub OSS: failures', () => {
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
