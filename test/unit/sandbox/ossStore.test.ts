// The sandbox's OSS: PostObject stores the file (answers per success_action_status, large and empty files, hashed
// names under the data dir) and the private bucket serves it only to a valid V1 signature. The rejected forms are
// in ossRejects.test.ts.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { mintUploadPolicy, signPostPolicy } from '../../../src/sandbox/ossPolicy';
import {
	ossOwnerSecret,
	postForm,
	sendRaw,
	ticket,
	ticketFields,
	upload,
	uploadTempFiles,
	xmlCode,
	xmlValue,
	type FormPart,
} from './support';
import { signedUrl } from '../../support/ossDownload';

void describe('sandbox OSS PostObject', () => {
	let sandbox: Sandbox;
	before(async () => {
		// Many tickets per second here; the 10 QPS gateway limit is tested in rpc.test.ts.
		sandbox = await startSandbox({ qps: 1000 });
	});
	after(() => sandbox.stop());

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
			assert.deepEqual(await uploadTempFiles(sandbox), []);
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

	const file: FormPart = ['file', Buffer.from('payload'), 'fw.bin'];

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
