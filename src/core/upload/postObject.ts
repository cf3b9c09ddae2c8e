import http from 'node:http';
import https from 'node:https';
import { cancelledError, OtaError, redact, throwIfAborted } from '../errors';
import { formatSpan } from '../format';
import { agentFor } from '../proxy';
import { classifyTlsFailure, unretryableTlsError } from '../tlsFailure';
import type { UploadTicket } from '../types';
import { UploadBody } from './uploadBody';
import { parseUploadHost } from '../uploadHost';
import { deadlineExceeded, headerOverflow } from '../responseBounds';
import { ossErrorFromResponse } from './ossError';
import { readOssAnswer, uploadDeadlineMs } from './ossAnswer';
import { buildPostObjectForm } from './postFormBuilder';

export interface PostObjectOptions {
	signal?: AbortSignal;
	/** File bytes whose write to the socket completed, and the file size. */
	onProgress?: (sent: number, total: number) => void;
	/** Socket inactivity timeout, and how long the answer may take once the body is sent; default 60 s. */
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
/** Chunks go to the socket in pieces of at most this size: one progress report per MiB. */
const WRITE_BYTES = 1024 * 1024;

/** The reasons (MessageReason codes) of a ticket the uploader cannot use: fields missing, or a Host that is no URL. */
export const UPLOAD_TICKET_REASONS = ['ticket-incomplete', 'ticket-host-not-url'] as const;

function uploadTarget(ticket: UploadTicket): URL {
	const missing = (['host', 'key', 'policy', 'ossAccessKeyId', 'signature'] as const).filter((field) => !ticket[field]);
	if (missing.length > 0) {
		const fields = missing.join(', ');
		throw new OtaError({
			code: 'InvalidUploadTicket',
			source: 'api',
			message: `The upload ticket is missing ${fields}.`,
			reason: { code: 'ticket-incomplete', values: { fields } },
		});
	}
	const url = parseUploadHost(ticket.host);
	if (!url) {
		const host = redact(ticket.host);
		throw new OtaError({
			code: 'InvalidUploadTicket',
			source: 'api',
			message: `The upload ticket's Host is not an http(s) URL: ${host}`,
			reason: { code: 'ticket-host-not-url', values: { host } },
		});
	}
	return url;
}

/** The reasons (MessageReason codes) of an upload's transport failures: `detail` is the system's text, kept as it is. */
export const UPLOAD_TRANSPORT_REASONS = ['upload-network', 'upload-stalled'] as const;

/** The hint to a transient TLS failure that outlasted the upload's retries. */
export const TRANSIENT_TLS_HINT =
	'The TLS connection to OSS broke off; if this repeats, check proxies or network devices that intercept HTTPS.';

export function transportError(error: NodeJS.ErrnoException, host: string, secrets: string[]): OtaError {
	const overflow = headerOverflow(error, { kind: 'host-answer', name: host });
	if (overflow) {
		return overflow;
	}
	const tls = classifyTlsFailure(error);
	const server = redact(host, secrets);
	const refused = tls && unretryableTlsError(tls, { action: 'PostObject', server, detail: redact(error.message, secrets) });
	if (refused) {
		return refused;
	}
	// Any other failure, a transient TLS one too (a record damaged on the way, often by a middlebox), is retried.
	return new OtaError({
		code: tls?.code ?? error.code ?? 'NetworkError',
		source: 'network',
		retryable: true,
		message: redact(`Upload to ${host} failed: ${error.message}`, secrets),
		hint: tls ? TRANSIENT_TLS_HINT : undefined,
		reason: { code: 'upload-network', values: { host: server, detail: redact(error.message, secrets), tls: tls?.kind ?? '' } },
	});
}

export function timeoutError(host: string, timeoutMs: number): OtaError {
	return new OtaError({
		code: 'UploadTimeout',
		source: 'network',
		retryable: true,
		message: `No progress for ${formatSpan(timeoutMs)} while uploading to ${host}; the connection was dropped.`,
		reason: { code: 'upload-stalled', values: { host, timeoutMs } },
	});
}

function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

/**
 * OSS PostObject of `body` (the file the caller opened and checked, read and hashed in one pass: UploadBody) with the
 * ticket's V1 form fields (file last), Content-Length set. Rejects with OtaError: 'cancelled' on abort, 'network'
 * (retryable) on transport failure or inactivity timeout, 'oss' on a non-2xx answer (see ossErrorFromResponse); a
 * rejection comes once no read is in flight on the file any more. The caller discards the body afterwards.
 */
export async function postObject(ticket: UploadTicket, body: UploadBody, opts: PostObjectOptions = {}): Promise<PostObjectResult> {
	throwIfAborted(opts.signal, 'the upload');
	const target = uploadTarget(ticket);
	return new Promise<PostObjectResult>((resolve, reject) => send(ticket, target, body, opts, resolve, reject));
}

function send(
	ticket: UploadTicket,
	target: URL,
	body: UploadBody,
	opts: PostObjectOptions,
	resolve: (result: PostObjectResult) => void,
	reject: (error: OtaError) => void,
): void {
	const { reader, size } = body;
	const secrets = [ticket.policy, ticket.signature];
	const timeoutMs = opts.timeoutMs ?? DEFAULT_UPLOAD_TIMEOUT_MS;
	const form = buildPostObjectForm(ticket, size);

	let settled = false;
	let drained: Promise<void> = Promise.resolve();
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

	// Bounded in time whatever the server does: the whole attempt (sending at no less than the slowest allowed rate),
	// and the answer once the body is sent or the answer began (a trickled answer resets no inactivity timer here).
	const deadlineMs = uploadDeadlineMs(size, timeoutMs);
	const deadline = setTimeout(() => fail(deadlineExceeded({ kind: 'upload', name: target.host }, deadlineMs)), deadlineMs);
	let answerDeadline: NodeJS.Timeout | undefined;
	const awaitAnswer = (): void => {
		answerDeadline ??= setTimeout(() => fail(deadlineExceeded({ kind: 'host-answer', name: target.host }, timeoutMs)), timeoutMs);
	};

	const finish = (): void => {
		settled = true;
		clearTimeout(deadline);
		clearTimeout(answerDeadline);
		opts.signal?.removeEventListener('abort', onAbort);
		privateAgent?.destroy();
	};
	const fail = (error: OtaError): void => {
		if (settled) {
			return;
		}
		finish();
		body.stop(error);
		req.destroy();
		// Reported once the body loop has let go of the file (at most one disk read later): a caller that retries or
		// closes the descriptor it lent never races a read still in flight on it.
		void drained.then(() => reject(error));
	};
	const onAbort = (): void => fail(cancelledError('the upload'));
	opts.signal?.addEventListener('abort', onAbort, { once: true });

	// The body loop as small callback steps (read → write + hash → next read), not one async function:
	// it runs once per MiB and stays cheap to optimize (see FileChunkReader.next).
	const sendChunk = (chunk: Buffer): void => {
		// The buffer goes back to the pool once the socket took every piece (and the hasher is done with it).
		let pieces = Math.ceil(chunk.length / WRITE_BYTES);
		const releaseOne = (): void => {
			if (--pieces === 0) {
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

	req.on('finish', () => {
		bodySent = true;
		awaitAnswer();
	});
	req.setTimeout(timeoutMs, () => fail(timeoutError(target.host, timeoutMs)));
	req.on('error', (error: NodeJS.ErrnoException) => {
		// After an early error answer OSS may reset the socket; the answer is what matters.
		if (!response || (response.statusCode ?? 0) < 300) {
			fail(transportError(error, target.host, secrets));
		}
	});
	req.on('response', (res) => {
		response = res;
		awaitAnswer();
		const status = res.statusCode ?? 0;
		const requestId = headerValue(res.headers['x-oss-request-id']);
		readOssAnswer(res, { kind: 'host-answer', name: target.host }, (answer) => {
			if (answer.error) {
				fail(answer.error);
			} else if (status < 200 || status >= 300) {
				fail(ossErrorFromResponse(status, res.statusMessage, answer.body, requestId, secrets));
			} else if (!answer.complete || !bodySent || fileBytesSent !== size) {
				const message = answer.complete
					? `OSS answered ${status} after only ${fileBytesSent} of ${size} bytes were sent.`
					: `OSS answered ${status}, but the connection ended before its answer did.`;
				fail(new OtaError({ code: 'UnexpectedResponse', source: 'oss', status, requestId, retryable: true, message }));
			} else {
				succeed(status, headerValue(res.headers.etag), requestId);
			}
		});
	});
	const succeed = (status: number, etag: string | undefined, requestId: string | undefined): void => {
		body.digests().then(({ md5, sha256 }) => {
			if (!settled) {
				finish();
				resolve({ status, size, md5, sha256, etag, requestId });
			}
		}, fail);
	};

	drained = pump()
		.catch((error: unknown) =>
			fail(error instanceof OtaError ? error : transportError(error as NodeJS.ErrnoException, target.host, secrets)),
		)
		.finally(() => reader.idle());
}
