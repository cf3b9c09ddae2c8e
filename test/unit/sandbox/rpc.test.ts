import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { call, callError, commonParams, popClient, postForm, rawRpc, rpcTimestamp, ticketFields, type UploadTicketData } from './support';

void describe('sandbox IoT RPC endpoint', () => {
	let sandbox: Sandbox;
	before(async () => {
		// These tests are not about the 10 QPS limit (tested below) and may run faster than that.
		sandbox = await startSandbox({ qps: 1000 });
	});
	after(() => sandbox.stop());

	const raw = (params: Record<string, string>, opts: Parameters<typeof rawRpc>[2] = { secret: sandbox.accessKeySecret }) =>
		rawRpc(sandbox.endpoint, params, opts);
	const params = (action: string, extra: Record<string, string> = {}) => ({ ...commonParams(sandbox.accessKeyId, action), ...extra });

	void test('pop-core round trip through every action', async () => {
		const client = popClient(sandbox);
		const products = await call(client, 'QueryProductList', { CurrentPage: 1, PageSize: 10 });
		assert.equal(products.Success, true);
		assert.equal(products.Data.List.ProductInfo[0].ProductKey, sandbox.productKey);
		assert.equal(products.Data.List.ProductInfo[0].ProductName, 'Sandbox Demo Device');
		assert.equal(products.Data.Total, products.Data.List.ProductInfo.length);

		const generated = await call(client, 'GenerateOTAUploadURL', { FileSuffix: 'tar.gz' });
		const t = generated.Data as UploadTicketData & { ObjectStorage: string; UtcCreate: string };
		assert.match(generated.RequestId, /^[0-9A-F-]{36}$/);
		assert.match(t.Key, /^ota\/[0-9a-f]{32}\/[a-z0-9]{25}\.tar\.gz$/);
		assert.equal(t.Host, sandbox.ossHost);
		assert.equal(t.FirmwareUrl, `${sandbox.ossHost}/${t.Key}`);
		assert.equal(t.ObjectStorage, 'OSS');
		assert.match(t.UtcCreate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		const policy = JSON.parse(Buffer.from(t.Policy, 'base64').toString()) as { expiration: string; conditions: unknown[] };
		const ttl = Date.parse(policy.expiration) - Date.parse(t.UtcCreate);
		assert.equal(ttl, 60_000);
		// The condition kinds of the real ticket (docs/protocols.md §3.2): a size range and a starts-with on the key.
		assert.deepEqual(policy.conditions, [
			['content-length-range', 0, 1_048_576_000],
			['starts-with', '$key', t.Key.slice(0, t.Key.lastIndexOf('/') + 1)],
		]);

		const data = Buffer.from('firmware image for the round trip');
		const uploaded = await postForm(t.Host, [...ticketFields(t), ['file', data, 'fw.tar.gz']]);
		assert.equal(uploaded.status, 204);
		const md5 = createHash('md5').update(data).digest('hex');
		const created = await call(client, 'CreateOTAFirmware', {
			FirmwareUrl: t.FirmwareUrl,
			FirmwareName: 'roundTrip_1',
			DestVersion: '1.2.3',
			ProductKey: sandbox.productKey,
			FirmwareSign: md5,
			SignMethod: 'MD5',
			FirmwareSize: data.length,
		});
		const firmwareId = created.Data.FirmwareId as string;
		assert.match(firmwareId, /^[A-Za-z0-9]{26}$/);
		assert.match(created.Data.UtcCreate, /\.\d{3}Z$/);

		const queried = await call(client, 'QueryOTAFirmware', { FirmwareId: firmwareId });
		assert.equal(queried.FirmwareInfo.FirmwareName, 'roundTrip_1');
		assert.equal(queried.FirmwareInfo.FirmwareSign, md5);
		assert.equal(queried.FirmwareInfo.FirmwareSize, data.length);
		assert.equal(queried.FirmwareInfo.ProductName, 'Sandbox Demo Device');
		assert.ok(queried.FirmwareInfo.FirmwareUrl.startsWith(`${t.FirmwareUrl}?Expires=`), 'a signed download URL');
		const download = await fetch(queried.FirmwareInfo.FirmwareUrl);
		assert.deepEqual(Buffer.from(await download.arrayBuffer()), data);

		const listed = await call(client, 'ListOTAFirmware', { CurrentPage: 1, PageSize: 10, ProductKey: sandbox.productKey });
		assert.equal(listed.Total, 1);
		assert.equal(listed.FirmwareInfo.SimpleFirmwareInfo[0].FirmwareId, firmwareId);
		const filtered = await call(client, 'ListOTAFirmware', { CurrentPage: 1, PageSize: 10, DestVersion: '9.9.9' });
		assert.equal(filtered.Total, 0);

		const deleted = await call(client, 'DeleteOTAFirmware', { FirmwareId: firmwareId });
		assert.deepEqual(Object.keys(deleted).sort(), ['RequestId', 'Success']);
		const gone = await callError(client, 'QueryOTAFirmware', { FirmwareId: firmwareId });
		assert.equal(gone.code, 'iot.ota.FirmwareNotFound');
		assert.equal(gone.data.Success, false);
		assert.equal(gone.data.ErrorMessage, 'The specified firmware does not exist.');
	});

	void test('STS credentials work with their token and are refused without or with another', async () => {
		const sts = popClient(sandbox, sandbox.sts);
		assert.equal((await call(sts, 'QueryProductList', { CurrentPage: 1, PageSize: 1 })).Success, true);
		const missing = await raw(params('QueryProductList', { AccessKeyId: sandbox.sts.accessKeyId, CurrentPage: '1', PageSize: '1' }), {
			secret: sandbox.sts.accessKeySecret,
		});
		assert.equal(missing.json.Code, 'MissingSecurityToken');
		const other = popClient(sandbox, { ...sandbox.sts, securityToken: 'CAISsomeoneElse' });
		assert.equal(
			(await callError(other, 'QueryProductList', { CurrentPage: 1, PageSize: 1 })).code,
			'InvalidSecurityToken.MismatchWithAccessKey',
		);
	});

	void test('GET with everything in the query, and CLI-style POST with query + form body and empty values', async () => {
		const viaGet = await raw(params('QueryProductList', { CurrentPage: '1', PageSize: '5' }), {
			secret: sandbox.accessKeySecret,
			method: 'GET',
		});
		assert.equal(viaGet.status, 200);
		const cliStyle = params('QueryProductList', { CurrentPage: '1', PageSize: '5', SignatureType: '' });
		const viaCli = await raw(cliStyle, {
			secret: sandbox.accessKeySecret,
			queryNames: Object.keys(commonParams('x', 'y')).concat('SignatureType'),
		});
		assert.equal(viaCli.status, 200, viaCli.body);
	});

	void test('gateway errors have the POP shape and the documented status', async () => {
		const res = await raw(params('QueryProductList', { CurrentPage: '1', PageSize: '1' }), { secret: 'not-the-secret' });
		assert.equal(res.status, 400);
		assert.deepEqual(Object.keys(res.json).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
		assert.equal(res.json.Code, 'SignatureDoesNotMatch');
		assert.match(
			res.json.Message,
			/^Specified signature is not matched with our calculation\. server string to sign is:POST&%2F&AccessKeyId%3D/,
		);
		assert.match(res.json.Recommend, /^https:\/\/api\.aliyun\.com\/troubleshoot\?q=SignatureDoesNotMatch&product=Iot&requestId=/);
		assert.equal(res.headers['x-acs-request-id'], res.json.RequestId);
	});

	const rejections: Array<[string, () => Record<string, string>, number, string, RawOpts?]> = [
		['unknown AccessKeyId', () => params('QueryProductList', { AccessKeyId: 'LTAI5tNobody' }), 404, 'InvalidAccessKeyId.NotFound'],
		[
			'Timestamp 16 minutes old',
			() => params('QueryProductList', { Timestamp: rpcTimestamp(Date.now() - 16 * 60_000) }),
			400,
			'InvalidTimeStamp.Expired',
		],
		[
			'Timestamp in the future',
			() => params('QueryProductList', { Timestamp: rpcTimestamp(Date.now() + 16 * 60_000) }),
			400,
			'InvalidTimeStamp.Expired',
		],
		[
			'Timestamp badly formatted',
			() => params('QueryProductList', { Timestamp: '2024-01-02 03:04:05' }),
			400,
			'InvalidTimeStamp.Format',
		],
		[
			'Timestamp impossible date',
			() => params('QueryProductList', { Timestamp: '2024-02-30T03:04:05Z' }),
			400,
			'InvalidTimeStamp.Format',
		],
		[
			'SignatureMethod other than HMAC-SHA1',
			() => params('QueryProductList', { SignatureMethod: 'HMAC-SHA256' }),
			400,
			'InvalidSignatureMethod',
		],
		['SignatureVersion other than 1.0', () => params('QueryProductList', { SignatureVersion: '2.0' }), 400, 'InvalidSignatureVersion'],
		['wrong Version', () => params('QueryProductList', { Version: '2017-04-20' }), 400, 'InvalidVersion'],
		['unsupported Format', () => params('QueryProductList', { Format: 'YAML' }), 400, 'InvalidParameter.Format'],
		['unknown Action', () => params('DescribeRegions'), 404, 'InvalidAction.NotFound'],
		['missing SignatureNonce', () => omit(params('QueryProductList'), 'SignatureNonce'), 400, 'MissingSignatureNonce'],
		['missing Timestamp', () => omit(params('QueryProductList'), 'Timestamp'), 400, 'MissingTimestamp'],
		[
			'missing RegionId',
			() => omit(params('QueryProductList', { CurrentPage: '1', PageSize: '1' }), 'RegionId'),
			400,
			'MissingRegionId',
		],
		['missing FirmwareId', () => params('QueryOTAFirmware'), 400, 'MissingFirmwareId'],
		['missing PageSize', () => params('ListOTAFirmware', { CurrentPage: '1' }), 400, 'MissingPageSize'],
		['missing Signature', () => params('QueryProductList'), 400, 'MissingSignature', { signature: '' }],
	];
	type RawOpts = { signature?: string };
	for (const [name, build, status, code, extra] of rejections) {
		void test(`rejects ${name} with ${code}`, async () => {
			const res = await raw(build(), { secret: sandbox.accessKeySecret, ...extra });
			assert.equal(res.status, status, res.body);
			assert.equal(res.json.Code, code);
			assert.equal(typeof res.json.Message, 'string');
		});
	}

	void test('a SignatureNonce cannot be used twice', async () => {
		const p = params('QueryProductList', { CurrentPage: '1', PageSize: '1' });
		assert.equal((await raw(p)).status, 200);
		const replay = await raw({ ...p, PageSize: '2' });
		assert.equal(replay.status, 400);
		assert.equal(replay.json.Code, 'SignatureNonceUsed');
	});

	void test("business errors are HTTP 400 (the API reference's status for every business code) with Success:false and ErrorMessage", async () => {
		const res = await raw(params('ListOTAFirmware', { CurrentPage: '1', PageSize: '101' }));
		assert.equal(res.status, 400);
		assert.deepEqual(Object.keys(res.json).sort(), ['Code', 'ErrorMessage', 'RequestId', 'Success']);
		assert.equal(res.json.Code, 'iot.common.InvalidPageParams');
		const suffix = await callError(popClient(sandbox), 'GenerateOTAUploadURL', { FileSuffix: 'exe' });
		assert.equal(suffix.code, 'iot.check.InvalidFormattedParameter');
	});

	void test('IotInstanceId: the enterprise id is accepted, an unknown one is InstanceNotFound', async () => {
		const client = popClient(sandbox);
		const ok = await call(client, 'GenerateOTAUploadURL', { IotInstanceId: sandbox.enterpriseInstanceId });
		assert.equal(ok.Success, true);
		const bad = await callError(client, 'GenerateOTAUploadURL', { IotInstanceId: 'iot-cn-nope' });
		assert.equal(bad.code, 'iot.system.InstanceNotFound');
	});
});

void describe('sandbox RPC limits and Enterprise-only accounts', () => {
	void test('more than `qps` calls per second per AccessKeyId are Throttling.User', async (t) => {
		// A frozen clock puts every call in the same second however slowly this machine runs.
		const frozen = Date.now();
		const sandbox = await startSandbox({ qps: 3, now: () => frozen });
		t.after(() => sandbox.stop());
		const client = popClient(sandbox);
		const results = await Promise.allSettled(
			Array.from({ length: 6 }, () => call(client, 'QueryProductList', { CurrentPage: 1, PageSize: 1 })),
		);
		const throttled = results.filter((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'Throttling.User');
		assert.equal(throttled.length, 3);
		// Throttled calls use no quota: the window held 3 accepted calls whenever a 4th arrived.
		assert.equal(sandbox.stats.maxQps[sandbox.accessKeyId], 4);
		assert.equal(sandbox.stats.apiErrors['Throttling.User'], 3);
		assert.equal(sandbox.stats.apiCalls.QueryProductList, 6);
	});

	void test('requireInstanceId makes calls without IotInstanceId fail', async (t) => {
		const sandbox = await startSandbox({ requireInstanceId: true });
		t.after(() => sandbox.stop());
		const client = popClient(sandbox);
		assert.equal((await callError(client, 'GenerateOTAUploadURL')).code, 'iot.system.InstanceNotFound');
		assert.equal((await call(client, 'GenerateOTAUploadURL', { IotInstanceId: sandbox.enterpriseInstanceId })).Success, true);
	});
});

function omit(params: Record<string, string>, name: string): Record<string, string> {
	const copy = { ...params };
	delete copy[name];
	return copy;
}
