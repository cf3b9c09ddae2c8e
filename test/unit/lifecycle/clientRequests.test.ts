// The lifecycle client on the wire, what it sends: signed forms and queries with lists flattened as documented, and a
// device list uploaded to OSS with its ticket. A local responder records every request (clientResponder.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { okBody, popSignature, type CapturedRequest } from '../core-api/stubServer';
import { SECRET, useClientResponder } from './clientResponder';

const responder = useClientResponder();
const { replies, clients, sent } = responder;

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

void test('a device list: GenerateDeviceNameListURL, the CSV posted with its ticket (AccessKeyId as OSSAccessKeyId), then DnListFileUrl', async () => {
	replies.GenerateDeviceNameListURL = [
		okBody({
			Data: {
				Key: 'ota/dn/list.csv',
				Host: responder.oss.url,
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
	const post = responder.oss.requests.at(-1) as CapturedRequest;
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
