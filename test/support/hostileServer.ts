// A local server (127.0.0.1, free port) that answers every request the way a hostile endpoint or proxy would: an
// endless body, a gzip bomb, a byte now and then, huge headers, or a CONNECT that never completes. It reads each
// request whole first (headers and Content-Length body), records it, and counts its connections and what it sent.
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createGzip } from 'node:zlib';

export type HostileMode =
	/** 200 with a JSON-looking body that never ends (sent as fast as the client reads, up to `endlessLimit`). */
	| 'endless'
	/** 200, Content-Encoding: gzip, a small body that inflates to `bombBytes` of zeros. */
	| 'gzipBomb'
	/** 200 with a Content-Length of 1,000 (within every limit), then one byte every `trickleMs`. */
	| 'trickle'
	/** A status line followed by 1 MiB of headers. */
	| 'hugeHeaders'
	/** A status line, then one header byte every `trickleMs`: the headers never end. */
	| 'trickleHeaders'
	/** As a proxy: a CONNECT is answered one byte every `trickleMs`, never completing. */
	| 'connectTrickle';

export interface HostileOptions {
	endlessLimit?: number;
	bombBytes?: number;
	trickleMs?: number;
	status?: number;
}

export interface HostileRequest {
	head: string;
	headers: Record<string, string>;
}

export interface HostileServer {
	url: string;
	port: number;
	requests: HostileRequest[];
	/** Bytes written to each connection, in accept order. */
	sent: number[];
	/** Resolves once `count` connections have been closed (by either side). */
	closed(count: number): Promise<void>;
	close(): Promise<void>;
}

const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** gzip of `bytes` zeros, made in pieces so the test process never holds them. */
export async function gzipBomb(bytes: number): Promise<Buffer> {
	const gzip = createGzip({ level: 9 });
	const out: Buffer[] = [];
	gzip.on('data', (chunk: Buffer) => out.push(chunk));
	const zeros = Buffer.alloc(1024 * 1024);
	for (let written = 0; written < bytes; written += zeros.length) {
		if (!gzip.write(zeros)) {
			await once(gzip, 'drain');
		}
	}
	gzip.end();
	await once(gzip, 'end');
	return Buffer.concat(out);
}

function parseHead(head: string): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const line of head.split('\r\n').slice(1)) {
		const colon = line.indexOf(':');
		if (colon > 0) {
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
	}
	return headers;
}

export async function startHostileServer(mode: HostileMode, opts: HostileOptions = {}): Promise<HostileServer> {
	const trickleMs = opts.trickleMs ?? 50;
	const bomb = mode === 'gzipBomb' ? await gzipBomb(opts.bombBytes ?? 256 * 1024 * 1024) : Buffer.alloc(0);
	const requests: HostileRequest[] = [];
	const sent: number[] = [];
	let closedCount = 0;
	const closeWaiters: Array<{ count: number; resolve: () => void }> = [];
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();
	const status = `HTTP/1.1 ${opts.status ?? 200} OK\r\n`;

	const answer = (socket: Socket, index: number): void => {
		const write = (data: string | Buffer): boolean => {
			sent[index] += Buffer.byteLength(data);
			return socket.write(data);
		};
		const trickle = (byte: string): void => {
			const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : write(byte)), trickleMs);
			timers.add(timer);
			socket.once('close', () => clearInterval(timer));
		};
		switch (mode) {
			case 'endless': {
				const limit = opts.endlessLimit ?? 256 * 1024 * 1024;
				write(`${status}Content-Type: application/json\r\nConnection: close\r\n\r\n{"RequestId":"`);
				const pump = (): void => {
					while (!socket.destroyed && sent[index] < limit) {
						if (!write(CHUNK)) {
							socket.once('drain', pump);
							return;
						}
					}
				};
				pump();
				return;
			}
			case 'gzipBomb':
				write(`${status}Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: ${bomb.length}\r\n\r\n`);
				write(bomb);
				return;
			case 'trickle':
				write(`${status}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n`);
				trickle(' ');
				return;
			case 'hugeHeaders':
				write(status);
				for (let i = 0; i < 16; i++) {
					write(`X-Junk-${i}: ${'a'.repeat(64 * 1024)}\r\n`);
				}
				write('Content-Length: 2\r\n\r\n{}');
				return;
			case 'trickleHeaders':
				write(`${status}X-Slow: `);
				trickle('a');
				return;
			case 'connectTrickle':
				trickle('H');
				return;
		}
	};

	const server: Server = createServer((socket) => {
		const index = sent.push(0) - 1;
		sockets.add(socket);
		socket.on('error', () => undefined);
		socket.once('close', () => {
			sockets.delete(socket);
			closedCount++;
			for (const waiter of closeWaiters.filter((w) => closedCount >= w.count)) {
				closeWaiters.splice(closeWaiters.indexOf(waiter), 1);
				waiter.resolve();
			}
		});
		let buffered = Buffer.alloc(0);
		let answered = false;
		socket.on('data', (chunk: Buffer) => {
			if (answered) {
				return;
			}
			buffered = Buffer.concat([buffered, chunk]);
			const end = buffered.indexOf('\r\n\r\n');
			if (end < 0) {
				return;
			}
			const head = buffered.subarray(0, end).toString('latin1');
			const headers = parseHead(head);
			const bodyLength = Number(headers['content-length'] ?? 0);
			if (mode !== 'connectTrickle' && buffered.length - end - 4 < bodyLength) {
				return;
			}
			answered = true;
			buffered = Buffer.alloc(0);
			requests.push({ head, headers });
			answer(socket, index);
		});
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		sent,
		closed: (count) =>
			new Promise((resolve) => {
				if (closedCount >= count) {
					resolve();
				} else {
					closeWaiters.push({ count, resolve });
				}
			}),
		close: async () => {
			for (const timer of timers) {
				clearInterval(timer);
			}
			for (const socket of sockets) {
				socket.destroy();
			}
			server.close();
			await once(server, 'close');
		},
	};
}
