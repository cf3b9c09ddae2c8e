import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import {
	checkGrayPercent,
	checkNames,
	checkRolloutSpec,
	grayDeviceCount,
	jobRequest,
	NAME_LISTS,
	parseHaltAt,
	staticJobParams,
	validateDynamicJob,
	validateStaticJob,
	validateVerifyJob,
	type NameList,
	type RolloutSpec,
	type StaticJobRequest,
} from '../../../src/core/lifecycle';
import { validateCreateFirmware } from '../../../src/core/upload/createFirmwareRules';
import { wireParams } from '../../../src/core/iot/params';

const NOW = Date.parse('2025-03-01T00:00:00Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

function rejects(code: string, check: () => unknown): void {
	assert.throws(check, (e: unknown) => e instanceof OtaError && e.source === 'validation' && e.code === code);
}

const base: StaticJobRequest = { firmwareId: 'F', productKey: 'pk', target: { kind: 'all' } };

void describe('documented limits', () => {
	void test('verification: 1–10 unique devices, timeout 1–1440', () => {
		const names = (n: number) => Array.from({ length: n }, (_, i) => `d${i}`);
		validateVerifyJob({ firmwareId: 'F', productKey: 'pk', deviceNames: names(10), timeoutInMinutes: 1440 });
		rejects('InvalidListLength', () => validateVerifyJob({ firmwareId: 'F', productKey: 'pk', deviceNames: names(11) }));
		rejects('InvalidListLength', () => validateVerifyJob({ firmwareId: 'F', productKey: 'pk', deviceNames: [] }));
		rejects('DuplicateListEntry', () => validateVerifyJob({ firmwareId: 'F', productKey: 'pk', deviceNames: ['a', 'a'] }));
		rejects('InvalidTimeout', () => validateVerifyJob({ firmwareId: 'F', productKey: 'pk', deviceNames: ['a'], timeoutInMinutes: 0 }));
		rejects('InvalidTimeout', () =>
			validateVerifyJob({ firmwareId: 'F', productKey: 'pk', deviceNames: ['a'], timeoutInMinutes: 1441 }),
		);
	});

	void test('retry: interval in {0,10,30,60,1440}, count in {1,2,5}, both or neither, interval below the timeout', () => {
		validateStaticJob({ ...base, retryInterval: 30, retryCount: 5, timeoutInMinutes: 60 }, NOW);
		rejects('InvalidRetry', () => validateStaticJob({ ...base, retryInterval: 15, retryCount: 1 }, NOW));
		rejects('InvalidRetry', () => validateStaticJob({ ...base, retryInterval: 10, retryCount: 3 }, NOW));
		rejects('InvalidRetry', () => validateStaticJob({ ...base, retryInterval: 10 }, NOW));
		rejects('InvalidRetry', () => validateStaticJob({ ...base, retryInterval: 60, retryCount: 1, timeoutInMinutes: 60 }, NOW));
		assert.throws(
			() => validateStaticJob({ ...base, retryInterval: 30, retryCount: 1, timeoutInMinutes: 30 }, NOW),
			{ message: 'The retry interval (30 minutes) must be shorter than the timeout (30 minutes).' },
			'spans are worded by formatSpan, as in every other message',
		);
	});

	void test('push rate 10–10,000 per minute', () => {
		validateStaticJob({ ...base, maximumPerMinute: 10 }, NOW);
		validateStaticJob({ ...base, maximumPerMinute: 10_000 }, NOW);
		rejects('InvalidRate', () => validateStaticJob({ ...base, maximumPerMinute: 9 }, NOW));
		rejects('InvalidRate', () => validateStaticJob({ ...base, maximumPerMinute: 10_001 }, NOW));
	});

	void test('gray percentage: above 0, at most 100, at most 3 decimals; device count rounded down, at least 1', () => {
		assert.equal(checkGrayPercent('12.345'), '12.345');
		assert.equal(checkGrayPercent('10%'), '10');
		for (const bad of ['0', '100.5', '1.2345', 'ten', '-1', '']) {
			rejects('InvalidGrayPercent', () => checkGrayPercent(bad));
		}
		assert.equal(grayDeviceCount(100, '33.33'), 33);
		assert.equal(grayDeviceCount(100, '0.001'), 1);
		assert.equal(grayDeviceCount(100_000, '10'), 10_000);
		assert.equal(grayDeviceCount(0, '50'), 0);
	});

	void test('schedule window: start now+5 min…+7 d; finish start+1 h…+30 d', () => {
		validateStaticJob({ ...base, scheduleTime: NOW + 5 * MIN, scheduleFinishTime: NOW + 5 * MIN + 60 * MIN }, NOW);
		validateStaticJob({ ...base, scheduleTime: NOW + 7 * DAY }, NOW);
		rejects('InvalidSchedule', () => validateStaticJob({ ...base, scheduleTime: NOW + 4 * MIN }, NOW));
		rejects('InvalidSchedule', () => validateStaticJob({ ...base, scheduleTime: NOW + 7 * DAY + MIN }, NOW));
		rejects('InvalidFinishTime', () =>
			validateStaticJob({ ...base, scheduleTime: NOW + DAY, scheduleFinishTime: NOW + DAY + 59 * MIN }, NOW),
		);
		rejects('InvalidFinishTime', () => validateStaticJob({ ...base, scheduleFinishTime: NOW + 31 * DAY }, NOW));
	});

	void test('targets: SrcVersion only with all/gray, ≤ 10; ≤ 200 named devices; tags', () => {
		rejects('InvalidSrcVersion', () =>
			validateStaticJob({ ...base, target: { kind: 'devices', deviceNames: ['a'] }, srcVersions: ['1'] }, NOW),
		);
		rejects('InvalidListLength', () =>
			validateStaticJob({ ...base, srcVersions: Array.from({ length: 11 }, (_, i) => `1.${i}`) }, NOW),
		);
		rejects('InvalidListLength', () =>
			validateStaticJob({ ...base, target: { kind: 'devices', deviceNames: Array.from({ length: 201 }, (_, i) => `d${i}`) } }, NOW),
		);
		rejects('InvalidTags', () => validateStaticJob({ ...base, tags: [{ key: 'bad key', value: 'v' }] }, NOW));
	});
});

void describe('rollout specs', () => {
	const spec = (extra: Partial<RolloutSpec>): RolloutSpec => ({ firmwareId: 'F', target: { kind: 'all' }, ...extra });

	void test('dynamic rollouts: all devices with source versions, or a group; never scheduled', () => {
		checkRolloutSpec(spec({ dynamic: true, srcVersions: ['1.0.0'] }), NOW);
		checkRolloutSpec(spec({ dynamic: true, target: { kind: 'group', groupId: 'g1' } }), NOW);
		rejects('InvalidDynamicTarget', () => checkRolloutSpec(spec({ dynamic: true }), NOW));
		rejects('InvalidDynamicTarget', () => checkRolloutSpec(spec({ dynamic: true, target: { kind: 'gray', percent: '5' } }), NOW));
		rejects('ScheduledDynamic', () => checkRolloutSpec(spec({ dynamic: true, srcVersions: ['1'], scheduleTime: NOW + DAY }), NOW));
	});

	void test('a group target needs a group id: an empty or blank one is refused before any call, static or dynamic', () => {
		for (const groupId of ['', ' ', '\t']) {
			rejects('InvalidGroup', () => checkRolloutSpec(spec({ target: { kind: 'group', groupId } }), NOW));
			rejects('InvalidGroup', () => checkRolloutSpec(spec({ dynamic: true, target: { kind: 'group', groupId } }), NOW));
		}
		rejects('InvalidGroup', () => validateStaticJob({ ...base, target: { kind: 'group', groupId: ' ' } }, NOW));
		rejects('InvalidGroup', () => validateDynamicJob({ firmwareId: 'F', productKey: 'pk', groupId: '' }));
	});

	void test('a device list file: at most 10,000 unique names', () => {
		checkRolloutSpec(spec({ target: { kind: 'deviceList', deviceNames: Array.from({ length: 10_000 }, (_, i) => `d${i}`) } }), NOW);
		rejects('InvalidListLength', () =>
			checkRolloutSpec(spec({ target: { kind: 'deviceList', deviceNames: Array.from({ length: 10_001 }, (_, i) => `d${i}`) } }), NOW),
		);
	});

	void test('the exact wire parameters of a gray batch, lists flattened', () => {
		const job = jobRequest(
			spec({
				target: { kind: 'gray', percent: '10' },
				srcVersions: ['1.0.0', '1.0.1'],
				retryInterval: 10,
				retryCount: 2,
				overwriteMode: 2,
				tags: [{ key: 'k', value: 'v' }],
			}),
			'pk',
		);
		assert.deepEqual(wireParams(staticJobParams(job.request as StaticJobRequest)), {
			FirmwareId: 'F',
			ProductKey: 'pk',
			TargetSelection: 'GRAY',
			GrayPercent: '10',
			'SrcVersion.1': '1.0.0',
			'SrcVersion.2': '1.0.1',
			'Tag.1.Key': 'k',
			'Tag.1.Value': 'v',
			RetryInterval: '10',
			RetryCount: '2',
			OverwriteMode: '2',
		});
	});
});

void describe('the reason of a refusal: a code and the values of its message, for a shell to word', () => {
	function reasonOf(check: () => unknown): OtaError['reason'] {
		try {
			check();
		} catch (error) {
			assert.ok(error instanceof OtaError);
			return error.reason;
		}
		assert.fail('the check passed');
	}

	void test('each rule names its reason and the values its message is made of', () => {
		assert.deepEqual(
			reasonOf(() => validateVerifyJob({ firmwareId: 'F', productKey: 'pk', deviceNames: [] })),
			{ code: 'list-length', values: { list: 'verify-devices', min: 1, max: 10, got: 0 } },
		);
		assert.deepEqual(
			reasonOf(() => validateStaticJob({ ...base, target: { kind: 'devices', deviceNames: ['a', 'a'] } }, NOW)),
			{
				code: 'list-duplicate',
				values: { list: 'target-devices', entry: 'a' },
			},
		);
		assert.deepEqual(
			reasonOf(() => validateStaticJob({ ...base, retryInterval: 15, retryCount: 1 }, NOW)),
			{
				code: 'retry-interval',
				values: { allowed: '0, 10, 30, 60, 1440', got: 15 },
			},
		);
		assert.deepEqual(
			reasonOf(() => validateStaticJob({ ...base, scheduleFinishTime: NOW + MIN }, NOW)),
			{
				code: 'finish-time',
				values: { min: 60 * MIN, max: 30 * DAY, after: 'now' },
			},
		);
		assert.deepEqual(
			reasonOf(() => checkGrayPercent('0')),
			{ code: 'gray-percent', values: { decimals: 3, got: '0' } },
		);
		assert.deepEqual(
			reasonOf(() => parseHaltAt('x')),
			{ code: 'halt-at', values: { got: 'x' } },
		);
		assert.deepEqual(
			reasonOf(() => checkRolloutSpec({ firmwareId: 'F', target: { kind: 'all' }, dynamic: true, scheduleTime: NOW }, NOW)),
			{
				code: 'scheduled-dynamic',
				values: {},
			},
		);
	});

	void test('every list is named in the message by its code', () => {
		for (const [list, name] of Object.entries(NAME_LISTS)) {
			assert.throws(
				() => checkNames(list as NameList, [''], 5),
				(e: unknown) => e instanceof OtaError && e.message === `${name}: entries must not be empty or contain spaces or commas.`,
				list,
			);
		}
	});

	void test('a CreateOTAFirmware field that breaks its rule names the field, and the value when the message echoes it', () => {
		const create = {
			firmwareUrl: 'https://b.oss-cn-shanghai.aliyuncs.com/f.bin',
			productKey: 'pk',
			destVersion: '1.0',
			firmwareName: 'fw',
		};
		assert.deepEqual(
			reasonOf(() => validateCreateFirmware({ ...create, destVersion: '1 0' })),
			{
				code: 'field-rule',
				values: { field: 'DestVersion', value: '1 0' },
			},
		);
		assert.deepEqual(
			reasonOf(() => validateCreateFirmware({ ...create, firmwareName: 'x'.repeat(121) })),
			{
				code: 'field-rule',
				values: { field: 'FirmwareName' },
			},
		);
		assert.deepEqual(
			reasonOf(() => validateCreateFirmware({ ...create, type: 1 })),
			{ code: 'src-version-required', values: { field: 'SrcVersion' } },
			'a rule of its own has its own code, so a shell words it too',
		);
	});
});
