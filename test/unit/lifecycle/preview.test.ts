// The devices a rollout would reach, as `rollout --dry-run` and the extension's summary show them: a gray batch takes
// its percentage of the eligible devices (not on DestVersion, reporting a source version when given), the rule the
// sandbox applies too (grayDeviceCount, docs/protocols.md §11.6).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
	aliyunCommandLine,
	grayDeviceCount,
	previewTargets,
	targetNoteText,
	type FirmwareDetail,
	type PlannedCall,
	type PreviewApi,
	type RolloutPlan,
} from '../../../src/core/lifecycle';

/** A product whose devices report these versions (default module), read page by page. */
function fleet(versions: readonly string[]): PreviewApi & { calls: string[] } {
	const calls: string[] = [];
	const name = (i: number): string => `dev-${String(i + 1).padStart(5, '0')}`;
	return {
		calls,
		async queryDevices(q) {
			calls.push('queryDevices');
			const size = q.pageSize ?? 10;
			const current = q.currentPage ?? 1;
			const items = versions
				.slice((current - 1) * size, current * size)
				.map((_, i) => ({ deviceName: name((current - 1) * size + i) }));
			return { items, total: versions.length, pageSize: size, currentPage: current, pageCount: Math.ceil(versions.length / size) };
		},
		async batchQueryDeviceDetail(_productKey, names) {
			calls.push('batchQueryDeviceDetail');
			return names.map((deviceName) => ({ deviceName, firmwareVersion: versions[Number(deviceName.slice(4)) - 1] }));
		},
		async queryGroupDevices() {
			throw new Error('not used');
		},
	};
}

const firmware: FirmwareDetail = { firmwareId: 'F', firmwareName: 'fw', destVersion: '1.2.0', productKey: 'pk1', moduleName: 'default' };

function grayPlan(percent: string, srcVersions?: string[], fw: FirmwareDetail = firmware): RolloutPlan {
	return {
		spec: { firmwareId: 'F', target: { kind: 'gray', percent }, srcVersions },
		firmware: fw,
		job: { kind: 'static', request: { firmwareId: 'F', productKey: 'pk1', target: { kind: 'gray', percent } } },
		calls: [],
	};
}

void describe('gray preview', () => {
	void test('the percentage of the devices not on the version: 10 % of 27 is 2, not 10 % of 30', async () => {
		const api = fleet([...Array<string>(27).fill('1.0.0'), '1.2.0', '1.2.0', '1.2.0']);
		const preview = await previewTargets(api, grayPlan('10'));
		assert.deepEqual([preview.count, preview.of], [2, 27]);
		assert.match(
			targetNoteText(preview.scope),
			/10 % of the 27 devices of pk1 not on 1\.2\.0, rounded down \(at least 1\), chosen by the platform/,
		);
	});

	void test('with source versions only the devices reporting one of them count', async () => {
		const api = fleet([...Array<string>(12).fill('1.0.0'), ...Array<string>(8).fill('1.1.0'), '1.2.0']);
		const preview = await previewTargets(api, grayPlan('50', ['1.1.0']));
		assert.deepEqual([preview.count, preview.of], [4, 8]);
		assert.match(targetNoteText(preview.scope), /50 % of the 8 devices of pk1 not on 1\.2\.0 that report version 1\.1\.0/);
	});

	void test('a delta package counts only devices on its source version', async () => {
		const api = fleet(['1.0.0', '1.1.0', '1.1.0', '1.1.0']);
		const preview = await previewTargets(api, grayPlan('100', undefined, { ...firmware, type: 1, srcVersion: '1.1.0' }));
		assert.deepEqual([preview.count, preview.of], [3, 3]);
	});

	void test('a product too large to read whole: no exact count, the upper bound in the note, a few calls only', async () => {
		const api = fleet(Array<string>(5000).fill('1.0.0'));
		const preview = await previewTargets(api, grayPlan('10'));
		assert.equal(preview.count, undefined);
		assert.equal(preview.of, 5000);
		assert.match(targetNoteText(preview.scope), /at most 500 of its 5000 devices/);
		assert.deepEqual(api.calls, ['queryDevices']);
	});

	// The sandbox creates exactly this many tasks: test/unit/lifecycle/sandboxFleet.test.ts compares a preview with the job.
	void test('the rule: rounded down, at least 1, none of none, never more than there are', () => {
		for (const [eligible, percent, expected] of [
			[27, '10', 2],
			[100, '33.33', 33],
			[100, '0.001', 1],
			[199, '10', 19],
			[0, '50', 0],
			[3, '100', 3],
		] as const) {
			assert.equal(grayDeviceCount(eligible, percent), expected, `${percent} % of ${eligible}`);
		}
	});
});

