import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import RPCClient from '@alicloud/pop-core';
import { IotClient } from '../../../src/core/iotClient';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { okBody, popSignature, startStub, type Stub } from './stubServer';

// docs/protocols.md §1.6: pop-core's signing, captured on the wire. Vectors A, D and E are independent of pop-core (published
// examples, and one computed with Python's standard library); the sandbox's verifier is checked against the same three in
// test/unit/sandbox/signatures.test.ts, so client and sandbox agree through published values. B and C are pop-core's own
// output and only catch regressions.
let stub: Stub;

before(async () => {
	stub = await startStub(() => okBody({ Data: { FirmwareId: 'F1' } }));
});
after(() => stub.close());

async function send(
	apiVersion: string,
	creds: { accessKeyId: string; securityToken?: string },
	action: string,
	params: object,
	method: 'GET' | 'POST',
) {
	const client = new RPCClient({ endpoint: stub.url, apiVersion, accessKeySecret: 'testsecret', ...creds });
	const before = stub.requests.length;
	await client.request(action, params, { method });
	return stub.requests[before];
}

void test('vector A (documented DescribeRegions, GET) signs to OLeaidS1JvxuMvnyHOwuJ+uX5qY=', async () => {
	const req = await send(
		'2014-05-26',
		{ accessKeyId: 'testid' },
		'DescribeRegions',
		{ Format: 'XML', SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf', Timestamp: '2016-02-23T12:46:24Z' },
		'GET',
	);
	assert.equal(req.method, 'GET');
	assert.match(req.search, /&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D$/);
	assert.equal(req.params.Signature, 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
});

void test('vector D (documented Mobile Push GetDeviceInfos, GET, a comma encoded twice) signs to Q4jj5vC+NRtz294V+oIW7gfaJ6U=', async () => {
	const req = await send(
		'2015-08-27',
		{ accessKeyId: 'testid' },
		'GetDeviceInfos',
		{
			Format: 'XML',
			RegionId: 'cn-hangzhou',
			AppKey: '23267207',
			Devices: 'e2ba19de97604f55b165576736477b74,92a1da34bdfd4c9692714917ce22d53d',
			SignatureNonce: 'c4f5f0de-b3ff-4528-8a89-fa478bda8d80',
			Timestamp: '2016-03-29T03:59:24Z',
		},
		'GET',
	);
	assert.equal(req.params.Signature, 'Q4jj5vC+NRtz294V+oIW7gfaJ6U=');
});

void test('vector E (computed with Python: CreateOTAFirmware POST, CJK, full-width, RFC 3986 specials, empty value) signs to U9pIsM6bfK/ODhBgoQ67EJRCBMk=', async () => {
	const req = await send(
		'2018-01-20',
		{ accessKeyId: 'STS.testid', securityToken: 'tok/en+=' },
		'CreateOTAFirmware',
		{
			SignatureNonce: '0123456789abcdef0123456789abcdef',
			Timestamp: '2024-01-02T03:04:05Z',
			RegionId: 'cn-shanghai',
			IotInstanceId: 'iot-060a0xyz',
			ProductKey: 'a1BcDeFgHiJ',
			FirmwareName: 'ラーメン-1（試）(v2)',
			FirmwareDesc: "a*b ~c!'()",
			DestVersion: '2.0.0',
			SrcVersion: '',
			'MultiFiles.1.Name': 'a b',
		},
		'POST',
	);
	assert.equal(req.search, '', 'POST must carry no query string');
	assert.ok(req.body.includes('SrcVersion=&'), 'the empty value is sent (and signed)');
	assert.equal(req.params.Signature, 'U9pIsM6bfK/ODhBgoQ67EJRCBMk=');
});

void test('vector B (GenerateOTAUploadURL, pop-core output) still signs to the recorded GET and POST values', async () => {
	const params = {
		RegionId: 'cn-shanghai',
		FileSuffix: 'bin',
		SignatureNonce: 'c0ffee00c0ffee00c0ffee00c0ffee00',
		Timestamp: '2024-01-02T03:04:05Z',
	};
	const get = await send('2018-01-20', { accessKeyId: 'testid' }, 'GenerateOTAUploadURL', params, 'GET');
	assert.equal(get.params.Signature, 'I/yvx/0aS7qp7rVADSnadQuokkg=');

	const post = await send('2018-01-20', { accessKeyId: 'testid' }, 'GenerateOTAUploadURL', params, 'POST');
	assert.equal(post.method, 'POST');
	assert.equal(post.search, '', 'POST must carry no query string');
	assert.equal(post.params.Signature, 'zoqeJ8E87ZxlS0qKSRHdhyCGQfg=');
	assert.equal(
		post.body.replace(/&Signature=.*$/, ''),
		'AccessKeyId=testid&Action=GenerateOTAUploadURL&FileSuffix=bin&Format=JSON&RegionId=cn-shanghai&SignatureMethod=HMAC-SHA1' +
			'&SignatureNonce=c0ffee00c0ffee00c0ffee00c0ffee00&SignatureVersion=1.0&Timestamp=2024-01-02T03%3A04%3A05Z&Version=2018-01-20',
	);
});

void test('vector C (CreateOTAFirmware, STS, tricky characters, POST; pop-core output) still signs to 2XZvNyAmUv0phad97DNKihmSjPc=', async () => {
	const req = await send(
		'2018-01-20',
		{ accessKeyId: 'STS.testid', securityToken: 'tok/en+=' },
		'CreateOTAFirmware',
		{
			SignatureNonce: '00000000000000000000000000000001',
			Timestamp: '2024-01-02T03:04:05Z',
			RegionId: 'cn-shanghai',
			ProductKey: 'a1BcDeFgHiJ',
			FirmwareName: 'fw (v2)* test~ü',
			DestVersion: '2.0.0',
			FirmwareUrl: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/abc/DEF.bin',
			FirmwareSize: 1024,
			FirmwareSign: '0123456789abcdef0123456789abcdef',
			SignMethod: 'MD5',
			MultiFiles: [{ Name: 'a b' }],
		},
		'POST',
	);
	assert.ok(req.body.includes('FirmwareName=fw%20%28v2%29%2A%20test~%C3%BC'));
	assert.ok(req.body.includes('SecurityToken=tok%2Fen%2B%3D'));
	assert.ok(req.body.includes('MultiFiles.1.Name=a%20b'));
	assert.equal(req.params.Signature, '2XZvNyAmUv0phad97DNKihmSjPc=');
});

void test('IotClient sends a signed POST form with RegionId, IotInstanceId and no stray parameters', async () => {
	const client = new IotClient({
		region: 'cn-shanghai',
		endpoint: `${stub.url}/`,
		iotInstanceId: 'iot-060a0xyz',
		credentials: { accessKeyId: 'STS.testid', accessKeySecret: 'testsecret', securityToken: 'tok/en+=' },
		limiter: new RateLimiter({ perSecond: 1000 }),
	});
	const before = stub.requests.length;
	await client.deleteOtaFirmware('fw-1');
	const req = stub.requests[before];
	assert.equal(req.method, 'POST');
	assert.equal(req.path, '/');
	assert.equal(req.search, '');
	assert.match(String(req.headers['content-type']), /application\/x-www-form-urlencoded/);
	const { Signature, SignatureNonce, Timestamp, ...rest } = req.params;
	assert.match(SignatureNonce, /^[0-9a-f]{32}$/);
	assert.match(Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
	assert.deepEqual(rest, {
		AccessKeyId: 'STS.testid',
		Action: 'DeleteOTAFirmware',
		FirmwareId: 'fw-1',
		Format: 'JSON',
		IotInstanceId: 'iot-060a0xyz',
		RegionId: 'cn-shanghai',
		SecurityToken: 'tok/en+=',
		SignatureMethod: 'HMAC-SHA1',
		SignatureVersion: '1.0',
		Version: '2018-01-20',
	});
	assert.equal(Signature, popSignature('POST', req.params, 'testsecret'));
});

void test('IotClient omits unset optional parameters instead of sending "undefined"', async () => {
	const client = new IotClient({
		region: 'ap-southeast-1',
		endpoint: stub.url,
		credentials: { accessKeyId: 'testid', accessKeySecret: 'testsecret' },
		limiter: new RateLimiter({ perSecond: 1000 }),
	});
	const before = stub.requests.length;
	const result = await client.createOtaFirmware({
		firmwareUrl: 'https://x/y.bin',
		firmwareName: 'fw',
		destVersion: '1.0.0',
		productKey: 'pk',
		needToVerify: false,
		type: 0,
	});
	assert.deepEqual(result, { firmwareId: 'F1', requestId: 'REQ-OK' });
	const req = stub.requests[before];
	assert.equal(req.params.RegionId, 'ap-southeast-1');
	assert.equal(req.params.NeedToVerify, 'false');
	assert.equal(req.params.Type, '0');
	assert.equal('IotInstanceId' in req.params, false);
	assert.equal('SrcVersion' in req.params, false);
	assert.equal(req.body.includes('undefined'), false);
});
