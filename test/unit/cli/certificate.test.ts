// A corporate proxy or a private CA: the endpoint presents a certificate Node does not trust. The CLI fails at once (a
// retry cannot fix a certificate) with its own message and the hint to trust the CA, and that hint works.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CERTIFICATE_HINTS } from '../../../src/core/certificateTrust';
import { EXIT_REMOTE } from '../../../src/cli/io';
import { selfSignedCertificate } from '../../support/selfSignedCertificate';
import { buildCli, cleanEnv, parseJsonOutput, runCli, tempDir } from './cliHarness';

void describe('iot-ota against an endpoint with a self-signed certificate', () => {
	let cli: Awaited<ReturnType<typeof buildCli>>;
	let work: string;
	let server: https.Server;
	let endpoint: string;
	let caPath: string;
	let connections = 0;
	let requests = 0;

	before(async () => {
		work = tempDir('iot-ota-cli-certificate-');
		const { cert, key } = await selfSignedCertificate();
		caPath = path.join(work, 'ca.pem');
		writeFileSync(caPath, cert);
		server = https.createServer({ cert, key }, (req, res) => {
			requests++;
			req.resume();
			res.writeHead(403, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ Code: 'Forbidden.RAM', Message: 'User not authorized to operate.', RequestId: 'R-TLS' }));
		});
		server.on('connection', () => connections++);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
		cli = await buildCli();
	});

	after(async () => {
		server?.closeAllConnections();
		await new Promise((resolve) => server?.close(resolve));
		cli?.dispose();
		rmSync(work, { recursive: true, force: true });
	});

	const run = (extra: NodeJS.ProcessEnv = {}) =>
		runCli(cli.cliPath, ['list', '--endpoint', endpoint, '--json'], {
			env: cleanEnv(path.join(work, 'home'), {
				ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tCertificateTest',
				ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'CertificateTestSecret0123456789',
				...extra,
			}),
			cwd: work,
		});

	void test('fails once, with the remote exit code, the certificate message and the NODE_EXTRA_CA_CERTS hint', async () => {
		connections = 0;
		const result = await run();
		assert.equal(result.code, EXIT_REMOTE, `${result.stdout}\n${result.stderr}`);
		const { error } = parseJsonOutput(result) as { error: { code: string; message: string } };
		assert.equal(error.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
		assert.equal(
			error.message,
			`ListOTAFirmware: the TLS certificate of ${endpoint} is not trusted: self-signed certificate. ${CERTIFICATE_HINTS.issuer}`,
		);
		assert.match(CERTIFICATE_HINTS.issuer, /NODE_EXTRA_CA_CERTS=\/path\/to\/ca\.pem/);
		assert.equal(connections, 1, 'one connection: no retry');
		assert.equal(requests, 0);
	});

	void test('with NODE_EXTRA_CA_CERTS naming the CA, as the hint says, the same command reaches the endpoint', async () => {
		const result = await run({ NODE_EXTRA_CA_CERTS: caPath });
		assert.equal(requests, 1, `${result.stdout}\n${result.stderr}`);
		const { error } = parseJsonOutput(result) as { error: { code: string } };
		assert.equal(error.code, 'Forbidden.RAM');
	});
});
