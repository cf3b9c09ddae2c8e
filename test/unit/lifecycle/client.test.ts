// The lifecycle client on the wire: a local responder returns the documented answer shapes and records what was sent.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { ACTION_FACTS, actionFacts, deepPageRateKey, rateKeyFor } from '../../../src/core/iot/actions';
import { IotClient } from '../../../src/core/iotClient';
import { LifecycleClient } from '../../../src/core/lifecycle';
import { ActionRateLimiter, actionLimiterFor, RateLimiter } from '../../../src/core/rateLimiter';
import { okBody, popSignature, startStub, type CapturedRequest, type Stub, type StubReply } from '../core-api/stubServer';
import { virtualTime } from '../../support/virtualTime';

const SECRET = 'lifecycle-test-secret';
const DEVICE_SECRET = 'DevSecret9f8e7d6c5b4a';
const PRODUCT_SECRET = 'ProdSecret1a2b3c4d5e6f';

let stub: Stub;
let oss: Stub;
let replies: Record<string, StubReply[]> = {};
const logLines: string[] = [];

function answer(req: CapturedRequest): StubReply {
	return replies[req.params.Action]?.shift() ?? okBody();
}

before(async () => {
	stub = await startStub(answer);
	oss = await startStub(() => ({ status: 200, text: '' }));
});
after(async () => {
	await stub.close();
	await oss.close();
});
beforeEach(() => {
	replies = {};
	logLines.length = 0;
});

function clients(actionLimiter = new ActionRateLimiter({ perSecondOf: () => 1000 })): { iot: IotClient; client: LifecycleClient } {
	const log = (m: string): void => void logLines.push(m);
	const iot = new IotClient({
		region: 'cn-shanghai',
		endpoint: stub.url,
		credentials: { accessKeyId: 'LTAIlifecycle', accessKeySecret: SECRET },
		limiter: new RateLimiter({ perSecond: 1000 }),
		actionLimiter,
		retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
		logger: { trace: log, debug: log, info: log, warn: log, error: log },
	});
	return { iot, client: new LifecycleClient(iot) };
}

async function sent<T>(action: () => Promise<T>): Promise<{ requests: CapturedRequest[]; result: T | unknown }> {
	const start = stub.requests.length;
	const result = await action().catch((e: unknown) => e);
	return { requests: stub.requests.slice(start), result };
}

