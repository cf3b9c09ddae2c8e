// Every network read is bounded (issue #11 §1): an endless body, a gzip bomb, a byte now and then, huge headers or a
// proxy that never completes CONNECT end in one clear error, memory stays flat (measured in a child process), a
// refused answer is not retried, and the socket is closed. For the API client (pop-core, httpx underneath), the OSS
// upload answer and the lifecycle's device-list upload. No timing is asserted: only codes, counts and closed sockets.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { IotClient } from '../../../src/core/iotClient';
import { postDeviceList } from '../../../src/core/lifecycle/deviceList';
import type { TicketSource, UploadTicket } from '../../../src/core/types';
import { uploadFirmware } from '../../../src/core/uploader';
import { postFile } from '../../support/postFile';
import { startHostileServer, type HostileMode, type HostileServer } from '../../support/hostileServer';
import { installTripwire, removeDir, tempDir, withDeadline } from '../../support/reliability';

const tripwire = installTripwire();
const root = path.resolve(__dirname, '..', '..', '..');
/** Far below what the unbounded clients took (256 MiB sent, or inflated), far above a bounded call's few MiB. */
const MAX_GROWTH = 96 * 1024 * 1024;

interface ChildResult {
	code: string;
	growth: number;
}

/** Runs test/support/boundedClient.ts in its own process against `url`. */
function childCall(scenario: 'api' | 'oss' | 'deviceList', url: string, file = ''): Promise<ChildResult> {
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/support/boundedClient.ts'), scenario, url, file], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	return withDeadline(
		new Promise<ChildResult>((resolve, reject) => {
			child.on('error', reject);
			child.on('close', (exitCode) => {
				try {
					resolve(JSON.parse(stdout.trim()) as ChildResult);
				} catch {
					reject(new Error(`the child printed no result (exit ${exitCode}): ${stdout}\n${stderr}`));
				}
			});
		}),
		60_000,
		`the ${scenario} client against a hostile server`,
	).finally(() => child.kill('SIGKILL'));
}

function apiClient(endpoint: string, over: Partial<ConstructorParameters<typeof IotClient>[0]> = {}): IotClient {
	return new IotClient({
		region: 'cn-shanghai',
		endpoint,
		credentials: { accessKeyId: 'LTAIhostile', accessKeySecret: 'hostile-secret' },
		timeoutMs: 2_000,
		env: {},
		...over,
	});
}

function ticketFor(host: string): UploadTicket {
	return {
		host,
		key: 'ota/hostile/fw.bin',
		policy: 'cG9saWN5',
		ossAccessKeyId: 'LTAIhostile',
		signature: 'c2lnbmF0dXJl',
		firmwareUrl: `${host}/ota/hostile/fw.bin`,
		receivedAt: Date.now(),
	};
}

async function failure(promise: Promise<unknown>, what: string): Promise<OtaError> {
	const error = await withDeadline(
		promise.then(
			() => assert.fail(`${what} succeeded against a hostile server`),
			(e: unknown) => e,
		),
		60_000,
		what,
	);
	assert.ok(error instanceof OtaError, `${what}: not an OtaError: ${String(error)}`);
	return error;
}

