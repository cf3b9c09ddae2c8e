// Contract of the product, device and group actions (docs/protocols.md §11.2): parameters, limits, shapes, errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Sandbox } from '../../../src/sandbox';
import type { OtaClient } from './otaClient';
import { startOtaSandbox } from './otaFixtures';

const UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

void describe('sandbox contract: products, devices, groups', () => {
	let sandbox: Sandbox;
	let client: OtaClient;
	let pk: string;
	before(async () => {
		({ sandbox, client } = await startOtaSandbox({ devices: 25 }));
		pk = sandbox.productKey;
	});
	after(() => sandbox.stop());

	void test('QueryProductList: paging required, PageSize ≤ 200, products under Data.List.ProductInfo', async () => {
		const body = await client.ok('QueryProductList', { CurrentPage: 1, PageSize: 200 });
		assert.deepEqual(Object.keys(body.Data).sort(), ['CurrentPage', 'List', 'PageCount', 'PageSize', 'Total']);
		assert.equal(body.Data.List.ProductInfo[0].DeviceCount, 25);
		await client.fails('QueryProductList', { CurrentPage: 1, PageSize: 201 }, 'iot.common.InvalidPageParams');
		await client.fails('QueryProductList', { PageSize: 10 }, 'MissingCurrentPage');
	});

	void test('QueryProduct: every documented field, ProductSecret present; unknown product refused', async () => {
		const { Data } = await client.ok('QueryProduct', { ProductKey: pk });
		assert.deepEqual(Object.keys(Data).sort(), [
			'AliyunCommodityCode',
			'AuthType',
			'CategoryKey',
			'CategoryName',
			'DataFormat',
			'Description',
			'DeviceCount',
			'GmtCreate',
			'Id2',
			'NetType',
			'NodeType',
			'Owner',
			'ProductKey',
			'ProductName',
			'ProductSecret',
			'ProductStatus',
			'ValidateType',
		]);
		assert.equal(typeof Data.GmtCreate, 'number', 'GmtCreate is a Long');
		assert.match(Data.ProductSecret, /^[0-9a-f]{32}$/);
		assert.equal(Data.DeviceCount, 25);
		assert.match(Data.ProductStatus, /^(DEVELOPMENT|RELEASE)_STATUS$/);
		const missing = await client.fails('QueryProduct', {}, 'MissingProductKey');
		assert.equal(missing.status, 400);
		assert.equal(missing.message, 'ProductKey is mandatory for this action.');
		await client.fails('QueryProduct', { ProductKey: 'a1Nope' }, 'iot.prod.NotExistedProduct');
	});

	void test('QueryDevice: Page (not CurrentPage), newest first, NextToken until the last page, DeviceSecret per device', async () => {
		const first = await client.ok('QueryDevice', { ProductKey: pk, PageSize: 10 });
		assert.equal(first.Page, 1);
		assert.equal(first.CurrentPage, undefined);
		assert.deepEqual([first.PageSize, first.PageCount, first.Total], [10, 3, 25]);
		const items = first.Data.DeviceInfo;
		assert.equal(items[0].DeviceName, 'dev-00025', 'newest first');
		assert.deepEqual(Object.keys(items[0]).sort(), [
			'DeviceId',
			'DeviceName',
			'DeviceSecret',
			'DeviceStatus',
			'GmtCreate',
			'GmtModified',
			'IotId',
			'Nickname',
			'ProductKey',
			'UtcCreate',
			'UtcModified',
		]);
		assert.match(items[0].IotId, /^[A-Za-z0-9]{26}$/);
		assert.match(items[0].GmtCreate, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d GMT$/);
		assert.match(items[0].UtcCreate, UTC);
		assert.equal(items[0].DeviceStatus, 'ONLINE');
		assert.match(items[0].DeviceSecret, /^\w{32}$/);
		assert.notEqual(items[0].DeviceSecret, items[1].DeviceSecret);
		assert.ok(first.NextToken, 'a next page exists');
		const seen = items.map((d: { DeviceName: string }) => d.DeviceName);
		let token = first.NextToken as string;
		for (let page = 2; token; page++) {
			const next = await client.ok('QueryDevice', { ProductKey: pk, PageSize: 10, CurrentPage: page, NextToken: token });
			seen.push(...next.Data.DeviceInfo.map((d: { DeviceName: string }) => d.DeviceName));
			token = next.NextToken;
		}
		assert.equal(seen.length, 25);
		assert.equal(new Set(seen).size, 25);
		assert.equal(seen.at(-1), 'dev-00001');
	});

	void test('QueryDevice limits: PageSize 1–50, NextToken beyond 10,000, < 1,000,000 with it, token of this product', async () => {
		await client.fails('QueryDevice', { ProductKey: pk, PageSize: 51 }, 'iot.common.InvalidPageParams');
		await client.fails('QueryDevice', { ProductKey: pk, PageSize: 0 }, 'iot.common.InvalidPageParams');
		await client.fails('QueryDevice', { ProductKey: pk, PageSize: 50, CurrentPage: 201 }, 'iot.common.InvalidPageParams');
		assert.equal((await client.ok('QueryDevice', { ProductKey: pk, PageSize: 50, CurrentPage: 200 })).Data.DeviceInfo.length, 0);
		const token = (await client.ok('QueryDevice', { ProductKey: pk, PageSize: 1 })).NextToken;
		await client.fails(
			'QueryDevice',
			{ ProductKey: pk, PageSize: 50, CurrentPage: 20_000, NextToken: token },
			'iot.common.InvalidPageParams',
		);
		await client.fails('QueryDevice', { ProductKey: 'a1SandboxGW2', PageSize: 1, NextToken: token }, 'iot.common.InvalidPageParams');
		await client.fails('QueryDevice', {}, 'MissingProductKey');
		await client.fails('QueryDevice', { ProductKey: 'a1Nope' }, 'iot.prod.NotExistedProduct');
	});

	void test('QueryDeviceDetail: by IotId or ProductKey + DeviceName; FirmwareVersion of the default module', async () => {
		const byName = await client.ok('QueryDeviceDetail', { ProductKey: pk, DeviceName: 'dev-00003' });
		const data = byName.Data;
		assert.equal(data.FirmwareVersion, '1.0.0');
		assert.equal(data.Region, 'cn-shanghai');
		assert.equal(data.Owner, true);
		assert.equal(data.NodeType, 0);
		assert.match(data.GmtCreate, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
		assert.match(data.UtcOnline, UTC);
		assert.match(data.DeviceSecret, /^\w{32}$/);
		for (const name of [
			'IotId',
			'ProductKey',
			'ProductName',
			'DeviceName',
			'Nickname',
			'Status',
			'IpAddress',
			'UtcCreate',
			'UtcActive',
			'GmtActive',
			'GmtOnline',
		]) {
			assert.ok(name in data, name);
		}
		const byId = await client.ok('QueryDeviceDetail', { IotId: data.IotId, ProductKey: pk, DeviceName: 'dev-00001' });
		assert.equal(byId.Data.DeviceName, 'dev-00003', 'IotId wins over ProductKey + DeviceName');
		await client.fails('QueryDeviceDetail', {}, 'iot.ota.EmptyDeviceInfoParams');
		await client.fails('QueryDeviceDetail', { DeviceName: 'dev-00001' }, 'iot.prod.NullProductKey');
		await client.fails('QueryDeviceDetail', { ProductKey: pk, DeviceName: 'dev-99999' }, 'iot.device.NotExistedDevice');
		await client.fails('QueryDeviceDetail', { IotId: 'x'.repeat(26) }, 'iot.device.NotExistedDevice');
	});

	void test('BatchQueryDeviceDetail: Data.Data[], at most 100 names, unknown ones left out', async () => {
		const body = await client.ok('BatchQueryDeviceDetail', { ProductKey: pk, DeviceName: ['dev-00001', 'nobody', 'dev-00002'] });
		assert.deepEqual(
			body.Data.Data.map((d: { DeviceName: string }) => d.DeviceName),
			['dev-00001', 'dev-00002'],
		);
		assert.equal(body.Data.Data[0].FirmwareVersion, '1.0.0');
		assert.equal(body.Data.Data[0].Nickname, '', 'the sandbox devices have no nickname');
		assert.ok(body.Data.Data[0].DeviceSecret);
		const names = Array.from({ length: 101 }, (_, i) => `d${i}`);
		await client.invalid('BatchQueryDeviceDetail', { ProductKey: pk, DeviceName: names }, 'DeviceName.N');
		await client.fails('BatchQueryDeviceDetail', { ProductKey: pk }, 'MissingDeviceName');
		await client.fails('BatchQueryDeviceDetail', { ProductKey: 'a1Nope', DeviceName: ['x'] }, 'iot.prod.NotExistedProduct');
	});

	void test('QueryDeviceGroupList: static groups by default, dynamic ones with GroupTypes.1, exact GroupName, PageSize ≤ 200', async () => {
		const groups = await client.ok('QueryDeviceGroupList', { CurrentPage: 1, PageSize: 200 });
		assert.deepEqual(Object.keys(groups).sort(), ['CurrentPage', 'Data', 'PageCount', 'PageSize', 'RequestId', 'Success', 'Total']);
		const info = groups.Data.GroupInfo;
		assert.ok(info.length >= 1);
		assert.ok(info.every((g: { GroupType: string }) => g.GroupType === 'LINK_PLATFORM'));
		assert.deepEqual(Object.keys(info[0]).sort(), ['GroupDesc', 'GroupId', 'GroupName', 'GroupType', 'UtcCreate']);
		const dynamic = await client.ok('QueryDeviceGroupList', { GroupTypes: ['LINK_PLATFORM_DYNAMIC'] });
		assert.ok(dynamic.Data.GroupInfo.length >= 1);
		assert.ok(dynamic.Data.GroupInfo.every((g: { GroupType: string }) => g.GroupType === 'LINK_PLATFORM_DYNAMIC'));
		const named = await client.ok('QueryDeviceGroupList', { GroupName: info[0].GroupName });
		assert.equal(named.Total, 1);
		assert.equal((await client.ok('QueryDeviceGroupList', { GroupName: info[0].GroupName.slice(0, 4) })).Total, 0, 'exact match');
		await client.invalid('QueryDeviceGroupList', { GroupTypes: ['LINK_PLATFORM'] }, 'GroupTypes.N');
		await client.fails('QueryDeviceGroupList', { PageSize: 201 }, 'iot.common.InvalidPageParams');
	});

	void test('QueryDeviceListByDeviceGroup: members under Data.SimpleDeviceInfo with Page; unknown group refused', async () => {
		const lab = (await client.ok('QueryDeviceGroupList', { GroupName: 'sandbox-lab' })).Data.GroupInfo[0];
		const members = await client.ok('QueryDeviceListByDeviceGroup', { GroupId: lab.GroupId, PageSize: 2 });
		assert.deepEqual([members.Page, members.PageSize, members.Total, members.PageCount], [1, 2, 3, 2]);
		assert.deepEqual(Object.keys(members.Data.SimpleDeviceInfo[0]).sort(), ['DeviceName', 'IotId', 'ProductKey', 'ProductName']);
		await client.fails('QueryDeviceListByDeviceGroup', {}, 'MissingGroupId');
		await client.fails('QueryDeviceListByDeviceGroup', { GroupId: 'nope' }, 'iot.group.NotExistedGroup');
		await client.fails('QueryDeviceListByDeviceGroup', { GroupId: lab.GroupId, PageSize: 201 }, 'iot.common.InvalidPageParams');
	});
});