void describe('wire format', () => {
	void test('job creation is a signed POST form with lists flattened to Name.N and Name.N.Field', async () => {
		replies.CreateOTAStaticUpgradeJob = [okBody({ Data: { JobId: 'J1', UtcCreate: '2025-01-01T00:00:00.566Z' } })];
		const { client } = clients();
		const { requests, result } = await sent(() =>
			client.createStaticJob({
				firmwareId: 'F1',
				productKey: 'pk1',
				target: { kind: 'devices', deviceNames: ['dev-1', 'dev-2'] },
				tags: [{ key: 'stage', value: 'canary' }],
				needConfirm: false,
				retryInterval: 10,
				retryCount: 2,
			}),
		);
		assert.deepEqual(result, { jobId: 'J1', utcCreate: '2025-01-01T00:00:00.566Z' });
		const [req] = requests;
		assert.equal(req.method, 'POST');
		assert.equal(req.search, '');
		assert.equal(req.params.Action, 'CreateOTAStaticUpgradeJob');
		assert.equal(req.params.RegionId, 'cn-shanghai');
		assert.equal(req.params.TargetSelection, 'SPECIFIC');
		assert.equal(req.params['TargetDeviceName.1'], 'dev-1');
		assert.equal(req.params['TargetDeviceName.2'], 'dev-2');
		assert.equal(req.params['Tag.1.Key'], 'stage');
		assert.equal(req.params['Tag.1.Value'], 'canary');
		assert.equal(req.params.NeedConfirm, 'false');
		assert.equal(req.params.RetryInterval, '10');
		assert.equal(req.params.Signature, popSignature('POST', req.params, SECRET));
	});

	void test('ListOTAModuleByProduct is GET only: every parameter in the signed query string, no body', async () => {
		replies.ListOTAModuleByProduct = [okBody({ Data: { ModuleName: 'default', ProductKey: 'pk1' } })];
		const { client } = clients();
		const { requests, result } = await sent(() => client.listOtaModules('pk1'));
		assert.deepEqual(result, [{ moduleName: 'default', productKey: 'pk1' }], 'a lone object where the list is expected');
		const [req] = requests;
		assert.equal(req.method, 'GET');
		assert.equal(req.body, '');
		assert.equal(new URLSearchParams(req.search).get('ProductKey'), 'pk1');
		assert.equal(req.params.Signature, popSignature('GET', req.params, SECRET));
	});

	void test('modules: CreateOTAModule, UpdateOTAModule and DeleteOTAModule are POST forms with the module keys', async () => {
		const { client } = clients();
		const { requests, result } = await sent(async () => {
			await client.createOtaModule({ productKey: 'pk1', moduleName: 'mcu', aliasName: 'MCU', desc: 'the MCU' });
			await client.updateOtaModule({ productKey: 'pk1', moduleName: 'mcu', aliasName: 'MCU2', desc: 'renamed' });
			await client.deleteOtaModule({ productKey: 'pk1', moduleName: 'mcu' });
		});
		assert.equal(result, undefined);
		assert.deepEqual(
			requests.map((r) => [
				r.method,
				r.search,
				r.params.Action,
				r.params.ProductKey,
				r.params.ModuleName,
				r.params.AliasName,
				r.params.Desc,
			]),
			[
				['POST', '', 'CreateOTAModule', 'pk1', 'mcu', 'MCU', 'the MCU'],
				['POST', '', 'UpdateOTAModule', 'pk1', 'mcu', 'MCU2', 'renamed'],
				['POST', '', 'DeleteOTAModule', 'pk1', 'mcu', undefined, undefined],
			],
		);
	});

	void test('control calls: CancelOTATaskByJob flags, ReupgradeOTATask TaskId.N, ListOTAUnfinishedTaskByDevice TaskStatusList.N', async () => {
		const { client } = clients();
		const { requests } = await sent(async () => {
			await client.cancelTasksByJob({ jobId: 'J1', queued: true, unconfirmed: false });
			await client.reupgradeTasks('J1', ['t1', 't2']);
			await client.listUnfinishedTasks({ productKey: 'pk1', deviceName: 'd1' });
		});
		assert.deepEqual(
			requests.map((r) => r.params.Action),
			['CancelOTATaskByJob', 'ReupgradeOTATask', 'ListOTAUnfinishedTaskByDevice'],
		);
		assert.equal(requests[0].params.CancelQueuedTask, 'true');
		assert.equal(requests[0].params.CancelUnconfirmedTask, 'false');
		assert.equal(requests[0].params.CancelNotifiedTask, undefined);
		assert.deepEqual([requests[1].params['TaskId.1'], requests[1].params['TaskId.2']], ['t1', 't2']);
		assert.equal(requests[2].params['TaskStatusList.4'], 'IN_PROGRESS');
	});
});

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

