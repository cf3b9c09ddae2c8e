// Property-based test of the OTA task state machine (fast-check): random fleets and random sequences of
// job creations, cancels, re-runs, confirmations, device changes and time steps. After every step:
// every transition seen is one the documented table allows, no timed event failed (the engine logs those),
// the per-status counters add up, no device has two unfinished tasks, and no task belongs to two jobs. Bounded for CI; FUZZ_RUNS / FUZZ_SEED as elsewhere.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BEHAVIOURS, TASK_STATUSES, type TaskStatus } from '../../../../src/sandbox/ota/model';
import { BusinessError } from '../../../../src/sandbox/rpcErrors';
import type { FirmwareRecord } from '../../../../src/sandbox/storeRecords';
import { checkProperty, fuzzParams } from '../../../support/reliability';
import { Harness, MINUTE } from './harness';

/** Written from docs/protocols.md (OTA lifecycle, task states), independently of the engine's table. */
const ALLOWED: Record<string, readonly TaskStatus[]> = {
	created: ['CONFIRM', 'QUEUED', 'FAILED'],
	CONFIRM: ['QUEUED', 'CANCELED'],
	QUEUED: ['NOTIFIED', 'CANCELED'],
	NOTIFIED: ['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED'],
	IN_PROGRESS: ['SUCCEEDED', 'FAILED', 'CANCELED'],
	SUCCEEDED: [],
	FAILED: ['CONFIRM', 'QUEUED'],
	CANCELED: ['CONFIRM', 'QUEUED'],
};
const UNFINISHED: readonly TaskStatus[] = ['CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS'];
const DEVICES = 6;

