import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { call, callError, commonParams, popClient, postForm, rawRpc, ticket, ticketFields, upload, xmlCode, xmlValue } from './support';
import { signedUrl } from '../../support/ossDownload';

const productList = { CurrentPage: 1, PageSize: 1 };

void describe('sandbox fault injection', () => {
	let sandbox: Sandbox;
	before(async () => {
		sandbox = await startSandbox({ qps: 1000 });
	});
	after(() => sandbox.stop());

	const tmpFiles = () => fs.readdir(path.join(sandbox.dataDir, 'tmp'));

	void test('api status: the next `times` matching calls fail with that status and code', async () => {
		sandbox.faults.add({ target: 'api', kind: 'status', status: 503, code: 'ServiceUnavailable', times: 2 });
		const client = popClient(sandbox);
		assert.equal((await callError(client, 'QueryProductList', productList)).code, 'ServiceUnavailable');
		const second = await rawRpc(
			sandbox.endpoint,
			{ ...commonParams(sandbox.accessKeyId, 'QueryProductList'), CurrentPage: '1', PageSize: '1' },
			{ secret: sandbox.accessKeySecret },
		);
		assert.equal(second.status, 503);
		assert.equal(second.json.Code, 'ServiceUnavailable');
		assert.equal((await call(client, 'QueryProductList', productList)).Success, true);
		assert.deepEqual(sandbox.faults.list(), []);
	});

	void test('api rules can target one Action', async () => {
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 500 });
		const client = popClient(sandbox);
		assert.equal((await call(client, 'QueryProductList', productList)).Success, true);
		assert.equal((await callError(client, 'CreateOTAFirmware', { FirmwareName: 'x', DestVersion: '1' })).code, 'InternalError');
	});

	void test('api throttle answers Throttling.User once', async () => {
		sandbox.faults.add({ target: 'api', kind: 'throttle' });
		const client = popClient(sandbox);
		assert.equal((await callError(client, 'QueryProductList', productList)).code, 'Throttling.User');
		assert.equal((await call(client, 'QueryProductList', productList)).Success, true);
	});

	void test('api delay holds the answer back', async () => {
		sandbox.faults.add({ target: 'api', kind: 'delay', ms: 300 });
		const started = performance.now();
		assert.equal((await call(popClient(sandbox), 'QueryProductList', productList)).Success, true);
		assert.ok(performance.now() - started >= 290);
	});

	void test('api stall never answers; api reset drops the connection', async () => {
		sandbox.faults.add({ target: 'api', kind: 'stall' });
		const params = { ...commonParams(sandbox.accessKeyId, 'QueryProductList'), CurrentPage: '1', PageSize: '1' };
		await assert.rejects(fetch(`${sandbox.endpoint}/?${new URLSearchParams(params)}`, { signal: AbortSignal.timeout(300) }), {
			name: 'TimeoutError',
		});
		sandbox.faults.add({ target: 'api', kind: 'reset', afterBytes: 0 });
		await assert.rejects(fetch(`${sandbox.endpoint}/?${new URLSearchParams(params)}`), TypeError);
	});

	void test('oss status: an error XML answer and nothing stored', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'status', status: 503 });
		const { t, res } = await upload(sandbox, Buffer.from('x'));
		assert.equal(res.status, 503);
		assert.equal(xmlCode(res.body), 'ServiceUnavailable');
		assert.equal((await fetch(signedUrl(sandbox, t.FirmwareUrl))).status, 404);
	});

	void test('oss reset after N body bytes: the client sees a broken connection, no object and no temp file remain', async () => {
		const uploadsBefore = sandbox.stats.ossUploads;
		sandbox.faults.add({ target: 'oss', kind: 'reset', afterBytes: 256 * 1024 });
		const aborted = once(sandbox.events, 'uploadAborted');
		const t = await ticket(sandbox);
		await assert.rejects(postForm(t.Host, [...ticketFields(t), ['file', randomBytes(4 * 1024 * 1024), 'fw.bin']]));
		await aborted;
		assert.deepEqual(await tmpFiles(), []);
		assert.equal((await fetch(signedUrl(sandbox, t.FirmwareUrl))).status, 404);
		assert.equal(sandbox.stats.ossUploads, uploadsBefore);
	});

	void test('oss stall for ms, then the upload completes', async () => {
		sandbox.faults.add({ target: 'oss', kind: 'stall', ms: 300 });
		const started = performance.now();
		const { res } = await upload(sandbox, Buffer.from('after a stall'));
		assert.equal(res.status, 204);
		assert.ok(performance.now() - started >= 290);
	});

	void test('oss stall without ms: the client gives up and nothing is left behind', async () => {
		sandbox.faults.add({ target: 'oss', kind: 'stall' });
		const aborted = once(sandbox.events, 'uploadAborted');
		const t = await ticket(sandbox);
		const req = request(`${t.Host}/`, {
			method: 'POST',
			headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': '1000' },
		});
		req.on('error', () => undefined);
		req.setTimeout(200, () => req.destroy()); // the client's own idle timeout
		req.write('--x\r\n');
		await aborted;
		assert.deepEqual(await tmpFiles(), []);
	});

	void test('oss delay holds the upload back', async () => {
		sandbox.faults.add({ target: 'oss', kind: 'delay', ms: 300 });
		const started = performance.now();
		assert.equal((await upload(sandbox, Buffer.from('late'))).res.status, 204);
		assert.ok(performance.now() - started >= 290);
	});

	void test('expirePolicy: oss treats the next policy as expired; api mints an expired one', async () => {
		sandbox.faults.add({ target: 'oss', kind: 'expirePolicy' });
		const first = await upload(sandbox, Buffer.from('x'));
		assert.equal(first.res.status, 403);
		assert.equal(xmlValue(first.res.body, 'Message'), 'Invalid according to Policy: Policy expired.');
		assert.equal((await upload(sandbox, Buffer.from('x'))).res.status, 204);

		sandbox.faults.add({ target: 'api', kind: 'expirePolicy' });
		const expiredTicket = await upload(sandbox, Buffer.from('x'));
		assert.equal(expiredTicket.res.status, 403);
		assert.equal(xmlCode(expiredTicket.res.body), 'AccessDenied');
	});

	void test('rules over HTTP: POST adds, GET lists, DELETE clears, bad rules are 400', async () => {
		const url = `${sandbox.endpoint}/__sandbox/faults`;
		const added = await fetch(url, { method: 'POST', body: JSON.stringify({ target: 'api', kind: 'status', status: 502, times: 3 }) });
		assert.equal(added.status, 201);
		const listed = (await (await fetch(url)).json()) as { rules: Array<{ remaining: number }>; stats: { apiCalls: object } };
		assert.equal(listed.rules[0].remaining, 3);
		assert.equal(typeof listed.stats.apiCalls, 'object');
		assert.equal((await callError(popClient(sandbox), 'QueryProductList', productList)).code, 'InternalError');
		assert.equal((await fetch(url, { method: 'DELETE' })).status, 200);
		assert.deepEqual(sandbox.faults.list(), []);
		const bad = await fetch(url, { method: 'POST', body: JSON.stringify({ target: 'oss', kind: 'throttle' }) });
		assert.equal(bad.status, 400);
		assert.match(((await bad.json()) as { error: string }).error, /throttle/);
		assert.throws(() => sandbox.faults.add({ target: 'api', kind: 'status', status: 200 }), /status/);
	});

	void test('api hold: the action runs only once released; with `answer` it ran, and only its answer waits', async () => {
		const client = popClient(sandbox);
		sandbox.faults.add({ target: 'api', action: 'QueryProductList', kind: 'hold' });
		let answered = false;
		const first = call(client, 'QueryProductList', productList).then((body) => ((answered = true), body));
		await sandbox.faults.whenHeld('api', 'QueryProductList');
		assert.deepEqual(sandbox.faults.holding(), [{ target: 'api', action: 'QueryProductList' }]);
		assert.equal(answered, false);
		assert.equal(sandbox.faults.release(), 1);
		assert.equal((await first).Success, true);

		const before = (await call(client, 'ListOTAFirmware', { CurrentPage: 1, PageSize: 100 })).Total as number;
		const { t } = await upload(sandbox, Buffer.from('held answer'));
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'hold', answer: true });
		const created = call(client, 'CreateOTAFirmware', {
			ProductKey: sandbox.productKey,
			FirmwareName: 'held-answer',
			DestVersion: '1.0.0',
			FirmwareUrl: t.FirmwareUrl,
		});
		await sandbox.faults.whenHeld('api', 'CreateOTAFirmware');
		const during = (await call(client, 'ListOTAFirmware', { CurrentPage: 1, PageSize: 100 })).Total as number;
		assert.equal(during, before + 1, 'the registration exists while its answer is held');
		sandbox.faults.release();
		assert.ok(((await created).Data as { FirmwareId: string }).FirmwareId);
	});

	void test('oss hold: nothing is read until release; a client that leaves meanwhile stores nothing', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'hold' });
		const pending = upload(sandbox, Buffer.from('held upload'));
		await sandbox.faults.whenHeld('oss', 'PostObject');
		assert.deepEqual(await tmpFiles(), []);
		sandbox.faults.release();
		assert.equal((await pending).res.status, 204);

		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'hold' });
		const aborted = once(sandbox.events, 'uploadAborted');
		const t = await ticket(sandbox);
		const controller = new AbortController();
		const gone = postForm(t.Host, [...ticketFields(t), ['file', randomBytes(1024), 'fw.bin']], {}, controller.signal);
		await sandbox.faults.whenHeld('oss', 'PostObject');
		controller.abort();
		await assert.rejects(gone);
		await aborted;
		sandbox.faults.release();
		assert.equal((await fetch(signedUrl(sandbox, t.FirmwareUrl))).status, 404);
	});

	void test('hold over HTTP: GET lists what is held, POST …/release lets it go; clear() releases too', async () => {
		const url = `${sandbox.endpoint}/__sandbox/faults`;
		assert.equal((await fetch(url, { method: 'POST', body: JSON.stringify({ target: 'api', kind: 'hold' }) })).status, 201);
		const pending = call(popClient(sandbox), 'QueryProductList', productList);
		await sandbox.faults.whenHeld('api');
		const listed = (await (await fetch(url)).json()) as { held: unknown[] };
		assert.deepEqual(listed.held, [{ target: 'api', action: 'QueryProductList' }]);
		assert.deepEqual(await (await fetch(`${url}/release`, { method: 'POST' })).json(), { released: 1 });
		assert.equal((await pending).Success, true);

		sandbox.faults.add({ target: 'api', kind: 'hold' });
		const second = call(popClient(sandbox), 'QueryProductList', productList);
		await sandbox.faults.whenHeld('api');
		sandbox.faults.clear();
		assert.equal((await second).Success, true);
		assert.throws(() => sandbox.faults.add({ target: 'oss', kind: 'hold', answer: true }), /answer/);
	});

	void test('the request log keeps actions and business parameters in order, without signing parameters', async () => {
		sandbox.requests.clear();
		await call(popClient(sandbox), 'QueryProductList', productList);
		await upload(sandbox, Buffer.from('logged'));
		assert.deepEqual(
			sandbox.requests.entries.map(({ target, action }) => `${target}:${action}`),
			['api:QueryProductList', 'api:GenerateOTAUploadURL', 'oss:PostObject'],
		);
		const [first] = sandbox.requests.entries;
		assert.equal(first.accessKeyId, sandbox.accessKeyId);
		assert.deepEqual(Object.keys(first.params).sort(), ['CurrentPage', 'PageSize', 'RegionId']);
		const served = (await (await fetch(`${sandbox.endpoint}/__sandbox/requests`)).json()) as { requests: unknown[] };
		assert.equal(served.requests.length, 3);
		await fetch(`${sandbox.endpoint}/__sandbox/requests`, { method: 'DELETE' });
		assert.deepEqual(sandbox.requests.entries, []);
	});

	void test('stats count calls per action and stored uploads', async () => {
		const before = { ...sandbox.stats.apiCalls };
		const uploads = sandbox.stats.ossUploads;
		await upload(sandbox, Buffer.from('counted'));
		assert.equal(sandbox.stats.apiCalls.GenerateOTAUploadURL, (before.GenerateOTAUploadURL ?? 0) + 1);
		assert.equal(sandbox.stats.ossUploads, uploads + 1);
		assert.ok((sandbox.stats.maxQps[sandbox.accessKeyId] ?? 0) >= 1);
	});
});

void test('stop() during an upload closes the socket promptly and leaves no temp file', async (t) => {
	const dataDir = await fs.mkdtemp(path.join(tmpdir(), 'sandbox-stop-'));
	t.after(() => fs.rm(dataDir, { recursive: true, force: true }));
	const sandbox = await startSandbox({ dataDir });
	const tk = await ticket(sandbox);
	const boundary = 'stopBoundary';
	const head =
		ticketFields(tk)
			.map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
			.join('') + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n\r\n`;
	const req = request(`${tk.Host}/`, {
		method: 'POST',
		headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + 10_000_000) },
	});
	const closed = new Promise((resolve) => req.on('close', resolve));
	req.on('error', () => undefined); // ECONNRESET is the expected outcome
	req.write(head);
	req.write(randomBytes(2 * 1024 * 1024));
	const tmp = path.join(dataDir, 'tmp');
	while ((await fs.readdir(tmp)).length === 0) {
		await new Promise((resolve) => setImmediate(resolve)); // until the temp file exists
	}
	await sandbox.stop();
	await closed;
	assert.deepEqual(await fs.readdir(tmp), []);
});
