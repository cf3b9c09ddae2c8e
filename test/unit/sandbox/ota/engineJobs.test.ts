// Job creation and the job / firmware state machines of the OTA engine, on a manual clock.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { Harness, MINUTE, refusal } from './harness';

let h: Harness;

afterEach(async () => {
	await h?.close();
});

void describe('verification (CreateOTAVerifyJob)', () => {
	void test('Status 0 → 2 at creation → 1 when every device reports DestVersion; VerifyProgress runs 0 → 100', async () => {
		h = await Harness.start();
		const fw = await h.firmware({ status: 0 });
		const job = h.engine.createVerifyJob(fw, { productKey: h.productKey, deviceNames: ['dev-00001', 'dev-00002', 'dev-00003'] });
		assert.equal(job.jobType, 'VERIFY_FIRMWARE');
		assert.equal(h.store.getFirmware(fw.firmwareId)?.status, 2);
		assert.equal(h.engine.verifyProgress(fw.firmwareId), 0);
		h.advance(5 * MINUTE);
		assert.deepEqual(h.statuses(job.tasks), { 'dev-00001': 'SUCCEEDED', 'dev-00002': 'SUCCEEDED', 'dev-00003': 'SUCCEEDED' });
		assert.equal(job.status, 'COMPLETED');
		assert.equal(h.store.getFirmware(fw.firmwareId)?.status, 1);
		assert.equal(h.engine.verifyProgress(fw.firmwareId), 100);
		assert.equal(h.device('dev-00001').versions.default, '2.0.0');
		assert.equal(job.tasks[0].progress, 100);
	});

	void test('an image whose embedded version differs from DestVersion fails: "report version is not conform", Status 3', async () => {
		h = await Harness.start();
		h.packages.verdict = { ok: true, version: '1.9.9' };
		const fw = await h.firmware({ status: 0 });
		const job = h.engine.createVerifyJob(fw, { productKey: h.productKey, deviceNames: ['dev-00001'] });
		h.advance(5 * MINUTE);
		assert.equal(job.tasks[0].status, 'FAILED');
		assert.equal(job.tasks[0].desc, 'report version is not conform');
		assert.equal(h.device('dev-00001').versions.default, '1.9.9');
		assert.equal(h.store.getFirmware(fw.firmwareId)?.status, 3);
		assert.equal(job.status, 'COMPLETED');
	});

	void test('refused while verifying or once verified, and for a package that needs none; Status 3 may verify again', async () => {
		h = await Harness.start();
		const req = { productKey: h.productKey, deviceNames: ['dev-00001'] };
		for (const status of [1, 2, -1]) {
			const fw = await h.firmware({ status });
			assert.throws(() => h.engine.createVerifyJob(fw, req), refusal('iot.ota.VerifyFirmwareNotAllowed'));
		}
		const failed = await h.firmware({ status: 3 });
		h.engine.createVerifyJob(failed, req);
		assert.equal(h.store.getFirmware(failed.firmwareId)?.status, 2);
	});

	void test('unknown devices, another product and a delta package on devices not on its SrcVersion are refused', async () => {
		h = await Harness.start();
		const fw = await h.firmware({ status: 0 });
		assert.throws(
			() => h.engine.createVerifyJob(fw, { productKey: h.productKey, deviceNames: ['nope'] }),
			refusal('iot.device.NotExistedDevice'),
		);
		assert.throws(
			() => h.engine.createVerifyJob(fw, { productKey: 'a1SandboxGW2', deviceNames: ['gw-00001'] }),
			refusal('iot.ota.FirmwareAndProductKeyMismatch'),
		);
		assert.throws(
			() => h.engine.createVerifyJob(fw, { productKey: 'a1Unknown', deviceNames: ['dev-00001'] }),
			refusal('iot.prod.NotExistedProduct'),
		);
		const delta = await h.firmware({ status: 0, type: 1, srcVersion: '0.9.0' });
		assert.throws(
			() => h.engine.createVerifyJob(delta, { productKey: h.productKey, deviceNames: ['dev-00001'] }),
			refusal('iot.ota.DeviceVersionNotMatchSrcVersion'),
		);
	});
});

