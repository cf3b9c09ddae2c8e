// The sandbox behaves like the private cloud it stands for (issue #11 §6): a private bucket for every kind of read,
// IncompleteSignature where the gateway answers it, and listeners that slow or hostile clients cannot hold or grow.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { signedUrl } from '../../support/ossDownload';
import { withDeadline } from '../../support/reliability';
import { commonParams, postForm, rawRpc, ticket, ticketFields, upload, xmlCode, type FormPart } from './support';

/** A raw connection to `url`'s port: what it receives, and a promise of its close. */
function rawConnection(url: string): { socket: Socket; received: () => string; closed: Promise<void> } {
	const socket = connect(Number(new URL(url).port), '127.0.0.1');
	let received = '';
	socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
	socket.on('error', () => undefined);
	return { socket, received: () => received, closed: once(socket, 'close').then(() => undefined) };
}

/** Writes `text` one character every `ms` until the socket closes. */
function trickle(socket: Socket, text: string, ms = 50): void {
	let i = 0;
	const timer = setInterval(() => {
		if (socket.destroyed || i >= text.length) {
			clearInterval(timer);
			return;
		}
		socket.write(text[i++]);
	}, ms);
	socket.once('close', () => clearInterval(timer));
}

void describe('sandbox: a private bucket for every kind of read', () => {
	let sandbox: Sandbox;
	let objectUrl: string;
	const data = randomBytes(4096);

	before(async () => {
		sandbox = await startSandbox({ qps: 1000 });
		const { t, res } = await upload(sandbox, data);
		assert.equal(res.status, 204, res.body);
		objectUrl = t.FirmwareUrl;
	});
	after(() => sandbox.stop());

	void test('unsigned GET, HEAD and ranged GET of the FirmwareUrl → 403 AccessDenied, nothing of the object', async () => {
		for (const init of [{}, { method: 'HEAD' }, { headers: { range: 'bytes=0-99' } }] as RequestInit[]) {
			const res = await fetch(objectUrl, init);
			const body = Buffer.from(await res.arrayBuffer());
			assert.equal(res.status, 403, JSON.stringify(init));
			if (init.method !== 'HEAD') {
				assert.equal(xmlCode(body.toString()), 'AccessDenied');
				assert.equal(body.includes(data.subarray(0, 64)), false);
			}
		}
	});

	void test('a signed URL serves ranges as OSS does: 206 with Content-Range, a suffix range, 416 past the end', async () => {
		const url = signedUrl(sandbox, objectUrl);
		const part = await fetch(url, { headers: { range: 'bytes=100-199' } });
		assert.equal(part.status, 206);
		assert.equal(part.headers.get('content-range'), `bytes 100-199/${data.length}`);
		assert.deepEqual(Buffer.from(await part.arrayBuffer()), data.subarray(100, 200));
		const tail = await fetch(url, { headers: { range: 'bytes=-10' } });
		assert.equal(tail.status, 206);
		assert.deepEqual(Buffer.from(await tail.arrayBuffer()), data.subarray(data.length - 10));
		const past = await fetch(url, { headers: { range: `bytes=${data.length}-` } });
		assert.equal(past.status, 416);
		assert.equal(xmlCode(await past.text()), 'InvalidRange');
		const whole = await fetch(url, { headers: { range: 'bytes=0-1,5-6' } });
		assert.equal(whole.status, 200, 'several ranges are not served as one: the whole object comes back');
		assert.equal(Buffer.from(await whole.arrayBuffer()).length, data.length);
	});

	void test("a HEAD needs a URL signed for HEAD: the GET signature of QueryOTAFirmware's URL does not open it", async () => {
		assert.equal((await fetch(signedUrl(sandbox, objectUrl), { method: 'HEAD' })).status, 403);
		const head = await fetch(signedUrl(sandbox, objectUrl, { method: 'HEAD' }), { method: 'HEAD' });
		assert.equal(head.status, 200);
		assert.equal(head.headers.get('content-length'), String(data.length));
	});
});

