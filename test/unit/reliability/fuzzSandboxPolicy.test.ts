// Fuzzing the sandbox's OSS policy decoder (fast-check, bounded for CI; FUZZ_RUNS / FUZZ_SECONDS raise it,
// FUZZ_SEED replays) with random base64 / JSON: a policy, or an OssError of the documented codes, nothing else.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { OssError } from '../../../src/sandbox/ossErrors';
import { checkPolicyConditions, decodePostPolicy } from '../../../src/sandbox/ossPolicy';
import { checkProperty, fuzzParams } from '../../support/reliability';

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
