// Fuzzing the sandbox's PostObject multipart handling (fast-check, bounded for CI; FUZZ_RUNS / FUZZ_SECONDS raise
// it, FUZZ_SEED replays): garbled and random bodies POSTed to the running OSS listener. Invariants: never a crash,
// never a hang (per-case deadline), always an OSS answer (XML error or 2xx), no temp file left behind, nothing
// written outside the data dir.
import RPCClient from '@alicloud/pop-core';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterEach, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Sandbox } from '../../../src/sandbox';
import { checkProperty, fuzzParams, installTripwire, listFiles, sandboxTmp, withDeadline } from '../../support/reliability';
import { useSandboxSuite } from '../../support/reliabilitySuite';
import { applyBytes, applyStructural, CASE_DEADLINE_MS, encodeForm, mutationArb, send, type Answer } from './fuzzSandboxSupport';

const tripwire = installTripwire();

interface Ticket {
	Key: string;
	Host: string;
	Policy: string;
	OSSAccessKeyId: string;
	Signature: string;
}

void describe('reliability fuzz: OSS PostObject multipart handling', () => {
	const suite = useSandboxSuite('iot-ota-rel-fuzz-oss-', { sandbox: { qps: 1_000_000 } });
	let sandbox: Sandbox;
	let client: RPCClient;
	let siblingsBefore: string[];
	let stored = 0;

	before(() => {
		({ sandbox } = suite);
		client = new RPCClient({
			accessKeyId: sandbox.accessKeyId,
			accessKeySecret: sandbox.accessKeySecret,
			endpoint: sandbox.endpoint,
			apiVersion: '2018-01-20',
		});
		siblingsBefore = readdirSync(suite.work).sort();
		sandbox.events.on('objectStored', () => stored++);
	});

	afterEach(() => tripwire.assertClean());

	async function ticket(): Promise<Ticket> {
		const body = await client.request<{ Data: Ticket }>(
			'GenerateOTAUploadURL',
			{ RegionId: 'cn-shanghai', FileSuffix: 'bin' },
			{ method: 'POST' },
		);
		return body.Data;
	}

	/** A well-formed OSS answer: 2xx (empty or PostResponse) or an XML <Error> with a Code and a RequestId. */
	function assertOssAnswer(answer: Answer, what: string): void {
		if (answer.status === 0) {
			assert.fail(`${what}: the sandbox dropped the connection without an answer`);
		}
		if (answer.status >= 200 && answer.status < 300) {
			assert.ok(answer.body === '' || answer.body.includes('<PostResponse>'), `${what}: odd success body ${answer.body}`);
			return;
		}
		assert.ok(answer.status >= 400 && answer.status < 600, `${what}: status ${answer.status}`);
		assert.match(
			answer.body,
			/<Error>[\s\S]*<Code>[A-Za-z]+<\/Code>[\s\S]*<RequestId>[0-9A-F]{24}<\/RequestId>/,
			`${what}: not an OSS error document: ${answer.body.slice(0, 300)}`,
		);
	}

	async function assertNoLeftovers(): Promise<void> {
		// Rejected uploads delete their temp file asynchronously.
		await sandbox.uploadsSettled();
		assert.deepEqual(sandboxTmp(sandbox), [], 'a temp file was left in the sandbox tmp/ folder');
		assert.deepEqual(readdirSync(suite.work).sort(), siblingsBefore, 'something was written next to the data dir');
		const objects = listFiles(path.join(sandbox.dataDir, 'objects'));
		assert.ok(
			objects.every((f) => /^[0-9a-f]{64}$/.test(path.basename(f))),
			`unexpected object file names: ${objects.join(', ')}`,
		);
	}

	void test('garbled forms built from a real ticket: always an OSS answer, nothing left behind, only 2xx stores an object', async () => {
		await checkProperty(() =>
			fc.assert(
				fc.asyncProperty(
					fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
					fc.constantFrom('\r\n', '\n'),
					fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,40}$/),
					fc.uint8Array({ maxLength: 3000 }),
					async (mutations, eol, boundary, fileBytes) => {
						const t = await ticket();
						const parts = applyStructural(
							[
								{ name: 'key', value: Buffer.from(t.Key) },
								{ name: 'OSSAccessKeyId', value: Buffer.from(t.OSSAccessKeyId) },
								{ name: 'policy', value: Buffer.from(t.Policy) },
								{ name: 'Signature', value: Buffer.from(t.Signature) },
								{ name: 'success_action_status', value: Buffer.from('200') },
								{ name: 'file', value: Buffer.from(fileBytes), filename: 'fw.bin' },
							],
							mutations,
						);
						const body = applyBytes(encodeForm(parts, boundary, eol), mutations);
						const before = stored;
						const answer = await withDeadline(
							send(
								`${t.Host}/`,
								'POST',
								{ 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) },
								body,
							),
							CASE_DEADLINE_MS,
							'garbled PostObject',
						);
						assertOssAnswer(answer, JSON.stringify(mutations).slice(0, 300));
						const success = answer.status >= 200 && answer.status < 300;
						assert.equal(
							stored - before,
							success ? 1 : 0,
							'an object was stored without a 2xx answer (or not stored with one)',
						);
						await assertNoLeftovers();
					},
				),
				fuzzParams(120, 8),
			),
		);
	});

	void test('found by the fuzzer: a form part whose Content-Disposition has no name gets an OSS error, not a crash', async () => {
		// Shrunk from a garbled form: one flipped byte turned `; name=` into `;Gname=`. busboy then reports the
		// part with an undefined name; the sandbox must answer it like any other malformed POST.
		const t = await ticket();
		const boundary = 'n0name';
		for (const disposition of ['form-data;Gname="x"', 'form-data', 'form-data; filename="fw.bin"']) {
			const body = Buffer.from(
				[
					`--${boundary}`,
					'Content-Disposition: form-data; name="key"',
					'',
					t.Key,
					`--${boundary}`,
					`Content-Disposition: ${disposition}`,
					'',
					'value',
					`--${boundary}`,
					'Content-Disposition: form-data; name="file"; filename="fw.bin"',
					'',
					'data',
					`--${boundary}--`,
					'',
				].join('\r\n'),
			);
			const answer = await withDeadline(
				send(
					`${t.Host}/`,
					'POST',
					{ 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) },
					body,
				),
				CASE_DEADLINE_MS,
				`part with Content-Disposition: ${disposition}`,
			);
			assertOssAnswer(answer, disposition);
			assert.ok(answer.status >= 400, `${disposition}: accepted`);
			await tripwire.assertClean(`a part with Content-Disposition: ${disposition}`);
		}
		await assertNoLeftovers();
	});

	void test('random bodies and headers: always an OSS answer, nothing stored, nothing left behind', async () => {
		await checkProperty(() =>
			fc.assert(
				fc.asyncProperty(
					fc.uint8Array({ maxLength: 4000 }),
					fc.oneof(
						fc.constant('multipart/form-data; boundary=xyz'),
						fc.constant('multipart/form-data'),
						fc.constant('multipart/form-data; boundary=""'),
						fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, '')),
					),
					fc.boolean(),
					async (bytes, contentType, prefixBoundary) => {
						const body = prefixBoundary ? Buffer.concat([Buffer.from('--xyz\r\n'), Buffer.from(bytes)]) : Buffer.from(bytes);
						const before = stored;
						const answer = await withDeadline(
							send(
								`${sandbox.ossHost}/`,
								'POST',
								{ 'content-type': contentType, 'content-length': String(body.length) },
								body,
							),
							CASE_DEADLINE_MS,
							'random PostObject',
						);
						assertOssAnswer(answer, `content-type ${JSON.stringify(contentType)}, ${body.length} bytes`);
						assert.ok(answer.status >= 400, 'random bytes were accepted as an upload');
						assert.equal(stored, before);
						await assertNoLeftovers();
					},
				),
				fuzzParams(150, 6),
			),
		);
	});

	void test('a client that sends less than its Content-Length and hangs up never leaves a temp file or a pending upload', async () => {
		await checkProperty(() =>
			fc.assert(
				fc.asyncProperty(
					fc.integer({ min: 0, max: 100 }),
					fc.uint8Array({ minLength: 1, maxLength: 2000 }),
					async (percent, fileBytes) => {
						const t = await ticket();
						const boundary = 'cut0ff';
						const body = encodeForm(
							[
								{ name: 'key', value: Buffer.from(t.Key) },
								{ name: 'OSSAccessKeyId', value: Buffer.from(t.OSSAccessKeyId) },
								{ name: 'policy', value: Buffer.from(t.Policy) },
								{ name: 'Signature', value: Buffer.from(t.Signature) },
								{ name: 'file', value: Buffer.from(fileBytes), filename: 'fw.bin' },
							],
							boundary,
							'\r\n',
						);
						const cut = body.subarray(0, Math.floor((body.length * percent) / 100));
						// The sandbox reports the end of an upload it did not store: rejected (the form broke off) or aborted.
						let ended = (): void => undefined;
						const uploadEnded = new Promise<void>((resolve) => (ended = resolve));
						sandbox.events.on('uploadRejected', ended).on('uploadAborted', ended);
						try {
							const req = request(`${t.Host}/`, {
								method: 'POST',
								agent: false,
								headers: {
									'content-type': `multipart/form-data; boundary=${boundary}`,
									'content-length': String(body.length + 10),
								},
							});
							req.on('error', () => undefined);
							req.on('response', (res) => res.resume());
							// The headers and the cut body are on the wire: hang up.
							req.write(cut, () => req.destroy());
							await withDeadline(uploadEnded, CASE_DEADLINE_MS, 'cut-off upload');
						} finally {
							sandbox.events.off('uploadRejected', ended).off('uploadAborted', ended);
						}
						await assertNoLeftovers();
					},
				),
				fuzzParams(40, 5),
			),
		);
	});
});
