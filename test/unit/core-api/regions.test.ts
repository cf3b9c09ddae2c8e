import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_REGION, endpointFor, endpointSecretPart, findRegion, IOT_REGIONS, shownEndpoint } from '../../../src/core/regions';

void test('the region list has the public and the Enterprise-only regions', () => {
	assert.equal(DEFAULT_REGION, 'cn-shanghai');
	assert.deepEqual(
		IOT_REGIONS.filter((r) => r.enterpriseOnly).map((r) => r.id),
		['cn-beijing', 'cn-shenzhen'],
	);
	for (const id of ['cn-shanghai', 'ap-southeast-1', 'ap-northeast-1', 'us-west-1', 'us-east-1', 'eu-central-1']) {
		assert.equal(findRegion(id)?.enterpriseOnly, false, id);
	}
});

void test('endpointFor derives https://iot.<region>.aliyuncs.com, also for future regions', () => {
	assert.equal(endpointFor({ region: 'cn-shanghai' }), 'https://iot.cn-shanghai.aliyuncs.com');
	assert.equal(endpointFor({ region: ' eu-central-1 ', endpoint: '  ' }), 'https://iot.eu-central-1.aliyuncs.com');
	assert.equal(endpointFor({ region: 'me-central-1' }), 'https://iot.me-central-1.aliyuncs.com');
	assert.equal(endpointFor({ region: 'cn-wulanchabu' }), 'https://iot.cn-wulanchabu.aliyuncs.com');
});

void test('endpointFor refuses garbage regions', () => {
	for (const region of ['', 'shanghai', 'cn-shanghai.evil.com', 'CN-SHANGHAI', 'cn-shanghai/x', 'cn-shanghai-1-2']) {
		assert.throws(() => endpointFor({ region }), { code: 'InvalidRegion', source: 'validation' }, region);
	}
});

void test('endpoint overrides are validated and lose their trailing slash', () => {
	assert.equal(
		endpointFor({ region: 'cn-shanghai', endpoint: 'https://iot.cn-shanghai.aliyuncs.com/' }),
		'https://iot.cn-shanghai.aliyuncs.com',
	);
	assert.equal(endpointFor({ region: 'cn-shanghai', endpoint: 'http://127.0.0.1:8080/' }), 'http://127.0.0.1:8080');
	assert.equal(endpointFor({ region: 'cn-shanghai', endpoint: 'http://localhost:9/' }), 'http://localhost:9');
	assert.equal(endpointFor({ region: 'cn-shanghai', endpoint: 'http://[::1]:9' }), 'http://[::1]:9');
	assert.equal(endpointFor({ region: 'cn-shanghai', endpoint: 'https://gw.example.com/iot//' }), 'https://gw.example.com/iot');
	for (const endpoint of ['iot.cn-shanghai.aliyuncs.com', 'ftp://x.example.com', 'https://x.example.com/?a=1', 'not a url']) {
		assert.throws(() => endpointFor({ region: 'cn-shanghai', endpoint }), { code: 'InvalidEndpoint' }, endpoint);
	}
});

void test('an endpoint with credentials in it is refused without echoing them', () => {
	assert.throws(
		() => endpointFor({ region: 'cn-shanghai', endpoint: 'https://user:pa55word@x.example.com' }),
		(e: unknown) => (e as Error).message.includes('pa55word') === false && (e as { code: string }).code === 'InvalidEndpoint',
	);
});

void test('the part of an endpoint that may hold a secret: any @ (as output masks it), any ? or # (even empty); the endpoint is refused for it', () => {
	const cases: Array<[string, 'user-info' | 'query' | undefined]> = [
		['https://iot.cn-shanghai.aliyuncs.com', undefined],
		['http://127.0.0.1:8080/iot', undefined],
		['https://user:pa55word@x.example.com', 'user-info'],
		['https://x.example.com/pa55word@iot', 'user-info'],
		['https://user:pa55word@x.example.com/?a=1', 'user-info'],
		['https://x.example.com/?a=1', 'query'],
		['https://x.example.com/?mail=a@b', 'query'],
		['https://x.example.com/?', 'query'],
		['https://x.example.com/#', 'query'],
	];
	for (const [endpoint, part] of cases) {
		assert.equal(endpointSecretPart(endpoint), part, endpoint);
		if (part === undefined) {
			assert.doesNotThrow(() => endpointFor({ region: 'cn-shanghai', endpoint }), endpoint);
		} else {
			assert.throws(
				() => endpointFor({ region: 'cn-shanghai', endpoint }),
				(e: unknown) =>
					(e as { code: string }).code === 'InvalidEndpoint' &&
					(e as { reason: { values: { why: string } } }).reason.values.why === part &&
					!(e as Error).message.includes('pa55word') &&
					// The refusal names what to remove, an "@" in the path too.
					(e as Error).message.includes(part === 'user-info' ? 'must not contain "@"' : 'must not contain a query string'),
				endpoint,
			);
		}
	}
});

void test('plain http to a non-loopback host needs allowInsecure', () => {
	assert.throws(() => endpointFor({ region: 'cn-shanghai', endpoint: 'http://iot.cn-shanghai.aliyuncs.com' }), {
		code: 'InsecureEndpoint',
	});
	assert.throws(() => endpointFor({ region: 'cn-shanghai', endpoint: 'http://10.0.0.5:8080' }), { code: 'InsecureEndpoint' });
	assert.equal(
		endpointFor({ region: 'cn-shanghai', endpoint: 'http://10.0.0.5:8080/' }, { allowInsecure: true }),
		'http://10.0.0.5:8080',
	);
});

void test('an endpoint as output shows it: no user name, password or secret query value, in any form', () => {
	assert.equal(shownEndpoint('https://ak:pa55@word@gw.example.com/iot'), 'https://***@gw.example.com/iot');
	assert.equal(shownEndpoint('ak:pa55word@gw.example.com'), '***@gw.example.com');
	assert.equal(shownEndpoint('https://gw.example.com/?SecurityToken=t0k&a=1'), 'https://gw.example.com/?SecurityToken=***&a=1');
	assert.equal(shownEndpoint('https://gw.example.com:8443/iot'), 'https://gw.example.com:8443/iot');
});
