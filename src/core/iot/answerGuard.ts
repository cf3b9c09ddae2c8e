// Bounds one pop-core request through the options it hands to httpx and http.request (docs/protocols.md §2.2, §14.2):
// pop-core still builds, signs and sends the call, but httpx collects the whole body in memory, inflates gzip on its
// own, and keeps reading after its read timer gave up. So every request gets
//  - a watch on the request's socket, whichever agent connects it (ours, or one VS Code puts in its place): bytes past
//    the limit end it (memory stays flat, whatever is sent);
//  - `accept-encoding: identity`, and a compressed answer refused unread (a 2 MB gzip cannot become 2 GB);
//  - a deadline for the whole exchange, however often bytes trickle in;
//  - an abort that really closes the socket when the attempt fails for any reason.
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { OtaError } from '../errors';
import { deadlineExceeded, encodedResponse, responseTooLarge, type Exchange } from '../responseBounds';

export interface AnswerLimits {
	/** GenerateOTAUploadURL's answer: how the refusals name what was refused. */
	what: Exchange;
	maxBytes: number;
	deadlineMs: number;
}

/**
 * The guard of each request, found from the request itself: its `accept-encoding` value is a String object of the
 * guard's own (sent as `identity`), the one thing of the options that reaches the ClientRequest unchanged whatever agent
 * VS Code's proxy support puts in place of ours. Node announces every client request on this channel once the request
 * is handed to its socket, before any answer can arrive (docs/protocols.md §14.2).
 */
const guardOf = new WeakMap<object, AnswerGuard>();
let subscribed = false;

function watchEveryRequest(): void {
	if (!subscribed) {
		subscribed = true;
		subscribe('http.client.request.start', (message) => {
			const { request } = message as { request: ClientRequest };
			const marker = request.getHeader('accept-encoding');
			if (typeof marker === 'object') {
				guardOf.get(marker)?.watch(request);
			}
		});
	}
}

export class AnswerGuard {
	/** The HTTP status of the answer, once its headers arrived (non-JSON bodies carry it into the error). */
	status?: number;
	private readonly controller = new AbortController();
	private readonly refused: Promise<never>;
	private refuse!: (error: OtaError) => void;
	private readonly deadline: NodeJS.Timeout;
	private done = false;

	constructor(private readonly limits: AnswerLimits) {
		this.refused = new Promise<never>((_resolve, reject) => (this.refuse = reject));
		this.refused.catch(() => undefined);
		this.deadline = setTimeout(() => this.fail(deadlineExceeded(limits.what, limits.deadlineMs)), limits.deadlineMs);
	}

	/** http.request options with the guard's signal (aborting closes the socket) and identity encoding; watched. */
	requestOptions<T extends { headers?: Record<string, unknown> }>(options: T, signal?: AbortSignal): T & { signal: AbortSignal } {
		watchEveryRequest();
		const identity = new String('identity');
		guardOf.set(identity, this);
		return {
			...options,
			headers: { ...options.headers, 'accept-encoding': identity },
			signal: signal ? AbortSignal.any([signal, this.controller.signal]) : this.controller.signal,
		};
	}

	/** Settles like `call`, or rejects at once with the refusal (size, encoding, deadline) that ended the request. */
	run<T>(call: Promise<T>): Promise<T> {
		call.catch(() => undefined);
		return Promise.race([call, this.refused]);
	}

	/** After the attempt: a request still open (it failed or was refused) is aborted, which closes its socket. */
	finish(succeeded: boolean): void {
		this.done = true;
		clearTimeout(this.deadline);
		if (!succeeded && !this.controller.signal.aborted) {
			this.controller.abort();
		}
	}

	private fail(error: OtaError): void {
		if (this.done || this.controller.signal.aborted) {
			return;
		}
		this.refuse(error);
		// Deferred: httpx attaches its listeners to the answer a few microtasks after the 'response' event, and only
		// an answer with listeners reports its abort (a silent one would leave pop-core's promise to its read timer).
		setImmediate(() => this.controller.abort(error));
	}

	/** Watches `req` (the guard's own request, as the channel found it): its socket's bytes and its answer's headers. */
	watch(req: ClientRequest): void {
		let received = 0;
		const count = (chunk: Buffer): void => {
			received += chunk.length;
			if (received > this.limits.maxBytes) {
				this.fail(responseTooLarge(this.limits.what, this.limits.maxBytes));
			}
		};
		const onSocket = (socket: Socket): void => {
			socket.on('data', count);
			req.once('close', () => socket.off('data', count));
		};
		if (req.socket) {
			onSocket(req.socket);
		} else {
			req.once('socket', onSocket);
		}
		req.once('response', (res: IncomingMessage) => {
			this.status = res.statusCode;
			const encoding = res.headers['content-encoding']?.trim();
			if (encoding && encoding.toLowerCase() !== 'identity') {
				// httpx inflates whatever this header names; without it the compressed bytes stay raw (and bounded).
				delete res.headers['content-encoding'];
				this.fail(encodedResponse(this.limits.what, encoding));
			} else if (Number(res.headers['content-length']) > this.limits.maxBytes) {
				this.fail(responseTooLarge(this.limits.what, this.limits.maxBytes));
			}
		});
	}
}
