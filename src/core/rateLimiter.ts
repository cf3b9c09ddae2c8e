import { throwIfAborted } from './errors';
import { raceWithSignal, sleep } from './retry';

const STAGE = 'rate limiting';

/**
 * The platform counts calls by arrival time, and granted calls reach it after uneven delays (connection set-up,
 * event-loop turns), so 10 grants spread over exactly 1000 ms can land as 11 in one server-side second. A 10 %
 * longer window keeps arrivals under the quota.
 */
const DEFAULT_WINDOW_MS = 1100;

export interface RateLimiterOptions {
	/** Calls allowed in any window (default 10, the IoT Platform's per-account QPS for OTA APIs). */
	perSecond?: number;
	/** Window length (default 1100 ms: see DEFAULT_WINDOW_MS). */
	windowMs?: number;
	now?: () => number;
	/** Injectable for deterministic tests (pair it with a fake `now`). */
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Sliding-window limiter: at most `perSecond` grants in any window of `windowMs`.
 * Waiters are served in arrival order; an aborted waiter leaves the queue at once
 * and never consumes a slot.
 */
export class RateLimiter {
	private readonly perSecond: number;
	private readonly windowMs: number;
	private readonly now: () => number;
	private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;
	/** Grant times still inside the window, oldest first. */
	private readonly grants: number[] = [];
	private queue: Promise<void> = Promise.resolve();

	constructor(opts: RateLimiterOptions = {}) {
		this.perSecond = Math.max(1, Math.floor(opts.perSecond ?? 10));
		this.windowMs = Math.max(1, opts.windowMs ?? DEFAULT_WINDOW_MS);
		this.now = opts.now ?? Date.now;
		this.wait = opts.sleep ?? ((ms, signal) => sleep(ms, signal, STAGE));
	}

	acquire(signal?: AbortSignal): Promise<void> {
		try {
			throwIfAborted(signal, STAGE);
		} catch (error) {
			return Promise.reject(error);
		}
		const turn = this.queue.then(() => this.takeSlot(signal));
		this.queue = turn.catch(() => undefined);
		return raceWithSignal(turn, signal, STAGE);
	}

	private async takeSlot(signal: AbortSignal | undefined): Promise<void> {
		for (;;) {
			throwIfAborted(signal, STAGE);
			const now = this.now();
			while (this.grants.length > 0 && this.grants[0] <= now - this.windowMs) {
				this.grants.shift();
			}
			if (this.grants.length < this.perSecond) {
				this.grants.push(now);
				return;
			}
			await this.wait(this.grants[0] + this.windowMs - now, signal);
		}
	}
}

const registry = new Map<string, RateLimiter>();

/** The process-wide limiter of one account: every client using this AccessKeyId shares it. */
export function limiterFor(accessKeyId: string): RateLimiter {
	let limiter = registry.get(accessKeyId);
	if (!limiter) {
		limiter = new RateLimiter();
		registry.set(accessKeyId, limiter);
	}
	return limiter;
}
