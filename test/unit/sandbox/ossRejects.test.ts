// The sandbox's OSS refuses a bad PostObject the way OSS does: an XML error with the documented code (and message),
// no temp file left behind, nothing written outside the data dir. What it stores and serves is in ossStore.test.ts.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { signPostPolicy } from '../../../src/sandbox/ossPolicy';
import {
	customTicket as ticketFor,
	ossOwnerSecret,
	postForm,
	sendRaw,
	ticket,
	ticketFields,
	uploadTempFiles,
	xmlCode,
	xmlValue,
	type FormPart,
} from './support';
import { signedUrl } from '../../support/ossDownload';

void describe('sandbox OSS PostObject rejects', () => {
	let sandbox: Sandbox;
	before(async () => {
		// Many tickets per second here; the 10 QPS gateway limit is tested in rpc.test.ts.
		sandbox = await startSandbox({ qps: 1000 });
	});
	after(() => sandbox.stop());

	const customTicket = (conditions: unknown[], expiration?: string) => ticketFor(sandbox, conditions, expiration);

	const reject = async (parts: FormPart[], status: number, code: string, message?: RegExp): Promise<void> => {
		const res = await postForm(sandbox.ossHost, parts);
		assert.equal(res.status, status, res.body);
		assert.equal(xmlCode(res.body), code, res.body);
		assert.equal(res.headers['content-type'], 'application/xml');
		if (message) {
			assert.match(xmlValue(res.body, 'Message') ?? '', message);
		}
		assert.deepEqual(await uploadTempFiles(sandbox), [], 'no temp file left behind');
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
		assert.deepEqual(await uploadTempFiles(sandbox), []);
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
});
