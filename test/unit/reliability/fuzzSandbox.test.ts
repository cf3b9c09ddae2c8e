// Fuzzing the sandbox (fast-check, bounded for CI; FUZZ_RUNS / FUZZ_SECONDS raise it, FUZZ_SEED replays):
//  - the POP RPC canonicaliser/signature and the gateway, over HTTP with random parameters;
//  - PostObject multipart handling, with garbled and random bodies POSTed to the running OSS listener;
//  - the policy decoder, with random base64 / JSON.
// Invariants: never a crash (uncaught exception / unhandled rejection), never a hang (per-case deadline),
// always a well-formed answer (POP JSON error or success; OSS XML error or 2xx), no temp file left behind,
// nothing written outside the data dir.
import RPCClient from '@alicloud/pop-core';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { afterEach, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Sandbox } from '../../../src/sandbox';
import { OssError } from '../../../src/sandbox/ossErrors';
import { checkPolicyConditions, decodePostPolicy } from '../../../src/sandbox/ossPolicy';
import { canonicalQueryString, percentEncode, signRpc } from '../../../src/sandbox/popSignature';
import { parseRpcTimestamp } from '../../../src/sandbox/rpcGateway';
import { checkProperty, fuzzParams, installTripwire, listFiles, sandboxTmp, withDeadline } from '../../support/reliability';
import { useSandboxSuite } from '../../support/reliabilitySuite';
import { commonParams } from '../sandbox/support';

const tripwire = installTripwire();
const CASE_DEADLINE_MS = 3000;

interface Answer {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** Sends raw bytes; resolves with the answer, or with status 0 when the server closed the connection. */
function send(url: string, method: string, headers: Record<string, string>, body?: Buffer | string): Promise<Answer> {
	return new Promise((resolve) => {
		// An explicit length: without it Node sends GET/DELETE bodies unframed, a malformed request of our own making.
		const framed = body === undefined ? headers : { 'content-length': String(Buffer.byteLength(body)), ...headers };
		const req = request(url, { method, headers: framed, agent: false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
			);
			res.on('error', () => resolve({ status: 0, headers: {}, body: '' }));
		});
		req.on('error', () => resolve({ status: 0, headers: {}, body: '' }));
		req.end(body);
	});
}

// Parameter text the way it can arrive over HTTP: any Unicode scalar values (no lone surrogates, which
// UTF-8 cannot carry), with the characters encoders disagree about over-represented.
const tricky = fc.constantFrom(
	' ',
	'+',
	'*',
	'~',
	'!',
	"'",
	'(',
	')',
	'%',
	'%2B',
	'&',
	'=',
	'/',
	'?',
	'#',
	'\0',
	'ü',
	'中',
	'🚀',
	'\r\n',
	'\\',
	'"',
);
const paramText = fc.oneof(
	fc.string({ unit: 'grapheme', maxLength: 20 }),
	fc.array(tricky, { maxLength: 6 }).map((a) => a.join('')),
	fc.string({ unit: 'binary', maxLength: 12 }),
);
const extraName = fc.stringMatching(/^X[A-Za-z0-9.]{0,10}$/);

