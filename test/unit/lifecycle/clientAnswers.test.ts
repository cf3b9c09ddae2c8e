// The lifecycle client on the wire, what it reads: the documented answer shapes (lone objects, nested lists, unknown
// statuses) and the secrets in them, which never leave the client. A local responder returns the answers (clientResponder.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { okBody } from '../core-api/stubServer';
import { useClientResponder } from './clientResponder';

const DEVICE_SECRET = 'DevSecret9f8e7d6c5b4a';
const PRODUCT_SECRET = 'ProdSecret1a2b3c4d5e6f';

const responder = useClientResponder();
const { replies, logLines, clients } = responder;

void describe('answer shapes', () => {
	void test('ListOTATaskByJob: paging at the top level, tasks under Data.SimpleOTATaskInfo (one lone object too)', async () => {
		const item = {
			TaskId: 'T1',
			JobId: 'J1',
			DeviceName: 'd1',
			TaskStatus: 'FAILED',
			Progress: '0.00',
			TaskDesc: 'report version is not conform',
			Timeout: '1440',
			SrcVersion: '1.0.0',
			DestVersion: '1.0.1',
		};
		replies.ListOTATaskByJob = [okBody({ CurrentPage: 1, PageSize: 10, PageCount: 1, Total: 1, Data: { SimpleOTATaskInfo: item } })];
		const { client } = clients();
		const page = await client.listTasksByJob({ jobId: 'J1', status: 'FAILED' });
		assert.equal(page.total, 1);
		assert.deepEqual(page.items[0], {
			taskId: 'T1',
			jobId: 'J1',
			deviceName: 'd1',
			status: 'FAILED',
			progress: '0.00',
			taskDesc: 'report version is not conform',
			timeout: '1440',
			srcVersion: '1.0.0',
			destVersion: '1.0.1',
		});
	});

	void test('QueryOTAJob: SrcVersions.SrcVersion and Tags.OtaTagDTO; a lone string is one version', async () => {
		replies.QueryOTAJob = [
			okBody({
				Data: {
					JobId: 'J1',
					JobStatus: 'IN_PROGRESS',
					SelectionType: 'STATIC',
					TargetSelection: 'GRAY',
					GrayPercent: '10.00',
					NeedConfirm: true,
					SrcVersions: { SrcVersion: '1.0.0' },
					Tags: { OtaTagDTO: [{ Key: 'k', Value: 'v' }] },
				},
			}),
		];
		const { client } = clients();
		const job = await client.queryJob('J1');
		assert.deepEqual(job.srcVersions, ['1.0.0']);
		assert.deepEqual(job.tags, [{ key: 'k', value: 'v' }]);
		assert.equal(job.needConfirm, true);
		assert.equal(job.grayPercent, '10.00');
	});

	void test('QueryOTAFirmware: Status and VerifyProgress; the signed download URL loses its signature', async () => {
		replies.QueryOTAFirmware = [
			okBody({
				FirmwareInfo: {
					FirmwareId: 'F1',
					FirmwareName: 'fw',
					DestVersion: '1.2.0',
					Status: 2,
					VerifyProgress: 50,
					FirmwareUrl: 'https://ota.example/ota/x.bin?Expires=1&OSSAccessKeyId=AK&Signature=abc',
				},
			}),
		];
		const { client } = clients();
		const fw = await client.queryFirmware('F1');
		assert.equal(fw.status, 2);
		assert.equal(fw.verifyProgress, 50);
		assert.equal(fw.firmwareUrl, 'https://ota.example/ota/x.bin');
	});

	void test('an unknown TaskStatus is an invalid answer, not a silently miscounted task', async () => {
		replies.ListOTATaskByJob = [okBody({ Total: 1, Data: { SimpleOTATaskInfo: [{ TaskId: 'T', TaskStatus: 'WEIRD' }] } })];
		const { client } = clients();
		await assert.rejects(client.listTasksByJob({ jobId: 'J' }), (e: unknown) => e instanceof OtaError && e.code === 'InvalidResponse');
	});
});

void describe('secrets', () => {
	void test('DeviceSecret and ProductSecret never leave the client: not in results, raw bodies or log lines', async () => {
		replies.QueryDevice = [
			okBody({
				Page: 1,
				PageSize: 10,
				Total: 1,
				Data: { DeviceInfo: [{ DeviceName: 'd1', DeviceSecret: DEVICE_SECRET, DeviceStatus: 'ONLINE' }] },
			}),
		];
		replies.QueryDeviceDetail = [okBody({ Data: { DeviceName: 'd1', DeviceSecret: DEVICE_SECRET, FirmwareVersion: '1.0.0' } })];
		replies.BatchQueryDeviceDetail = [okBody({ Data: { Data: [{ DeviceName: 'd1', DeviceSecret: DEVICE_SECRET }] } })];
		replies.QueryProduct = [
			okBody({ Data: { ProductKey: 'pk1', ProductName: 'p', ProductSecret: PRODUCT_SECRET, GmtCreate: 1581595942000 } }),
		];
		replies.GenerateOTAUploadURL = [okBody({ Data: { Nested: [{ DeviceSecret: DEVICE_SECRET }] } })];
		const { iot, client } = clients();
		const results = [
			await client.queryDevices({ productKey: 'pk1' }),
			await client.queryDeviceDetail({ productKey: 'pk1', deviceName: 'd1' }),
			await client.batchQueryDeviceDetail('pk1', ['d1']),
			await client.queryProduct('pk1'),
			await iot.call('GenerateOTAUploadURL', {}),
		];
		const text = JSON.stringify(results) + logLines.join('\n');
		assert.ok(!text.includes(DEVICE_SECRET), text);
		assert.ok(!text.includes(PRODUCT_SECRET), text);
		assert.ok(!text.includes('DeviceSecret') && !text.includes('ProductSecret'));
		assert.equal((results[3] as { gmtCreate?: number }).gmtCreate, 1581595942000);
		assert.equal((results[0] as { items: Array<{ status?: string }> }).items[0].status, 'ONLINE');
	});
});