void describe("the note's scope: a code and the values the note is made of", () => {
	const plan = (spec: Partial<RolloutPlan['spec']>, fw: FirmwareDetail = firmware): RolloutPlan => ({
		...grayPlan('10', undefined, fw),
		spec: { firmwareId: 'F', target: { kind: 'all' }, ...spec },
	});
	const api: PreviewApi = {
		...fleet(Array<string>(300).fill('1.0.0')),
		queryGroupDevices: async () => ({ items: [{ deviceName: 'g-1' }], total: 1, pageSize: 50, currentPage: 1, pageCount: 1 }),
	};
	const cases: Array<[RolloutPlan, Record<string, unknown>, string]> = [
		[
			plan({ target: { kind: 'all' } }),
			{ code: 'all', versions: [], dynamic: false },
			'every device of pk1; devices already on 1.2.0 are skipped',
		],
		[
			plan({ target: { kind: 'all' }, dynamic: true, srcVersions: ['1.0.0', '1.1.0'] }, { ...firmware, moduleName: 'mcu' }),
			{ code: 'all', versions: ['1.0.0', '1.1.0'], module: 'mcu', dynamic: true },
			'every device of pk1 that report version 1.0.0 or 1.1.0 of module mcu, now and whenever one reports a matching version; devices already on 1.2.0 are skipped',
		],
		[
			plan({ target: { kind: 'group', groupId: 'G1' }, dynamic: true }),
			{ code: 'group', groupId: 'G1', dynamic: true },
			'every device of group G1, now and whenever one joins; devices already on 1.2.0 are skipped',
		],
		[
			plan({
				target: { kind: 'deviceList', deviceNames: Array.from({ length: 250 }, (_, i) => `dev-${String(i + 1).padStart(5, '0')}`) },
			}),
			{ code: 'named', unchecked: 50, checked: 200 },
			'the named devices (50 beyond the first 200 were not checked)',
		],
		[plan({ target: { kind: 'devices', deviceNames: ['dev-00001'] } }), { code: 'named', unchecked: 0 }, 'the named devices'],
		[
			plan({ target: { kind: 'gray', percent: '10' } }),
			{ code: 'gray-bounded', most: 30, total: 300 },
			'10 % of the devices of pk1 not on 1.2.0, rounded down (at least 1), chosen by the platform: at most 30 of its 300 devices',
		],
	];

	void test('each kind of target has its code, and the note is the English of the scope', async () => {
		for (const [each, values, note] of cases) {
			const preview = await previewTargets(api, each);
			assert.deepEqual({ ...preview.scope, ...values }, preview.scope, note);
			assert.equal(targetNoteText(preview.scope), note);
		}
	});
});

void describe('the aliyun CLI command line of a planned call', () => {
	const call: PlannedCall = { method: 'POST', action: 'QueryOTAJob', params: { JobId: "J'1" } };

	void test('the region, the instance and the parameters, shell-quoted', () => {
		assert.equal(
			aliyunCommandLine(call, { region: 'cn-shanghai', iotInstanceId: 'iot-1' }),
			"aliyun iot QueryOTAJob --region cn-shanghai --IotInstanceId iot-1 --JobId 'J'\\''1'",
		);
	});

	void test('a custom endpoint is named (its host), plain http with --insecure', () => {
		assert.equal(
			aliyunCommandLine(call, { region: 'cn-shanghai', endpoint: 'https://iot.example.com:8443/' }),
			"aliyun iot QueryOTAJob --region cn-shanghai --endpoint iot.example.com:8443 --JobId 'J'\\''1'",
		);
		assert.equal(
			aliyunCommandLine(call, { region: 'cn-shanghai', endpoint: 'http://127.0.0.1:7001' }),
			"aliyun iot QueryOTAJob --region cn-shanghai --endpoint 127.0.0.1:7001 --insecure --JobId 'J'\\''1'",
		);
	});
});