void describe('reliability fuzz: POP RPC canonicaliser and gateway', () => {
	const suite = useSandboxSuite('iot-ota-rel-fuzz-rpc-', { sandbox: { qps: 1_000_000 } });
	let sandbox: Sandbox;

	before(() => ({ sandbox } = suite));

	afterEach(() => tripwire.assertClean());

	void test('canonical string: never throws, only RFC 3986 unreserved characters or %XX, independent of parameter order', async () => {
		await checkProperty(() =>
			fc.assert(
				fc.property(
					fc.dictionary(
						paramText.filter((k) => k.length > 0),
						paramText,
						{ maxKeys: 8 },
					),
					fc.string({ maxLength: 30 }),
					(params, secret) => {
						const canonical = canonicalQueryString(params);
						assert.match(canonical, /^(?:[A-Za-z0-9\-_.~]|%[0-9A-F]{2}|=|&)*$/);
						const reversed = Object.fromEntries(Object.entries(params).reverse());
						assert.equal(signRpc('POST', reversed, secret), signRpc('POST', params, secret));
						for (const value of Object.values(params)) {
							assert.equal(decodeURIComponent(percentEncode(value)), value);
						}
					},
				),
				fuzzParams(400, 4),
			),
		);
	});

	void test('parseRpcTimestamp: any text → a time or undefined, never an exception; real timestamps round-trip', async () => {
		await checkProperty(() =>
			fc.assert(
				fc.property(
					fc.oneof(
						fc.string({ maxLength: 30 }),
						fc
							.date({ noInvalidDate: true, min: new Date(0), max: new Date(Date.UTC(9999, 11, 31)) })
							.map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')),
					),
					(text) => {
						const parsed = parseRpcTimestamp(text);
						assert.ok(parsed === undefined || Number.isFinite(parsed));
						if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text) && parsed !== undefined) {
							assert.equal(new Date(parsed).toISOString().replace(/\.\d{3}Z$/, 'Z'), text);
						}
					},
				),
				fuzzParams(500, 3),
			),
		);
	});

	void test('HTTP: random extra parameters, correctly signed, are accepted (GET and POST); changing any value after signing is SignatureDoesNotMatch', async () => {
		await checkProperty(() =>
			fc.assert(
				fc.asyncProperty(
					fc.dictionary(extraName, paramText, { maxKeys: 5 }),
					fc.boolean(),
					fc.nat(),
					async (extra, useGet, pick) => {
						const params: Record<string, string> = {
							...commonParams(sandbox.accessKeyId, 'QueryProductList'),
							CurrentPage: '1',
							PageSize: '1',
							...extra,
						};
						const method = useGet ? 'GET' : 'POST';
						const signed = (p: Record<string, string>, signature: string) =>
							new URLSearchParams({ ...p, Signature: signature }).toString();
						const signature = signRpc(method, params, sandbox.accessKeySecret);
						const post = (body: string) =>
							useGet
								? send(`${sandbox.endpoint}/?${body}`, 'GET', {})
								: send(`${sandbox.endpoint}/`, 'POST', { 'content-type': 'application/x-www-form-urlencoded' }, body);
						const ok = await withDeadline(post(signed(params, signature)), CASE_DEADLINE_MS, 'signed call');
						assert.equal(ok.status, 200, ok.body);
						assert.equal(JSON.parse(ok.body).Success, true);

						const names = Object.keys(params).filter(
							(n) =>
								![
									'Signature',
									'Action',
									'Version',
									'Format',
									'SignatureMethod',
									'SignatureVersion',
									'Timestamp',
									'AccessKeyId',
								].includes(n),
						);
						const name = names[pick % names.length];
						const tampered = {
							...params,
							[name]: `${params[name]}x`,
							SignatureNonce: name === 'SignatureNonce' ? `${params.SignatureNonce}x` : randomBytes(16).toString('hex'),
						};
						const bad = await withDeadline(post(signed(tampered, signature)), CASE_DEADLINE_MS, 'tampered call');
						assert.equal(bad.status, 400, bad.body);
						assert.equal(JSON.parse(bad.body).Code, 'SignatureDoesNotMatch');
					},
				),
				fuzzParams(80, 6),
			),
		);
	});

	void test('HTTP: random parameter sets (any names, values, methods, bodies) always get a POP answer, never a 5xx', async () => {
		const anyParams = fc.dictionary(
			fc.oneof(
				fc.constantFrom(
					'Action',
					'Version',
					'AccessKeyId',
					'Signature',
					'SignatureMethod',
					'SignatureNonce',
					'Timestamp',
					'Format',
					'RegionId',
					'SecurityToken',
					'IotInstanceId',
					'FileSuffix',
					'FirmwareName',
					'DestVersion',
					'FirmwareUrl',
					'CurrentPage',
					'PageSize',
					'FirmwareId',
				),
				paramText,
			),
			paramText,
			{ maxKeys: 12 },
		);
		await checkProperty(() =>
			fc.assert(
				fc.asyncProperty(
					anyParams,
					fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'),
					fc.boolean(),
					fc.boolean(),
					fc.uint8Array({ maxLength: 200 }),
					async (random, method, signIt, rawBody, garbage) => {
						const params: Record<string, string> = signIt
							? { ...commonParams(sandbox.accessKeyId, String(random.Action ?? 'QueryProductList')), ...random }
							: random;
						if (signIt) {
							params.Signature = signRpc(method, params, sandbox.accessKeySecret);
						}
						const query = new URLSearchParams(params).toString();
						const answer = await withDeadline(
							method === 'GET'
								? send(`${sandbox.endpoint}/?${query}`, method, {})
								: send(
										`${sandbox.endpoint}/`,
										method,
										{ 'content-type': 'application/x-www-form-urlencoded' },
										rawBody ? Buffer.from(garbage) : query,
									),
							CASE_DEADLINE_MS,
							'random RPC call',
						);
						assert.ok(
							answer.status === 200 || (answer.status >= 400 && answer.status < 500),
							`status ${answer.status}: ${answer.body}`,
						);
						const json = JSON.parse(answer.body) as Record<string, unknown>;
						assert.equal(typeof json.RequestId, 'string');
						if (answer.status !== 200 || json.Success === false) {
							assert.equal(typeof json.Code, 'string');
						}
					},
				),
				fuzzParams(150, 6),
			),
		);
	});

	void test('pop-core itself round-trips random parameter values through the sandbox gateway', async () => {
		const client = new RPCClient({
			accessKeyId: sandbox.accessKeyId,
			accessKeySecret: sandbox.accessKeySecret,
			endpoint: sandbox.endpoint,
			apiVersion: '2018-01-20',
		});
		await checkProperty(() =>
			fc.assert(
				fc.asyncProperty(
					fc.dictionary(
						extraName,
						paramText.filter((v) => v !== ''),
						{ maxKeys: 4 },
					),
					async (extra) => {
						const body = await withDeadline(
							client.request<Record<string, unknown>>(
								'QueryProductList',
								{ RegionId: 'cn-shanghai', CurrentPage: 1, PageSize: 1, ...extra },
								{ method: 'POST' },
							),
							CASE_DEADLINE_MS,
							'pop-core call',
						);
						assert.equal(body.Success, true);
					},
				),
				fuzzParams(60, 4),
			),
		);
	});
});

