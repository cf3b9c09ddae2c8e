import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { call, callError, popClient, upload, type UploadTicketData } from './support';

void describe('sandbox CreateOTAFirmware checks', () => {
	let sandbox: Sandbox;
	let client: ReturnType<typeof popClient>;
	const data = Buffer.from('checked firmware bytes');
	const md5 = createHash('md5').update(data).digest('hex');
	const sha256 = createHash('sha256').update(data).digest('hex');
	let uploaded: UploadTicketData;
	let nameCounter = 0;

	before(async () => {
		sandbox = await startSandbox({ qps: 1000 });
		client = popClient(sandbox);
		const { t, res } = await upload(sandbox, data);
		assert.equal(res.status, 204);
		uploaded = t;
	});
	after(() => sandbox.stop());

	/** A valid request with `change` applied; an undefined value leaves the parameter out. */
	const request = (change: Record<string, unknown> = {}): Record<string, unknown> => {
		const all: Record<string, unknown> = {
			FirmwareUrl: uploaded.FirmwareUrl,
			FirmwareName: `checked_${++nameCounter}`,
			DestVersion: '1.0.0',
			ProductKey: sandbox.productKey,
			FirmwareSign: md5,
			SignMethod: 'MD5',
			FirmwareSize: data.length,
			...change,
		};
		return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
	};
	const failsWith = async (change: Record<string, unknown>, code: string, message?: RegExp): Promise<void> => {
		const error = await callError(client, 'CreateOTAFirmware', request(change));
		assert.equal(error.code, code, JSON.stringify(error.data));
		assert.equal(error.data.Success, false);
		if (message) {
			assert.match(error.data.ErrorMessage, message);
		}
	};

	void test('a FirmwareUrl this sandbox never received is refused', async () => {
		await failsWith({ FirmwareUrl: `${sandbox.ossHost}/ota/unknown/never.bin` }, 'iot.ota.InvalidFirmwareUrl');
		await failsWith({ FirmwareUrl: 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/x/y.bin' }, 'iot.ota.InvalidFirmwareUrl');
		await failsWith({ FirmwareUrl: undefined }, 'iot.ota.InvalidFirmwareUrl');
	});

	void test('a FirmwareSign or FirmwareSize that does not match the stored object is refused', async () => {
		await failsWith({ FirmwareSign: 'ffffffffffffffffffffffffffffffff' }, 'iot.ota.FirmwareSignNotMatch');
		await failsWith({ FirmwareSize: data.length + 1 }, 'iot.ota.FirmwareSizeNotMatch');
		await failsWith({ SignMethod: 'SHA256', FirmwareSign: md5 }, 'iot.check.InvalidFormattedParameter', /FirmwareSign/);
		await failsWith({ SignMethod: 'SHA256', FirmwareSign: 'a'.repeat(64) }, 'iot.ota.FirmwareSignNotMatch');
	});

	void test('documented field rules', async () => {
		// FirmwareName and FirmwareDesc: the iot.firmware.* codes ModifyOTAFirmware documents for the same rules.
		await failsWith({ FirmwareName: '-starts-with-dash' }, 'iot.firmware.IncorrectFormattedFirmwareName', /package name/);
		await failsWith({ FirmwareName: 'has.dot' }, 'iot.firmware.IncorrectFormattedFirmwareName', /package name/);
		await failsWith({ FirmwareName: 'x'.repeat(41) }, 'iot.firmware.IncorrectFormattedFirmwareName', /package name/);
		await failsWith({ DestVersion: 'v 1' }, 'iot.check.InvalidFormattedParameter', /DestVersion/);
		await failsWith({ DestVersion: '1'.repeat(65) }, 'iot.check.InvalidFormattedParameter', /DestVersion/);
		await failsWith({ Type: 1 }, 'iot.check.InvalidFormattedParameter', /SrcVersion/);
		await failsWith({ Type: 1, SrcVersion: '1.0.0' }, 'iot.check.InvalidFormattedParameter', /SrcVersion/);
		await failsWith({ Type: 2 }, 'iot.check.InvalidFormattedParameter', /Type/);
		await failsWith({ SignMethod: 'CRC32' }, 'iot.check.InvalidFormattedParameter', /SignMethod/);
		await failsWith({ FirmwareDesc: 'd'.repeat(101) }, 'iot.firmware.FirmwareDescExceedLimit', /description/);
		await failsWith({ ProductKey: 'a1NoSuchProduct' }, 'iot.prod.NotExistedProduct');
		await failsWith({ ProductKey: undefined }, 'iot.prod.NullProductKey');
		const missingName = await callError(client, 'CreateOTAFirmware', request({ FirmwareName: undefined }));
		assert.equal(missingName.code, 'MissingFirmwareName');
	});

	void test('CJK names and parentheses are fine; SHA256 is verified too; sign and size default to the object', async () => {
		const created = await call(
			client,
			'CreateOTAFirmware',
			request({ FirmwareName: '固件(v2)_テスト', SignMethod: 'SHA256', FirmwareSign: sha256.toUpperCase() }),
		);
		assert.equal(created.Success, true);
		const info = (await call(client, 'QueryOTAFirmware', { FirmwareId: created.Data.FirmwareId })).FirmwareInfo;
		assert.equal(info.FirmwareSign, sha256);
		assert.equal(info.SignMethod, 'SHA256');

		const defaults = await call(
			client,
			'CreateOTAFirmware',
			request({ FirmwareSign: undefined, FirmwareSize: undefined, SignMethod: undefined, NeedToVerify: false }),
		);
		const info2 = (await call(client, 'QueryOTAFirmware', { FirmwareId: defaults.Data.FirmwareId })).FirmwareInfo;
		assert.equal(info2.FirmwareSign, md5);
		assert.equal(info2.FirmwareSize, data.length);
		assert.equal(info2.Status, -1);

		const delta = await call(client, 'CreateOTAFirmware', request({ Type: 1, SrcVersion: '0.9.0', DestVersion: '1.0.0' }));
		assert.equal((await call(client, 'QueryOTAFirmware', { FirmwareId: delta.Data.FirmwareId })).FirmwareInfo.SrcVersion, '0.9.0');
	});

	void test('FirmwareName must be unique', async () => {
		await call(client, 'CreateOTAFirmware', request({ FirmwareName: 'unique_name' }));
		await failsWith({ FirmwareName: 'unique_name' }, 'iot.firmware.AlreadyExistedFirmwareName');
	});

	void test('firmware is scoped to the instance it was created in', async () => {
		const created = await call(client, 'CreateOTAFirmware', request({ IotInstanceId: sandbox.enterpriseInstanceId }));
		const inPublic = await callError(client, 'QueryOTAFirmware', { FirmwareId: created.Data.FirmwareId });
		assert.equal(inPublic.code, 'iot.ota.FirmwareNotFound');
		const inEnterprise = await call(client, 'QueryOTAFirmware', {
			FirmwareId: created.Data.FirmwareId,
			IotInstanceId: sandbox.enterpriseInstanceId,
		});
		assert.equal(inEnterprise.FirmwareInfo.FirmwareId, created.Data.FirmwareId);
	});

	void test('ListOTAFirmware pages newest first', async () => {
		const page1 = await call(client, 'ListOTAFirmware', { CurrentPage: 1, PageSize: 2 });
		const page2 = await call(client, 'ListOTAFirmware', { CurrentPage: 2, PageSize: 2 });
		assert.equal(page1.PageSize, 2);
		assert.equal(page1.PageCount, Math.ceil(page1.Total / 2));
		assert.equal(page1.FirmwareInfo.SimpleFirmwareInfo.length, 2);
		const ids = [...page1.FirmwareInfo.SimpleFirmwareInfo, ...page2.FirmwareInfo.SimpleFirmwareInfo].map(
			(f: { FirmwareId: string }) => f.FirmwareId,
		);
		assert.equal(new Set(ids).size, ids.length);
		const times = [...page1.FirmwareInfo.SimpleFirmwareInfo, ...page2.FirmwareInfo.SimpleFirmwareInfo].map((f: { UtcCreate: string }) =>
			Date.parse(f.UtcCreate),
		);
		assert.deepEqual(
			times,
			[...times].sort((a, b) => b - a),
		);
	});
});
