import http from 'node:http';
import https from 'node:https';
import { cancelledError, OtaError, redact, throwIfAborted } from '../errors';
import { agentFor } from '../proxy';
import type { UploadTicket } from '../types';
import { createChunkHasher } from '../hashing/chunkHasher';
import { FileChunkReader } from './fileChunks';
import { ossErrorFromResponse } from './ossError';
import { buildPostObjectForm } from './postFormBuilder';

export interface PostObjectOptions {
	signal?: AbortSignal;
	/** File bytes whose write to the socket completed, and the file size. */
	onProgress?: (sent: number, total: number) => void;
	/** false skips MD5/SHA-256 (benchmarks); the result then carries empty digests. */
	hash?: boolean;
	/** Socket inactivity timeout; default 60 s. */
	timeoutMs?: number;
	env?: NodeJS.ProcessEnv;
}

export interface PostObjectResult {
	status: number;
	size: number;
	/** Lower-case hex; '' when hashing was off. */
	md5: string;
	sha256: string;
	etag?: string;
	requestId?: string;
}

export const DEFAULT_UPLOAD_TIMEOUT_MS = 60_000;
/**
 * Large reads keep per-chunk costs (syscalls, callbacks, hash calls, thread messages) negligible, and
 * fewer iterations per GB mean less optimizing-compiler work (whose pages show up in peak RSS).
 */
const CHUNK_BYTES = 2 * 1024 * 1024;
/**
 * One chunk on the socket, one being hashed, one being read, one spare: 8 MiB for any file size. The pool
 * is the only backpressure: a slot comes back once the socket took its bytes and the hasher is done with them.
 */
const POOL_SIZE = 4;
/** Chunks go to the socket in pieces of at most this size: one progress report per MiB. */
const WRITE_BYTES = 1024 * 1024;
const MAX_ERROR_BODY_BYTES = 64 * 1024;

function uploadTarget(ticket: UploadTicket): URL {
	const missing = (['host', 'key', 'policy', 'ossAccessKeyId', 'signature'] as const).filter((field) => !ticket[field]);
	if (missing.length > 0) {
		throw new OtaError({ code: 'InvalidUploadTicket', source: 'api', message: `The upload ticket is missing ${missing.join(', ')}.` });
	}
	const host = /^[a-z][a-z0-9+.-]*:\/\//i.test(ticket.host) ? ticket.host : `https://${ticket.host}`;
	let url: URL | undefined;
	try {
		url = new URL(host);
	} catch {
		url = undefined;
	}
	if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
		throw new OtaError({
			code: 'InvalidUploadTicket',
			source: 'api',
			message: `The upload ticket's Host is not an http(s) URL: ${redact(ticket.host)}`,
		});
	}
	return url;
}

function transportError(error: NodeJS.ErrnoException, host: string, secrets: string[]): OtaError {
	const code = error.code ?? 'NetworkError';
	const certificate = /CERT|SSL|TLS/.test(code);
	return new OtaError({
		code,
		source: 'network',
		retryable: !certificate,
		message: redact(`Upload to ${host} failed: ${error.message}`, secrets),
		hint: certificate ? 'The TLS connection to OSS was not trusted; check proxies that intercept HTTPS.' : undefined,
	});
}

function timeoutError(host: string, timeoutMs: number): OtaError {
	return new OtaError({
		code: 'UploadTimeout',
		source: 'network',
		retryable: true,
		message: `No progress for ${Math.round(timeoutMs / 100) / 10} s while uploading to ${host}; the connection was dropped.`,
	});
}

function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/** Collects at most 64 KiB of an answer, then calls back once (also when the socket dies mid-body). */
function readLimited(res: http.IncomingMessage, done: (body: string) => void): void {
	const chunks: Buffer[] = [];
	let length = 0;
	let called = false;
	const finish = (): void => {
		if (!called) {
			called = true;
			done(Buffer.concat(chunks).toString('utf8'));
		}
	};
	res.on('data', (chunk: Buffer) => {
		if (length < MAX_ERROR_BODY_BYTES) {
			chunks.push(chunk);
			length += chunk.length;
		}
	});
	res.on('end', finish);
	res.on('close', finish);
	res.on('error', finish);
}

/**
 * OSS PostObject of `filePath` with the ticket's V1 form fields (file last). The file is streamed from
 * disk through a fixed pool of buffers with Content-Length set; MD5 + SHA-256 are computed from the same
 * buffers in that single read pass (on a worker thread for large files, in parallel with the socket
 * writes). Rejects with OtaError: 'cancelled' on abort, 'network' (retryable) on transport failure or
 * inactivity timeout, 'oss' on a non-2xx answer (see ossErrorFromResponse).
 */
export async function postObject(ticket: UploadTicket, filePath: string, opts: PostObjectOptions = {}): Promise<PostObjectResult> {
	throwIfAborted(opts.signal, 'the upload');
	const target = uploadTarget(ticket);
	const reader = await FileChunkReader.open(filePath, CHUNK_BYTES, POOL_SIZE, { shared: opts.hash !== false });
	if (opts.signal?.aborted) {
		await reader.close();
		throw cancelledError('the upload');
	}
	return new Promise<PostObjectResult>((resolve, reject) => send(ticket, target, reader, opts, resolve, reject));
}

