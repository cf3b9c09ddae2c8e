// Tiny OSS PostObject stand-ins for the uploader tests (node:http + busboy on 127.0.0.1, port 0).
import busboy from 'busboy';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import type { FirmwareSuffix, TicketSource, UploadTicket } from '../../../src/core/types';

export interface ReceivedPost {
	headers: http.IncomingHttpHeaders;
	/** Every part name in the order it arrived ('file' included). */
	order: string[];
	fields: Record<string, string>;
	file?: { filename: string; mimeType: string; bytes: Buffer; md5: string; sha256: string };
	/** Raw request body bytes that reached the server. */
	bodyBytes: number;
}

export interface TestServer {
	host: string;
	server: http.Server;
	close(): Promise<void>;
}

export async function startServer(handler: http.RequestListener): Promise<TestServer> {
	const server = http.createServer((req, res) => {
		// Clients that abort mid-body make the request emit 'error'; the tests observe the close instead.
		req.on('error', () => undefined);
		return handler(req, res);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		host: `http://127.0.0.1:${port}`,
		server,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** Parses a whole multipart PostObject body. */
export function receivePost(req: http.IncomingMessage): Promise<ReceivedPost> {
	return new Promise((resolve, reject) => {
		const post: ReceivedPost = { headers: req.headers, order: [], fields: {}, bodyBytes: 0 };
		req.on('data', (chunk: Buffer) => (post.bodyBytes += chunk.length));
		const parser = busboy({ headers: req.headers });
		parser.on('field', (name: string, value: string) => {
			post.order.push(name);
			post.fields[name] = value;
		});
		parser.on('file', (name, stream, info) => {
			post.order.push(name);
			const chunks: Buffer[] = [];
			stream.on('data', (chunk: Buffer) => chunks.push(chunk));
			stream.on('end', () => {
				const bytes = Buffer.concat(chunks);
				post.file = {
					filename: info.filename ?? '',
					mimeType: info.mimeType,
					bytes,
					md5: createHash('md5').update(bytes).digest('hex'),
					sha256: createHash('sha256').update(bytes).digest('hex'),
				};
			});
		});
		parser.on('close', () => resolve(post));
		parser.on('error', reject);
		req.pipe(parser);
	});
}

export function ossErrorXml(code: string, message: string, requestId: string, ec = '0006-00000000'): string {
	return (
		'<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
		`  <Code>${code}</Code>\n  <Message>${message}</Message>\n  <RequestId>${requestId}</RequestId>\n` +
		`  <HostId>bucket.oss-cn-shanghai.aliyuncs.com</HostId>\n  <EC>${ec}</EC>\n</Error>\n`
	);
}

export function sendXml(res: http.ServerResponse, status: number, xml: string, requestId: string): void {
	res.writeHead(status, { 'content-type': 'application/xml', 'x-oss-request-id': requestId });
	res.end(xml);
}

export function ticketFor(host: string, n = 1, suffix: FirmwareSuffix = 'bin'): UploadTicket {
	const key = `ota/firmware/ticket-${n}.${suffix}`;
	return {
		host,
		key,
		policy: `POLICY-SECRET-${n}-eyJleHBpcmF0aW9uIjoi`,
		ossAccessKeyId: 'STUBACCESSKEYID',
		signature: `SIGNATURE-SECRET-${n}=`,
		firmwareUrl: `${host}/${key}`,
		utcCreate: '2024-01-02T03:04:05.000Z',
		requestId: `ticket-request-${n}`,
		receivedAt: Date.now(),
	};
}

/** Hands out numbered tickets for one host; `receivedAt` can be back-dated per ticket number. */
export class FakeTickets implements TicketSource {
	readonly issued: UploadTicket[] = [];
	readonly suffixes: FirmwareSuffix[] = [];

	constructor(
		private readonly host: string,
		private readonly ageMs: (n: number) => number = () => 0,
	) {}

	async generateOtaUploadUrl(suffix: FirmwareSuffix): Promise<UploadTicket> {
		const n = this.issued.length + 1;
		const ticket = { ...ticketFor(this.host, n, suffix), receivedAt: Date.now() - this.ageMs(n) };
		this.issued.push(ticket);
		this.suffixes.push(suffix);
		return ticket;
	}
}

/** A scratch directory removed by the returned cleanup. */
export function scratchDir(): { dir: string; file(name: string, bytes: Buffer): string; cleanup(): void } {
	const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-upload-'));
	return {
		dir,
		file(name, bytes) {
			const full = path.join(dir, name);
			writeFileSync(full, bytes);
			return full;
		},
		cleanup: () => rmSync(dir, { recursive: true, force: true }),
	};
}

/** Deterministic pseudo-random bytes (so failures reproduce). */
export function patternBytes(length: number, seed = 1): Buffer {
	const out = Buffer.allocUnsafe(length);
	let x = seed >>> 0 || 1;
	for (let i = 0; i < length; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		out[i] = x & 0xff;
	}
	return out;
}

export function digestsOf(bytes: Buffer): { md5: string; sha256: string } {
	return { md5: createHash('md5').update(bytes).digest('hex'), sha256: createHash('sha256').update(bytes).digest('hex') };
}

/**
 * A scratch directory removed after the test file, holding fw.bin: 3 MiB + 12,345 pattern bytes (several 1 MiB chunks
 * plus a partial one). Call it at the top of a test file.
 */
export function useScratchFirmware(): {
	scratch: ReturnType<typeof scratchDir>;
	bytes: Buffer;
	firmware: string;
} {
	const scratch = scratchDir();
	after(() => scratch.cleanup());
	const bytes = patternBytes(3 * 1024 * 1024 + 12_345, 7);
	return { scratch, bytes, firmware: scratch.file('fw.bin', bytes) };
}

/** For assert.rejects: the error is an OtaError, and `check` passes on it. */
export function isOtaError(check: (error: OtaError) => void): (error: unknown) => boolean {
	return (error: unknown) => {
		assert.ok(error instanceof OtaError, `expected OtaError, got ${String(error)}`);
		check(error);
		return true;
	};
}
