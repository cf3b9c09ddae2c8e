// Contract of the package actions added for the lifecycle (docs/protocols.md §11.4, §11.6): CreateOTAFirmware's
// Type, SrcVersion, NeedToVerify, Udi and MultiFiles, QueryOTAFirmware / ListOTAFirmware, ModifyOTAFirmware,
// GenerateDeviceNameListURL.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Sandbox } from '../../../src/sandbox';
import type { OtaClient, Params, Value } from './otaClient';
import { imageWithVersion, postObject, startOtaSandbox, uploadDeviceList, uploadFile } from './otaFixtures';

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

void describe('sandbox contract: packages', () => {
	let sandbox: Sandbox;
	let client: OtaClient;
	let pk: string;
	let sharedUrl: string;
	before(async () => {
		({ sandbox, client } = await startOtaSandbox());
		pk = sandbox.productKey;
		sharedUrl = await uploadFile(client, imageWithVersion('9.9.9'));
	});
	after(() => sandbox.stop());

	let names = 0;
	const create = (extra: Params) =>
		client.ok('CreateOTAFirmware', {
			ProductKey: pk,
			FirmwareName: `fw_${++names}`,
			DestVersion: '2.0.0',
			FirmwareUrl: sharedUrl,
			...extra,
		});
	const query = async (firmwareId: string) => (await client.ok('QueryOTAFirmware', { FirmwareId: firmwareId })).FirmwareInfo;

	void test('QueryOTAFirmware of a full package: Status 0 and VerifyProgress 0, a signed FirmwareUrl, Udi, no SrcVersion', async () => {
		const id = (await create({ Udi: '{"ota_notice":"fix"}', SrcVersion: '1.0.0' })).Data.FirmwareId;
		const info = await query(id);
		assert.deepEqual([info.Status, info.VerifyProgress, info.Type], [0, 0, 0]);
		assert.equal(info.Udi, '{"ota_notice":"fix"}');
		assert.equal(info.SrcVersion, undefined, 'SrcVersion only for delta packages');
		assert.equal(info.MultiFiles, undefined);
		assert.match(info.FirmwareUrl, /\?Expires=\d+&OSSAccessKeyId=[^&]+&Signature=/);
		assert.equal(typeof info.FirmwareSize, 'number');
		assert.match(info.FirmwareSign, /^[0-9a-f]{32}$/);
		assert.equal((await fetch(info.FirmwareUrl)).status, 200);
	});

	void test('Type 1 (delta) shows its SrcVersion; NeedToVerify=false gives Status -1', async () => {
		const delta = await query((await create({ Type: 1, SrcVersion: '1.0.0' })).Data.FirmwareId);
		assert.deepEqual([delta.Type, delta.SrcVersion], [1, '1.0.0']);
		const noVerify = await query((await create({ NeedToVerify: false })).Data.FirmwareId);
		assert.equal(noVerify.Status, -1);
		await client.invalid(
			'CreateOTAFirmware',
			{ ProductKey: pk, FirmwareName: 'd1', DestVersion: '2', FirmwareUrl: sharedUrl, Type: 1 },
			'SrcVersion',
		);
		await client.invalid(
			'CreateOTAFirmware',
			{ ProductKey: pk, FirmwareName: 'd2', DestVersion: '2', FirmwareUrl: sharedUrl, Type: 1, SrcVersion: '2' },
			'SrcVersion',
		);
		await client.invalid(
			'CreateOTAFirmware',
			{ ProductKey: pk, FirmwareName: 'd3', DestVersion: '2', FirmwareUrl: sharedUrl, NeedToVerify: 'yes' },
			'NeedToVerify',
		);
	});

	void test('Udi: at most 4,096 characters', async () => {
		await create({ Udi: 'u'.repeat(4096) });
		await client.fails(
			'CreateOTAFirmware',
			{ ProductKey: pk, FirmwareName: 'udi_long', DestVersion: '2', FirmwareUrl: sharedUrl, Udi: 'u'.repeat(4097) },
			'iot.firmware.FirmwareUdiExceedLimit',
		);
	});

	void test('MultiFiles: each file signed in QueryOTAFirmware; no FirmwareUrl, FirmwareSize or FirmwareSign then', async () => {
		const [a, b] = [randomBytes(1000), randomBytes(2000)];
		const [urlA, urlB] = [await uploadFile(client, a), await uploadFile(client, b)];
		const body = await client.ok('CreateOTAFirmware', {
			ProductKey: pk,
			FirmwareName: 'multi_ok',
			DestVersion: '2.0.0',
			MultiFiles: [
				{ Name: 'app', Url: urlA, Size: a.length, FileMd5: md5(a) },
				{ Name: 'dsp', Url: urlB, SignValue: md5(b) },
			],
		});
		const info = await query(body.Data.FirmwareId);
		assert.equal(info.FirmwareUrl, undefined);
		assert.equal(info.FirmwareSize, undefined);
		assert.equal(info.FirmwareSign, undefined);
		assert.deepEqual(
			info.MultiFiles.map((f: { Name: string; Size: number; SignValue: string; FileMd5: string }) => [
				f.Name,
				f.Size,
				f.SignValue,
				f.FileMd5,
			]),
			[
				['app', a.length, md5(a), md5(a)],
				['dsp', b.length, md5(b), md5(b)],
			],
		);
		const downloaded = Buffer.from(await (await fetch(info.MultiFiles[1].Url)).arrayBuffer());
		assert.deepEqual(downloaded, b);
	});

	void test('MultiFiles limits: at most 20, names 1–32 and unique, uploaded files only, sizes and digests checked', async () => {
		const multi = (files: Array<Record<string, Value>>, extra: Params = {}): Params => ({
			ProductKey: pk,
			FirmwareName: `multi_${++names}`,
			DestVersion: '2',
			MultiFiles: files,
			...extra,
		});
		const file = (name: string) => ({ Name: name, Url: sharedUrl });
		await client.invalid('CreateOTAFirmware', multi(Array.from({ length: 21 }, (_, i) => file(`f${i}`))), 'MultiFiles');
		await client.invalid('CreateOTAFirmware', multi([file('same'), file('same')]), 'MultiFiles.N.Name');
		await client.invalid('CreateOTAFirmware', multi([file('one'), file('other')]), 'MultiFiles.N.Url');
		// The same object under another spelling of its URL is the same upload.
		const spelledAgain = { Name: 'again', Url: sharedUrl.replace(/\.bin$/, '%2Ebin') };
		await client.invalid('CreateOTAFirmware', multi([file('one'), spelledAgain]), 'MultiFiles.N.Url');
		await client.invalid('CreateOTAFirmware', multi([file('n'.repeat(33))]), 'MultiFiles.N.Name');
		// 17 characters outside the BMP are 34 UTF-16 code units: over 32, as every other text is counted (§13.6).
		await client.invalid('CreateOTAFirmware', multi([file('\u{1F680}'.repeat(17))]), 'MultiFiles.N.Name');
		await client.invalid('CreateOTAFirmware', multi([{ Path: sharedUrl }]), 'MultiFiles');
		await client.invalid('CreateOTAFirmware', multi([file('x')], { FirmwareUrl: sharedUrl }), 'MultiFiles');
		await client.fails(
			'CreateOTAFirmware',
			multi([{ Name: 'x', Url: `${sandbox.ossHost}/ota/none.bin` }]),
			'iot.ota.InvalidFirmwareUrl',
		);
		// A device list's upload (GenerateDeviceNameListURL) is no firmware file: MultiFiles.N.Url and FirmwareUrl come
		// from GenerateOTAUploadURL (docs/protocols.md §11.4).
		const deviceList = await uploadDeviceList(client, 'dev-00001\n');
		await client.fails('CreateOTAFirmware', multi([{ Name: 'x', Url: deviceList }]), 'iot.ota.InvalidFirmwareUrl');
		await client.fails(
			'CreateOTAFirmware',
			{ ProductKey: pk, FirmwareName: `multi_${++names}`, DestVersion: '2', FirmwareUrl: deviceList },
			'iot.ota.InvalidFirmwareUrl',
		);
		await client.fails('CreateOTAFirmware', multi([{ ...file('x'), Size: 1 }]), 'iot.ota.FirmwareSizeNotMatch');
		await client.fails('CreateOTAFirmware', multi([{ ...file('x'), FileMd5: '0'.repeat(32) }]), 'iot.ota.FirmwareSignNotMatch');
		const urls = await Promise.all(Array.from({ length: 20 }, (_, i) => uploadFile(client, Buffer.from(`file ${i}`))));
		await client.ok('CreateOTAFirmware', multi(urls.map((url, i) => ({ Name: `f${i}`, Url: url }))));
	});

	void test('ListOTAFirmware items carry Status, but no Udi, VerifyProgress or MultiFiles', async () => {
		await create({ NeedToVerify: false, Udi: 'x' });
		const items = (await client.ok('ListOTAFirmware', { CurrentPage: 1, PageSize: 1 })).FirmwareInfo.SimpleFirmwareInfo;
		assert.equal(items[0].Status, -1);
		for (const absent of ['Udi', 'VerifyProgress', 'MultiFiles']) {
			assert.equal(items[0][absent], undefined, absent);
		}
	});

	void test('ModifyOTAFirmware changes name, description and FirmwareUdi, with the documented codes', async () => {
		const id = (await create({})).Data.FirmwareId;
		const before = await query(id);
		const modified = await client.ok('ModifyOTAFirmware', {
			ProductKey: pk,
			FirmwareId: id,
			FirmwareName: 'renamed(1)',
			FirmwareDesc: 'desc',
			FirmwareUdi: 'udi',
		});
		assert.deepEqual(Object.keys(modified).sort(), ['RequestId', 'Success']);
		const after = await query(id);
		assert.deepEqual([after.FirmwareName, after.FirmwareDesc, after.Udi], ['renamed(1)', 'desc', 'udi']);
		assert.ok(after.UtcModified >= before.UtcModified);
		const other = (await create({})).Data.FirmwareId;
		const modify = (extra: Params, code: string) =>
			client.fails('ModifyOTAFirmware', { ProductKey: pk, FirmwareId: other, ...extra }, code);
		await modify({ FirmwareName: 'renamed(1)' }, 'iot.firmware.AlreadyExistedFirmwareName');
		await modify({ FirmwareName: '-bad' }, 'iot.firmware.IncorrectFormattedFirmwareName');
		await modify({ FirmwareName: 'n'.repeat(41) }, 'iot.firmware.IncorrectFormattedFirmwareName');
		await modify({ FirmwareDesc: 'd'.repeat(101) }, 'iot.firmware.FirmwareDescExceedLimit');
		await modify({ FirmwareUdi: 'u'.repeat(4097) }, 'iot.firmware.FirmwareUdiExceedLimit');
		await modify({ ProductKey: 'a1SandboxGW2' }, 'iot.ota.FirmwareAndProductKeyMismatch');
		await modify({ FirmwareId: 'x'.repeat(26) }, 'iot.ota.FirmwareNotFound');
		await client.fails('ModifyOTAFirmware', { FirmwareId: other }, 'MissingProductKey');
		const notFound = await client.fails(
			'ModifyOTAFirmware',
			{ ProductKey: pk, FirmwareId: 'x'.repeat(26) },
			'iot.ota.FirmwareNotFound',
		);
		assert.equal(notFound.message, 'The specified firmware does not exist.');
	});

	void test('GenerateDeviceNameListURL: a PostObject ticket named AccessKeyId / FileUrl, valid 1 minute, files ≤ 5 MB', async () => {
		const { Data } = await client.ok('GenerateDeviceNameListURL');
		assert.deepEqual(Object.keys(Data).sort(), [
			'AccessKeyId',
			'FileUrl',
			'Host',
			'Key',
			'ObjectStorage',
			'Policy',
			'Signature',
			'UtcCreate',
		]);
		assert.match(Data.Key, /^ota\/[0-9a-f]{32}\/[a-z0-9]{25}\.csv$/);
		assert.equal(Data.FileUrl, `${Data.Host}/${Data.Key}`);
		assert.equal(Data.ObjectStorage, 'OSS');
		const policy = JSON.parse(Buffer.from(Data.Policy, 'base64').toString()) as { expiration: string; conditions: unknown[] };
		assert.equal(Date.parse(policy.expiration) - Date.parse(Data.UtcCreate), 60_000);
		assert.deepEqual(policy.conditions[0], ['content-length-range', 0, 5 * 1024 * 1024]);
		const fields = { key: Data.Key, OSSAccessKeyId: Data.AccessKeyId, policy: Data.Policy, Signature: Data.Signature };
		assert.equal(await postObject(Data.Host, fields, Buffer.alloc(5 * 1024 * 1024 + 1, 0x41), 'big.csv'), 400);
		assert.equal(await postObject(Data.Host, fields, Buffer.from('dev-00001\ndev-00002\n'), 'devices.csv'), 204);
	});

	void test('an instance holds at most 500 packages', async (t) => {
		const own = await startOtaSandbox();
		t.after(() => own.sandbox.stop());
		const url = await uploadFile(own.client, imageWithVersion('1'));
		for (let i = 0; i < 500; i++) {
			await own.client.ok('CreateOTAFirmware', { ProductKey: pk, FirmwareName: `p${i}`, DestVersion: '2', FirmwareUrl: url });
		}
		await own.client.fails(
			'CreateOTAFirmware',
			{ ProductKey: pk, FirmwareName: 'p500', DestVersion: '2', FirmwareUrl: url },
			'iot.ota.FirmwareExceedLimit',
		);
	});
});
