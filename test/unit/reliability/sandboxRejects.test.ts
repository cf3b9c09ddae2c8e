// Sandbox rejections the owner's suite (test/unit/sandbox/) does not cover yet: a byte-for-byte replay of a
// signed request, a parameter changed after signing, and GetObject paths that try to leave the objects folder.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, before, describe, test } from 'node:test';
import type { Sandbox } from '../../../src/sandbox';
import { signRpc } from '../../../src/sandbox/popSignature';
import { signedUrl } from '../../support/ossDownload';
import { installTripwire } from '../../support/reliability';
import { useSandboxSuite } from '../../support/reliabilitySuite';

const tripwire = installTripwire();

function signedForm(sandbox: Sandbox, extra: Record<string, string> = {}): { params: Record<string, string>; body: string } {
	const params: Record<string, string> = {
		Action: 'QueryProductList',
		Format: 'JSON',
		Version: '2018-01-20',
		AccessKeyId: sandbox.accessKeyId,
		SignatureMethod: 'HMAC-SHA1',
		SignatureVersion: '1.0',
		SignatureNonce: randomBytes(16).toString('hex'),
		Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
		RegionId: 'cn-shanghai',
		CurrentPage: '1',
		PageSize: '1',
		...extra,
	};
	const body = new URLSearchParams({ ...params, Signature: signRpc('POST', params, sandbox.accessKeySecret) }).toString();
	return { params, body };
}

async function post(sandbox: Sandbox, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
	const res = await fetch(`${sandbox.endpoint}/`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body,
	});
	return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

void describe('reliability: sandbox rejections not covered by the sandbox suite', () => {
	const suite = useSandboxSuite('iot-ota-rel-rejects-');
	let sandbox: Sandbox;

	before(() => ({ sandbox } = suite));

	afterEach(() => tripwire.assertClean());

	void test('a byte-for-byte replay of a signed request is SignatureNonceUsed (400)', async () => {
		const { body } = signedForm(sandbox);
		assert.equal((await post(sandbox, body)).status, 200);
		const replay = await post(sandbox, body);
		assert.equal(replay.status, 400);
		assert.equal(replay.json.Code, 'SignatureNonceUsed');
	});

	void test('a parameter changed after signing (PageSize 1 → 100) is SignatureDoesNotMatch (400)', async () => {
		const { body } = signedForm(sandbox);
		const tampered = body.replace('PageSize=1', 'PageSize=100');
		assert.notEqual(tampered, body);
		const res = await post(sandbox, tampered);
		assert.equal(res.status, 400);
		assert.equal(res.json.Code, 'SignatureDoesNotMatch');
	});

	void test('a parameter added after signing is SignatureDoesNotMatch (400)', async () => {
		const { body } = signedForm(sandbox);
		const res = await post(sandbox, `${body}&IotInstanceId=iot-sandbox-ent`);
		assert.equal(res.status, 400);
		assert.equal(res.json.Code, 'SignatureDoesNotMatch');
	});

	for (const attempt of [
		'/..%2Fidentity.json',
		'/..%2F..%2Fetc%2Fpasswd',
		'/ota%2F..%2F..%2Fstate.json',
		'/%2E%2E/state.json',
		'/ota/..%5C..%5Cstate.json',
	]) {
		void test(`GetObject ${attempt} cannot read outside the objects folder, even signed`, async () => {
			const res = await fetch(signedUrl(sandbox, `${sandbox.ossHost}${attempt}`));
			const text = await res.text();
			assert.ok(res.status === 400 || res.status === 404, `status ${res.status}`);
			assert.match(text, /<Code>(InvalidArgument|NoSuchKey)<\/Code>/);
			assert.ok(
				!text.includes(sandbox.accessKeySecret) && !text.includes(sandbox.sts.securityToken) && !text.includes('"firmware"'),
				'file content leaked',
			);
		});
	}
});
