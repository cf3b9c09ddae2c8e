// Contract of the OTA module actions (docs/protocols.md §11.3): parameters, limits, shapes, errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Sandbox } from '../../../src/sandbox';
import type { OtaClient } from './otaClient';
import { createPackage, imageWithVersion, startOtaSandbox } from './otaFixtures';

void describe('sandbox contract: OTA modules', () => {
	let sandbox: Sandbox;
	let client: OtaClient;
	let pk: string;
	before(async () => {
		({ sandbox, client } = await startOtaSandbox());
		pk = sandbox.productKey;
	});
	after(() => sandbox.stop());

	const list = async (productKey = pk) => (await client.ok('ListOTAModuleByProduct', { ProductKey: productKey }, 'GET')).Data;

	void test('CreateOTAModule answers only the envelope; ListOTAModuleByProduct lists it after `default` in a plain Data[]', async () => {
		const created = await client.ok('CreateOTAModule', {
			ProductKey: pk,
			ModuleName: 'MCU',
			AliasName: '主控.mcu-1',
			Desc: 'Main controller',
		});
		assert.deepEqual(Object.keys(created).sort(), ['RequestId', 'Success']);
		const modules = await list();
		assert.ok(Array.isArray(modules));
		assert.deepEqual(
			modules.map((m: { ModuleName: string }) => m.ModuleName),
			['default', 'MCU'],
		);
		const mcu = modules[1];
		assert.deepEqual(Object.keys(mcu).sort(), ['AliasName', 'Desc', 'GmtCreate', 'GmtModified', 'ModuleName', 'ProductKey']);
		assert.equal(mcu.AliasName, '主控.mcu-1');
		assert.match(mcu.GmtCreate, /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
	});

	void test('CreateOTAModule limits: name format and length, unique ignoring case, alias and description', async () => {
		await client.fails('CreateOTAModule', { ProductKey: pk, ModuleName: 'wifi fw' }, 'iot.ota.InvalidOtaModuleName');
		await client.fails('CreateOTAModule', { ProductKey: pk, ModuleName: 'm'.repeat(65) }, 'iot.ota.InvalidOtaModuleName');
		await client.ok('CreateOTAModule', { ProductKey: pk, ModuleName: 'M'.repeat(64) });
		await client.fails('CreateOTAModule', { ProductKey: pk, ModuleName: 'mcu' }, 'iot.ota.OtaModuleAlreadyExisted');
		await client.fails('CreateOTAModule', { ProductKey: pk, ModuleName: 'Default' }, 'iot.ota.OtaModuleAlreadyExisted');
		await client.invalid('CreateOTAModule', { ProductKey: pk, ModuleName: 'a1', AliasName: 'has space' }, 'AliasName');
		await client.invalid('CreateOTAModule', { ProductKey: pk, ModuleName: 'a1', AliasName: 'a'.repeat(65) }, 'AliasName');
		await client.invalid('CreateOTAModule', { ProductKey: pk, ModuleName: 'a1', Desc: 'd'.repeat(101) }, 'Desc');
		await client.ok('CreateOTAModule', { ProductKey: pk, ModuleName: 'a1', Desc: '说'.repeat(100) });
		await client.fails('CreateOTAModule', { ProductKey: pk }, 'MissingModuleName');
		await client.fails('CreateOTAModule', { ModuleName: 'x' }, 'MissingProductKey');
		await client.fails('CreateOTAModule', { ProductKey: 'a1Nope', ModuleName: 'x' }, 'iot.prod.NotExistedProduct');
	});

	void test('a product has at most 10 custom modules', async () => {
		const gw = 'a1SandboxGW2';
		for (let i = 1; i <= 10; i++) {
			await client.ok('CreateOTAModule', { ProductKey: gw, ModuleName: `m${i}` });
		}
		await client.fails('CreateOTAModule', { ProductKey: gw, ModuleName: 'm11' }, 'iot.ota.OtaModuleExceedLimit');
		assert.equal((await list(gw)).length, 11);
	});

	void test('UpdateOTAModule changes alias and description; DeleteOTAModule refuses default and modules with packages', async () => {
		await client.ok('CreateOTAModule', { ProductKey: pk, ModuleName: 'BLE' });
		await client.ok('UpdateOTAModule', { ProductKey: pk, ModuleName: 'BLE', AliasName: 'radio', Desc: 'Bluetooth' });
		const ble = (await list()).find((m: { ModuleName: string }) => m.ModuleName === 'BLE');
		assert.deepEqual([ble.AliasName, ble.Desc], ['radio', 'Bluetooth']);
		await client.fails('UpdateOTAModule', { ProductKey: pk, ModuleName: 'nope' }, 'iot.ota.OtaModuleNotExisted');
		await client.fails('DeleteOTAModule', { ProductKey: pk, ModuleName: 'default' }, 'iot.ota.DefaultModuleCannotBeDeleted');
		await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'), { ModuleName: 'BLE' });
		await client.fails('DeleteOTAModule', { ProductKey: pk, ModuleName: 'BLE' }, 'iot.ota.OtaModuleHasFirmware');
		await client.ok('CreateOTAModule', { ProductKey: pk, ModuleName: 'tmp' });
		await client.ok('DeleteOTAModule', { ProductKey: pk, ModuleName: 'tmp' });
		assert.ok(!(await list()).some((m: { ModuleName: string }) => m.ModuleName === 'tmp'));
	});

	void test('CreateOTAFirmware only takes a module the product has', async () => {
		const url = 'http://127.0.0.1:1/never-used';
		await client.fails(
			'CreateOTAFirmware',
			{ ProductKey: pk, FirmwareName: 'nomodule', DestVersion: '1', FirmwareUrl: url, ModuleName: 'GPS' },
			'iot.ota.OtaModuleNotExisted',
		);
	});

	void test('ListOTAModuleVersionsByDevice: paging required (≤ 200), the device’s reported versions, default first', async () => {
		const body = await client.ok('ListOTAModuleVersionsByDevice', {
			ProductKey: pk,
			DeviceName: 'dev-00001',
			CurrentPage: 1,
			PageSize: 200,
		});
		assert.deepEqual([body.CurrentPage, body.PageSize, body.Total, body.PageCount], [1, 200, 1, 1]);
		const [item] = body.Data.SimpleOTAModuleInfo;
		assert.deepEqual(Object.keys(item).sort(), ['DeviceName', 'IotId', 'ModuleName', 'ModuleVersion', 'ProductKey']);
		assert.deepEqual([item.ModuleName, item.ModuleVersion], ['default', '1.0.0']);
		const byId = await client.ok('ListOTAModuleVersionsByDevice', { IotId: item.IotId, CurrentPage: 1, PageSize: 10 });
		assert.equal(byId.Data.SimpleOTAModuleInfo[0].DeviceName, 'dev-00001');
		await client.fails('ListOTAModuleVersionsByDevice', { ProductKey: pk, DeviceName: 'dev-00001', CurrentPage: 1 }, 'MissingPageSize');
		await client.fails(
			'ListOTAModuleVersionsByDevice',
			{ ProductKey: pk, DeviceName: 'dev-00001', CurrentPage: 1, PageSize: 201 },
			'iot.common.InvalidPageParams',
		);
		await client.fails('ListOTAModuleVersionsByDevice', { CurrentPage: 1, PageSize: 10 }, 'iot.ota.EmptyDeviceInfoParams');
		await client.fails(
			'ListOTAModuleVersionsByDevice',
			{ ProductKey: pk, DeviceName: 'ghost', CurrentPage: 1, PageSize: 10 },
			'iot.device.NotExistedDevice',
		);
	});
});
