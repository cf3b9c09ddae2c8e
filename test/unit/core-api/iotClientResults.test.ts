// What IotClient reads out of the answers (list wrappers, page fields, json-bigint numbers) and what it refuses
// before any call (page arguments, a plain-http remote endpoint, missing credentials).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { MAX_CURRENT_PAGE } from '../../../src/core/iot/actions';
import { okBody } from './stubServer';
import { useIotClientStub } from './iotClientSupport';

const io = useIotClientStub();
const { client, sentDuring } = io;

void test('ListOTAFirmware reads the FirmwareInfo.SimpleFirmwareInfo double wrapper and the page fields', async () => {
	io.script = [
		okBody({
			Total: 3,
			PageSize: 2,
			PageCount: 2,
			CurrentPage: 1,
			FirmwareInfo: {
				SimpleFirmwareInfo: [
					{
						FirmwareId: 'F1',
						FirmwareName: 'one',
						DestVersion: '1.0',
						ProductKey: 'pk',
						Type: 0,
						Status: -1,
						UtcCreate: '2024-01-01T00:00:00.000Z',
					},
					{ FirmwareId: 'F2', FirmwareName: 'two', DestVersion: '2.0', SrcVersion: '1.0', Type: 1 },
				],
			},
		}),
	];
	const { requests, outcome } = await sentDuring(() =>
		client({ iotInstanceId: 'iot-1' }).listOtaFirmware({ pageSize: 2, productKey: 'pk' }),
	);
	assert.deepEqual(
		{
			CurrentPage: requests[0].params.CurrentPage,
			PageSize: requests[0].params.PageSize,
			ProductKey: requests[0].params.ProductKey,
			IotInstanceId: requests[0].params.IotInstanceId,
		},
		{ CurrentPage: '1', PageSize: '2', ProductKey: 'pk', IotInstanceId: 'iot-1' },
	);
	assert.deepEqual(outcome, {
		total: 3,
		pageSize: 2,
		pageCount: 2,
		currentPage: 1,
		items: [
			{
				firmwareId: 'F1',
				firmwareName: 'one',
				destVersion: '1.0',
				productKey: 'pk',
				type: 0,
				status: -1,
				utcCreate: '2024-01-01T00:00:00.000Z',
			},
			{ firmwareId: 'F2', firmwareName: 'two', destVersion: '2.0', srcVersion: '1.0', type: 1 },
		],
	});
});

void test('an empty firmware list (no wrapper at all) is an empty page', async () => {
	io.script = [okBody({ Total: 0, PageSize: 20, PageCount: 0, CurrentPage: 1 })];
	const page = await client().listOtaFirmware({});
	assert.deepEqual(page, { total: 0, pageSize: 20, pageCount: 0, currentPage: 1, items: [] });
});

void test('QueryProductList reads Data.List.ProductInfo and normalises json-bigint numbers', async () => {
	// Raw text so the big integer reaches json-bigint (it becomes a BigNumber there).
	io.script = [
		{
			contentType: 'application/json',
			text:
				'{"RequestId":"R","Success":true,"Data":{"CurrentPage":1,"PageCount":1,"PageSize":10,"Total":2,"List":{"ProductInfo":[' +
				'{"ProductKey":"a1one","ProductName":"One","NodeType":0,"DeviceCount":12345678901234567890,"GmtCreate":1700000000000},' +
				'{"ProductKey":"a1two","ProductName":"Two","NodeType":1,"DeviceCount":3,"Description":"d"}]}}}',
		},
	];
	const page = await client().queryProductList({ pageSize: 10 });
	assert.equal(Object.getPrototypeOf(page.items[0]), Object.prototype);
	assert.deepEqual(page, {
		total: 2,
		pageSize: 10,
		pageCount: 1,
		currentPage: 1,
		items: [
			{ productKey: 'a1one', productName: 'One', nodeType: 0, deviceCount: Number('12345678901234567890') },
			{ productKey: 'a1two', productName: 'Two', nodeType: 1, deviceCount: 3, description: 'd' },
		],
	});
});

void test('page arguments are validated before any call', async () => {
	const { requests, outcome } = await sentDuring(() => client().listOtaFirmware({ pageSize: 101 }));
	assert.equal(requests.length, 0);
	assert.equal((outcome as OtaError).code, 'InvalidPageSize');
	await assert.rejects(client().queryProductList({ currentPage: 0 }), { code: 'InvalidCurrentPage' });
	for (const list of [
		(q: { currentPage: number }) => client().listOtaFirmware(q),
		(q: { currentPage: number }) => client().queryProductList(q),
	]) {
		const deep = await sentDuring(() => list({ currentPage: MAX_CURRENT_PAGE + 1 }));
		assert.equal(deep.requests.length, 0);
		assert.equal((deep.outcome as OtaError).code, 'InvalidCurrentPage');
		assert.match((deep.outcome as OtaError).message, new RegExp(`from 1 to ${MAX_CURRENT_PAGE} \\(got ${MAX_CURRENT_PAGE + 1}\\)`));
	}
});

void test('the constructor refuses a plain-http endpoint on a remote host', () => {
	assert.throws(() => client({ endpoint: 'http://iot.example.com' }), { code: 'InsecureEndpoint' });
	assert.equal(client({ endpoint: 'http://iot.example.com', allowInsecure: true }).endpoint, 'http://iot.example.com');
});

void test('the constructor validates the credentials (clear OtaError instead of a pop-core assertion)', () => {
	assert.throws(() => client({ credentials: { accessKeyId: '', accessKeySecret: 'x' } }), {
		code: 'MissingAccessKeyId',
		source: 'credentials',
	});
});
