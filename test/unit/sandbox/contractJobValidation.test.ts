// Contract of the job-creating actions' parameters (docs/protocols.md §11.5–§11.6): every documented limit of
// CreateOTAVerifyJob, CreateOTAStaticUpgradeJob and CreateOTADynamicUpgradeJob is refused with its code.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEVICE_LIST_TTL_MS } from '../../../src/core/otaFacts';
import type { Sandbox } from '../../../src/sandbox';
import { OtaClient, type Params } from './otaClient';
import { clientOf, createPackage, imageWithVersion, postObject, startOtaSandbox, uploadDeviceList, uploadFile } from './otaFixtures';

const MINUTE = 60_000;

void describe('sandbox contract: job parameters', () => {
	let sandbox: Sandbox;
	let client: OtaClient;
	let pk: string;
	let firmwareId: string;
	before(async () => {
		({ sandbox, client } = await startOtaSandbox({ deviceListMaxNames: 3 }));
		pk = sandbox.productKey;
		firmwareId = await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'), { NeedToVerify: false });
	});
	after(() => sandbox.stop());

	const names = (n: number) => Array.from({ length: n }, (_, i) => `dev-${String(i + 1).padStart(5, '0')}`);
	const verify = (extra: Params) => ({ FirmwareId: firmwareId, ProductKey: pk, TargetDeviceName: ['dev-00001'], ...extra });
	const all = (extra: Params) => ({ FirmwareId: firmwareId, ProductKey: pk, TargetSelection: 'ALL', ...extra });
	const dynamic = (extra: Params) => ({ FirmwareId: firmwareId, ProductKey: pk, SrcVersion: ['1.0.0'], ...extra });
	const tag = (key: string, value: string) => ({ Key: key, Value: value });
	/** Refused with iot.check.InvalidFormattedParameter, the message naming this parameter. */
	const invalid = (parameter: string) => ({ parameter });

	const cases: Array<[string, string, () => Params, string | { parameter: string }]> = [
		// Required parameters: the gateway's Missing<Name>.
		['CreateOTAVerifyJob', 'no FirmwareId', () => ({ ProductKey: pk, TargetDeviceName: ['dev-00001'] }), 'MissingFirmwareId'],
		['CreateOTAVerifyJob', 'no target devices', () => ({ FirmwareId: 'x', ProductKey: pk }), 'MissingTargetDeviceName'],
		['CreateOTAStaticUpgradeJob', 'no TargetSelection', () => ({ FirmwareId: 'x', ProductKey: pk }), 'MissingTargetSelection'],
		['CreateOTADynamicUpgradeJob', 'no ProductKey', () => ({ FirmwareId: 'x' }), 'MissingProductKey'],
		['CreateOTAVerifyJob', 'an unknown package', () => verify({ FirmwareId: 'x'.repeat(26) }), 'iot.ota.FirmwareNotFound'],
		// Target devices: 1–10 unique for verification, ≤ 200 unique for a static batch.
		['CreateOTAVerifyJob', '11 devices', () => verify({ TargetDeviceName: names(11) }), invalid('TargetDeviceName.N')],
		[
			'CreateOTAVerifyJob',
			'a device twice',
			() => verify({ TargetDeviceName: ['dev-00001', 'dev-00001'] }),
			invalid('TargetDeviceName.N'),
		],
		[
			'CreateOTAStaticUpgradeJob',
			'201 devices',
			() => all({ TargetSelection: 'SPECIFIC', TargetDeviceName: names(201) }),
			invalid('TargetDeviceName.N'),
		],
		// TimeoutInMinutes 1–1440.
		['CreateOTAVerifyJob', 'TimeoutInMinutes 0', () => verify({ TimeoutInMinutes: 0 }), 'iot.ota.InvalidTimeout'],
		['CreateOTAStaticUpgradeJob', 'TimeoutInMinutes 1441', () => all({ TimeoutInMinutes: 1441 }), 'iot.ota.InvalidTimeout'],
		['CreateOTADynamicUpgradeJob', 'TimeoutInMinutes 1.5', () => dynamic({ TimeoutInMinutes: '1.5' }), 'iot.ota.InvalidTimeout'],
		// Retries: interval ∈ {0,10,30,60,1440} below the timeout, count ∈ {1,2,5}, both or neither.
		['CreateOTAStaticUpgradeJob', 'RetryInterval 5', () => all({ RetryInterval: 5, RetryCount: 1 }), invalid('RetryInterval')],
		['CreateOTAStaticUpgradeJob', 'RetryCount 3', () => all({ RetryInterval: 10, RetryCount: 3 }), invalid('RetryCount')],
		['CreateOTAStaticUpgradeJob', 'RetryInterval alone', () => all({ RetryInterval: 10 }), invalid('RetryCount')],
		['CreateOTADynamicUpgradeJob', 'RetryCount alone', () => dynamic({ RetryCount: 2 }), invalid('RetryCount')],
		[
			'CreateOTAStaticUpgradeJob',
			'RetryInterval = timeout',
			() => all({ RetryInterval: 60, RetryCount: 1, TimeoutInMinutes: 60 }),
			invalid('RetryInterval'),
		],
		[
			'CreateOTAStaticUpgradeJob',
			'RetryInterval 1440 with a timeout',
			() => all({ RetryInterval: 1440, RetryCount: 1, TimeoutInMinutes: 1440 }),
			invalid('RetryInterval'),
		],
		// MaximumPerMinute 10–10,000.
		['CreateOTAStaticUpgradeJob', 'MaximumPerMinute 9', () => all({ MaximumPerMinute: 9 }), 'iot.ota.InvalidMaximumPerMinute'],
		[
			'CreateOTADynamicUpgradeJob',
			'MaximumPerMinute 10001',
			() => dynamic({ MaximumPerMinute: 10_001 }),
			'iot.ota.InvalidMaximumPerMinute',
		],
		// OverwriteMode ∈ {1,2}; 2 not with MultiModuleMode.
		['CreateOTAStaticUpgradeJob', 'OverwriteMode 3', () => all({ OverwriteMode: 3 }), invalid('OverwriteMode')],
		[
			'CreateOTAStaticUpgradeJob',
			'OverwriteMode 2 + MultiModuleMode',
			() => all({ OverwriteMode: 2, MultiModuleMode: true }),
			invalid('OverwriteMode'),
		],
		// TargetSelection and what goes with it.
		['CreateOTAStaticUpgradeJob', 'TargetSelection NONE', () => all({ TargetSelection: 'NONE' }), invalid('TargetSelection')],
		[
			'CreateOTAStaticUpgradeJob',
			'SPECIFIC without devices',
			() => all({ TargetSelection: 'SPECIFIC' }),
			invalid('TargetDeviceName.N'),
		],
		[
			'CreateOTAStaticUpgradeJob',
			'SPECIFIC with names and a file',
			() => all({ TargetSelection: 'SPECIFIC', TargetDeviceName: ['dev-00001'], DnListFileUrl: 'http://x/y.csv' }),
			invalid('TargetDeviceName.N'),
		],
		['CreateOTAStaticUpgradeJob', 'names with ALL', () => all({ TargetDeviceName: ['dev-00001'] }), invalid('TargetDeviceName.N')],
		['CreateOTAStaticUpgradeJob', 'GRAY without GrayPercent', () => all({ TargetSelection: 'GRAY' }), invalid('GrayPercent')],
		[
			'CreateOTAStaticUpgradeJob',
			'GrayPercent with 4 decimals',
			() => all({ TargetSelection: 'GRAY', GrayPercent: '10.1234' }),
			invalid('GrayPercent'),
		],
		['CreateOTAStaticUpgradeJob', 'GrayPercent 0', () => all({ TargetSelection: 'GRAY', GrayPercent: '0' }), invalid('GrayPercent')],
		[
			'CreateOTAStaticUpgradeJob',
			'GrayPercent 100.5',
			() => all({ TargetSelection: 'GRAY', GrayPercent: '100.5' }),
			invalid('GrayPercent'),
		],
		['CreateOTAStaticUpgradeJob', 'GrayPercent with ALL', () => all({ GrayPercent: '10' }), invalid('GrayPercent')],
		[
			'CreateOTAStaticUpgradeJob',
			'GROUP without GroupId',
			() => all({ TargetSelection: 'GROUP', GroupType: 'LINK_PLATFORM' }),
			invalid('GroupId'),
		],
		[
			'CreateOTAStaticUpgradeJob',
			'GROUP of a dynamic type',
			() => all({ TargetSelection: 'GROUP', GroupId: 'g', GroupType: 'LINK_PLATFORM_DYNAMIC' }),
			invalid('GroupId'),
		],
		['CreateOTAStaticUpgradeJob', 'GroupId with ALL', () => all({ GroupId: 'g' }), invalid('GroupId')],
		// SrcVersion.N: ≤ 10, unique, only with ALL / GRAY; dynamic batches take it xor a group.
		[
			'CreateOTAStaticUpgradeJob',
			'SrcVersion with SPECIFIC',
			() => all({ TargetSelection: 'SPECIFIC', TargetDeviceName: ['dev-00001'], SrcVersion: ['1.0.0'] }),
			'iot.ota.InvalidSrcVersionList',
		],
		[
			'CreateOTAStaticUpgradeJob',
			'SrcVersion with GROUP',
			() => all({ TargetSelection: 'GROUP', GroupId: 'g', GroupType: 'LINK_PLATFORM', SrcVersion: ['1.0.0'] }),
			'iot.ota.InvalidSrcVersionList',
		],
		['CreateOTAStaticUpgradeJob', '11 SrcVersions', () => all({ SrcVersion: names(11) }), 'iot.ota.InvalidSrcVersionList'],
		['CreateOTAStaticUpgradeJob', 'a SrcVersion twice', () => all({ SrcVersion: ['1.0.0', '1.0.0'] }), 'iot.ota.InvalidSrcVersionList'],
		[
			'CreateOTADynamicUpgradeJob',
			'neither SrcVersion nor group',
			() => dynamic({ SrcVersion: undefined }),
			'iot.ota.EmptySrcVersionList',
		],
		[
			'CreateOTADynamicUpgradeJob',
			'SrcVersion and a group',
			() => dynamic({ GroupId: 'g', GroupType: 'LINK_PLATFORM_DYNAMIC' }),
			'iot.ota.InvalidSrcVersionList',
		],
		[
			'CreateOTADynamicUpgradeJob',
			'a static group type',
			() => dynamic({ SrcVersion: undefined, GroupId: 'g', GroupType: 'LINK_PLATFORM' }),
			invalid('GroupId'),
		],
		['CreateOTADynamicUpgradeJob', 'DynamicMode 3', () => dynamic({ DynamicMode: 3 }), invalid('DynamicMode')],
		// Tags: ≤ 10 pairs; key 1–30 of [A-Za-z0-9.]; value 1–1,024; ≤ 4,096 in all.
		['CreateOTAVerifyJob', '11 tags', () => verify({ Tag: names(11).map((n, i) => tag(`k${i}`, n)) }), invalid('Tag.N')],
		['CreateOTAStaticUpgradeJob', 'a key with a dash', () => all({ Tag: [tag('a-b', 'v')] }), invalid('Tag.N.Key')],
		['CreateOTAStaticUpgradeJob', 'a key without value', () => all({ Tag: [{ Key: 'k' }] }), invalid('Tag.N')],
		['CreateOTAStaticUpgradeJob', 'an empty value', () => all({ Tag: [tag('k', '')] }), invalid('Tag.N.Value')],
		['CreateOTAStaticUpgradeJob', 'a 31-character key', () => all({ Tag: [tag('k'.repeat(31), 'v')] }), 'iot.ota.JobTagIsTooLong'],
		[
			'CreateOTAStaticUpgradeJob',
			'a 1,025-character value',
			() => all({ Tag: [tag('k', 'v'.repeat(1025))] }),
			'iot.ota.JobTagIsTooLong',
		],
		[
			'CreateOTADynamicUpgradeJob',
			'4,100 characters of tags',
			() => dynamic({ Tag: [1, 2, 3, 4, 5].map((i) => tag(`k${i}`, 'v'.repeat(819))) }),
			'iot.ota.JobTagIsTooLong',
		],
		['CreateOTAStaticUpgradeJob', 'NeedPush maybe', () => all({ NeedPush: 'maybe' }), invalid('NeedPush')],
		['CreateOTAStaticUpgradeJob', 'DownloadProtocol FTP', () => all({ DownloadProtocol: 'FTP' }), invalid('DownloadProtocol')],
	];
	for (const [action, what, params, expected] of cases) {
		const label = typeof expected === 'string' ? expected : `a bad ${expected.parameter}`;
		void test(`${action} refuses ${what} with ${label}`, async () => {
			if (typeof expected === 'string') {
				const refused = await client.fails(action, params(), expected);
				assert.ok(refused.message.length > 0);
			} else {
				await client.invalid(action, params(), expected.parameter);
			}
		});
	}

	void test('the schedule window: start 5 minutes to 7 days ahead, end 1 hour to 30 days after the start, 13-digit ms', async () => {
		const now = Date.now();
		const windows: Array<[Params, string]> = [
			[{ ScheduleTime: now + 4 * MINUTE }, 'ScheduleTime'],
			[{ ScheduleTime: now + 7 * 24 * 60 * MINUTE + 10 * MINUTE }, 'ScheduleTime'],
			[{ ScheduleTime: String(Math.floor((now + 10 * MINUTE) / 1000)) }, 'ScheduleTime'],
			[{ ScheduleTime: now + 10 * MINUTE, ScheduleFinishTime: now + 10 * MINUTE + 59 * MINUTE }, 'ScheduleFinishTime'],
			[{ ScheduleTime: now + 10 * MINUTE, ScheduleFinishTime: now + 10 * MINUTE + 31 * 24 * 60 * MINUTE }, 'ScheduleFinishTime'],
			[{ ScheduleFinishTime: now + 30 * MINUTE }, 'ScheduleFinishTime'],
		];
		for (const [window, parameter] of windows) {
			await client.invalid('CreateOTAStaticUpgradeJob', all(window), parameter);
		}
	});

	void test('DownloadProtocol MQTT: one file of at most 16 MB, in cn-shanghai, cn-beijing or cn-shenzhen', async () => {
		const elsewhere = new OtaClient({
			endpoint: sandbox.endpoint,
			accessKeyId: sandbox.accessKeyId,
			accessKeySecret: sandbox.accessKeySecret,
			regionId: 'ap-southeast-1',
		});
		await elsewhere.invalid('CreateOTAStaticUpgradeJob', all({ DownloadProtocol: 'MQTT' }), 'DownloadProtocol');
		const big = await createPackage(client, pk, '2.0.1', Buffer.alloc(16 * 1024 * 1024 + 1, 1), { NeedToVerify: false });
		await client.invalid('CreateOTAStaticUpgradeJob', all({ FirmwareId: big, DownloadProtocol: 'MQTT' }), 'DownloadProtocol');
		const url = await uploadFile(client, imageWithVersion('2.0.2'));
		const multi = await client.ok('CreateOTAFirmware', {
			ProductKey: pk,
			FirmwareName: 'mqtt_multi',
			DestVersion: '2.0.2',
			NeedToVerify: false,
			MultiFiles: [{ Name: 'a', Url: url }],
		});
		await client.invalid(
			'CreateOTAVerifyJob',
			verify({ FirmwareId: multi.Data.FirmwareId, DownloadProtocol: 'MQTT' }),
			'DownloadProtocol',
		);
	});

	void test('DnListFileUrl: a file uploaded through GenerateDeviceNameListURL, with at most the configured number of names', async () => {
		const tooLong = await uploadDeviceList(client, 'dev-00001\ndev-00002\r\ndev-00003\n\ndev-00004\n');
		await client.invalid('CreateOTAStaticUpgradeJob', all({ TargetSelection: 'SPECIFIC', DnListFileUrl: tooLong }), 'DnListFileUrl');
		await client.invalid(
			'CreateOTAStaticUpgradeJob',
			all({ TargetSelection: 'SPECIFIC', DnListFileUrl: `${sandbox.ossHost}/ota/none.csv` }),
			'DnListFileUrl',
		);
	});

	void test('a device-list ticket lasts 1 minute; the file is purged 60 minutes after its upload', async (t) => {
		let clock = Date.now();
		const own = await startOtaSandbox({ now: () => clock });
		t.after(() => own.sandbox.stop());
		const ownClient = clientOf(own.sandbox, () => clock);
		const ticket = (await ownClient.ok('GenerateDeviceNameListURL')).Data;
		clock += 61_000;
		const late = await postObject(
			ticket.Host,
			{ key: ticket.Key, OSSAccessKeyId: ticket.AccessKeyId, policy: ticket.Policy, Signature: ticket.Signature },
			Buffer.from('dev-00001\n'),
			'devices.csv',
		);
		assert.equal(late, 403, 'the ticket expired');
		const fw = await createPackage(ownClient, own.sandbox.productKey, '2.0.0', imageWithVersion('2.0.0'), { NeedToVerify: false });
		const fileUrl = await uploadDeviceList(ownClient, 'dev-00001\n');
		clock += DEVICE_LIST_TTL_MS;
		assert.deepEqual(await own.sandbox.sweep(), [new URL(fileUrl).pathname.slice(1)]);
		const gone = await ownClient.invalid(
			'CreateOTAStaticUpgradeJob',
			{ FirmwareId: fw, ProductKey: own.sandbox.productKey, TargetSelection: 'SPECIFIC', DnListFileUrl: fileUrl },
			'DnListFileUrl',
		);
		assert.match(gone, /deleted 60 minutes after its upload\.$/, 'the refusal states the documented lifetime');
	});
});
