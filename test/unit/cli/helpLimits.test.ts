// One source per limit: the help texts, the CLI's own checks and the watch pacing take their numbers from
// LIFECYCLE_LIMITS, ACTION_FACTS and the doctor's defaults. This file changes those facts before loading the CLI (node:test runs each file in
// its own process), so any number copied into a help text or a check would show here as the old value.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACTION_FACTS } from '../../../src/core/iot/actions';
import { DIAGNOSIS_DEFAULTS } from '../../../src/core/lifecycle/diagnosis';
import { DOCTOR_DEFAULTS } from '../../../src/core/lifecycle/doctor';
import { LIFECYCLE_LIMITS } from '../../../src/core/lifecycle/rules';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

Object.assign(LIFECYCLE_LIMITS as unknown as Record<string, unknown>, {
	verifyDevices: 13,
	specificDevices: 234,
	deviceListNames: 12_345,
	srcVersions: 11,
	grayDecimals: 4,
	cancelDevices: 222,
	timeoutMinutes: { min: 2, max: 1441 },
	maximumPerMinute: { min: 11, max: 10_001 },
	retryIntervals: [0, 15],
	retryCounts: [1, 3],
	scheduleLeadMs: { min: 6 * MINUTE, max: 8 * DAY },
	finishAfterStartMs: { min: 2 * 60 * MINUTE, max: 31 * DAY },
});
Object.assign(ACTION_FACTS.ListOTATaskByJob, { qps: 7 });
Object.assign(DOCTOR_DEFAULTS, { maxTasks: 17 });
Object.assign(DIAGNOSIS_DEFAULTS, { stuckAfterMs: 45 * MINUTE });

const load = async () => ({
	...(await import('../../../src/cli/help.js')),
	...(await import('../../../src/cli/commands/rollout.js')),
	...(await import('../../../src/cli/commands/verify.js')),
	...(await import('../../../src/cli/commands/control.js')),
	...(await import('../../../src/cli/commands/doctor.js')),
	...(await import('../../../src/cli/args.js')),
	...(await import('../../../src/core/lifecycle/monitorPlan.js')),
});

void describe('help texts and checks take their limits from LIFECYCLE_LIMITS', () => {
	void test('rollout, verify and cancel help name the limits of the table', async () => {
		const { commandHelp, ROLLOUT_SPEC, VERIFY_SPEC, CANCEL_SPEC } = await load();
		const rollout = commandHelp(ROLLOUT_SPEC);
		for (const text of [
			'up to 4 decimals',
			'at most 234; more with --device-file',
			'at most 12,345',
			'≤ 11',
			'between 6 minutes and 8 days from now',
			'between 2 hours and 31 days after the start',
			'MIN in 0,15 and COUNT in 1,3',
			'(2–1,441)',
			'(11–10,001)',
		]) {
			assert.ok(rollout.includes(text), `rollout help lacks "${text}":\n${rollout}`);
		}
		const verify = commandHelp(VERIFY_SPEC);
		assert.match(verify, /up to 13 test devices/);
		assert.match(verify, /1–13, same product/);
		assert.match(verify, /\(2–1,441\)/);
		assert.match(commandHelp(CANCEL_SPEC), /at most 222\)/);
	});

	void test("doctor help names the core's task count and stuck time", async () => {
		const { commandHelp, DOCTOR_SPEC } = await load();
		assert.match(commandHelp(DOCTOR_SPEC), /Examines up to 17 tasks: failed ones first, then open ones unchanged for 45 minutes\./);
	});

	void test('verify and rollout share one --timeout flag', async () => {
		const { ROLLOUT_SPEC, VERIFY_SPEC } = await load();
		const timeout = (flags: readonly { name: string }[]) => flags.find((flag) => flag.name === 'timeout');
		assert.ok(timeout(VERIFY_SPEC.flags));
		assert.equal(timeout(VERIFY_SPEC.flags), timeout(ROLLOUT_SPEC.flags));
	});

	void test("rollout --devices is held to the table's count, in the CLI as in the core", async () => {
		const { parseCommandArgs, ROLLOUT_SPEC, rolloutSpecFrom } = await load();
		const names = (count: number) => Array.from({ length: count }, (_, i) => `d${i}`).join(',');
		const accepted = await rolloutSpecFrom(parseCommandArgs(ROLLOUT_SPEC, ['F1', '--devices', names(234)]), '/', Date.now());
		assert.equal(accepted.target.kind === 'devices' && accepted.target.deviceNames.length, 234);
		await assert.rejects(
			rolloutSpecFrom(parseCommandArgs(ROLLOUT_SPEC, ['F1', '--devices', names(235)]), '/', Date.now()),
			/--devices takes at most 234 names \(got 235\)/,
		);
	});

	void test("the watch pacing uses ListOTATaskByJob's QPS from ACTION_FACTS", async () => {
		const { DEFAULT_INTERVAL_POLICY } = await load();
		assert.equal(DEFAULT_INTERVAL_POLICY.qps, 7);
	});
});