const deviceIndex = fc.integer({ min: 0, max: DEVICES - 1 });
const pick = fc.nat({ max: 50 });
const rollout = fc.record({
	needConfirm: fc.boolean(),
	needPush: fc.boolean(),
	overwriteMode: fc.constantFrom(1 as const, 2 as const),
	timeoutInMinutes: fc.option(fc.constantFrom(1, 5, 60), { nil: undefined }),
	retry: fc.option(fc.record({ retryInterval: fc.constantFrom(0, 10), retryCount: fc.constantFrom(1, 2, 5) }), { nil: undefined }),
	maximumPerMinute: fc.constantFrom(10, 10_000),
});
const op = fc.oneof(
	fc.record({
		kind: fc.constant('static' as const),
		fw: fc.nat({ max: 1 }),
		rollout,
		target: fc.constantFrom('ALL', 'GRAY', 'SPECIFIC'),
		some: fc.uniqueArray(deviceIndex, { minLength: 1, maxLength: 3 }),
		scheduled: fc.boolean(),
	}),
	fc.record({ kind: fc.constant('dynamic' as const), fw: fc.nat({ max: 1 }), rollout, mode: fc.constantFrom(1 as const, 2 as const) }),
	fc.record({ kind: fc.constant('verify' as const), some: fc.uniqueArray(deviceIndex, { minLength: 1, maxLength: 3 }) }),
	fc.record({
		kind: fc.constant('cancelJob' as const),
		job: pick,
		flags: fc.record({
			scheduled: fc.boolean(),
			queued: fc.boolean(),
			notified: fc.boolean(),
			inProgress: fc.boolean(),
			unconfirmed: fc.option(fc.boolean(), { nil: undefined }),
		}),
	}),
	fc.record({ kind: fc.constant('cancelDevice' as const), fw: fc.nat({ max: 1 }), device: deviceIndex }),
	fc.record({ kind: fc.constant('cancelStrategy' as const), job: pick }),
	fc.record({ kind: fc.constant('reupgrade' as const), job: pick, tasks: fc.uniqueArray(pick, { minLength: 1, maxLength: 3 }) }),
	fc.record({ kind: fc.constant('confirm' as const), tasks: fc.uniqueArray(pick, { minLength: 1, maxLength: 3 }) }),
	fc.record({
		kind: fc.constant('device' as const),
		device: deviceIndex,
		behaviour: fc.option(fc.constantFrom(...BEHAVIOURS), { nil: undefined }),
		online: fc.option(fc.boolean(), { nil: undefined }),
		version: fc.option(fc.constantFrom('1.0.0', '2.0.0', '9.0.0'), { nil: undefined }),
	}),
	fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(1_000, 20_000, MINUTE, 10 * MINUTE, 2 * 60 * MINUTE) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

function apply(h: Harness, firmware: FirmwareRecord[], verify: FirmwareRecord, o: Op): void {
	const e = h.engine;
	const name = (i: number): string => e.fleet.devices(h.productKey)[i].deviceName;
	const jobs = e
		.listJobsByFirmware(firmware[0].firmwareId)
		.concat(e.listJobsByFirmware(firmware[1].firmwareId), e.listJobsByFirmware(verify.firmwareId));
	const tasks = jobs.flatMap((j) => j.tasks);
	const opts = (r: Extract<Op, { rollout: unknown }>['rollout']) => {
		const { retry, ...rest } = r;
		return { ...rest, ...(retry ? { ...retry, srcVersions: ['1.0.0', '2.0.0', '9.0.0'] } : {}) };
	};
	switch (o.kind) {
		case 'static':
			e.createStaticJob(firmware[o.fw], {
				productKey: h.productKey,
				targetSelection: o.target as 'ALL' | 'GRAY' | 'SPECIFIC',
				...opts(o.rollout),
				...(o.target === 'SPECIFIC' ? { deviceNames: o.some.map(name) } : {}),
				...(o.target === 'GRAY' ? { grayPercent: '40' } : {}),
				...(o.scheduled ? { scheduleTime: h.clock + 10 * MINUTE, scheduleFinishTime: h.clock + 80 * MINUTE } : {}),
			});
			return;
		case 'dynamic':
			e.createDynamicJob(firmware[o.fw], {
				productKey: h.productKey,
				...opts(o.rollout),
				dynamicMode: o.mode,
				srcVersions: o.rollout.retry ? undefined : ['1.0.0'],
			});
			return;
		case 'verify':
			e.createVerifyJob(verify, { productKey: h.productKey, deviceNames: o.some.map(name) });
			return;
		case 'cancelJob':
			if (jobs.length > 0) {
				e.cancelTasksByJob(jobs[o.job % jobs.length].jobId, o.flags);
			}
			return;
		case 'cancelDevice':
			e.cancelTasksByDevice(firmware[o.fw], h.productKey, [name(o.device)]);
			return;
		case 'cancelStrategy':
			if (jobs.length > 0) {
				e.cancelStrategy(jobs[o.job % jobs.length].jobId);
			}
			return;
		case 'reupgrade': {
			// Mostly the job's own ended tasks (what a user re-runs), sometimes any task (what the engine must refuse).
			const job = jobs[o.job % Math.max(1, jobs.length)];
			const ended = job?.tasks.filter((t) => t.status === 'FAILED' || t.status === 'CANCELED') ?? [];
			const pool = o.job % 4 === 0 || ended.length === 0 ? tasks : ended;
			if (job && pool.length > 0) {
				e.reupgrade(
					job.jobId,
					o.tasks.map((i) => pool[i % pool.length].taskId),
				);
			}
			return;
		}
		case 'confirm': {
			const waiting = tasks.filter((t) => t.status === 'CONFIRM');
			const pool = o.tasks[0] % 4 === 0 || waiting.length === 0 ? tasks : waiting;
			if (pool.length > 0) {
				e.confirm(o.tasks.map((i) => pool[i % pool.length].taskId));
			}
			return;
		}
		case 'device':
			e.setDevices(
				{ deviceNames: [name(o.device)] },
				{ behaviour: o.behaviour, online: o.online, ...(o.version ? { versions: { default: o.version } } : {}) },
			);
			return;
		case 'advance':
			h.advance(o.ms);
	}
}

function checkInvariants(h: Harness, seen: number): number {
	// An event that throws (an illegal move from a timeout, retry, push or device step) is logged, not raised.
	assert.deepEqual(h.errors, [], 'the engine logged errors');
	for (const { from, to, task } of h.transitions.slice(seen)) {
		assert.ok(ALLOWED[from ?? 'created'].includes(to), `illegal transition ${from ?? 'created'} → ${to} (${task.taskId})`);
	}
	const jobs = h.engine.fleet.devices(h.productKey).flatMap((d) => d.tasks.map((t) => t.job));
	const owner = new Map<string, string>();
	for (const job of new Set(jobs)) {
		for (const status of TASK_STATUSES) {
			assert.equal(job.counts[status], job.tasks.filter((t) => t.status === status).length, `${status} counter of ${job.jobId}`);
		}
		for (const task of job.tasks) {
			assert.equal(owner.get(task.taskId) ?? job.jobId, job.jobId, `task ${task.taskId} is in two jobs`);
			owner.set(task.taskId, job.jobId);
			assert.equal(task.job, job);
		}
		if (job.selectionType === 'STATIC' && job.status === 'COMPLETED') {
			assert.equal(
				job.tasks.filter((t) => UNFINISHED.includes(t.status)).length,
				0,
				`completed job ${job.jobId} has unfinished tasks`,
			);
		}
	}
	for (const device of h.engine.fleet.devices(h.productKey)) {
		const open = device.tasks.filter((t) => UNFINISHED.includes(t.status));
		assert.ok(open.length <= 1, `${device.deviceName} has ${open.length} unfinished tasks`);
	}
	return h.transitions.length;
}

void describe('OTA task state machine (property-based)', () => {
	void test('random operations keep transitions legal, counters exact, one unfinished task per device, one job per task', async () => {
		await checkProperty(() =>
			fc.assert(
				fc.asyncProperty(
					fc.array(fc.constantFrom(...BEHAVIOURS), { minLength: DEVICES, maxLength: DEVICES }),
					fc.array(op, { maxLength: 40 }),
					async (behaviours, ops) => {
						const h = await Harness.start({ devices: DEVICES });
						try {
							behaviours.forEach((behaviour, i) =>
								h.engine.setDevices({ deviceNames: [h.engine.fleet.devices(h.productKey)[i].deviceName] }, { behaviour }),
							);
							const firmware = [await h.firmware(), await h.firmware({ destVersion: '3.0.0' })];
							const verify = await h.firmware({ status: 0, destVersion: '2.0.0' });
							let seen = checkInvariants(h, 0);
							for (const o of ops) {
								try {
									apply(h, firmware, verify, o);
								} catch (error) {
									if (!(error instanceof BusinessError)) {
										throw error;
									}
								}
								seen = checkInvariants(h, seen);
							}
							h.advance(48 * 60 * MINUTE);
							checkInvariants(h, seen);
						} finally {
							await h.close();
						}
					},
				),
				fuzzParams(150, 30),
			),
		);
	});
});