// ── OSS PostObject multipart ─────────────────────────────────────────────────────────────────────

interface Ticket {
	Key: string;
	Host: string;
	Policy: string;
	OSSAccessKeyId: string;
	Signature: string;
}

type Part = { name: string; value: Buffer; filename?: string; headers?: string[] };

function encodeForm(parts: Part[], boundary: string, eol: string): Buffer {
	const chunks: Buffer[] = [];
	for (const part of parts) {
		const disposition = `Content-Disposition: form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"` : ''}`;
		const head = [
			`--${boundary}`,
			disposition,
			...(part.headers ?? []),
			...(part.filename !== undefined ? ['Content-Type: application/octet-stream'] : []),
		].join(eol);
		chunks.push(Buffer.from(`${head}${eol}${eol}`, 'latin1'), part.value, Buffer.from(eol));
	}
	chunks.push(Buffer.from(`--${boundary}--${eol}`));
	return Buffer.concat(chunks);
}

type Mutation =
	| { kind: 'truncate'; at: number }
	| { kind: 'flip'; at: number; xor: number }
	| { kind: 'insert'; at: number; bytes: Uint8Array }
	| { kind: 'drop'; part: number }
	| { kind: 'swap'; a: number; b: number }
	| { kind: 'duplicate'; part: number }
	| { kind: 'rename'; part: number; name: string }
	| { kind: 'header'; part: number; header: string }
	| { kind: 'key'; key: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
	fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
	fc.record({
		kind: fc.constant('insert' as const),
		at: fc.nat(),
		bytes: fc.oneof(
			fc.uint8Array({ minLength: 1, maxLength: 40 }),
			fc.constantFrom('\r\n', '--', '\r\n--', '"', ';', '\0').map((s) => new Uint8Array(Buffer.from(s))),
		),
	}),
	fc.record({ kind: fc.constant('drop' as const), part: fc.nat() }),
	fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
	fc.record({ kind: fc.constant('duplicate' as const), part: fc.nat() }),
	fc.record({
		kind: fc.constant('rename' as const),
		part: fc.nat(),
		name: fc.oneof(
			fc.constantFrom('file', 'FILE', 'key', 'policy', 'Signature', 'OSSAccessKeyId', 'success_action_status', 'x-oss-meta-a', ''),
			fc.string({ maxLength: 8 }),
		),
	}),
	fc.record({
		kind: fc.constant('header' as const),
		part: fc.nat(),
		header: fc.oneof(
			fc.constantFrom(
				'Content-Type: text/plain',
				'Content-Transfer-Encoding: base64',
				'Content-Disposition: form-data; name="file"; filename="../../x"',
				'X: y',
			),
			fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, '')),
		),
	}),
	fc.record({
		kind: fc.constant('key' as const),
		key: fc.constantFrom('../escape.bin', '/abs.bin', 'ota/../../x', 'ota\\..\\x', 'a\0b', '', 'ota/' + 'k'.repeat(1100)),
	}),
);

function applyStructural(parts: Part[], mutations: readonly Mutation[]): Part[] {
	let out = parts.map((p) => ({ ...p, headers: [...(p.headers ?? [])] }));
	for (const m of mutations) {
		const n = out.length;
		if (n === 0) {
			break;
		}
		switch (m.kind) {
			case 'drop':
				out.splice(m.part % n, 1);
				break;
			case 'swap': {
				const [a, b] = [m.a % n, m.b % n];
				[out[a], out[b]] = [out[b], out[a]];
				break;
			}
			case 'duplicate':
				out.splice(m.part % n, 0, { ...out[m.part % n] });
				break;
			case 'rename':
				out[m.part % n] = { ...out[m.part % n], name: m.name.replace(/["\r\n]/g, '') };
				break;
			case 'header':
				out[m.part % n].headers?.push(m.header);
				break;
			case 'key':
				out = out.map((p) => (p.name === 'key' ? { ...p, value: Buffer.from(m.key) } : p));
				break;
			default:
				break;
		}
	}
	return out;
}

function applyBytes(body: Buffer, mutations: readonly Mutation[]): Buffer {
	let out = body;
	for (const m of mutations) {
		if (out.length === 0) {
			break;
		}
		if (m.kind === 'truncate') {
			out = out.subarray(0, m.at % out.length);
		} else if (m.kind === 'flip') {
			out = Buffer.from(out);
			out[m.at % out.length] ^= m.xor;
		} else if (m.kind === 'insert') {
			const at = m.at % (out.length + 1);
			out = Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(at)]);
		}
	}
	return out;
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

// ── policy decoder ───────────────────────────────────────────────────────────────────────────────

function onlyOssErrors(run: () => void): void {
	try {
		run();
	} catch (error) {
		assert.ok(
			error instanceof OssError,
			`not an OssError: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
		);
		assert.ok(['InvalidPolicyDocument', 'AccessDenied'].includes(error.code), error.code);
	}
}

