// Where the firmware goes (issue #11 §5): the ticket's Host is checked by one core rule (src/core/uploadHost.ts) in
// IotClient, which both shells use: https://, or http:// between a loopback endpoint and a loopback Host (the local
// sandbox), or anything http when insecure endpoints were allowed; an Alibaba Cloud endpoint's Host under aliyuncs.com.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { IotClient } from '../../../src/core/iotClient';
import { checkUploadHost, type EndpointTrust } from '../../../src/core/uploadHost';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { signedUrl } from '../../support/ossDownload';
import { buildCli, cleanEnv, parseJsonOutput, runCli } from '../cli/cliHarness';
import { startStub, type Stub } from './stubServer';

const ALIBABA: EndpointTrust = { endpoint: 'https://iot.cn-shanghai.aliyuncs.com', allowInsecure: false };
const SANDBOX: EndpointTrust = { endpoint: 'http://127.0.0.1:40000', allowInsecure: false };
const PRIVATE: EndpointTrust = { endpoint: 'https://iot.private-cloud.example', allowInsecure: false };

const cases: Array<[string, EndpointTrust, string, string | undefined]> = [
	['the real OSS host', ALIBABA, 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com', undefined],
	['a Host without a scheme (https assumed)', ALIBABA, 'iotx-ota.oss-cn-shanghai.aliyuncs.com', undefined],
	['http:// from the Alibaba endpoint', ALIBABA, 'http://iotx-ota.oss-cn-shanghai.aliyuncs.com', 'InsecureUploadHost'],
	['another domain from the Alibaba endpoint', ALIBABA, 'https://oss.attacker.example', 'UntrustedUploadHost'],
	['a look-alike domain from the Alibaba endpoint', ALIBABA, 'https://aliyuncs.com.attacker.example', 'UntrustedUploadHost'],
	['the sandbox: loopback endpoint, loopback Host', SANDBOX, 'http://127.0.0.1:40001', undefined],
	['http:// elsewhere from a loopback endpoint', SANDBOX, 'http://attacker.example:8080', 'InsecureUploadHost'],
	['http:// to loopback from a remote endpoint', PRIVATE, 'http://127.0.0.1:8080', 'InsecureUploadHost'],
	['a private cloud naming its own https storage', PRIVATE, 'https://oss.private-cloud.example', undefined],
	['http:// when insecure endpoints were allowed', { ...PRIVATE, allowInsecure: true }, 'http://oss.private-cloud.example', undefined],
	['a user name in the Host', PRIVATE, 'https://user:pw@oss.private-cloud.example', 'InvalidUploadTicket'],
	['another scheme', PRIVATE, 'ftp://oss.private-cloud.example', 'InvalidUploadTicket'],
];

void describe('checkUploadHost: the one rule', () => {
	for (const [name, trust, host, code] of cases) {
		void test(`${name}: ${code ?? 'accepted'}`, () => {
			if (code === undefined) {
				assert.equal(checkUploadHost(host, trust).protocol.startsWith('http'), true);
			} else {
				assert.throws(
					() => checkUploadHost(host, trust),
					(e: unknown) => e instanceof OtaError && e.code === code,
				);
			}
		});
	}
});

void describe('IotClient and the CLI refuse a ticket whose Host would take the firmware in clear text', () => {
	let stub: Stub;
	let attacker: { port: number; connections: number; close(): void };
	let work: string;
	let cli: Awaited<ReturnType<typeof buildCli>>;

	before(async () => {
		const server = createServer((socket) => {
			attacker.connections++;
			socket.destroy();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		attacker = { port: (server.address() as { port: number }).port, connections: 0, close: () => server.close() };
		// A loopback endpoint (a local proxy, say) handing out a plain-http Host that is this machine but not on the loopback
		// list ([::ffff:127.0.0.1]), with an https FirmwareUrl that passes its own rule: without the Host rule the firmware
		// and the signed form would go there in clear text.
		stub = await startStub(() => ({
			json: {
				RequestId: 'R1',
				Data: {
					Key: 'ota/x/fw.bin',
					Host: `http://[::ffff:127.0.0.1]:${attacker.port}`,
					Policy: 'cG9saWN5',
					OSSAccessKeyId: 'LTAIx',
					Signature: 'c2ln',
					FirmwareUrl: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/x/fw.bin',
					ObjectStorage: 'OSS',
				},
			},
		}));
		work = mkdtempSync(path.join(tmpdir(), 'iot-ota-uploadhost-'));
		writeFileSync(path.join(work, 'fw.bin'), randomBytes(4096));
		cli = await buildCli();
	});

	after(async () => {
		await stub.close();
		attacker.close();
		cli.dispose();
		rmSync(work, { recursive: true, force: true });
	});

	void test('IotClient: GenerateOTAUploadURL with an http:// Host elsewhere → InsecureUploadHost', async () => {
		const client = new IotClient({
			region: 'cn-shanghai',
			endpoint: stub.url,
			credentials: { accessKeyId: 'LTAIx', accessKeySecret: 'secret-x' },
			env: {},
		});
		await assert.rejects(client.generateOtaUploadUrl('bin'), (e: unknown) => e instanceof OtaError && e.code === 'InsecureUploadHost');
	});

	void test('CLI upload: exit 4, InsecureUploadHost, and nothing connects to the Host', async () => {
		const run = await runCli(cli.cliPath, ['upload', 'fw.bin', '--endpoint', stub.url, '--json'], {
			env: cleanEnv(path.join(work, 'home'), { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAIx', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'secret-x' }),
			cwd: work,
		});
		assert.equal(run.code, 4, run.stderr);
		const { error } = parseJsonOutput(run) as { error: { code: string; message: string } };
		assert.equal(error.code, 'InsecureUploadHost');
		assert.match(error.message, /^Refused the upload ticket: its Host \[::ffff:7f00:1\]:\d+ uses plain http/);
		assert.equal(attacker.connections, 0);
	});
});

void describe('the FirmwareUrl of a ticket is judged by the same plain-http rule, where the ticket arrives (IotClient)', () => {
	const ticketWith = (firmwareUrl: string) => ({
		json: {
			RequestId: 'R2',
			Data: {
				Key: 'ota/x/fw.bin',
				Host: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com',
				Policy: 'cG9saWN5',
				OSSAccessKeyId: 'LTAIx',
				Signature: 'c2ln',
				FirmwareUrl: firmwareUrl,
				ObjectStorage: 'OSS',
			},
		},
	});
	const client = (url: string, allowInsecure: boolean) =>
		new IotClient({
			region: 'cn-shanghai',
			endpoint: url,
			allowInsecure,
			credentials: { accessKeyId: 'LTAIx', accessKeySecret: 'secret-x' },
			env: {},
		});

	void test('http:// elsewhere from the sandbox endpoint → UnsafeFirmwareUrl; accepted once insecure endpoints are allowed', async () => {
		const stub = await startStub(() => ticketWith('http://attacker.example/fw.bin'));
		try {
			await assert.rejects(
				client(stub.url, false).generateOtaUploadUrl('bin'),
				(e: unknown) => e instanceof OtaError && e.code === 'UnsafeFirmwareUrl',
			);
			assert.equal((await client(stub.url, true).generateOtaUploadUrl('bin')).firmwareUrl, 'http://attacker.example/fw.bin');
		} finally {
			await stub.close();
		}
	});
});

void describe('a plain-http private cloud works with --allow-insecure-endpoint: its Host and FirmwareUrl pass the same rule', () => {
	let sandbox: Sandbox;
	let cli: Awaited<ReturnType<typeof buildCli>>;
	let work: string;
	let privateCloud: { url: string; close(): void };

	before(async () => {
		[sandbox, cli] = await Promise.all([startSandbox({ qps: 1000 }), buildCli()]);
		// The "private cloud": the sandbox behind a front that names its storage by an address the loopback check does not
		// recognise ([::ffff:127.0.0.1] is this machine), as a plain-http private deployment names its own OSS host.
		const server = createHttpServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const target = new URL(req.url ?? '/', sandbox.endpoint);
				const forward = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
					const body: Buffer[] = [];
					answer.on('data', (c: Buffer) => body.push(c));
					answer.on('end', () => {
						const text = Buffer.concat(body).toString('utf8').replaceAll('http://127.0.0.1:', 'http://[::ffff:127.0.0.1]:');
						res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
						res.end(text);
					});
				});
				forward.end(Buffer.concat(chunks));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as { port: number };
		privateCloud = { url: `http://[::ffff:127.0.0.1]:${port}`, close: () => server.close() };
		work = mkdtempSync(path.join(tmpdir(), 'iot-ota-private-http-'));
		writeFileSync(path.join(work, 'fw.bin'), randomBytes(8192));
		writeFileSync(path.join(work, 'device.env'), 'OTA_URL=\n');
	});

	after(async () => {
		privateCloud?.close();
		await sandbox?.stop();
		cli?.dispose();
		rmSync(work, { recursive: true, force: true });
	});

	const run = (...extra: string[]) =>
		runCli(cli.cliPath, ['upload', 'fw.bin', '--endpoint', privateCloud.url, '--insert', 'device.env#OTA_URL', '--json', ...extra], {
			env: cleanEnv(path.join(work, 'home'), {
				ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
				ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret,
			}),
			cwd: work,
		});

	void test('without the flag: InsecureEndpoint, nothing sent; with it: uploaded to the named http host and its URL inserted', async () => {
		const refused = await run();
		assert.equal(refused.code, 2, refused.stderr);
		assert.equal((parseJsonOutput(refused).error as { code: string }).code, 'InsecureEndpoint');
		assert.equal(sandbox.stats.ossUploads, 0);

		const allowed = await run('--allow-insecure-endpoint');
		assert.equal(allowed.code, 0, allowed.stdout + allowed.stderr);
		const { firmwareUrl } = parseJsonOutput(allowed) as { firmwareUrl: string };
		assert.match(firmwareUrl, /^http:\/\/\[::ffff:127\.0\.0\.1\]:\d+\/ota\//);
		assert.equal(readFileSync(path.join(work, 'device.env'), 'utf8'), `OTA_URL='${firmwareUrl}'\n`);
		const stored = await fetch(signedUrl(sandbox, firmwareUrl.replace('[::ffff:127.0.0.1]', '127.0.0.1')));
		assert.deepEqual(Buffer.from(await stored.arrayBuffer()), readFileSync(path.join(work, 'fw.bin')));
	});
});
