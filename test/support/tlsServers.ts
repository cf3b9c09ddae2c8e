// TLS failures made honestly on 127.0.0.1 for the tests of core/tlsFailure.ts: a server whose configuration Node
// cannot agree with, and a middlebox that damages one encrypted record of the server's first flight.
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { selfSignedCertificate } from './selfSignedCertificate';

export interface LocalServer {
	/** `127.0.0.1:<port>` */
	host: string;
	/** TCP connections accepted so far. */
	connections: number;
	close(): Promise<void>;
}

async function listen(server: net.Server, count: () => number): Promise<LocalServer> {
	const sockets = new Set<net.Socket>();
	server.on('connection', (socket: net.Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
		get connections() {
			return count();
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				sockets.forEach((socket) => socket.destroy());
			}),
	};
}

/** An HTTPS server with `options` on top of a self-signed certificate (e.g. a TLS version or cipher Node refuses). */
export async function httpsServer(
	options: https.ServerOptions,
	handler: http.RequestListener = (req, res) => {
		req.resume();
		res.end();
	},
): Promise<LocalServer> {
	const server = https.createServer({ ...(await selfSignedCertificate()), ...options }, handler);
	let connections = 0;
	server.on('connection', () => connections++);
	return listen(server, () => connections);
}

/**
 * Relays every connection to `upstream` (a TLS server) and flips the first byte of the first encrypted record the server
 * sends (TLS 1.3: its EncryptedExtensions), as a faulty middlebox would: the client cannot decrypt it. Only the first
 * `damaging` connections are damaged (default: all); the later ones are relayed as they are.
 */
export async function damagingMiddlebox(upstream: LocalServer, damaging = Infinity): Promise<LocalServer> {
	const [upstreamHost, upstreamPort] = upstream.host.split(':');
	let connections = 0;
	const server = net.createServer((client) => {
		connections++;
		const server = net.connect(Number(upstreamPort), upstreamHost);
		client.pipe(server);
		client.on('error', () => server.destroy());
		server.on('error', () => client.destroy());
		server.on('close', () => client.destroy());
		let pending = Buffer.alloc(0);
		let damaged = connections > damaging;
		server.on('data', (chunk: Buffer) => {
			if (damaged) {
				client.write(chunk);
				return;
			}
			pending = Buffer.concat([pending, chunk]);
			// Whole records only: type (1 byte), version (2), length (2), then the body.
			let offset = 0;
			while (!damaged && offset + 5 <= pending.length) {
				const end = offset + 5 + pending.readUInt16BE(offset + 3);
				if (end > pending.length) {
					break;
				}
				if (pending[offset] === 23) {
					pending[offset + 5] ^= 0xff;
					damaged = true;
				}
				offset = end;
			}
			const whole = damaged ? pending.length : offset;
			client.write(pending.subarray(0, whole));
			pending = pending.subarray(whole);
		});
	});
	return listen(server, () => connections);
}

/** A plain-HTTP server (it answers a TLS ClientHello with 400 Bad Request), as on a port that does not speak TLS. */
export async function plainHttpServer(): Promise<LocalServer> {
	let connections = 0;
	const server = http.createServer((_req, res) => res.end());
	server.on('connection', () => connections++);
	return listen(server, () => connections);
}
