import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { backoffDelay, raceWithSignal, resolveRetryPolicy, sleep, withRetry } from '../../../src/core/retry';

const policy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 3000 };

void test('backoffDelay grows exponentially, is capped, and uses full jitter', () => {
	const top = () => 0.999999;
	assert.deepEqual(
		[1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, top)),
		[199, 399, 799, 1599, 2999, 2999],
	);
	assert.equal(
		backoffDelay(3, policy, () => 0),
		0,
	);
	assert.equal(
		backoffDelay(3, policy, () => 0.5),
		400,
	);
	assert.equal(backoffDelay(1000, policy, top), 2999, 'huge attempt numbers stay capped');
	for (let i = 0; i < 200; i++) {
		const delay = backoffDelay(1 + (i % 8), policy);
		assert.ok(delay >= 0 && delay <= policy.maxDelayMs);
	}
});

void test('resolveRetryPolicy fills defaults (4 attempts, 200 ms, 3 s) and clamps', () => {
	assert.deepEqual(resolveRetryPolicy(), policy);
	assert.deepEqual(resolveRetryPolicy({ maxAttempts: 0, baseDelayMs: -5 }), { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 3000 });
});

void test('sleep resolves after the delay and rejects with the cancelled OtaError on abort', async () => {
	await sleep(5);
	const controller = new AbortController();
	const waiting = sleep(60_000, controller.signal);
	controller.abort();
	await assert.rejects(waiting, (e: unknown) => e instanceof OtaError && e.source === 'cancelled' && e.code === 'Cancelled');
	await assert.rejects(sleep(1, AbortSignal.abort()), { code: 'Cancelled' });
});

void test('raceWithSignal drops a late result and swallows a late rejection', async () => {
	const controller = new AbortController();
	let rejectLate: (e: Error) => void = () => undefined;
	const late = new Promise<never>((_, reject) => (rejectLate = reject));
	const raced = raceWithSignal(late, controller.signal, 'the test');
	controller.abort();
	await assert.rejects(raced, { code: 'Cancelled', message: 'Cancelled during the test.' });
	rejectLate(new Error('too late')); // must not become an unhandled rejection
	assert.equal(await raceWithSignal(Promise.resolve(7), new AbortController().signal, 'x'), 7);
});

void test('withRetry retries retryable failures with back-off and stops on success', async () => {
	const waits: number[] = [];
	let calls = 0;
	const result = await withRetry(
		async () => {
			calls++;
			if (calls < 3) {
				throw new OtaError({ code: 'Throttling', message: 'slow down', source: 'api', retryable: true });
			}
			return 'done';
		},
		{ policy, toError: (e) => e as OtaError, random: () => 0.5, wait: async (ms) => void waits.push(ms) },
	);
	assert.equal(result, 'done');
	assert.deepEqual(waits, [100, 200]);
});

void test('withRetry does not retry non-retryable failures', async () => {
	let calls = 0;
	await assert.rejects(
		withRetry(
			async () => {
				calls++;
				throw new OtaError({ code: 'Bad', message: 'bad', source: 'validation' });
			},
			{ policy, toError: (e) => e as OtaError },
		),
		{ code: 'Bad' },
	);
	assert.equal(calls, 1);
});
