// Monitoring operations of the OTA engine (task listings, jobs by package and device, modules) and its persistence:
// a restart in the middle of a rollout resumes it.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { Harness, MINUTE, refusal } from './harness';

let h: Harness;

afterEach(async () => {
	await h?.close();
});

void describe('monitoring', () => {
	void test('ListOTATaskByJob pages in creation order; totals per status come from counters; DeviceNames ignores paging', async () => {
		h = await Harness.start({ devices: 250 });
		h.engine.setDevices({ productKey: h.productKey, percent: 20 }, { behaviour: 'fail' });
		const job = h.engine.createStaticJob(await h.firmware(), { productKey: h.productKey, targetSelection: 'ALL' });
		h.advance(5 * MINUTE);
		const all = h.engine.listTasksByJob(job.jobId, {}, { currentPage: 3, pageSize: 100 });
		assert.equal(all.total, 250);
		assert.deepEqual([all.items.length, all.items[0].device.deviceName], [50, 'dev-00201']);
		const failed = h.engine.listTasksByJob(job.jobId, { statuses: ['FAILED'] }, { currentPage: 2, pageSize: 30 });
		assert.equal(failed.total, 50);
		assert.equal(failed.items.length, 20);
		assert.ok(failed.items.every((t) => t.status === 'FAILED' && t.device.behaviour === 'fail'));
		assert.deepEqual(h.engine.taskCounts(job.jobId), { ...job.counts, SUCCEEDED: 200, FAILED: 50 });
		const named = h.engine.listTasksByJob(job.jobId, { deviceNames: ['dev-00002', 'dev-00249'] }, { currentPage: 9, pageSize: 1 });
		assert.deepEqual(
			named.items.map((t) => t.device.deviceName),
			['dev-00002', 'dev-00249'],
		);
	});

	void test('jobs by package and by device, newest first; unfinished tasks by device with module and status filters', async () => {
		h = await Harness.start({ devices: 2 });
		const fw = await h.firmware();
		const first = h.engine.createStaticJob(fw, {
			productKey: h.productKey,
			targetSelection: 'SPECIFIC',
			deviceNames: ['dev-00001'],
			needConfirm: true,
		});
		const second = h.engine.createStaticJob(fw, { productKey: h.productKey, targetSelection: 'ALL', overwriteMode: 2 });
		assert.deepEqual(h.engine.listJobsByFirmware(fw.firmwareId), [second, first]);
		assert.deepEqual(h.engine.listJobsByDevice(fw.firmwareId, h.productKey, 'dev-00002'), [second]);
		const device = h.device('dev-00001');
		assert.deepEqual(h.engine.unfinishedTasksByDevice({ productKey: h.productKey, deviceName: 'dev-00001' }, {}), [second.tasks[0]]);
		assert.deepEqual(h.engine.unfinishedTasksByDevice({ iotId: h.engine.fleet.iotId(device) }, { statuses: ['CONFIRM'] }), []);
		assert.deepEqual(
			h.engine.unfinishedTasksByDevice({ productKey: h.productKey, deviceName: 'dev-00001' }, { moduleName: 'MCU' }),
			[],
		);
		assert.throws(
			() => h.engine.unfinishedTasksByDevice({ productKey: 'a1None', deviceName: 'x' }, {}),
			refusal('iot.prod.NotExistedProduct'),
		);
	});

	void test('modules: default first, ten custom at most, names unique ignoring case; default and used modules stay', async () => {
		h = await Harness.start();
		for (let i = 0; i < 10; i++) {
			h.engine.createModule(h.productKey, `mod${i}`, {});
		}
		assert.throws(() => h.engine.createModule(h.productKey, 'MOD1', {}), refusal('iot.ota.OtaModuleAlreadyExisted'));
		assert.throws(() => h.engine.createModule(h.productKey, 'extra', {}), refusal('iot.ota.OtaModuleExceedLimit'));
		assert.equal(h.engine.modules(h.productKey)[0].moduleName, 'default');
		await h.firmware({ moduleName: 'mod3' });
		assert.throws(() => h.engine.deleteModule(h.productKey, 'mod3'), refusal('iot.ota.OtaModuleHasFirmware'));
		assert.throws(() => h.engine.deleteModule(h.productKey, 'default'), refusal('iot.ota.DefaultModuleCannotBeDeleted'));
		h.engine.deleteModule(h.productKey, 'mod4');
		assert.equal(h.engine.modules(h.productKey).length, 10);
	});
});

void describe('persistence', () => {
	void test('a restart mid-rollout keeps jobs, tasks and device versions, and resumes the rollout', async () => {
		h = await Harness.start({ devices: 40, behaviours: [{ behaviour: 'offline', percent: 10 }] });
		const job = h.engine.createStaticJob(await h.firmware(), {
			productKey: h.productKey,
			targetSelection: 'ALL',
			maximumPerMinute: 10,
			timeoutInMinutes: 30,
		});
		h.advance(90_000);
		const before = { ...job.counts };
		assert.ok(before.SUCCEEDED > 0 && before.QUEUED > 0, JSON.stringify(before));
		const upgraded = h.engine.fleet
			.devices(h.productKey)
			.filter((d) => d.versions.default === '2.0.0')
			.map((d) => d.deviceName);
		await h.engine.flush();
		await h.close(false);

		await h.open();
		const again = h.engine.queryJob(job.jobId);
		assert.deepEqual(again.counts, before);
		assert.deepEqual(
			again.tasks.map((t) => t.taskId),
			job.tasks.map((t) => t.taskId),
		);
		assert.deepEqual(
			h.engine.fleet
				.devices(h.productKey)
				.filter((d) => d.versions.default === '2.0.0')
				.map((d) => d.deviceName),
			upgraded,
		);
		h.advance(10 * MINUTE);
		assert.deepEqual(
			{ ...again.counts },
			{ ...again.counts, SUCCEEDED: 36, QUEUED: 4 },
			'every online device finished; offline ones wait',
		);
		const files = await fs.readdir(path.join(h.dataDir, 'ota', 'jobs'));
		assert.deepEqual(files, [`${job.jobId}.json`]);
	});
});
