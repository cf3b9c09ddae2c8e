// Each API attempt's answer bounds find their own request (docs/protocols.md §14.2): a request on a kept-alive
// connection is watched like one on a fresh connection, and of two requests in flight at once each answer is judged by
// its own guard (the endless one refused, the small one answered); a request watched before it has a socket (should
// Node announce requests earlier, as its newer `http.client.request.created` does) is watched once it gets one. No
// timing is asserted: only codes and counts.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { AnswerGuard } from '../../../src/core/iot/answerGuard';
import { IotClient } from '../../../src/core/iotClient';
import { withDeadline } from '../../support/reliability';

const CHUNK = Buffer.alloc(64 * 1024, 'x');

interface Endpoint {
	url: string;
	/** The FirmwareId of each request, in arrival order. */
	asked: string[];
	connections: number;
	close(): Promise<void>;
}

/**
 * An endpoint on 127.0.0.1 that answers DeleteOTAFirmware for `F-ok` with a small success and for `F-big` with a body
 * that never ends; it holds every answer until `together` requests have arrived, so they are in flight at once.
 */
async function endpoint(together = 1): Promise<Endpoint> {
	const asked: string[] = [];
	const waiting: Array<() => void> = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
		req.on('end', () => {
			const id = new URLSearchParams(body).get('FirmwareId') ?? '';
			asked.push(id);
			waiting.push(() => answer(id, res));
			if (waiting.length >= together) {
				waiting.splice(0).forEach((go) => go());
			}
		});
	});
	const answer = (id: string, res: http.ServerResponse): void => {
		if (id !== 'F-big') {
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ RequestId: `r-${id}`, Success: true }));
			return;
		}
		res.writeHead(200, { 'content-type': 'application/json' });
		res.write('{"RequestId":"');
		const pump = (): void => {
			let flowing = true;
			while (!res.destroyed && flowing) {
				flowing = res.write(CHUNK);
			}
			if (!res.destroyed) {
				res.once('drain', pump);
			}
		};
		res.on('error', () => undefined);
		pump();
	};
	const state = { connections: 0 };
	server.on('connection', () => state.connections++);
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		asked,
		get connections() {
			return state.connections;
		},
		close: () => {
			server.closeAllConnections();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

function clientOf(url: string, accessKeyId: string): IotClient {
	return new IotClient({
		region: 'cn-shanghai',
		endpoint: url,
		credentials: { accessKeyId, accessKeySecret: 'answer-secret' },
		timeoutMs: 10_000,
		env: {},
	});
}

async function refusalOf(call: Promise<unknown>, what: string): Promise<OtaError> {
	const error = await withDeadline(
		call.then(
			() => assert.fail(`${what} succeeded against an endless answer`),
			(e: unknown) => e,
		),
		60_000,
		what,
	);
	assert.ok(error instanceof OtaError, String(error));
	return error;
}

void describe('API answer bounds: each attempt watches its own request', () => {
	const endpoints: Endpoint[] = [];
	afterEach(async () => {
		await Promise.all(endpoints.splice(0).map((e) => e.close()));
	});

	void test('a request on a kept-alive connection is bounded like the first one on it', async () => {
		const server = await endpoint();
		endpoints.push(server);
		const client = clientOf(server.url, 'LTAIanswerKeepAlive');
		await withDeadline(client.deleteOtaFirmware('F-ok'), 60_000, 'the first call');
		const error = await refusalOf(client.deleteOtaFirmware('F-big'), 'the second call');
		assert.equal(error.code, 'ResponseTooLarge');
		assert.deepEqual(server.asked, ['F-ok', 'F-big']);
		assert.equal(server.connections, 1, 'the second request went over the connection the first one kept alive');
	});

	void test('of two requests in flight at once, the endless answer is refused and the small one is answered', async () => {
		const server = await endpoint(2);
		endpoints.push(server);
		const client = clientOf(server.url, 'LTAIanswerTogether');
		const big = refusalOf(client.deleteOtaFirmware('F-big'), 'the endless call');
		const small = withDeadline(client.deleteOtaFirmware('F-ok'), 60_000, 'the small call');
		const [error] = await Promise.all([big, small]);
		assert.equal(error.code, 'ResponseTooLarge', `${error.code}: the endless answer was judged by its own bound`);
		assert.deepEqual([...server.asked].sort(), ['F-big', 'F-ok']);
	});

	void test('a request watched before it has a socket counts the bytes of the socket it gets', async () => {
		const server = await endpoint();
		endpoints.push(server);
		const guard = new AnswerGuard({
			what: { kind: 'action-answer', name: 'DeleteOTAFirmware' },
			maxBytes: 1024 * 1024,
			deadlineMs: 20_000,
		});
		const { port } = new URL(server.url);
		const req = http.request({ host: '127.0.0.1', port, method: 'POST', agent: new http.Agent() });
		req.on('error', () => undefined).on('response', (res) => res.resume());
		assert.equal(req.socket, null, 'the request has no socket yet');
		guard.watch(req);
		req.end('FirmwareId=F-big');
		const error = await refusalOf(guard.run(new Promise<never>(() => undefined)), 'the endless answer');
		guard.finish(false);
		req.destroy();
		assert.equal(error.code, 'ResponseTooLarge');
	});
});
