// What a watched job's end offers next: the one rule behind `iot-ota watch`'s closing lines and the extension's end notice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { watchNextSteps } from '../../../src/core/lifecycle/nextSteps';

void test('a job that ended with failed tasks: diagnose it and retry them', () => {
	assert.deepEqual(watchNextSteps('failed', 2), { diagnose: true, retry: true });
});

void test('a halted job: diagnose it; retry only when some tasks failed', () => {
	assert.deepEqual(watchNextSteps('halted', 3), { diagnose: true, retry: true });
	assert.deepEqual(watchNextSteps('halted', 0), { diagnose: true, retry: false });
});

void test('a job whose unsuccessful tasks were all cancelled: nothing to diagnose or retry', () => {
	assert.deepEqual(watchNextSteps('failed', 0), { diagnose: false, retry: false });
});

void test('a job that succeeded, a watch the user stopped, or one without an outcome: no next step', () => {
	for (const outcome of ['succeeded', 'stopped', undefined] as const) {
		assert.deepEqual(watchNextSteps(outcome, 0), { diagnose: false, retry: false }, String(outcome));
	}
	// Failed tasks of a job still running (the user stopped watching) are not offered yet: the job goes on.
	assert.deepEqual(watchNextSteps('stopped', 4), { diagnose: false, retry: false });
});

void test('a cancelled job is offered no retry (ReupgradeOTATask refuses its tasks): CANCELED, or a dynamic job the guard halted', () => {
	assert.deepEqual(watchNextSteps('failed', 2, { job: { jobStatus: 'CANCELED' } }), { diagnose: true, retry: false });
	// The halt cancelled the dynamic job's strategy: CANCELED, though the watch may still hold the job as IN_PROGRESS.
	const strategyCancelled = { job: { jobStatus: 'IN_PROGRESS' }, halt: { plan: { cancelStrategy: true } } };
	assert.deepEqual(watchNextSteps('halted', 3, strategyCancelled), { diagnose: true, retry: false });
	// A static job's halt cancels only the tasks that had not started: the job goes on and its failed tasks may run again.
	const tasksCancelled = { job: { jobStatus: 'IN_PROGRESS' }, halt: { plan: { cancelStrategy: false } } };
	assert.deepEqual(watchNextSteps('halted', 3, tasksCancelled), { diagnose: true, retry: true });
	assert.deepEqual(watchNextSteps('failed', 2, { job: { jobStatus: 'COMPLETED' } }), { diagnose: true, retry: true });
});
