// A tiny 127.0.0.1 HTTP server standing in for the IoT gateway: records every request
// (method, path, headers, merged query+form parameters) and answers with scripted bodies.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
	method: string;
	path: string;
	search: string;
	headers: IncomingHttpHeaders;
	body: string;
	params: Record<string, string>;
	/** Resolves when the client's connection for this request closes. */
	connectionClosed: Promise<void>;
}

export type StubReply = { status?: number; json: unknown } | { status?: number; text: string; contentType?: string } | 'hang' | 'destroy';

export interface Stub {
	url: string;
	requests: CapturedRequest[];
	/** Resolves when the n-th request (1-based) has arrived. */
	received(n: number): Promise<CapturedRequest>;
	close(): Promise<void>;
}

/** `reply` may answer later (a promise): the request stays open until then. */
export async function startStub(reply: (req: CapturedRequest, index: number) => StubReply | Promise<StubReply>): Promise<Stub> {
	const requests: CapturedRequest[] = [];
	const waiters: Array<{ n: number; resolve: (r: CapturedRequest) => void }> = [];
	const hanging = new Set<ServerResponse>();
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		const connectionClosed = new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://stub');
			const body = Buffer.concat(chunks).toString('utf8');
			const params: Record<string, string> = Object.fromEntries(url.searchParams);
			if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
				Object.assign(params, Object.fromEntries(new URLSearchParams(body)));
			}
			const captured: CapturedRequest = {
				method: req.method ?? '',
				path: url.pathname,
				search: url.search,
				headers: req.headers,
				body,
				params,
				connectionClosed,
			};
			requests.push(captured);
			for (const waiter of waiters.filter((w) => w.n <= requests.length)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve(requests[waiter.n - 1]);
			}
			const answered = reply(captured, requests.length);
			const send = (answer: StubReply): void => {
				if (answer === 'hang') {
					hanging.add(res);
					return;
				}
				if (answer === 'destroy') {
					req.socket.destroy();
					return;
				}
				const isJson = 'json' in answer;
				const payload = isJson ? JSON.stringify(answer.json) : answer.text;
				const contentType = isJson ? 'application/json;charset=utf-8' : (answer.contentType ?? 'text/html');
				res.writeHead(answer.status ?? 200, { 'content-type': contentType });
				res.end(payload);
			};
			if (answered instanceof Promise) {
				hanging.add(res);
				void answered.then(send);
			} else {
				send(answered);
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		received: (n) =>
			new Promise((resolve) => {
				if (requests.length >= n) {
					resolve(requests[n - 1]);
				} else {
					waiters.push({ n, resolve });
				}
			}),
		close: () =>
			new Promise<void>((resolve) => {
				for (const res of hanging) {
					res.destroy();
				}
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** Independent implementation of the POP RPC signature (docs/protocols.md §1.3–1.4), to check what pop-core sent. */
export function popSignature(method: string, params: Record<string, string>, secret: string): string {
	const encode = (s: string): string =>
		encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	const canonical = Object.keys(params)
		.filter((k) => k !== 'Signature')
		.sort()
		.map((k) => `${encode(k)}=${encode(params[k])}`)
		.join('&');
	const stringToSign = `${method}&${encode('/')}&${encode(canonical)}`;
	return createHmac('sha1', `${secret}&`).update(stringToSign, 'utf8').digest('base64');
}

export const okBody = (extra: Record<string, unknown> = {}): { json: unknown } => ({
	json: { RequestId: 'REQ-OK', Success: true, ...extra },
});
