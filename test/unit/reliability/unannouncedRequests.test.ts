// Should a runtime stop announcing client requests (Node's `http.client.request.start` channel, docs/protocols.md
// §14.2), the API answer guards go unwatched: the client then warns once (naming what is not bounded) and still refuses
// an answer whose declared length is past the limit once it is read. A client whose requests are announced warns not.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { type RequestAnnouncer, UNWATCHED_WARNING } from '../../../src/core/iot/answerGuard';
import { IotClient } from '../../../src/core/iotClient';
import type { Logger } from '../../../src/core/logger';
import { RESPONSE_LIMITS } from '../../../src/core/responseBounds';

/** Answers DeleteOTAFirmware with a small success, or for `F-big` with a success declared (and sent) past the limit. */
function answer(req: http.IncomingMessage, res: http.ServerResponse): void {
	let body = '';
	req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
	req.on('end', () => {
		const id = new URLSearchParams(body).get('FirmwareId');
		const padding = id === 'F-big' ? 'x'.repeat(RESPONSE_LIMITS.apiAnswerBytes + 1) : id;
		const json = Buffer.from(JSON.stringify({ RequestId: padding, Success: true }));
		res.writeHead(200, { 'content-type': 'application/json', 'content-length': json.length }).end(json);
	});
}

function recordingLogger(): Logger & { warnings: string[] } {
	const warnings: string[] = [];
	const ignore = (): void => undefined;
	return { warnings, trace: ignore, debug: ignore, info: ignore, error: ignore, warn: (message) => warnings.push(message) };
}

void describe('API answer bounds when requests are not announced', () => {
	const server = http.createServer(answer);
	let url = '';
	before(async () => {
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	after(() => {
		server.closeAllConnections();
		server.close();
	});

	const clientOf = (logger: Logger, requestAnnouncer?: RequestAnnouncer): IotClient =>
		new IotClient({
			region: 'cn-shanghai',
			endpoint: url,
			credentials: { accessKeyId: 'LTAIunannounced', accessKeySecret: 'unannounced-secret' },
			timeoutMs: 30_000,
			env: {},
			logger,
			requestAnnouncer,
		});

	void test('a client whose requests Node announces logs no warning', async () => {
		const logger = recordingLogger();
		const client = clientOf(logger);
		await client.deleteOtaFirmware('F-1');
		await client.deleteOtaFirmware('F-2');
		assert.deepEqual(logger.warnings, []);
	});

	void test('a client whose requests are never announced warns once for two calls, naming what is not bounded', async () => {
		const silent: RequestAnnouncer = () => undefined;
		const logger = recordingLogger();
		const client = clientOf(logger, silent);
		await client.deleteOtaFirmware('F-1');
		await client.deleteOtaFirmware('F-2');
		assert.deepEqual(logger.warnings, [UNWATCHED_WARNING]);
		assert.match(UNWATCHED_WARNING, /not counted as they arrive/);
		assert.match(UNWATCHED_WARNING, /compressed answer/);
		const another = recordingLogger();
		await clientOf(another, silent).deleteOtaFirmware('F-3');
		assert.deepEqual(another.warnings, [], 'one warning per announcer, so one per process with Node’s');
	});

	void test('an unannounced answer declared past the limit is still refused once read', async () => {
		const client = clientOf(recordingLogger(), () => undefined);
		const error = await client.deleteOtaFirmware('F-big').then(
			() => assert.fail('an answer past the limit was accepted'),
			(e: unknown) => e,
		);
		assert.ok(error instanceof OtaError, String(error));
		assert.equal(error.code, 'ResponseTooLarge');
	});
});
