import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtaError, redact, toOtaError } from '../../src/core/errors';

void test('redact removes signing query parameters and given secrets', () => {
	const url = 'https://iot.cn-shanghai.aliyuncs.com/?AccessKeyId=LTAIabc&Signature=abc%2Bdef&SecurityToken=tok%2Fen&Action=X';
	const out = redact(`failed, URL: ${url} secret=MySecretValue`, ['MySecretValue']);
	assert.equal(out.includes('abc%2Bdef'), false);
	assert.equal(out.includes('tok%2Fen'), false);
	assert.equal(out.includes('MySecretValue'), false);
	assert.match(out, /Action=X/);
});

void test('toOtaError turns non-Error throws into typed errors', () => {
	const err = toOtaError({ name: 'SyntaxError', message: 'Unexpected token <', text: '<html>' });
	assert.ok(err instanceof OtaError);
	assert.equal(err.code, 'SyntaxError');
	const net = toOtaError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
	assert.equal(net.source, 'network');
	assert.equal(net.retryable, true);
});
