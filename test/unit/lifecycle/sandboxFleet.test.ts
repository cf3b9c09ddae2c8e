// The lifecycle core end to end against the sandbox fleet (fast time scale): verification that succeeds and one that
// fails on a wrong version, gray then promotion, the guard's exact calls, cancel/retry/confirm, and the account's QPS
// never exceeded while two watches and an upload run at once.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { wireParams } from '../../../src/core/iot/params';
import {
	cancelJob,
	confirmJobTasks,
	diagnose,
	planRollout,
	previewTargets,
	promote,
	retryTasks,
	startRollout,
	startVerification,
	watchJob,
	targetNoteText,
} from '../../../src/core/lifecycle';
import { uploadFirmware } from '../../../src/core/uploader';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { tempDir } from '../cli/cliHarness';
import { FAST, Fleet } from './fleetFixtures';

void describe('lifecycle against the sandbox fleet', () => {
	let sandbox: Sandbox;
	let work: string;
	let fleet: Fleet;
	const client = () => fleet.client();
	const registerFirmware = () => fleet.registerFirmware();
	const verified = () => fleet.verified();
	const iot = () => fleet.iot();

	before(async () => {
		work = tempDir('iot-ota-fleet-');
		sandbox = await startSandbox({ dataDir: path.join(work, 'sandbox'), devices: 200, timeScale: 60 });
		fleet = new Fleet(sandbox, work);
	});

	after(async () => {
		await sandbox?.stop();
		rmSync(work, { recursive: true, force: true });
	});

	void test('verification on 3 devices succeeds and the package becomes verified', async () => {
		const fw = await registerFirmware();
		const { api } = client();
		const { job } = await startVerification(api, { firmwareId: fw.firmwareId, deviceNames: ['dev-00010', 'dev-00011', 'dev-00012'] });
		const result = await watchJob(api, job.jobId, { interval: FAST });
		assert.equal(result.outcome, 'succeeded');
		assert.equal(result.progress.summary.succeeded, 3);
		assert.equal((await api.queryFirmware(fw.firmwareId)).status, 1);
	});

	void test('a device reporting another version fails verification with a version-mismatch diagnosis', async () => {
		sandbox.ota.setDevices({ deviceNames: ['dev-00021'] }, { behaviour: 'wrong-version' });
		const fw = await registerFirmware();
		const { api } = client();
		const { job } = await startVerification(api, { firmwareId: fw.firmwareId, deviceNames: ['dev-00020', 'dev-00021'] });
		const failures: string[] = [];
		const result = await watchJob(api, job.jobId, { interval: FAST, onTask: (c) => c.diagnosis && failures.push(c.diagnosis.code) });
		assert.equal(result.outcome, 'failed');
		assert.deepEqual(failures, ['version-mismatch']);
		assert.equal((await api.queryFirmware(fw.firmwareId)).status, 3);
		const [task] = (await api.listTasksByJob({ jobId: job.jobId, status: 'FAILED' })).items;
		const detail = await api.queryDeviceDetail({ productKey: sandbox.productKey, deviceName: 'dev-00021' });
		assert.equal(diagnose({ task, device: { version: detail.firmwareVersion } })?.code, 'version-mismatch');
		sandbox.ota.setDevices({ deviceNames: ['dev-00021'] }, { behaviour: 'ok' });
	});

	void test('gray 10 % reaches 19 of the 199 devices not on the version, as the dry run said; promotion then rolls out to all', async () => {
		const fw = await verified();
		const { api } = client();
		const plan = await planRollout(api, { firmwareId: fw.firmwareId, target: { kind: 'gray', percent: '10' } });
		const preview = await previewTargets(api, plan);
		assert.deepEqual([preview.count, preview.of], [19, 199], targetNoteText(preview.scope));
		const gray = await startRollout(api, plan);
		const grayResult = await watchJob(api, gray.jobId, { interval: FAST });
		assert.equal(grayResult.outcome, 'succeeded');
		assert.equal(
			grayResult.progress.summary.total,
			19,
			'10 % of the 199 eligible devices (the verification device is already on the version), rounded down',
		);
		const promoted = await promote(api, gray.jobId);
		assert.equal(promoted.promoted, true);
		const all = promoted.promoted ? promoted.job.jobId : '';
		const allResult = await watchJob(api, all, { interval: FAST });
		assert.equal(allResult.outcome, 'succeeded');
		assert.equal(allResult.progress.summary.total, 180, 'the rest of the fleet: already upgraded devices are skipped');
	});

	void test('the guard halts at 5 % failures with exactly one CancelOTATaskByJob of what has not started', async () => {
		const fw = await verified();
		sandbox.ota.setDevices({ percent: 20 }, { behaviour: 'fail-flash' });
		try {
			const { api, calls } = client();
			const job = await api.createStaticJob({
				firmwareId: fw.firmwareId,
				productKey: sandbox.productKey,
				target: { kind: 'all' },
				maximumPerMinute: 10,
			});
			const before = calls.sent.length;
			const result = await watchJob(api, job.jobId, { interval: FAST, guard: { failurePercent: 5, minFinished: 10 } });
			assert.equal(result.outcome, 'halted');
			const writes = calls.sent.slice(before).filter((s) => !['QueryOTAJob', 'ListOTATaskByJob'].includes(s.action));
			assert.deepEqual(
				writes.map((s) => ({ action: s.action, params: wireParams(s.params) })),
				[
					{
						action: 'CancelOTATaskByJob',
						params: { JobId: job.jobId, CancelQueuedTask: 'true', CancelNotifiedTask: 'true', CancelUnconfirmedTask: 'true' },
					},
				],
			);
			assert.ok(result.halt && result.halt.verdict.failurePercent >= 5 && result.halt.verdict.finished >= 10);
			const counts = result.progress.counts;
			assert.equal(counts.QUEUED + counts.NOTIFIED + counts.CONFIRM, 0, 'nothing left waiting');
			assert.ok(counts.CANCELED > 0);
		} finally {
			sandbox.ota.setDevices({}, { behaviour: 'ok' });
		}
	});

	void test('confirm, cancel and retry', async () => {
		const fw = await verified();
		const { api } = client();
		const job = await api.createStaticJob({
			firmwareId: fw.firmwareId,
			productKey: sandbox.productKey,
			target: { kind: 'devices', deviceNames: ['dev-00100', 'dev-00101', 'dev-00102'] },
			needConfirm: true,
		});
		const waiting = await api.listTasksByJob({ jobId: job.jobId, status: 'CONFIRM' });
		assert.equal(waiting.total, 3);
		const confirmed = await confirmJobTasks(api, job.jobId, [waiting.items[0].taskId]);
		assert.equal(confirmed.done.length, 1);
		assert.deepEqual(await cancelJob(api, job.jobId, { flags: { unconfirmed: true } }), ['CancelOTATaskByJob']);
		const result = await watchJob(api, job.jobId, { interval: FAST });
		assert.equal(result.outcome, 'failed');
		assert.deepEqual([result.progress.counts.SUCCEEDED, result.progress.counts.CANCELED], [1, 2]);
		const retried = await retryTasks(
			api,
			job.jobId,
			(await api.listTasksByJob({ jobId: job.jobId, status: 'CANCELED' })).items.map((t) => t.taskId),
		);
		assert.equal(retried.done.length, 2);
		assert.equal((await api.listTasksByJob({ jobId: job.jobId, status: 'CONFIRM' })).total, 2, 'a NeedConfirm job asks again');
		await confirmJobTasks(api, job.jobId, undefined);
		assert.equal((await watchJob(api, job.jobId, { interval: FAST })).outcome, 'succeeded');
	});

	void test('two watches and an upload at once never exceed an action QPS or the account budget', async () => {
		const fw = await verified();
		// Every client of the AccessKeyId shares the process-wide limiters, as in the CLI and the extension.
		const { api } = client();
		// Two jobs of 30 devices each, pushed at 10 a minute (10 a second at the time scale): the watches run for seconds.
		const batch = (first: number) =>
			api.createStaticJob({
				firmwareId: fw.firmwareId,
				productKey: sandbox.productKey,
				target: { kind: 'devices', deviceNames: Array.from({ length: 30 }, (_, i) => `dev-${String(first + i).padStart(5, '0')}`) },
				maximumPerMinute: 10,
			});
		const a = await batch(100);
		const b = await batch(130);
		sandbox.stats.reset();
		const file = path.join(work, 'concurrent.bin');
		writeFileSync(file, randomBytes(256 * 1024));
		const eager = { interval: { minMs: 0, maxMs: 0, budgetShare: 1 } };
		const [first, second] = await Promise.all([
			watchJob(api, a.jobId, eager),
			watchJob(api, b.jobId, eager),
			uploadFirmware(iot(), file),
		]);
		assert.equal(first.outcome, 'succeeded');
		assert.equal(second.outcome, 'succeeded');
		assert.equal(sandbox.stats.apiErrors['Throttling.User'], undefined, 'no action or account quota was exceeded');
		assert.ok((sandbox.stats.maxQps[sandbox.accessKeyId] ?? 0) <= 10, `account QPS ${sandbox.stats.maxQps[sandbox.accessKeyId]}`);
		assert.ok((sandbox.stats.apiCalls.ListOTATaskByJob ?? 0) > 10, 'the watches kept the limiter busy');
	});
});
