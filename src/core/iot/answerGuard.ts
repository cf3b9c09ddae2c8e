// Bounds one pop-core request through the options it hands to httpx and http.request (docs/protocols.md §2.2, §14.2):
// pop-core still builds, signs and sends the call, but httpx collects the whole body in memory, inflates gzip on its
// own, and keeps reading after its read timer gave up. So every request gets
//  - an agent that watches the request's socket: bytes past the limit end it (memory stays flat, whatever is sent);
//  - `accept-encoding: identity`, and a compressed answer refused unread (a 2 MB gzip cannot become 2 GB);
//  - a deadline for the whole exchange, however often bytes trickle in;
//  - an abort that really closes the socket when the attempt fails for any reason.
import type { Agent, ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { OtaError } from '../errors';
import { deadlineExceeded, encodedResponse, responseTooLarge, type Exchange } from '../responseBounds';

export interface AnswerLimits {
	/** GenerateOTAUploadURL's answer: how the refusals name what was refused. */
	what: Exchange;
	maxBytes: number;
	deadlineMs: number;
}

type RequestHook = (req: ClientRequest, options: RequestOptions) => void;

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

	/** `base` (a keep-alive or proxy agent) with every request it carries watched; the pool stays `base`'s. */
	agent(base: Agent): Agent {
		const watched = Object.create(base) as Agent & { addRequest: RequestHook };
		const addRequest = (base as unknown as { addRequest: RequestHook }).addRequest;
		watched.addRequest = (req, options) => {
			this.watch(req);
			addRequest.call(base, req, options);
		};
		return watched;
	}

	/** http.request options with the guard's signal (aborting closes the socket) and identity encoding. */
	requestOptions<T extends { headers?: Record<string, unknown> }>(options: T, signal?: AbortSignal): T & { signal: AbortSignal } {
		return {
			...options,
			headers: { ...options.headers, 'accept-encoding': 'identity' },
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

	private watch(req: ClientRequest): void {
		let received = 0;
		const count = (chunk: Buffer): void => {
			received += chunk.length;
			if (received > this.limits.maxBytes) {
				this.fail(responseTooLarge(this.limits.what, this.limits.maxBytes));
			}
		};
		req.once('socket', (socket: Socket) => {
			socket.on('data', count);
			req.once('close', () => socket.off('data', count));
		});
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
