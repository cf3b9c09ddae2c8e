import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
	checkPolicyConditions,
	decodePostPolicy,
	mintUploadPolicy,
	renderCondition,
	signPostPolicy,
	sizeRange,
} from '../../../src/sandbox/ossPolicy';
import { OssError } from '../../../src/sandbox/ossErrors';
import { canonicalQueryString, percentEncode, rpcStringToSign, signRpc } from '../../../src/sandbox/popSignature';

// Vectors: docs/protocols.md §1.6 (RPC) and §3.3 (POST policy).
const common = { SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', Format: 'JSON', Version: '2018-01-20' };

void describe('POP RPC signature', () => {
	void test('vector A: documented ECS DescribeRegions example', () => {
		const params = {
			AccessKeyId: 'testid',
			Action: 'DescribeRegions',
			Format: 'XML',
			SignatureMethod: 'HMAC-SHA1',
			SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
			SignatureVersion: '1.0',
			Timestamp: '2016-02-23T12:46:24Z',
			Version: '2014-05-26',
		};
		assert.equal(
			rpcStringToSign('GET', params),
			'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26',
		);
		assert.equal(signRpc('GET', params, 'testsecret'), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
	});

	void test('vector D: documented Mobile Push GetDeviceInfos (a comma in a value is encoded twice in the string to sign)', () => {
		const params = {
			AccessKeyId: 'testid',
			Action: 'GetDeviceInfos',
			AppKey: '23267207',
			Devices: 'e2ba19de97604f55b165576736477b74,92a1da34bdfd4c9692714917ce22d53d',
			Format: 'XML',
			RegionId: 'cn-hangzhou',
			SignatureMethod: 'HMAC-SHA1',
			SignatureNonce: 'c4f5f0de-b3ff-4528-8a89-fa478bda8d80',
			SignatureVersion: '1.0',
			Timestamp: '2016-03-29T03:59:24Z',
			Version: '2015-08-27',
		};
		assert.ok(
			rpcStringToSign('GET', params).includes(
				'%26Devices%3De2ba19de97604f55b165576736477b74%252C92a1da34bdfd4c9692714917ce22d53d%26',
			),
		);
		assert.equal(signRpc('GET', params, 'testsecret'), 'Q4jj5vC+NRtz294V+oIW7gfaJ6U=');
	});

	void test('vector E: computed with Python (CreateOTAFirmware POST, CJK, full-width, RFC 3986 specials, an empty value)', () => {
		const params = {
			...common,
			AccessKeyId: 'STS.testid',
			Action: 'CreateOTAFirmware',
			DestVersion: '2.0.0',
			FirmwareDesc: "a*b ~c!'()",
			FirmwareName: 'ラーメン-1（試）(v2)',
			IotInstanceId: 'iot-060a0xyz',
			'MultiFiles.1.Name': 'a b',
			ProductKey: 'a1BcDeFgHiJ',
			RegionId: 'cn-shanghai',
			SecurityToken: 'tok/en+=',
			SignatureNonce: '0123456789abcdef0123456789abcdef',
			SrcVersion: '',
			Timestamp: '2024-01-02T03:04:05Z',
		};
		assert.equal(
			canonicalQueryString(params),
			'AccessKeyId=STS.testid&Action=CreateOTAFirmware&DestVersion=2.0.0&FirmwareDesc=a%2Ab%20~c%21%27%28%29' +
				'&FirmwareName=%E3%83%A9%E3%83%BC%E3%83%A1%E3%83%B3-1%EF%BC%88%E8%A9%A6%EF%BC%89%28v2%29&Format=JSON' +
				'&IotInstanceId=iot-060a0xyz&MultiFiles.1.Name=a%20b&ProductKey=a1BcDeFgHiJ&RegionId=cn-shanghai' +
				'&SecurityToken=tok%2Fen%2B%3D&SignatureMethod=HMAC-SHA1&SignatureNonce=0123456789abcdef0123456789abcdef' +
				'&SignatureVersion=1.0&SrcVersion=&Timestamp=2024-01-02T03%3A04%3A05Z&Version=2018-01-20',
		);
		assert.equal(signRpc('POST', params, 'testsecret'), 'U9pIsM6bfK/ODhBgoQ67EJRCBMk=');
	});

	void test('vector B (pop-core output, regression only): GenerateOTAUploadURL, GET and POST', () => {
		const params = {
			...common,
			Action: 'GenerateOTAUploadURL',
			AccessKeyId: 'testid',
			SignatureNonce: 'c0ffee00c0ffee00c0ffee00c0ffee00',
			Timestamp: '2024-01-02T03:04:05Z',
			RegionId: 'cn-shanghai',
			FileSuffix: 'bin',
		};
		assert.equal(
			canonicalQueryString(params),
			'AccessKeyId=testid&Action=GenerateOTAUploadURL&FileSuffix=bin&Format=JSON&RegionId=cn-shanghai&SignatureMethod=HMAC-SHA1&SignatureNonce=c0ffee00c0ffee00c0ffee00c0ffee00&SignatureVersion=1.0&Timestamp=2024-01-02T03%3A04%3A05Z&Version=2018-01-20',
		);
		assert.equal(signRpc('GET', params, 'testsecret'), 'I/yvx/0aS7qp7rVADSnadQuokkg=');
		assert.equal(signRpc('POST', params, 'testsecret'), 'zoqeJ8E87ZxlS0qKSRHdhyCGQfg=');
		// The Signature parameter itself never takes part.
		assert.equal(signRpc('POST', { ...params, Signature: 'whatever' }, 'testsecret'), 'zoqeJ8E87ZxlS0qKSRHdhyCGQfg=');
	});

	void test('vector C (pop-core output, regression only): tricky characters, STS token and a repeat list', () => {
		const params = {
			...common,
			Action: 'CreateOTAFirmware',
			AccessKeyId: 'STS.testid',
			SecurityToken: 'tok/en+=',
			SignatureNonce: '00000000000000000000000000000001',
			Timestamp: '2024-01-02T03:04:05Z',
			RegionId: 'cn-shanghai',
			ProductKey: 'a1BcDeFgHiJ',
			FirmwareName: 'fw (v2)* test~ü',
			DestVersion: '2.0.0',
			FirmwareUrl: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/abc/DEF.bin',
			FirmwareSize: '1024',
			FirmwareSign: '0123456789abcdef0123456789abcdef',
			SignMethod: 'MD5',
			'MultiFiles.1.Name': 'a b',
		};
		const canonical = canonicalQueryString(params);
		assert.ok(canonical.includes('FirmwareName=fw%20%28v2%29%2A%20test~%C3%BC'));
		assert.ok(canonical.includes('SecurityToken=tok%2Fen%2B%3D'));
		assert.ok(canonical.includes('MultiFiles.1.Name=a%20b'));
		assert.equal(signRpc('POST', params, 'testsecret'), '2XZvNyAmUv0phad97DNKihmSjPc=');
	});

	void test('empty values stay in the canonical string (Go SDK sends SignatureType=)', () => {
		assert.equal(canonicalQueryString({ B: '1', SignatureType: '', A: 'x' }), 'A=x&B=1&SignatureType=');
	});

	void test('percent-encoding follows RFC 3986 like pop-core', () => {
		const table: Array<[string, string]> = [
			[' ', '%20'],
			['!', '%21'],
			["'", '%27'],
			['(', '%28'],
			[')', '%29'],
			['*', '%2A'],
			['~', '~'],
			['+', '%2B'],
			['/', '%2F'],
			[':', '%3A'],
			['=', '%3D'],
			['&', '%26'],
			['ü', '%C3%BC'],
			['中', '%E4%B8%AD'],
		];
		for (const [input, expected] of table) {
			assert.equal(percentEncode(input), expected, `encoding of ${JSON.stringify(input)}`);
		}
	});
});

void describe('OSS V1 POST policy', () => {
	void test('third-party verified vector', () => {
		const b64 =
			'eyJjb25kaXRpb25zIjpbWyJjb250ZW50LWxlbmd0aC1yYW5nZSIsMCwxMDQ4NTc2MF0seyJidWNrZXQiOiJhaGFoYSJ9LHsiQSI6ImEifSx7ImtleSI6IkFCQyJ9XSwiZXhwaXJhdGlvbiI6IjIwMTMtMTItMDFUMTI6MDA6MDBaIn0=';
		assert.equal(signPostPolicy(b64, 'OtxrzxIsfpFjA7SwPzILwy8Bw21TLhquhboDYROV'), 'W835KpLsL6k1/oo28RcsEflB6hw=');
		const policy = decodePostPolicy(b64);
		assert.equal(policy.expiresAt, Date.UTC(2013, 11, 1, 12));
		assert.deepEqual(sizeRange(policy), { min: 0, max: 10485760 });
	});

	void test('computed GenerateOTAUploadURL-style vector', () => {
		const json =
			'{"expiration":"2024-01-02T03:05:05.000Z","conditions":[["content-length-range",0,1048576000],["starts-with","$key","ota/firmware/"]]}';
		const b64 = Buffer.from(json).toString('base64');
		assert.equal(
			b64,
			'eyJleHBpcmF0aW9uIjoiMjAyNC0wMS0wMlQwMzowNTowNS4wMDBaIiwiY29uZGl0aW9ucyI6W1siY29udGVudC1sZW5ndGgtcmFuZ2UiLDAsMTA0ODU3NjAwMF0sWyJzdGFydHMtd2l0aCIsIiRrZXkiLCJvdGEvZmlybXdhcmUvIl1dfQ==',
		);
		assert.equal(signPostPolicy(b64, 'testsecret'), 'PrvBr7e/jkwHgMQ1kBBr2N7ukn8=');
	});

	void test('minted policies expire after the TTL with ms precision and have the real conditions: size range, key folder', () => {
		const minted = mintUploadPolicy({
			key: 'ota/a/b.bin',
			now: Date.UTC(2024, 0, 2, 3, 4, 5, 6),
			ttlMs: 60_000,
			maxBytes: 1_048_576_000,
		});
		const doc = JSON.parse(minted.json) as { expiration: string; conditions: unknown[] };
		assert.equal(doc.expiration, '2024-01-02T03:05:05.006Z');
		assert.deepEqual(doc.conditions, [
			['content-length-range', 0, 1_048_576_000],
			['starts-with', '$key', 'ota/a/'],
		]);
		const policy = decodePostPolicy(minted.base64);
		checkPolicyConditions(
			policy,
			new Map([
				['key', 'ota/a/b.bin'],
				['bucket', 'bkt'],
			]),
		);
		assert.throws(
			() =>
				checkPolicyConditions(
					policy,
					new Map([
						['key', 'ota/other/b.bin'],
						['bucket', 'bkt'],
					]),
				),
			(e: OssError) => {
				assert.equal(e.code, 'AccessDenied');
				assert.equal(e.message, 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "ota/a/"]');
				return true;
			},
		);
	});

	const b64 = (doc: unknown): string => Buffer.from(typeof doc === 'string' ? doc : JSON.stringify(doc)).toString('base64');
	const invalid = (policyB64: string, ec?: string): void => {
		assert.throws(
			() => decodePostPolicy(policyB64),
			(e: OssError) => {
				assert.equal(e.code, 'InvalidPolicyDocument');
				assert.match(e.message, /^Invalid Policy: /);
				if (ec) {
					assert.equal(e.ec, ec);
				}
				return true;
			},
		);
	};

	void test('malformed policies are InvalidPolicyDocument with the documented EC', () => {
		invalid('not base64!');
		invalid(b64('{"expiration":'));
		invalid(b64({ expiration: '2030-01-01T00:00:00Z', conditions: [], extra: 1 }), '0006-00000206');
		invalid(b64({ conditions: [['eq', '$key', 'a']] }), '0006-00000208');
		invalid(b64({}), '0006-00000209');
		invalid(b64({ expiration: 12345, conditions: [['eq', '$key', 'a']] }), '0006-00000210');
		invalid(b64({ expiration: '', conditions: [['eq', '$key', 'a']] }), '0006-00000211');
		invalid(b64({ expiration: '2030-01-01 00:00:00', conditions: [['eq', '$key', 'a']] }));
		invalid(b64({ expiration: '2030-01-01T00:00:00Z', conditions: [] }));
		invalid(b64({ expiration: '2030-01-01T00:00:00Z', conditions: [{ a: 'x', b: 'y' }] }));
		invalid(b64({ expiration: '2030-01-01T00:00:00Z', conditions: [['content-length-range', 10, 1]] }), '0006-00000219');
		invalid(b64({ expiration: '2030-01-01T00:00:00Z', conditions: [['content-length-range', 'a', 1]] }), '0006-00000221');
		invalid(b64({ expiration: '2030-01-01T00:00:00Z', conditions: [['matches', '$key', 'a']] }));
	});

	void test('conditions: eq, starts-with, in, not-in; field names case-insensitive; missing field is empty', () => {
		const policy = decodePostPolicy(
			b64({
				expiration: '2030-01-01T00:00:00.000Z',
				conditions: [
					['starts-with', '$Key', 'ota/'],
					['in', '$content-type', ['application/octet-stream', 'application/zip']],
					['not-in', '$cache-control', ['no-store']],
					{ 'x-oss-meta-build': '42' },
				],
			}),
		);
		const fields = new Map([
			['key', 'ota/x.bin'],
			['content-type', 'application/zip'],
			['x-oss-meta-build', '42'],
		]);
		checkPolicyConditions(policy, fields);
		const failing = (change: Array<[string, string]>): string => {
			try {
				checkPolicyConditions(policy, new Map([...fields, ...change]));
			} catch (e) {
				return (e as OssError).message;
			}
			return 'passed';
		};
		assert.match(failing([['key', 'elsewhere/x.bin']]), /\["starts-with", "\$key", "ota\/"\]$/);
		assert.match(
			failing([['content-type', 'text/plain']]),
			/\["in", "\$content-type", \["application\/octet-stream", "application\/zip"\]\]$/,
		);
		assert.match(failing([['cache-control', 'no-store']]), /not-in/);
		assert.match(failing([['x-oss-meta-build', '43']]), /\["eq", "\$x-oss-meta-build", "42"\]$/);
		assert.equal(renderCondition({ op: 'content-length-range', min: 1, max: 2 }), '["content-length-range", 1, 2]');
	});
});