void describe('reliability: every network read is bounded', () => {
	let work: string;
	let firmware: string;
	const servers: HostileServer[] = [];

	async function hostile(mode: HostileMode, trickleMs?: number): Promise<HostileServer> {
		const server = await startHostileServer(mode, { trickleMs });
		servers.push(server);
		return server;
	}

	before(() => {
		work = tempDir('iot-ota-rel-hostile-');
		firmware = path.join(work, 'fw.bin');
		writeFileSync(firmware, randomBytes(256 * 1024));
	});

	afterEach(async () => {
		await Promise.all(servers.splice(0).map((s) => s.close()));
		await tripwire.assertClean();
	});

	after(() => removeDir(work));

	void test('API: an endless answer → ResponseTooLarge after 4 MiB, sent once (not retried), memory flat, socket closed', async () => {
		const server = await hostile('endless');
		const result = await childCall('api', server.url);
		assert.equal(result.code, 'ResponseTooLarge');
		assert.ok(result.growth < MAX_GROWTH, `the client grew by ${result.growth} bytes`);
		assert.equal(server.requests.length, 1, 'an answer refused for its size was asked for again');
		await withDeadline(server.closed(1), 10_000, 'the connection closed');
		assert.ok(server.sent[0] < 64 * 1024 * 1024, `the client kept reading: ${server.sent[0]} bytes sent`);
	});

	void test('API: a gzip bomb (256 KiB → 256 MiB) → UnexpectedContentEncoding, never inflated, memory flat', async () => {
		const server = await hostile('gzipBomb');
		const result = await childCall('api', server.url);
		assert.equal(result.code, 'UnexpectedContentEncoding');
		assert.ok(result.growth < MAX_GROWTH, `the client grew by ${result.growth} bytes`);
		assert.equal(server.requests[0].headers['accept-encoding'], 'identity');
		assert.equal(server.requests.length, 1);
	});

	void test('API: an answer that trickles a byte now and then ends at the read deadline, and its socket is closed', async () => {
		const server = await hostile('trickle');
		const error = await failure(apiClient(server.url, { timeoutMs: 300, retry: { maxAttempts: 1 } }).queryOtaFirmware('F1'), 'trickle');
		assert.equal(error.code, 'RequestTimeout');
		await withDeadline(server.closed(1), 10_000, 'the trickling connection closed by the client');
	});

	void test('API: headers that never end are cut off, and the socket is closed', async () => {
		const server = await hostile('trickleHeaders');
		const error = await failure(apiClient(server.url, { timeoutMs: 300, retry: { maxAttempts: 1 } }).queryOtaFirmware('F1'), 'headers');
		assert.equal(error.code, 'RequestTimeout');
		await withDeadline(server.closed(1), 10_000, 'the connection closed by the client');
	});

	void test('API: 1 MiB of headers → ResponseTooLarge (its headers), not retried', async () => {
		const server = await hostile('hugeHeaders');
		const error = await failure(apiClient(server.url).queryOtaFirmware('F1'), 'huge headers');
		assert.equal(error.code, 'ResponseTooLarge');
		assert.match(error.message, /QueryOTAFirmware's answer \(its headers\) was larger than/);
		assert.equal(server.requests.length, 1);
	});

	void test('API: a proxy that never completes CONNECT → DeadlineExceeded (the deadline also covers what httpx does not)', async () => {
		const proxy = await hostile('connectTrickle');
		const client = new IotClient({
			region: 'cn-shanghai',
			credentials: { accessKeyId: 'LTAIhostile', accessKeySecret: 'hostile-secret' },
			timeoutMs: 200,
			retry: { maxAttempts: 1 },
			env: { HTTPS_PROXY: proxy.url },
		});
		const error = await failure(client.queryOtaFirmware('F1'), 'CONNECT');
		assert.equal(error.code, 'DeadlineExceeded');
		assert.equal(proxy.requests.length, 1);
		assert.match(proxy.requests[0].head, /^CONNECT iot\.cn-shanghai\.aliyuncs\.com:443 /);
	});

	void test('OSS: 200 and then an endless answer → ResponseTooLarge, memory flat, the upload not repeated', async () => {
		const server = await hostile('endless');
		const result = await childCall('oss', server.url, firmware);
		assert.equal(result.code, 'ResponseTooLarge');
		assert.ok(result.growth < MAX_GROWTH, `the client grew by ${result.growth} bytes`);
		await withDeadline(server.closed(1), 10_000, 'the connection closed');

		let tickets = 0;
		const source: TicketSource = {
			generateOtaUploadUrl: () => Promise.resolve({ ...ticketFor(server.url), receivedAt: Date.now(), key: `k${++tickets}` }),
		};
		const error = await failure(uploadFirmware(source, firmware, { env: {}, timeoutMs: 2_000 }), 'upload');
		assert.equal(error.code, 'ResponseTooLarge');
		assert.equal(tickets, 1, 'an answer refused for its size was retried with a new ticket');
	});

	void test('OSS: 200 and then a byte now and then → DeadlineExceeded once the answer took the timeout, socket closed', async () => {
		const server = await hostile('trickle');
		const error = await failure(postFile(ticketFor(server.url), firmware, { timeoutMs: 500, env: {} }), 'trickled answer');
		assert.equal(error.code, 'DeadlineExceeded');
		assert.match(error.message, /^The answer of 127\.0\.0\.1:\d+ did not complete within/);
		await withDeadline(server.closed(1), 10_000, 'the connection closed');
	});

	void test('OSS: 1 MiB of headers → ResponseTooLarge (its headers)', async () => {
		const server = await hostile('hugeHeaders');
		const error = await failure(postFile(ticketFor(server.url), firmware, { env: {} }), 'huge headers');
		assert.equal(error.code, 'ResponseTooLarge');
	});

	void test('OSS: a gzip-encoded answer → UnexpectedContentEncoding, not inflated', async () => {
		const server = await hostile('gzipBomb');
		const error = await failure(postFile(ticketFor(server.url), firmware, { env: {} }), 'gzip answer');
		assert.equal(error.code, 'UnexpectedContentEncoding');
	});

	void test('device list: an endless answer → ResponseTooLarge, memory flat; a trickled one → DeadlineExceeded', async () => {
		const endless = await hostile('endless');
		const result = await childCall('deviceList', endless.url);
		assert.equal(result.code, 'ResponseTooLarge');
		assert.ok(result.growth < MAX_GROWTH, `the client grew by ${result.growth} bytes`);
		const trickle = await hostile('trickle', 20);
		const ticket = { ...ticketFor(trickle.url), accessKeyId: 'LTAIhostile', fileUrl: `${trickle.url}/list.csv` };
		// 30 bytes of body at the slowest allowed rate add nothing: the deadline is the timeout, whatever trickles in.
		const error = await failure(postDeviceList(ticket, ['dev1'], { env: {}, timeoutMs: 300 }), 'trickled device-list answer');
		assert.equal(error.code, 'DeadlineExceeded');
	});
});
