import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { mintUploadPolicy, signPostPolicy } from '../../../src/sandbox/ossPolicy';
import { postForm, sendRaw, ticket, ticketFields, upload, xmlCode, xmlValue, type FormPart, type UploadTicketData } from './support';
import { signedUrl } from '../../support/ossDownload';

void describe('sandbox OSS PostObject', () => {
	let sandbox: Sandbox;
	before(async () => {
		// Many tickets per second here; the 10 QPS gateway limit is tested in rpc.test.ts.
		sandbox = await startSandbox({ qps: 1000 });
	});
	after(() => sandbox.stop());

	const tmpFiles = () => fs.readdir(path.join(sandbox.dataDir, 'tmp'));
	/** A ticket signed by the sandbox's OSS owner key for a policy of our own. */
	const customTicket = async (
		conditions: unknown[],
		expiration = new Date(Date.now() + 60_000).toISOString(),
	): Promise<UploadTicketData> => {
		const t = await ticket(sandbox);
		const ownerSecret = await ossOwnerSecret(sandbox);
		const policy = Buffer.from(JSON.stringify({ expiration, conditions })).toString('base64');
		return { ...t, Policy: policy, Signature: signPostPolicy(policy, ownerSecret) };
	};

	for (const [status, expected] of [
		['200', 200],
		['201', 201],
		['204', 204],
		[undefined, 204],
		['302', 204],
	] as const) {
		void test(`stores the file and answers ${expected} for success_action_status=${status ?? '(none)'}`, async () => {
			const t = await ticket(sandbox);
			const data = randomBytes(100_000);
			const extra: FormPart[] = status === undefined ? [] : [['success_action_status', status]];
			const res = await postForm(t.Host, [...ticketFields(t), ...extra, ['file', data, 'fw.bin']]);
			assert.equal(res.status, expected, res.body);
			// Opaque, as OSS documents a PostObject ETag (only PutObject's is the MD5): 32 upper-case hex in quotes.
			const etag = String(res.headers.etag);
			assert.match(etag, /^"[0-9A-F]{32}"$/);
			assert.equal(res.headers.server, 'AliyunOSS');
			assert.match(String(res.headers['x-oss-request-id']), /^[0-9A-F]{24}$/);
			if (expected === 201) {
				assert.equal(xmlValue(res.body, 'Key'), t.Key);
				assert.equal(xmlValue(res.body, 'Location'), t.FirmwareUrl);
				assert.equal(xmlValue(res.body, 'ETag'), etag);
				assert.equal(xmlValue(res.body, 'Bucket'), sandbox.bucket);
			} else {
				assert.equal(res.body, '');
			}
			const download = await fetch(signedUrl(sandbox, t.FirmwareUrl));
			assert.equal(download.status, 200);
			assert.equal(download.headers.get('etag'), etag, 'GET answers with the ETag the upload got');
			assert.deepEqual(Buffer.from(await download.arrayBuffer()), data);
			assert.deepEqual(await tmpFiles(), []);
		});
	}

	void test('a large upload streams to disk intact', async () => {
		const t = await ticket(sandbox);
		const data = randomBytes(12 * 1024 * 1024);
		const res = await postForm(t.Host, [...ticketFields(t), ['success_action_status', '201'], ['file', data, 'big.bin']]);
		assert.equal(res.status, 201);
		const download = Buffer.from(await (await fetch(signedUrl(sandbox, t.FirmwareUrl))).arrayBuffer());
		assert.equal(download.length, data.length);
		assert.ok(download.equals(data));
	});

	void test('field names are case-insensitive and an empty file is allowed by the default policy', async () => {
		const t = await ticket(sandbox);
		const res = await postForm(t.Host, [
			['KEY', t.Key],
			['ossaccesskeyid', t.OSSAccessKeyId],
			['Policy', t.Policy],
			['signature', t.Signature],
			['File', Buffer.alloc(0), 'empty.bin'],
		]);
		assert.equal(res.status, 204, res.body);
		assert.equal((await fetch(signedUrl(sandbox, t.FirmwareUrl))).headers.get('content-length'), '0');
	});

	void test('GET of an unknown key with a valid signature is 404 NoSuchKey XML', async () => {
		const signed = new URL(signedUrl(sandbox, `${sandbox.ossHost}/ota/none/missing.bin`));
		const res = await sendRaw(sandbox.ossHost, 'GET', {}, undefined, `${signed.pathname}${signed.search}`);
		assert.equal(res.status, 404);
		assert.equal(xmlCode(res.body), 'NoSuchKey');
		assert.match(res.body, /<RequestId>[0-9A-F]{24}<\/RequestId>/);
		assert.match(res.body, /<HostId>[^<]+<\/HostId>/);
	});

	void describe('the bucket is private: GET and HEAD need a valid, unexpired V1 signature in the query', () => {
		let objectUrl: string;
		before(async () => {
			const { t, res } = await upload(sandbox, Buffer.from('private bytes'));
			assert.equal(res.status, 204, res.body);
			objectUrl = t.FirmwareUrl;
		});

		void test('a plain GET is 403 AccessDenied', async () => {
			const res = await fetch(objectUrl);
			const body = await res.text();
			assert.equal(res.status, 403);
			assert.equal(xmlCode(body), 'AccessDenied');
			assert.doesNotMatch(body, /private bytes/);
		});

		void test('an expired signature is 403 AccessDenied "Request has expired."', async () => {
			const res = await fetch(signedUrl(sandbox, objectUrl, { expiresAtSec: Math.floor(Date.now() / 1000) - 5 }));
			const body = await res.text();
			assert.equal(res.status, 403);
			assert.equal(xmlCode(body), 'AccessDenied');
			assert.equal(xmlValue(body, 'Message'), 'Request has expired.');
		});

		void test('a signature made with another secret, or for another verb, is 403 SignatureDoesNotMatch', async () => {
			const wrongSecret = await fetch(signedUrl(sandbox, objectUrl, { secret: 'not-the-owner-secret' }));
			assert.equal(wrongSecret.status, 403);
			assert.equal(xmlCode(await wrongSecret.text()), 'SignatureDoesNotMatch');
			const headSignedForGet = await fetch(signedUrl(sandbox, objectUrl), { method: 'HEAD' });
			assert.equal(headSignedForGet.status, 403);
		});

		void test('a changed Expires breaks the signature', async () => {
			const url = new URL(signedUrl(sandbox, objectUrl));
			url.searchParams.set('Expires', String(Number(url.searchParams.get('Expires')) + 3600));
			const res = await fetch(url);
			assert.equal(res.status, 403);
			assert.equal(xmlCode(await res.text()), 'SignatureDoesNotMatch');
		});

		void test('an unknown OSSAccessKeyId is 403 InvalidAccessKeyId', async () => {
			const res = await fetch(signedUrl(sandbox, objectUrl, { accessKeyId: 'LTAI5tSomeoneElse' }));
			assert.equal(res.status, 403);
			assert.equal(xmlCode(await res.text()), 'InvalidAccessKeyId');
		});

		void test('a valid signature gets the bytes (GET) and the length (HEAD)', async () => {
			const res = await fetch(signedUrl(sandbox, objectUrl));
			assert.equal(res.status, 200);
			assert.equal(await res.text(), 'private bytes');
			const head = await fetch(signedUrl(sandbox, objectUrl, { method: 'HEAD' }), { method: 'HEAD' });
			assert.equal(head.status, 200);
			assert.equal(head.headers.get('content-length'), String('private bytes'.length));
		});
	});

	const reject = async (parts: FormPart[], status: number, code: string, message?: RegExp): Promise<void> => {
		const res = await postForm(sandbox.ossHost, parts);
		assert.equal(res.status, status, res.body);
		assert.equal(xmlCode(res.body), code, res.body);
		assert.equal(res.headers['content-type'], 'application/xml');
		if (message) {
			assert.match(xmlValue(res.body, 'Message') ?? '', message);
		}
		assert.deepEqual(await tmpFiles(), [], 'no temp file left behind');
	};
	const file: FormPart = ['file', Buffer.from('payload'), 'fw.bin'];

	void test('not multipart → RequestIsNotMultiPartContent', async () => {
		const res = await sendRaw(sandbox.ossHost, 'POST', { 'content-type': 'application/x-www-form-urlencoded' }, 'key=a');
		assert.equal(res.status, 400);
		assert.equal(xmlCode(res.body), 'RequestIsNotMultiPartContent');
	});

	void test('truncated multipart body → MalformedPOSTRequest', async () => {
		const res = await sendRaw(
			sandbox.ossHost,
			'POST',
			{ 'content-type': 'multipart/form-data; boundary=XyZ' },
			'--XyZ\r\nContent-Disposition: form-data; name="key"\r\n\r\nabc\r\n--XyZ\r\nContent-Disp',
		);
		assert.equal(res.status, 400);
		assert.equal(xmlCode(res.body), 'MalformedPOSTRequest');
	});

	void test('missing fields → InvalidArgument naming the field', async () => {
		const t = await ticket(sandbox);
		const fields = ticketFields(t);
		for (const [index, name] of ['key', 'OSSAccessKeyId', 'policy', 'Signature'].entries()) {
			const without = fields.filter((_, i) => i !== index);
			await reject([...without, file], 400, 'InvalidArgument', new RegExp(`must contain the specified '${name}'`));
		}
	});

	void test('no file part → IncorrectNumberOfFilesInPOSTRequest; two files → the same', async () => {
		const t = await ticket(sandbox);
		await reject(ticketFields(t), 400, 'IncorrectNumberOfFilesInPOSTRequest');
		await reject([...ticketFields(t), file, file], 400, 'IncorrectNumberOfFilesInPOSTRequest');
	});

	void test('a field after the file is ignored, not rejected (OSS reads nothing after the file): stored, the field has no effect', async () => {
		const t = await ticket(sandbox);
		const res = await postForm(sandbox.ossHost, [...ticketFields(t), file, ['success_action_status', '201'], ['x-ignored', 'y']]);
		assert.equal(res.status, 204, `the success_action_status after the file was read: ${res.body}`);
		const stored = await fetch(signedUrl(sandbox, t.FirmwareUrl));
		assert.equal(stored.status, 200);
		assert.equal(await stored.text(), 'payload');
	});

	void test('tampered signature or policy → SignatureDoesNotMatch 403', async () => {
		const t = await ticket(sandbox);
		await reject([...ticketFields({ ...t, Signature: `A${t.Signature.slice(1)}` }), file], 403, 'SignatureDoesNotMatch');
		const loosened = Buffer.from(Buffer.from(t.Policy, 'base64').toString().replace('1048576000', '2048576000')).toString('base64');
		await reject([...ticketFields({ ...t, Policy: loosened }), file], 403, 'SignatureDoesNotMatch');
	});

	void test('unknown OSSAccessKeyId → InvalidAccessKeyId', async () => {
		const t = await ticket(sandbox);
		await reject([...ticketFields({ ...t, OSSAccessKeyId: 'LTAI5tSomebodyElse' }), file], 403, 'InvalidAccessKeyId');
	});

	void test('policy that is not base64 JSON → InvalidPolicyDocument', async () => {
		const t = await ticket(sandbox);
		const notJson = Buffer.from('{"expiration": nope').toString('base64');
		const signed = { ...t, Policy: notJson, Signature: signPostPolicy(notJson, await ossOwnerSecret(sandbox)) };
		await reject([...ticketFields(signed), file], 400, 'InvalidPolicyDocument', /^Invalid Policy: Invalid JSON/);
	});

	void test('key outside the policy → AccessDenied naming the condition', async () => {
		const t = await ticket(sandbox);
		await reject(
			[...ticketFields({ ...t, Key: `elsewhere/${t.Key}` }), file],
			403,
			'AccessDenied',
			/^Invalid according to Policy: Policy Condition failed: \["starts-with", "\$key", /,
		);
	});

	void test('extra form fields are checked against the conditions', async () => {
		const t = await customTicket([
			['starts-with', '$key', 'ota/'],
			['eq', '$success_action_status', '200'],
			['content-length-range', 0, 100],
		]);
		await reject(
			[...ticketFields(t), ['success_action_status', '201'], file],
			403,
			'AccessDenied',
			/\["eq", "\$success_action_status", "200"\]/,
		);
		const ok = await postForm(t.Host, [...ticketFields(t), ['success_action_status', '200'], file]);
		assert.equal(ok.status, 200);
	});

	void test('expired policy → AccessDenied "Policy expired."', async () => {
		const t = await customTicket([['content-length-range', 0, 100]], new Date(Date.now() - 1000).toISOString());
		await reject([...ticketFields(t), file], 403, 'AccessDenied', /^Invalid according to Policy: Policy expired\.$/);
	});

	void test('file over the policy maximum → EntityTooLarge, under the minimum → EntityTooSmall', async () => {
		const t = await customTicket([
			['starts-with', '$key', 'ota/'],
			['content-length-range', 10, 5000],
		]);
		await reject([...ticketFields(t), ['file', randomBytes(5001), 'big.bin']], 400, 'EntityTooLarge');
		await reject([...ticketFields(t), ['file', randomBytes(9), 'small.bin']], 400, 'EntityTooSmall');
		const exact = await postForm(t.Host, [...ticketFields(t), ['file', randomBytes(5000), 'ok.bin']]);
		assert.equal(exact.status, 204);
	});

	void test('a streamed file that passes the maximum is cut off while uploading', async () => {
		const t = await customTicket([
			['starts-with', '$key', 'ota/'],
			['content-length-range', 0, 1024 * 1024],
		]);
		// Chunked (no Content-Length), so only the running byte count can catch it.
		const boundary = 'sandboxTestBoundary';
		const head = Buffer.from(
			ticketFields(t)
				.map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
				.join('') +
				`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
		);
		const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			const req = request(
				`${t.Host}/`,
				{ method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } },
				(r) => {
					let body = '';
					r.on('data', (c: Buffer) => (body += c.toString()));
					r.on('end', () => resolve({ status: r.statusCode ?? 0, body }));
				},
			);
			req.on('error', reject);
			req.write(head);
			const chunk = randomBytes(64 * 1024);
			let sent = 0;
			const pump = (): void => {
				while (sent < 8 * 1024 * 1024 && !req.destroyed) {
					sent += chunk.length;
					if (!req.write(chunk)) {
						req.once('drain', pump);
						return;
					}
				}
				req.end(`\r\n--${boundary}--\r\n`);
			};
			pump();
		});
		assert.equal(res.status, 400);
		assert.equal(xmlCode(res.body), 'EntityTooLarge');
		assert.equal((await fetch(signedUrl(sandbox, t.FirmwareUrl))).status, 404);
		assert.deepEqual(await tmpFiles(), []);
	});

	void test('a Content-Length far above the maximum is answered at once, without waiting for the body', async () => {
		const t = await customTicket([
			['starts-with', '$key', 'ota/'],
			['content-length-range', 0, 1000],
		]);
		const boundary = 'b0undary';
		const head =
			ticketFields(t)
				.map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`)
				.join('') + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n\r\n`;
		const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			const req = request(`${t.Host}/`, {
				method: 'POST',
				headers: {
					'content-type': `multipart/form-data; boundary=${boundary}`,
					'content-length': String(head.length + 500_000_000),
				},
			});
			req.on('response', (r) => {
				let body = '';
				r.on('data', (c: Buffer) => (body += c.toString()));
				r.on('end', () => {
					resolve({ status: r.statusCode ?? 0, body });
					req.destroy();
				});
			});
			req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
			req.write(head);
			req.write(randomBytes(64 * 1024)); // then never send the rest of the promised 500 MB
		});
		assert.equal(res.status, 400);
		assert.equal(xmlCode(res.body), 'EntityTooLarge');
	});

	void test('form fields over 4 KB → FieldItemTooLong', async () => {
		const t = await ticket(sandbox);
		await reject([...ticketFields(t), ['x-oss-meta-note', 'n'.repeat(4500)], file], 400, 'FieldItemTooLong');
		// Only the part named "file" is the object: another part with a filename is a (too long) field.
		await reject([...ticketFields(t), ['attachment', randomBytes(5000), 'note.txt'], file], 400, 'FieldItemTooLong');
	});

	for (const key of ['ota/../../escape.bin', '../escape.bin', '/etc/passwd', 'ota\\..\\x.bin', 'ota/a\0b.bin', 'ota/./x.bin']) {
		void test(`key ${JSON.stringify(key)} → InvalidArgument, nothing written outside the data dir`, async () => {
			const t = await customTicket([
				['starts-with', '$key', ''],
				['content-length-range', 0, 100],
			]);
			await reject([...ticketFields({ ...t, Key: key }), file], 400, 'InvalidArgument');
			await assert.rejects(fs.stat(path.join(sandbox.dataDir, '..', 'escape.bin')));
		});
	}

	void test('objects live under the data dir under hashed names', async () => {
		const t = await ticket(sandbox);
		const res = await postForm(t.Host, [...ticketFields(t), file]);
		assert.equal(res.status, 204);
		const name = createHash('sha256').update(t.Key).digest('hex');
		assert.deepEqual(await fs.readFile(path.join(sandbox.dataDir, 'objects', name)), Buffer.from('payload'));
	});

	void test('policy minted by the sandbox itself verifies (sanity of the shared helpers)', async () => {
		const minted = mintUploadPolicy({
			key: 'ota/own/policy.bin',
			now: Date.now(),
			ttlMs: 60_000,
			maxBytes: 10,
		});
		const t = await ticket(sandbox);
		const own = {
			...t,
			Key: 'ota/own/policy.bin',
			Policy: minted.base64,
			Signature: signPostPolicy(minted.base64, await ossOwnerSecret(sandbox)),
		};
		assert.equal((await postForm(t.Host, [...ticketFields(own), file])).status, 204);
	});
});

/** The OSS owner's secret is persisted in identity.json; tests use it to sign policies of their own. */
async function ossOwnerSecret(sandbox: Sandbox): Promise<string> {
	const identity = JSON.parse(await fs.readFile(path.join(sandbox.dataDir, 'identity.json'), 'utf8')) as { ossSecret: string };
	return identity.ossSecret;
}