void describe('reliability fuzz: OSS policy decoder', () => {
	const conditionArb = fc.oneof(
		fc.tuple(
			fc.constantFrom('eq', 'starts-with', 'EQ', 'in', 'not-in', 'content-length-range', 'bogus'),
			fc.jsonValue(),
			fc.jsonValue(),
		),
		fc.tuple(fc.constant('content-length-range'), fc.oneof(fc.integer(), fc.double()), fc.oneof(fc.integer(), fc.double())),
		fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 2 }),
		fc.jsonValue(),
	);
	const policyLike = fc.record(
		{
			expiration: fc.oneof(
				fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
				fc.string({ maxLength: 30 }),
				fc.jsonValue(),
			),
			conditions: fc.oneof(fc.array(conditionArb, { maxLength: 5 }), fc.jsonValue()),
			extra: fc.jsonValue(),
		},
		{ requiredKeys: [] },
	);
	const b64 = (value: unknown) =>
		Buffer.from(typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined')).toString('base64');

	void test('decodePostPolicy: random text, random base64 JSON and policy-shaped documents → a policy or InvalidPolicyDocument, nothing else', async () => {
		await checkProperty(() =>
			fc.assert(
				fc.property(
					fc.oneof(
						fc.string({ maxLength: 60 }),
						fc.base64String({ maxLength: 80 }),
						fc.jsonValue().map(b64),
						policyLike.map(b64),
					),
					(text) => {
						onlyOssErrors(() => {
							const policy = decodePostPolicy(text);
							assert.ok(Number.isFinite(policy.expiresAt));
							assert.ok(Array.isArray(policy.conditions));
						});
					},
				),
				fuzzParams(2000, 4),
			),
		);
	});

	void test('checkPolicyConditions: decoded random policies against random form fields → pass or AccessDenied, nothing else', async () => {
		await checkProperty(() =>
			fc.assert(
				fc.property(
					policyLike.map(b64),
					fc.dictionary(
						fc.constantFrom('key', 'bucket', 'content-type', 'success_action_status', 'x-oss-meta-a'),
						fc.string({ maxLength: 12 }),
					),
					(text, fields) => {
						onlyOssErrors(() => checkPolicyConditions(decodePostPolicy(text), new Map(Object.entries(fields))));
					},
				),
				fuzzParams(2000, 4),
			),
		);
	});
});