void describe('static batches (CreateOTAStaticUpgradeJob)', () => {
	void test('need a verified package (Status 1) or one without verification (-1)', async () => {
		h = await Harness.start();
		for (const status of [0, 2, 3]) {
			const fw = await h.firmware({ status });
			assert.throws(
				() => h.engine.createStaticJob(fw, { productKey: h.productKey, targetSelection: 'ALL' }),
				refusal('iot.ota.FirmwareNotVerified'),
			);
		}
		const verified = await h.firmware({ status: 1 });
		assert.equal(h.engine.createStaticJob(verified, { productKey: h.productKey, targetSelection: 'ALL' }).tasks.length, 5);
	});

	void test('ALL skips devices already on DestVersion and filters by SrcVersion; the job completes when every task ends', async () => {
		h = await Harness.start({ devices: 6 });
		h.engine.setDevices({ deviceNames: ['dev-00001'] }, { versions: { default: '2.0.0' } });
		h.engine.setDevices({ deviceNames: ['dev-00002'] }, { versions: { default: '1.5.0' } });
		const fw = await h.firmware();
		const job = h.engine.createStaticJob(fw, { productKey: h.productKey, targetSelection: 'ALL', srcVersions: ['1.0.0'] });
		assert.deepEqual(Object.keys(h.statuses(job.tasks)), ['dev-00003', 'dev-00004', 'dev-00005', 'dev-00006']);
		assert.equal(job.tasks[0].srcVersion, '1.0.0');
		assert.equal(job.status, 'IN_PROGRESS');
		h.advance(5 * MINUTE);
		assert.equal(job.counts.SUCCEEDED, 4);
		assert.equal(job.status, 'COMPLETED');
		assert.ok(job.endedAt !== undefined && job.endedAt <= h.clock);
	});

	void test('GRAY takes the rounded-down share of the matching devices, at least one', async () => {
		h = await Harness.start({ devices: 1000 });
		const fw = await h.firmware();
		const gray = (p: string): number =>
			h.engine.createStaticJob(fw, { productKey: h.productKey, targetSelection: 'GRAY', grayPercent: p, overwriteMode: 2 }).tasks
				.length;
		assert.equal(gray('20'), 200);
		assert.equal(gray('33.333'), 333);
		assert.equal(gray('0.001'), 1);
		assert.equal(gray('0.199'), 1);
	});

	void test('SPECIFIC takes the named devices; from a device list file unknown names are skipped instead of refused', async () => {
		h = await Harness.start();
		const fw = await h.firmware();
		const named = h.engine.createStaticJob(fw, {
			productKey: h.productKey,
			targetSelection: 'SPECIFIC',
			deviceNames: ['dev-00002', 'dev-00004'],
		});
		assert.deepEqual(Object.keys(h.statuses(named.tasks)), ['dev-00002', 'dev-00004']);
		assert.throws(
			() =>
				h.engine.createStaticJob(fw, {
					productKey: h.productKey,
					targetSelection: 'SPECIFIC',
					deviceNames: ['dev-00005', 'ghost'],
				}),
			refusal('iot.device.NotExistedDevice'),
		);
		const fromFile = h.engine.createStaticJob(fw, {
			productKey: h.productKey,
			targetSelection: 'SPECIFIC',
			deviceNames: ['dev-00005', 'ghost'],
			fromDeviceListFile: true,
		});
		assert.deepEqual(Object.keys(h.statuses(fromFile.tasks)), ['dev-00005']);
	});

	void test('GROUP takes a static group; a dynamic group or an unknown one is refused', async () => {
		h = await Harness.start({ devices: 250 });
		const fw = await h.firmware();
		const groups = h.engine.fleet.groups();
		const canary = groups.find((g) => g.groupName === 'sandbox-canary');
		const dynamic = groups.find((g) => g.groupType === 'LINK_PLATFORM_DYNAMIC');
		const job = h.engine.createStaticJob(fw, { productKey: h.productKey, targetSelection: 'GROUP', groupId: canary?.groupId });
		assert.deepEqual(Object.keys(h.statuses(job.tasks)), ['dev-00001', 'dev-00101', 'dev-00201']);
		assert.equal(job.options.groupName, 'sandbox-canary');
		assert.throws(
			() => h.engine.createStaticJob(fw, { productKey: h.productKey, targetSelection: 'GROUP', groupId: dynamic?.groupId }),
			refusal('iot.ota.InvalidGroupType'),
		);
		assert.throws(
			() => h.engine.createStaticJob(fw, { productKey: h.productKey, targetSelection: 'GROUP', groupId: 'none' }),
			refusal('iot.group.NotExistedGroup'),
		);
	});

	void test('a delta package only reaches devices on its SrcVersion and refuses other SrcVersion lists', async () => {
		h = await Harness.start();
		h.engine.setDevices({ deviceNames: ['dev-00001', 'dev-00003'] }, { versions: { default: '1.1.0' } });
		const delta = await h.firmware({ type: 1, srcVersion: '1.1.0' });
		const job = h.engine.createStaticJob(delta, { productKey: h.productKey, targetSelection: 'ALL' });
		assert.deepEqual(Object.keys(h.statuses(job.tasks)), ['dev-00001', 'dev-00003']);
		h.advance(5 * MINUTE);
		assert.equal(h.packages.pushes[0].isDiff, 1);
		assert.throws(
			() => h.engine.createStaticJob(delta, { productKey: h.productKey, targetSelection: 'ALL', srcVersions: ['1.0.0'] }),
			refusal('iot.ota.InvalidSrcVersionList'),
		);
	});

	void test('one unfinished task per device: OverwriteMode 1 fails the new task, 2 cancels the pending one, never an in-progress one', async () => {
		h = await Harness.start({ devices: 2 });
		const first = h.engine.createStaticJob(await h.firmware(), { productKey: h.productKey, targetSelection: 'ALL', needConfirm: true });
		const second = h.engine.createStaticJob(await h.firmware({ destVersion: '3.0.0' }), {
			productKey: h.productKey,
			targetSelection: 'ALL',
		});
		assert.deepEqual(h.statuses(second.tasks), { 'dev-00001': 'FAILED', 'dev-00002': 'FAILED' });
		assert.equal(second.tasks[0].desc, 'the device has an unfinished task in another job');
		assert.equal(second.status, 'COMPLETED');
		h.engine.confirm([first.tasks[1].taskId]);
		h.advance(10_000); // dev-00002's task of the first job is now IN_PROGRESS
		const third = h.engine.createStaticJob(await h.firmware({ destVersion: '4.0.0' }), {
			productKey: h.productKey,
			targetSelection: 'ALL',
			overwriteMode: 2,
		});
		assert.deepEqual(h.statuses(first.tasks), { 'dev-00001': 'CANCELED', 'dev-00002': 'IN_PROGRESS' });
		assert.equal(first.tasks[0].desc, 'canceled: overwritten by a newer job');
		assert.deepEqual(h.statuses(third.tasks), { 'dev-00001': 'QUEUED', 'dev-00002': 'FAILED' });
	});

	void test('a scheduled batch stays PLANNED until ScheduleTime and ends at ScheduleFinishTime, cancelling what is open', async () => {
		h = await Harness.start({ devices: 3 });
		h.engine.setDevices({ deviceNames: ['dev-00003'] }, { behaviour: 'never-reports' });
		const fw = await h.firmware();
		const job = h.engine.createStaticJob(fw, {
			productKey: h.productKey,
			targetSelection: 'ALL',
			scheduleTime: h.clock + 10 * MINUTE,
			scheduleFinishTime: h.clock + 80 * MINUTE,
		});
		assert.equal(job.status, 'PLANNED');
		h.advance(9 * MINUTE);
		assert.deepEqual(h.statuses(job.tasks), { 'dev-00001': 'QUEUED', 'dev-00002': 'QUEUED', 'dev-00003': 'QUEUED' });
		h.advance(5 * MINUTE);
		assert.equal(job.status, 'IN_PROGRESS');
		assert.deepEqual(h.statuses(job.tasks), { 'dev-00001': 'SUCCEEDED', 'dev-00002': 'SUCCEEDED', 'dev-00003': 'NOTIFIED' });
		h.advance(70 * MINUTE);
		assert.equal(job.status, 'COMPLETED');
		assert.equal(job.tasks[2].status, 'CANCELED');
		assert.equal(job.tasks[2].desc, 'canceled: the job reached its ScheduleFinishTime');
	});
});

