import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cancelledError, OtaError } from '../../../src/core/errors';
import { limiterFor, RateLimiter } from '../../../src/core/rateLimiter';

/** A virtual clock: sleeping advances time instantly, so the limiter's schedule is exact and fast. */
function virtualTime(): { now: () => number; sleep: (ms: number, signal?: AbortSignal) => Promise<void>; sleeps: number[] } {
	let time = 0;
	const sleeps: number[] = [];
	return {
		now: () => time,
		sleeps,
		sleep: async (ms, signal) => {
			if (signal?.aborted) {
				throw cancelledError('rate limiting');
			}
			sleeps.push(ms);
			time += ms;
		},
	};
}

function maxInAnyWindow(times: number[], windowMs: number): number {
	return Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + windowMs).length));
}

void test('25 concurrent acquisitions: ≤ 10 in any second with a 10 % margin, in order, done at 2.2 s', async () => {
	const clock = virtualTime();
	const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep });
	const granted: Array<{ index: number; at: number }> = [];
	await Promise.all(
		Array.from({ length: 25 }, (_, index) => limiter.acquire().then(() => void granted.push({ index, at: clock.now() }))),
	);
	const times = granted.map((g) => g.at);
	assert.deepEqual(
		granted.map((g) => g.index),
		Array.from({ length: 25 }, (_, i) => i),
		'first come, first served',
	);
	assert.equal(maxInAnyWindow(times, 1000), 10);
	assert.equal(maxInAnyWindow(times, 1100), 10, 'the default window leaves a margin for uneven arrival at the server');
	assert.deepEqual(times, [...Array(10).fill(0), ...Array(10).fill(1100), ...Array(5).fill(2200)]);
});

void test('sequential callers spaced out in time are not delayed', async () => {
	const clock = virtualTime();
	const limiter = new RateLimiter({ perSecond: 2, windowMs: 1000, now: clock.now, sleep: clock.sleep });
	await limiter.acquire();
	await clock.sleep(600);
	await limiter.acquire();
	await clock.sleep(600); // the first grant has left the window
	await limiter.acquire();
	assert.deepEqual(clock.sleeps, [600, 600], 'the limiter itself never had to wait');
	await limiter.acquire(); // third in the window that started at 600 → waits until 1600
	assert.equal(clock.now(), 1600);
});

void test('an aborted waiter leaves the queue at once and does not consume a slot', async () => {
	const limiter = new RateLimiter({ perSecond: 1, windowMs: 60_000 });
	await limiter.acquire();
	const controller = new AbortController();
	const waiting = limiter.acquire(controller.signal);
	controller.abort();
	await assert.rejects(waiting, (e: unknown) => e instanceof OtaError && e.source === 'cancelled');
	await assert.rejects(limiter.acquire(AbortSignal.abort()), { code: 'Cancelled' });
});

void test('with real timers a short window delays the excess caller by about one window', async () => {
	const limiter = new RateLimiter({ perSecond: 3, windowMs: 80 });
	const start = performance.now();
	await Promise.all(Array.from({ length: 4 }, () => limiter.acquire()));
	const elapsed = performance.now() - start;
	assert.ok(elapsed >= 75, `4th grant came after ${elapsed} ms`);
});

void test('limiterFor shares one limiter per AccessKeyId', () => {
	assert.equal(limiterFor('LTAIaaa'), limiterFor('LTAIaaa'));
	assert.notEqual(limiterFor('LTAIaaa'), limiterFor('LTAIbbb'));
});