void describe('sandbox gateway: IncompleteSignature where the real one answers it', () => {
	let sandbox: Sandbox;
	before(async () => (sandbox = await startSandbox({ qps: 1000 })));
	after(() => sandbox.stop());

	void test('a Signature that is not an HMAC-SHA1 (not 20 bytes of base64) → 400 IncompleteSignature; a wrong one → SignatureDoesNotMatch', async () => {
		const params: Record<string, string> = {
			...commonParams(sandbox.accessKeyId, 'QueryProductList'),
			CurrentPage: '1',
			PageSize: '10',
		};
		const malformed = await rawRpc(sandbox.endpoint, params, { secret: sandbox.accessKeySecret, signature: 'not-a-signature' });
		assert.equal(malformed.status, 400);
		assert.equal(malformed.json.Code, 'IncompleteSignature');
		assert.match(
			String(malformed.json.Message),
			/^The request signature does not conform to Aliyun standards\. server string to sign is:POST&%2F&/,
		);
		const wrong = await rawRpc(
			sandbox.endpoint,
			{ ...params, SignatureNonce: `${params.SignatureNonce}x` },
			{ secret: 'another-secret' },
		);
		assert.equal(wrong.status, 400);
		assert.equal(wrong.json.Code, 'SignatureDoesNotMatch');
	});
});

void describe('sandbox listeners: slow and hostile clients cannot hold them or grow them', () => {
	let sandbox: Sandbox;
	before(async () => (sandbox = await startSandbox({ qps: 1000, idleTimeoutMs: 400 })));
	after(() => sandbox.stop());

	void test('API: a request body trickled a byte at a time is cut off (408) once the request took the idle timeout', async () => {
		const { socket, received, closed } = rawConnection(sandbox.endpoint);
		socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n');
		trickle(socket, 'A'.repeat(1000));
		await withDeadline(closed, 15_000, 'the sandbox closing a trickling request');
		assert.match(received(), /^HTTP\/1\.1 408 /);
	});

	void test('API and OSS: headers trickled a byte at a time are cut off once they took the idle timeout', async () => {
		for (const url of [sandbox.endpoint, sandbox.ossHost]) {
			const { socket, closed } = rawConnection(url);
			socket.write('GET / HTTP/1.1\r\nX-Slow: ');
			trickle(socket, 'a'.repeat(10_000));
			await withDeadline(closed, 15_000, `the sandbox closing trickled headers (${url})`);
		}
	});

	void test('OSS: a PostObject body trickled past its size-based deadline → 400 RequestTimeout', async () => {
		const t = await ticket(sandbox);
		const boundary = 'hostileboundary';
		const fields = ticketFields(t)
			.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
			.join('');
		const head = `${fields}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="fw.bin"\r\n\r\n`;
		const { socket, received, closed } = rawConnection(sandbox.ossHost);
		socket.write(
			`POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${head.length + 1000}\r\n\r\n${head}`,
		);
		trickle(socket, 'B'.repeat(1000));
		await withDeadline(
			new Promise<void>((resolve) => socket.on('data', () => /\r\n\r\n[\s\S]*<\/Error>/.test(received()) && resolve())),
			15_000,
			'the RequestTimeout answer',
		);
		assert.match(received(), /^HTTP\/1\.1 400 /);
		assert.equal(xmlCode(received()), 'RequestTimeout');
		socket.destroy();
		await closed;
	});

	void test('OSS: a form of 65 parts → 400 MaxPOSTPreDataLengthExceeded; 20 KiB of request headers → 431', async () => {
		const t = await ticket(sandbox);
		const many: FormPart[] = Array.from({ length: 65 }, (_, i): FormPart => [`x-field-${i}`, 'v']);
		const res = await postForm(t.Host, [...ticketFields(t), ...many, ['file', Buffer.from('fw'), 'fw.bin']]);
		assert.equal(res.status, 400, res.body);
		assert.equal(xmlCode(res.body), 'MaxPOSTPreDataLengthExceeded');
		const huge = await fetch(t.Host, { method: 'POST', headers: { 'x-junk': 'a'.repeat(20 * 1024) } });
		assert.equal(huge.status, 431);
	});

	void test('the request log keeps 4,096 characters of a value, and unknown actions are counted under one name', async () => {
		sandbox.requests.clear();
		for (let i = 0; i < 3; i++) {
			const params = { ...commonParams(sandbox.accessKeyId, `Made-Up-Action-${i}-${'z'.repeat(5000)}`), Junk: 'j'.repeat(100_000) };
			await rawRpc(sandbox.endpoint, params, { secret: sandbox.accessKeySecret });
		}
		const [entry] = sandbox.requests.entries;
		assert.ok(entry.params.Junk.startsWith('j'.repeat(4096)) && entry.params.Junk.endsWith('… (100000 characters)'));
		assert.ok(entry.action.length < 4200);
		assert.equal(sandbox.stats.apiCalls['(unknown)'], 3);
		assert.deepEqual(
			Object.keys(sandbox.stats.apiCalls).filter((name) => name.startsWith('Made-Up')),
			[],
		);
	});
});
