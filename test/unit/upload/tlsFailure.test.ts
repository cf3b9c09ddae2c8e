// One classification of TLS failures (core/tlsFailure.ts) for the upload, the IoT calls and a job's device list: a
// record damaged on the way is retried, a configuration the two ends cannot agree on is not and gets its own hint.
// The failures are real ones on 127.0.0.1 where Node can be made to produce them; the rest are Node-shaped errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CERTIFICATE_UNTRUSTED } from '../../../src/core/certificateTrust';
import { OtaError, UPLOAD_FAILED } from '../../../src/core/errors';
import { IotClient } from '../../../src/core/iotClient';
import { postDeviceList } from '../../../src/core/lifecycle/deviceList';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { classifyTlsFailure, TLS_CONFIGURATION_HINTS, TLS_MISCONFIGURED, type TlsMisconfiguration } from '../../../src/core/tlsFailure';
import { TRANSIENT_TLS_HINT } from '../../../src/core/upload/postObject';
import { uploadFirmware } from '../../../src/core/uploader';
import { damagingMiddlebox, httpsServer, type LocalServer, plainHttpServer } from '../../support/tlsServers';
import { FakeTickets, patternBytes, scratchDir, ticketFor } from './stubOss';

const scratch = scratchDir();
after(() => scratch.cleanup());

const BAD_RECORD_MAC = 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC';