void describe('rate limits and retries', () => {
	void test('each action waits for its own QPS: the 6th CancelOTATaskByJob (5 QPS) waits a window, QueryOTAJob (10) does not', async () => {
		const clock = virtualTime();
		const { client } = clients(new ActionRateLimiter({ now: clock.now, sleep: clock.sleep }));
		for (let i = 0; i < 10; i++) {
			replies.QueryOTAJob = [okBody({ Data: { JobId: 'J', JobStatus: 'IN_PROGRESS' } })];
			await client.queryJob('J');
		}
		assert.deepEqual(clock.sleeps, []);
		for (let i = 0; i < 6; i++) {
			await client.cancelTasksByJob({ jobId: 'J', queued: true });
		}
		assert.deepEqual(clock.sleeps, [1000]);
	});

	void test('deep pages (CurrentPage × PageSize ≥ 100,000) of every action with a deep-paging QPS count against it', async () => {
		const clock = virtualTime();
		const { iot, client } = clients(new ActionRateLimiter({ now: clock.now, sleep: clock.sleep }));
		const deep = Object.entries(ACTION_FACTS).filter(([, facts]) => facts.deepPageQps !== undefined);
		assert.deepEqual(
			deep.map(([action, facts]) => [action, facts.deepPageQps]),
			[
				['QueryProductList', 2],
				['QueryDevice', 2],
			],
		);
		for (let i = 0; i < 3; i++) {
			await iot.queryProductList({ currentPage: 1, pageSize: 200 });
			await client.queryDevices({ productKey: 'pk', currentPage: 1, pageSize: 50 });
		}
		assert.deepEqual(clock.sleeps, [], 'shallow pages use the 50-QPS figure');
		for (let i = 0; i < 3; i++) {
			await iot.queryProductList({ currentPage: 500, pageSize: 200 });
		}
		assert.deepEqual(clock.sleeps, [1000], 'the third deep QueryProductList page waited a window');
		for (let i = 0; i < 3; i++) {
			await client.queryDevices({ productKey: 'pk', currentPage: 2000, pageSize: 50, nextToken: 't' });
		}
		assert.deepEqual(clock.sleeps, [1000, 1000], 'the third deep QueryDevice page waited a window');
		assert.equal(actionFacts(deepPageRateKey('QueryProductList')).qps, 2);
		assert.equal(actionFacts(deepPageRateKey('QueryDevice')).qps, 2);
		assert.equal(rateKeyFor('QueryOTAJob', { CurrentPage: 1000, PageSize: 100 }), 'QueryOTAJob', 'no deep figure: the action itself');
	});

	void test('the per-action limits of an AccessKeyId are shared by every client of it (RAM users share the budget)', async () => {
		const clock = virtualTime();
		const shared = new ActionRateLimiter({ now: clock.now, sleep: clock.sleep });
		const first = clients(shared).client;
		const second = clients(shared).client;
		for (let i = 0; i < 3; i++) {
			await first.cancelTasksByJob({ jobId: 'J', queued: true });
			await second.cancelTasksByJob({ jobId: 'J', queued: true });
		}
		assert.deepEqual(clock.sleeps, [1000], 'the sixth call of the two clients together waited');
		assert.equal(actionLimiterFor('LTAIsame'), actionLimiterFor('LTAIsame'));
		assert.notEqual(actionLimiterFor('LTAIsame'), actionLimiterFor('LTAIother'));
	});

	void test('a job-creating call is never repeated after a server fault', async () => {
		replies.CreateOTAVerifyJob = [
			{ status: 503, json: { RequestId: 'R', Code: 'ServiceUnavailable', Message: 'busy' } },
			okBody({ Data: { JobId: 'J2' } }),
		];
		const { client } = clients();
		const { requests, result } = await sent(() => client.createVerifyJob({ firmwareId: 'F', productKey: 'pk', deviceNames: ['d1'] }));
		assert.equal(requests.length, 1);
		assert.ok(result instanceof OtaError && result.code === 'ServiceUnavailable' && !result.retryable);
	});

	void test('reads are retried after a server fault; throttled writes are retried (the gateway refused them)', async () => {
		replies.ListOTATaskByJob = [
			{ status: 503, json: { RequestId: 'R', Code: 'ServiceUnavailable', Message: 'busy' } },
			okBody({ Total: 0, Data: {} }),
		];
		replies.ConfirmOTATask = [{ status: 400, json: { RequestId: 'R', Code: 'Throttling.User', Message: 'flow control' } }];
		const { client } = clients();
		const reads = await sent(() => client.listTasksByJob({ jobId: 'J' }));
		assert.equal(reads.requests.length, 2);
		const writes = await sent(() => client.confirmTasks(['t1']));
		assert.equal(writes.requests.length, 2);
		assert.equal(writes.result, undefined);
	});
});

void test('a device list: GenerateDeviceNameListURL, the CSV posted with its ticket (AccessKeyId as OSSAccessKeyId), then DnListFileUrl', async () => {
	replies.GenerateDeviceNameListURL = [
		okBody({
			Data: {
				Key: 'ota/dn/list.csv',
				Host: oss.url,
				Policy: 'cG9saWN5',
				Signature: 'c2ln',
				AccessKeyId: 'OSSKEY',
				FileUrl: 'https://oss.example/ota/dn/list.csv',
				ObjectStorage: 'OSS',
			},
		}),
	];
	replies.CreateOTAStaticUpgradeJob = [okBody({ Data: { JobId: 'J3' } })];
	const { client } = clients();
	const names = Array.from({ length: 300 }, (_, i) => `dev-${i}`);
	const fileUrl = await client.uploadDeviceList(names);
	const post = oss.requests.at(-1) as CapturedRequest;
	assert.equal(post.method, 'POST');
	for (const [field, value] of [
		['key', 'ota/dn/list.csv'],
		['OSSAccessKeyId', 'OSSKEY'],
		['policy', 'cG9saWN5'],
		['Signature', 'c2ln'],
	]) {
		assert.match(post.body, new RegExp(`name="${field}"\\r\\n\\r\\n${value}\\r\\n`));
	}
	assert.ok(post.body.includes(`\r\n\r\n${names.join('\n')}\n\r\n--`), 'the file part holds one name per line');
	const { requests } = await sent(() =>
		client.createStaticJob({ firmwareId: 'F', productKey: 'pk', target: { kind: 'deviceFile', fileUrl } }),
	);
	assert.equal(requests[0].params.DnListFileUrl, 'https://oss.example/ota/dn/list.csv');
	assert.equal(requests[0].params.TargetSelection, 'SPECIFIC');
});
