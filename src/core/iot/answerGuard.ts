// Bounds one pop-core request through the options it hands to httpx and http.request (docs/protocols.md §2.2, §14.2):
// pop-core still builds, signs and sends the call, but httpx collects the whole body in memory, inflates gzip on its
// own, and keeps reading after its read timer gave up. So every request gets
//  - a watch on the request's socket, whichever agent connects it (ours, or one VS Code puts in its place): bytes past
//    the limit end it (memory stays flat, whatever is sent);
//  - `accept-encoding: identity`, and a compressed answer refused unread (a 2 MB gzip cannot become 2 GB);
//  - a deadline for the whole exchange, however often bytes trickle in;
//  - an abort that really closes the socket when the attempt fails for any reason.
// Should the runtime never hand a guard its request, the client warns once and checks the declared length and encoding
// of the answer once it is read.
import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { OtaError } from '../errors';
import type { Logger } from '../logger';
import { deadlineExceeded, encodedResponse, responseTooLarge, type Exchange } from '../responseBounds';

export interface AnswerLimits {
	/** GenerateOTAUploadURL's answer: how the refusals name what was refused. */
	what: Exchange;
	maxBytes: number;
	deadlineMs: number;
}

/**
 * Hands `onRequest` every client request once it is on its socket, before any answer can arrive. Node's announcer is
 * its `http.client.request.start` diagnostics channel (docs/protocols.md §14.2); should a runtime stop publishing it,
 * guards go unwatched and the client says so (`noteUnwatched`).
 */
export type RequestAnnouncer = (onRequest: (request: ClientRequest) => void) => void;

export const nodeRequestAnnouncer: RequestAnnouncer = (onRequest) =>
	subscribe('http.client.request.start', (message) => onRequest((message as { request: ClientRequest }).request));

export const UNWATCHED_WARNING =
	'IoT API answers are not bounded as they arrive: the runtime did not announce the request on the ' +
	"'http.client.request.start' diagnostics channel, so the answer's bytes are not counted as they arrive and a " +
	'compressed answer is inflated before it is refused. Only its declared Content-Length and Content-Encoding are ' +
	'checked once it is read; the deadline and cancel still apply (docs/protocols.md §14.2).';

/**
 * The guard of each request, found from the request itself: its `accept-encoding` value is a String object of the
 * guard's own (sent as `identity`), the one thing of the options that reaches the ClientRequest unchanged whatever agent
 * VS Code's proxy support puts in place of ours.
 */
const guardsOf = new WeakMap<RequestAnnouncer, WeakMap<object, AnswerGuard>>();
/** Announcers whose unwatched guards were already reported: Node's is one per process, so one warning per process. */
const warned = new WeakSet<RequestAnnouncer>();

/** The guards of the requests `announcer` hands over, subscribed to it on first use. */
function guardsAnnouncedBy(announcer: RequestAnnouncer): WeakMap<object, AnswerGuard> {
	const known = guardsOf.get(announcer);
	if (known) {
		return known;
	}
	const guards = new WeakMap<object, AnswerGuard>();
	guardsOf.set(announcer, guards);
	announcer((request) => {
		const marker = request.getHeader('accept-encoding');
		if (typeof marker === 'object') {
			guards.get(marker)?.watch(request);
		}
	});
	return guards;
}

export class AnswerGuard {
	/** The HTTP status of the answer, once its headers arrived (non-JSON bodies carry it into the error). */
	status?: number;
	private readonly controller = new AbortController();
	private readonly refused: Promise<never>;
	private refuse!: (error: OtaError) => void;
	private readonly deadline: NodeJS.Timeout;
	private done = false;
	private watched = false;

	constructor(
		private readonly limits: AnswerLimits,
		private readonly announcer: RequestAnnouncer = nodeRequestAnnouncer,
	) {
		this.refused = new Promise<never>((_resolve, reject) => (this.refuse = reject));
		this.refused.catch(() => undefined);
		this.deadline = setTimeout(() => this.fail(deadlineExceeded(limits.what, limits.deadlineMs)), limits.deadlineMs);
	}

	/** http.request options with the guard's signal (aborting closes the socket) and identity encoding; watched. */
	requestOptions<T extends { headers?: Record<string, unknown> }>(options: T, signal?: AbortSignal): T & { signal: AbortSignal } {
		const identity = new String('identity');
		guardsAnnouncedBy(this.announcer).set(identity, this);
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

	/** After an answer arrived: warns (once per announcer) when its request was never watched, so nothing bounded it. */
	noteUnwatched(logger: Logger): void {
		if (!this.watched && !warned.has(this.announcer)) {
			warned.add(this.announcer);
			logger.warn(UNWATCHED_WARNING);
		}
	}

	/** After an unwatched answer was read: the refusal its declared length or encoding still earns, if any. */
	refusalOfRead(headers: IncomingHttpHeaders | undefined): OtaError | undefined {
		return this.watched || !headers ? undefined : this.refusalOf(headers);
	}

	private refusalOf(headers: IncomingHttpHeaders): OtaError | undefined {
		const encoding = headers['content-encoding']?.trim();
		if (encoding && encoding.toLowerCase() !== 'identity') {
			return encodedResponse(this.limits.what, encoding);
		}
		return Number(headers['content-length']) > this.limits.maxBytes
			? responseTooLarge(this.limits.what, this.limits.maxBytes)
			: undefined;
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
		this.watched = true;
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
			const refusal = this.refusalOf(res.headers);
			if (refusal) {
				// httpx inflates whatever this header names; without it the compressed bytes stay raw (and bounded).
				delete res.headers['content-encoding'];
				this.fail(refusal);
			}
		});
	}
}
