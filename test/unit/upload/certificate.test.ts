// OSS (or a proxy in its place) presents a certificate Node does not trust: the upload fails after one attempt, on one
// connection, with the certificate reason and hint the IoT calls give (one classification: core/certificateTrust.ts).
import assert from 'node:assert/strict';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { CERTIFICATE_HINTS, CERTIFICATE_UNTRUSTED } from '../../../src/core/certificateTrust';
import { OtaError, UPLOAD_FAILED } from '../../../src/core/errors';
import { mapPopError } from '../../../src/core/iot/popErrors';
import { postDeviceList } from '../../../src/core/lifecycle/deviceList';
import { uploadFirmware } from '../../../src/core/uploader';
import { selfSignedCertificate } from '../../support/selfSignedCertificate';
import { FakeTickets, patternBytes, scratchDir, ticketFor } from './stubOss';

const scratch = scratchDir();
after(() => scratch.cleanup());

void describe('an upload to a host with a self-signed certificate', () => {
	let server: https.Server;
	let host: string;
	let connections = 0;
	let requests = 0;

	before(async () => {
		server = https.createServer(await selfSignedCertificate(), (req, res) => {
			requests++;
			req.resume();
			res.end();
		});
		server.on('connection', () => connections++);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	after(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});

	void test('fails after one attempt with the certificate reason, not retryable, and the CLI hint', async () => {
		const tickets = new FakeTickets(`https://${host}`);
		const firmware = scratch.file('app.bin', patternBytes(64 * 1024, 3));
		const error = await uploadFirmware(tickets, firmware, { retry: { baseDelayMs: 1, maxDelayMs: 5 } }).then(
			() => assert.fail('the upload passed'),
			(e: unknown) => e,
		);
		assert.ok(error instanceof OtaError);
		assert.equal(error.reason?.code, UPLOAD_FAILED);
		assert.equal(error.reason?.values.attempts, 1);
		const cause = error.cause;
		assert.ok(cause instanceof OtaError);
		assert.equal(cause.reason?.code, CERTIFICATE_UNTRUSTED);
		assert.equal(cause.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
		assert.equal(cause.retryable, false);
		assert.equal(cause.message, `PostObject: the TLS certificate of ${host} is not trusted: self-signed certificate.`);
		assert.equal(error.hint, CERTIFICATE_HINTS.issuer);
		assert.equal(tickets.issued.length, 1);
		assert.equal(connections, 1);
		assert.equal(requests, 0);
	});

	void test("a job's device list posted there fails the same way: the certificate reason and hint, not retryable", async () => {
		const ticket = { ...ticketFor(`https://${host}`, 1, 'bin'), accessKeyId: 'LTAIdevicelist', fileUrl: `https://${host}/list.csv` };
		const error = await postDeviceList(ticket, ['dev1'], { env: {} }).then(
			() => assert.fail('the device list was posted'),
			(e: unknown) => e,
		);
		assert.ok(error instanceof OtaError);
		assert.equal(error.reason?.code, CERTIFICATE_UNTRUSTED);
		assert.equal(error.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
		assert.equal(error.retryable, false);
		assert.equal(error.message, `PostObject: the TLS certificate of ${host} is not trusted: self-signed certificate.`);
		assert.equal(error.hint, CERTIFICATE_HINTS.issuer);
	});
});

// A reset before the handshake ends (a flaky network or proxy) says nothing about the certificate: it stays a network
// failure that is retried, in the upload and in the IoT calls.
void describe('a TLS handshake cut by the server', () => {
	let server: net.Server;
	let host: string;
	let connections = 0;

	before(async () => {
		server = net.createServer((socket) => {
			connections++;
			socket.resetAndDestroy();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
	});

	after(() => new Promise((resolve) => server.close(resolve)));

	void test('the upload is retried: every attempt connects, and the last error is the reset', async () => {
		connections = 0;
		const tickets = new FakeTickets(`https://${host}`);
		const firmware = scratch.file('reset.bin', patternBytes(1024, 5));
		const error = await uploadFirmware(tickets, firmware, { maxAttempts: 3, retry: { baseDelayMs: 1, maxDelayMs: 5 } }).then(
			() => assert.fail('the upload passed'),
			(e: unknown) => e,
		);
		assert.ok(error instanceof OtaError);
		assert.equal(error.reason?.values.attempts, 3);
		assert.ok(error.cause instanceof OtaError);
		assert.equal(error.cause.code, 'ECONNRESET');
		assert.equal(error.cause.retryable, true);
		assert.equal(error.cause.reason?.code, 'upload-network');
		assert.equal(connections, 3);
	});

	void test('an IoT call that meets it fails as unreachable and retryable, not as an untrusted certificate', async () => {
		const failure = await new Promise<Error>((resolve) =>
			https.get(`https://${host}/`, () => assert.fail('answered')).on('error', resolve),
		);
		const error = mapPopError(failure, { action: 'ListOTAFirmware', endpoint: `https://${host}`, secrets: [], timeoutMs: 30_000 });
		assert.equal(error.code, 'ECONNRESET');
		assert.equal(error.retryable, true);
		assert.equal(error.reason?.code, 'endpoint-unreachable');
	});
});
