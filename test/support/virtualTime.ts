import { cancelledError } from '../../src/core/errors';

/**
 * A virtual clock: sleeping advances time at once (after letting pending callbacks run, as real time would),
 * so a rate limiter's schedule is exact and fast.
 */
export function virtualTime(): { now: () => number; sleep: (ms: number, signal?: AbortSignal) => Promise<void>; sleeps: number[] } {
	let time = 0;
	const sleeps: number[] = [];
	return {
		now: () => time,
		sleeps,
		sleep: async (ms, signal) => {
			if (signal?.aborted) {
				throw cancelledError('rate limiting');
			}
			await new Promise((resolve) => setImmediate(resolve));
			sleeps.push(ms);
			time += ms;
		},
	};
}