function hashFailedError(error: Error): OtaError {
	return new OtaError({
		code: 'HashFailed',
		source: 'network',
		retryable: true,
		cause: error,
		message: `Hashing the firmware failed during the upload: ${error.message}`,
	});
}

function send(
	ticket: UploadTicket,
	target: URL,
	reader: FileChunkReader,
	opts: PostObjectOptions,
	resolve: (result: PostObjectResult) => void,
	reject: (error: OtaError) => void,
): void {
	const size = reader.size;
	const secrets = [ticket.policy, ticket.signature];
	const timeoutMs = opts.timeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;
	const form = buildPostObjectForm(ticket, size);

	let settled = false;
	let bodySent = false;
	let fileBytesSent = 0;
	let response: http.IncomingMessage | undefined;

	const transport = target.protocol === 'https:' ? https : http;
	// Without a proxy: a private keep-alive agent. Keep-alive tells OSS to drain the rest of the body after
	// an early error answer (with "Connection: close" it hangs up and we only see EPIPE); being private, no
	// retry ever lands on a half-dead pooled socket. It is destroyed when this upload settles.
	const proxyAgent = agentFor(target.href, opts.env);
	const privateAgent = proxyAgent ? undefined : new transport.Agent({ keepAlive: true, maxSockets: 1 });
	const req = transport.request(target, { method: 'POST', headers: form.headers, agent: proxyAgent ?? privateAgent });

	// A worker failure (reported later, never during this call) fails the upload as retryable.
	const hasher = opts.hash === false ? undefined : createChunkHasher(size, reader.slots, (error) => fail(hashFailedError(error)));

	const finish = (): void => {
		settled = true;
		opts.signal?.removeEventListener('abort', onAbort);
		privateAgent?.destroy();
	};
	const fail = (error: OtaError): void => {
		if (settled) {
			return;
		}
		finish();
		hasher?.close();
		reader.abort(error);
		req.destroy();
		reject(error);
	};
	const onAbort = (): void => fail(cancelledError('the upload'));
	opts.signal?.addEventListener('abort', onAbort, { once: true });

	// The body loop as small callback steps (read → write + hash → next read), not one async function:
	// it runs once per MiB and stays cheap to optimize (see FileChunkReader.next).
	const sendChunk = (chunk: Buffer): void => {
		const pieces = Math.ceil(chunk.length / WRITE_BYTES);
		// The slot is reused once the socket took every piece and the hasher is done with it.
		let holds = pieces + (hasher ? 1 : 0);
		const releaseOne = (): void => {
			if (--holds === 0) {
				reader.release(chunk);
			}
		};
		// No wait for 'drain': the pool bounds what is queued, and the next read overlaps these writes.
		for (let offset = 0; offset < chunk.length; offset += WRITE_BYTES) {
			const piece = chunk.subarray(offset, offset + WRITE_BYTES);
			req.write(piece, (error?: Error | null) => {
				if (!error && !settled) {
					fileBytesSent += piece.length;
					opts.onProgress?.(fileBytesSent, size);
				}
				releaseOne();
			});
		}
		hasher?.update(chunk, reader.slotIndex(chunk), releaseOne);
	};
	const pump = (): Promise<void> =>
		new Promise<void>((done, failed) => {
			const step = (chunk: Buffer | undefined): void => {
				if (chunk && !settled && !response) {
					sendChunk(chunk);
					reader.next().then(step, failed);
					return;
				}
				if (chunk) {
					reader.release(chunk);
				}
				done();
			};
			req.write(form.preamble);
			reader.next().then(step, failed);
		}).then(async () => {
			if (settled || response) {
				return;
			}
			await reader.verifyUnchanged();
			if (!settled && !response) {
				req.end(form.footer);
			}
		});

	req.on('finish', () => (bodySent = true));
	req.setTimeout(timeoutMs, () => fail(timeoutError(target.host, timeoutMs)));
	req.on('error', (error: NodeJS.ErrnoException) => {
		// After an early error answer OSS may reset the socket; the answer is what matters.
		if (!response || (response.statusCode ?? 0) < 300) {
			fail(transportError(error, target.host, secrets));
		}
	});
	req.on('response', (res) => {
		response = res;
		const status = res.statusCode ?? 0;
		const requestId = headerValue(res.headers['x-oss-request-id']);
		if (status < 200 || status >= 300) {
			readLimited(res, (body) => fail(ossErrorFromResponse(status, res.statusMessage, body, requestId, secrets)));
			return;
		}
		res.resume();
		res.on('end', () => {
			if (!bodySent || fileBytesSent !== size) {
				const message = `OSS answered ${status} after only ${fileBytesSent} of ${size} bytes were sent.`;
				fail(new OtaError({ code: 'UnexpectedResponse', source: 'oss', status, requestId, retryable: true, message }));
				return;
			}
			const digests = hasher ? hasher.digest() : Promise.resolve({ md5: '', sha256: '' });
			digests.then(
				({ md5, sha256 }) => {
					if (!settled) {
						finish();
						resolve({ status, size, md5, sha256, etag: headerValue(res.headers.etag), requestId });
					}
				},
				(error: Error) => fail(hashFailedError(error)),
			);
		});
	});

	pump()
		.catch((error: unknown) =>
			fail(error instanceof OtaError ? error : transportError(error as NodeJS.ErrnoException, target.host, secrets)),
		)
		.finally(() => void reader.close());
}
