import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { limiterFor, RateLimiter } from '../../../src/core/rateLimiter';
import { virtualTime } from '../../support/virtualTime';

function maxInAnyWindow(times: number[], windowMs: number): number {
	return Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + windowMs).length));
}

const instant = async (): Promise<void> => undefined;

void test('25 concurrent calls: ≤ 10 in any second, in order, done at 2 s', async () => {
	const clock = virtualTime();
	const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep });
	const started: Array<{ index: number; at: number }> = [];
	await Promise.all(Array.from({ length: 25 }, (_, index) => limiter.run(async () => void started.push({ index, at: clock.now() }))));
	assert.deepEqual(
		started.map((s) => s.index),
		Array.from({ length: 25 }, (_, i) => i),
		'first come, first served',
	);
	const times = started.map((s) => s.at);
	assert.equal(maxInAnyWindow(times, 1000), 10);
	assert.deepEqual(times, [...Array(10).fill(0), ...Array(10).fill(1000), ...Array(5).fill(2000)]);
});

void test('the window starts when a call settles, so slow answers cannot bunch arrivals at the server', async () => {
	// A call "arrives" at the server somewhere before it settles; here it settles 300 ms after it was sent.
	const clock = virtualTime();
	const limiter = new RateLimiter({ perSecond: 1, now: clock.now, sleep: clock.sleep });
	await limiter.run(() => clock.sleep(300));
	await limiter.run(instant);
	assert.equal(clock.now(), 1300, 'the next call waits one window after the first settled (at 300), not after it was sent');
});

void test('calls still in flight hold their slots until they settle', async () => {
	const limiter = new RateLimiter({ perSecond: 1, windowMs: 20 });
	let finishFirst!: () => void;
	const first = limiter.run(() => new Promise<void>((resolve) => (finishFirst = resolve)));
	let secondStarted = false;
	const second = limiter.run(async () => {
		secondStarted = true;
	});
	await new Promise((resolve) => setTimeout(resolve, 60)); // three windows: only a settle can free the slot
	assert.equal(secondStarted, false, 'the second call must not start while the first is in flight');
	finishFirst();
	await Promise.all([first, second]);
	assert.equal(secondStarted, true);
});

void test('sequential callers spaced out in time are not delayed', async () => {
	const clock = virtualTime();
	const limiter = new RateLimiter({ perSecond: 2, now: clock.now, sleep: clock.sleep });
	await limiter.run(instant);
	await clock.sleep(600);
	await limiter.run(instant);
	await clock.sleep(600); // the first call's window has passed
	await limiter.run(instant);
	assert.deepEqual(clock.sleeps, [600, 600], 'the limiter itself never had to wait');
	await limiter.run(instant); // third in the window that started at 600 → waits until 1600
	assert.equal(clock.now(), 1600);
});

void test('a failed call still takes its window, and its error reaches the caller', async () => {
	const clock = virtualTime();
	const limiter = new RateLimiter({ perSecond: 1, now: clock.now, sleep: clock.sleep });
	await assert.rejects(
		limiter.run(() => Promise.reject(new Error('boom'))),
		/boom/,
	);
	await limiter.run(instant);
	assert.equal(clock.now(), 1000);
});

void test('an aborted waiter leaves the queue at once and does not consume a slot', async () => {
	const limiter = new RateLimiter({ perSecond: 1, windowMs: 60_000 });
	await limiter.run(instant);
	const controller = new AbortController();
	let ran = false;
	const waiting = limiter.run(async () => void (ran = true), controller.signal);
	controller.abort();
	await assert.rejects(waiting, (e: unknown) => e instanceof OtaError && e.source === 'cancelled');
	await assert.rejects(limiter.run(instant, AbortSignal.abort()), { code: 'Cancelled' });
	assert.equal(ran, false);
});

void test('a slot granted just as its waiter aborts goes back unused', async () => {
	const limiter = new RateLimiter({ perSecond: 1, windowMs: 30 });
	await limiter.run(instant);
	const controller = new AbortController();
	const waiting = limiter.run(instant, controller.signal);
	setTimeout(() => controller.abort(), 30); // about when the window ends and the slot is granted
	await waiting.catch(() => undefined);
	const started = performance.now();
	await limiter.run(instant);
	assert.ok(performance.now() - started < 1000, 'the next caller was not blocked by a lost slot');
});

void test('with real timers a short window delays the excess caller by about one window', async () => {
	const limiter = new RateLimiter({ perSecond: 3, windowMs: 80 });
	const start = performance.now();
	await Promise.all(Array.from({ length: 4 }, () => limiter.run(instant)));
	const elapsed = performance.now() - start;
	assert.ok(elapsed >= 75, `4th call started after ${elapsed} ms`);
});

void test('limiterFor shares one limiter per AccessKeyId', () => {
	assert.equal(limiterFor('LTAIaaa'), limiterFor('LTAIaaa'));
	assert.notEqual(limiterFor('LTAIaaa'), limiterFor('LTAIbbb'));
});