void describe('dynamic batches (CreateOTADynamicUpgradeJob)', () => {
	void test('match the devices on a SrcVersion now and later, one running dynamic job per package', async () => {
		h = await Harness.start({ devices: 4 });
		h.engine.setDevices({ deviceNames: ['dev-00004'] }, { versions: { default: '0.9.0' } });
		const fw = await h.firmware();
		const job = h.engine.createDynamicJob(fw, { productKey: h.productKey, srcVersions: ['1.0.0'] });
		assert.equal(job.targetSelection, 'ALL');
		assert.deepEqual(Object.keys(h.statuses(job.tasks)), ['dev-00001', 'dev-00002', 'dev-00003']);
		assert.throws(
			() => h.engine.createDynamicJob(fw, { productKey: h.productKey, srcVersions: ['1.0.0'] }),
			refusal('iot.ota.DynamicJobAlreadyExisted'),
		);
		h.advance(5 * MINUTE);
		assert.equal(job.status, 'IN_PROGRESS', 'a dynamic job runs until its strategy is cancelled');
		h.engine.setDevices({ deviceNames: ['dev-00004'] }, { versions: { default: '1.0.0' } });
		assert.equal(job.tasks.length, 4, 'a device reporting a matching version is matched');
		h.advance(5 * MINUTE);
		assert.equal(job.counts.SUCCEEDED, 4);
		h.engine.cancelStrategy(job.jobId);
		assert.equal(job.status, 'CANCELED');
		h.engine.setDevices({ deviceNames: ['dev-00001'] }, { versions: { default: '1.0.0' } });
		assert.equal(job.tasks.length, 4, 'no matching after CancelOTAStrategyByJob');
	});

	void test('DynamicMode 2 waits for new version reports; a crash-looping device is matched again, at most 10 times', async () => {
		h = await Harness.start({ devices: 2 });
		h.engine.setDevices({ deviceNames: ['dev-00002'] }, { behaviour: 'crash-loop' });
		const job = h.engine.createDynamicJob(await h.firmware(), { productKey: h.productKey, srcVersions: ['1.0.0'], dynamicMode: 2 });
		assert.equal(job.tasks.length, 0);
		h.engine.setDevices({ deviceNames: ['dev-00002'] }, { versions: { default: '1.0.0' } });
		h.advance(24 * 60 * MINUTE);
		const mine = job.tasks.filter((t) => t.device.deviceName === 'dev-00002');
		assert.equal(mine.length, 10);
		assert.ok(mine.every((t) => t.status === 'SUCCEEDED'));
		assert.equal(h.device('dev-00002').versions.default, '1.0.0', 'it reverted after the last success');
	});
});