void describe('classifyTlsFailure on the errors Node reports', () => {
	const classify = (code: string | undefined, message = '') => classifyTlsFailure({ code, message });

	void test('record errors, in the code or only in an EPROTO message, are transient', () => {
		assert.deepEqual(classify('ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC'), { kind: 'transient', code: 'ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC' });
		assert.deepEqual(classify(BAD_RECORD_MAC), { kind: 'transient', code: BAD_RECORD_MAC });
		assert.deepEqual(
			classify(
				'EPROTO',
				'write EPROTO 80FC2ADBE37F0000:error:0A000119:SSL routines:ssl3_get_record:decryption failed or bad record mac:../deps/openssl/openssl/ssl/record/ssl3_record.c:616:\n',
			),
			{ kind: 'transient', code: BAD_RECORD_MAC },
		);
		assert.deepEqual(classify('ERR_TLS_HANDSHAKE_TIMEOUT'), { kind: 'transient', code: 'ERR_TLS_HANDSHAKE_TIMEOUT' });
		// A TLS code in neither list: retried (the reason is in docs/protocols.md §12.1).
		assert.deepEqual(classify('ERR_SSL_SOMETHING_NEW'), { kind: 'transient', code: 'ERR_SSL_SOMETHING_NEW' });
	});

	void test('cipher, version, plain-HTTP and client refusals are configuration, as OpenSSL 3 words them without a function too', () => {
		const wrongVersion = 'C0E7A3F1:error:0A00010B:SSL routines::wrong version number:ssl/record/ssl3_record.c:354:';
		const badCertificate =
			'error:0A000412:SSL routines::sslv3 alert bad certificate:ssl/record/rec_layer_s3.c:1605:SSL alert number 42';
		const cases: Array<[string | undefined, string, TlsMisconfiguration, string]> = [
			['ERR_SSL_NO_SHARED_CIPHER', '', 'cipher', 'ERR_SSL_NO_SHARED_CIPHER'],
			['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', '', 'cipher', 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'],
			['ERR_SSL_UNSUPPORTED_PROTOCOL', '', 'protocol-version', 'ERR_SSL_UNSUPPORTED_PROTOCOL'],
			['ERR_SSL_NO_PROTOCOLS_AVAILABLE', '', 'protocol-version', 'ERR_SSL_NO_PROTOCOLS_AVAILABLE'],
			['EPROTO', wrongVersion, 'plain-http', 'ERR_SSL_WRONG_VERSION_NUMBER'],
			// The peer's alerts about this client: a retry sends the same handshake and gets the same alert.
			['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', '', 'client-refused', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'],
			['ERR_SSL_TLSV1_ALERT_ACCESS_DENIED', '', 'client-refused', 'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED'],
			['EPROTO', badCertificate, 'client-refused', 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE'],
		];
		for (const [code, message, problem, expected] of cases) {
			assert.deepEqual(
				classifyTlsFailure({ code, message }),
				{ kind: 'configuration', code: expected, problem },
				`${code} ${message}`,
			);
		}
	});

	void test("the reason is read from the error line of OpenSSL 1.1 (Node 16), OpenSSL 3 and BoringSSL (VS Code's Electron)", () => {
		const lines: Array<[string, string]> = [
			[
				'write EPROTO 140245003011968:error:1408F10B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:332:\n',
				'ERR_SSL_WRONG_VERSION_NUMBER',
			],
			[
				'write EPROTO 80FC2ADBE37F0000:error:0A000102:SSL routines::unsupported protocol:ssl/statem/statem_lib.c:1990:\n',
				'ERR_SSL_UNSUPPORTED_PROTOCOL',
			],
			['write EPROTO error:1000010b:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER', 'ERR_SSL_WRONG_VERSION_NUMBER'],
			[
				'write EPROTO error:10000410:SSL routines:OPENSSL_internal:SSLV3_ALERT_HANDSHAKE_FAILURE',
				'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
			],
		];
		for (const [message, code] of lines) {
			assert.equal(classify('EPROTO', message)?.code, code, message);
		}
		assert.deepEqual(classify('EPROTO', lines[2][0]), {
			kind: 'configuration',
			code: 'ERR_SSL_WRONG_VERSION_NUMBER',
			problem: 'plain-http',
		});
	});

	void test("Node's host-name check and OpenSSL's verify errors are certificate failures; other errors are no TLS failure", () => {
		assert.deepEqual(classify('ERR_TLS_CERT_ALTNAME_INVALID'), {
			kind: 'certificate',
			code: 'ERR_TLS_CERT_ALTNAME_INVALID',
			flaw: 'host-name',
		});
		assert.deepEqual(classify('CERT_HAS_EXPIRED'), { kind: 'certificate', code: 'CERT_HAS_EXPIRED', flaw: 'validity' });
		assert.equal(classify('ECONNRESET', 'socket hang up'), undefined);
		assert.equal(classify('EPROTO', 'write EPROTO'), undefined);
		assert.equal(classify(undefined, 'error:0A00010B:Provider routines::wrong version number'), undefined);
	});
});

/** A client of the IoT API at `host` over https, three attempts as fast as the retry allows. */
function iotClient(host: string): IotClient {
	return new IotClient({
		region: 'cn-shanghai',
		endpoint: `https://${host}`,
		credentials: { accessKeyId: 'LTAItls', accessKeySecret: 'tlsTestSecret' },
		limiter: new RateLimiter({ perSecond: 1000 }),
		retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
		env: {},
	});
}

async function failure(run: () => Promise<unknown>): Promise<OtaError> {
	const error = await run().then(
		() => assert.fail('it passed'),
		(e: unknown) => e,
	);
	assert.ok(error instanceof OtaError, String(error));
	return error;
}

const upload = (host: string, tickets = new FakeTickets(`https://${host}`)) =>
	failure(() =>
		uploadFirmware(tickets, scratch.file('app.bin', patternBytes(64 * 1024, 7)), {
			maxAttempts: 3,
			retry: { baseDelayMs: 1, maxDelayMs: 5 },
		}),
	);

const deviceList = (host: string) =>
	failure(() =>
		postDeviceList(
			{ ...ticketFor(`https://${host}`, 1, 'bin'), accessKeyId: 'LTAIdevicelist', fileUrl: `https://${host}/l.csv` },
			['d1'],
			{
				env: {},
			},
		),
	);

function assertMisconfigured(error: OtaError, problem: TlsMisconfiguration, code: string, action: string): void {
	assert.equal(error.reason?.code, TLS_MISCONFIGURED, error.describe());
	assert.equal(error.code, code);
	assert.equal(error.retryable, false);
	assert.equal(error.hint, TLS_CONFIGURATION_HINTS[problem]);
	assert.equal(error.reason?.values.problem, problem);
	assert.equal(error.reason?.values.action, action);
}

void describe('an https client on a port that speaks plain HTTP', () => {
	let server: LocalServer;
	before(async () => (server = await plainHttpServer()));
	after(() => server.close());

	void test('the upload fails after one attempt: wrong version number, the scheme-and-port hint', async () => {
		const before = server.connections;
		const tickets = new FakeTickets(`https://${server.host}`);
		const error = await upload(server.host, tickets);
		assert.equal(error.reason?.code, UPLOAD_FAILED);
		assert.equal(error.reason?.values.attempts, 1);
		assert.ok(error.cause instanceof OtaError);
		assertMisconfigured(error.cause, 'plain-http', 'ERR_SSL_WRONG_VERSION_NUMBER', 'PostObject');
		assert.equal(error.cause.message, `PostObject: no TLS connection to ${server.host}: wrong version number.`);
		assert.equal(error.hint, "The endpoint does not speak HTTPS on that port: check the endpoint's scheme and port.");
		assert.equal(tickets.issued.length, 1);
		assert.equal(server.connections - before, 1);
	});

	void test('an IoT call fails once, not retried, with the same classification', async () => {
		const before = server.connections;
		const error = await failure(() => iotClient(server.host).queryOtaFirmware('F-1'));
		assertMisconfigured(error, 'plain-http', 'ERR_SSL_WRONG_VERSION_NUMBER', 'QueryOTAFirmware');
		assert.equal(server.connections - before, 1);
	});

	void test("a job's device list fails the same way", async () => {
		assertMisconfigured(await deviceList(server.host), 'plain-http', 'ERR_SSL_WRONG_VERSION_NUMBER', 'PostObject');
	});
});

void describe('an https server that shares no cipher suite with Node (TLS 1.2, RSA suites only, an EC key)', () => {
	let server: LocalServer;
	before(async () => (server = await httpsServer({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' })));
	after(() => server.close());

	void test('the upload and an IoT call fail at once with the cipher hint (the server sent a handshake_failure alert)', async () => {
		const before = server.connections;
		const error = await upload(server.host);
		assert.ok(error.cause instanceof OtaError);
		assertMisconfigured(error.cause, 'cipher', 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'PostObject');
		assertMisconfigured(
			await failure(() => iotClient(server.host).queryOtaFirmware('F-1')),
			'cipher',
			'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
			'QueryOTAFirmware',
		);
		assert.equal(server.connections - before, 2);
	});
});

void describe('an https server that only speaks TLS 1.1 and older', () => {
	let server: LocalServer;
	before(async () => (server = await httpsServer({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' })));
	after(() => server.close());

	void test('an IoT call and the device list fail at once with the protocol-version hint', async () => {
		const before = server.connections;
		const code = 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION';
		assertMisconfigured(
			await failure(() => iotClient(server.host).queryOtaFirmware('F-1')),
			'protocol-version',
			code,
			'QueryOTAFirmware',
		);
		assertMisconfigured(await deviceList(server.host), 'protocol-version', code, 'PostObject');
		assert.equal(server.connections - before, 2);
	});
});

void describe('a middlebox that damages an encrypted record of every handshake', () => {
	let upstream: LocalServer;
	let middlebox: LocalServer;
	before(async () => {
		upstream = await httpsServer({});
		middlebox = await damagingMiddlebox(upstream);
	});
	after(async () => {
		await middlebox.close();
		await upstream.close();
	});

	void test('the upload is retried: every attempt connects, the last error is the bad record MAC with its hint', async () => {
		const before = middlebox.connections;
		const tickets = new FakeTickets(`https://${middlebox.host}`);
		const error = await upload(middlebox.host, tickets);
		assert.equal(error.reason?.values.attempts, 3);
		assert.ok(error.cause instanceof OtaError);
		assert.equal(error.cause.code, BAD_RECORD_MAC);
		assert.equal(error.cause.retryable, true);
		assert.equal(error.cause.reason?.code, 'upload-network');
		assert.equal(error.cause.reason?.values.tls, 'transient');
		assert.equal(error.hint, TRANSIENT_TLS_HINT);
		assert.equal(tickets.issued.length, 3);
		assert.equal(middlebox.connections - before, 3);
	});

	void test('an IoT call is retried as unreachable, not refused as a certificate or configuration', async () => {
		const before = middlebox.connections;
		const error = await failure(() => iotClient(middlebox.host).queryOtaFirmware('F-1'));
		assert.equal(error.code, BAD_RECORD_MAC);
		assert.equal(error.retryable, true);
		assert.equal(error.reason?.code, 'endpoint-unreachable');
		assert.equal(middlebox.connections - before, 3);
	});

	void test("a job's device list fails retryable (its caller's retry decides), not as a certificate", async () => {
		const error = await deviceList(middlebox.host);
		assert.equal(error.code, BAD_RECORD_MAC);
		assert.equal(error.retryable, true);
		assert.notEqual(error.reason?.code, CERTIFICATE_UNTRUSTED);
	});
});
