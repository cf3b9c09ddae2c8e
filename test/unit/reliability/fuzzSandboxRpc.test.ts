// Fuzzing the sandbox's POP RPC side (fast-check, bounded for CI; FUZZ_RUNS / FUZZ_SECONDS raise it, FUZZ_SEED
// replays): the canonicaliser/signature and the gateway, over HTTP with random parameters. Invariants: never a crash
// (uncaught exception / unhandled rejection), never a hang (per-case deadline), always a well-formed POP answer.
// The PostObject and policy-decoder fuzzers are in fuzzSandboxPostObject.test.ts and fuzzSandboxPolicy.test.ts.
import RPCClient from '@alicloud/pop-core';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Sandbox } from '../../../src/sandbox';
import { canonicalQueryString, percentEncode, signRpc } from '../../../src/sandbox/popSignature';
import { parseRpcTimestamp } from '../../../src/sandbox/rpcGateway';
import { checkProperty, fuzzParams, installTripwire, withDeadline } from '../../support/reliability';
import { useSandboxSuite } from '../../support/reliabilitySuite';
import { commonParams } from '../sandbox/support';
import { CASE_DEADLINE_MS, send } from './fuzzSandboxSupport';

const tripwire = installTripwire();

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
