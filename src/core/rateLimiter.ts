import { throwIfAborted } from './errors';
import { actionFacts } from './iot/actions';
import { raceWithSignal, sleep } from './retry';

const STAGE = 'rate limiting';

/**
 * The platform counts calls by their arrival, which lies somewhere between our send and its answer. A slot is
 * therefore held while its call is in flight and for one window after the call settles: the next call that takes
 * the slot arrives more than one window after the earlier one did, however unevenly requests travel.
 */
const DEFAULT_WINDOW_MS = 1000;

export interface RateLimiterOptions {
	/** Calls allowed in any window (default 10, the IoT Platform's per-account QPS for OTA APIs). */
	perSecond?: number;
	/** Window length (default 1000 ms), counted from when a call settles. */
	windowMs?: number;
	now?: () => number;
	/** Injectable for deterministic tests (pair it with a fake `now`). */
	sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** When a slot becomes free again: Infinity while its call is in flight. */
interface Slot {
	freeAt: number;
}

/**
 * At most `perSecond` calls in flight or settled less than `windowMs` ago. Waiters are served in arrival order;
 * an aborted waiter leaves the queue at once and never consumes a slot.
 */
export class RateLimiter {
	private readonly perSecond: number;
	private readonly windowMs: number;
	private readonly now: () => number;
	private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;
	private slots: Slot[] = [];
	private queue: Promise<void> = Promise.resolve();
	private onSettle: (() => void) | undefined;

	constructor(opts: RateLimiterOptions = {}) {
		this.perSecond = Math.max(1, Math.floor(opts.perSecond ?? 10));
		this.windowMs = Math.max(1, opts.windowMs ?? DEFAULT_WINDOW_MS);
		this.now = opts.now ?? Date.now;
		this.wait = opts.sleep ?? ((ms, signal) => sleep(ms, signal, STAGE));
	}

	/** Runs `call` once a slot is free; the slot stays taken until one window after `call` settles. */
	async run<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
		throwIfAborted(signal, STAGE);
		const turn = this.queue.then(() => this.takeSlot(signal));
		this.queue = turn.then(
			() => undefined,
			() => undefined,
		);
		let slot: Slot;
		try {
			slot = await raceWithSignal(turn, signal, STAGE);
		} catch (error) {
			// Aborted while queued: a slot granted after all goes back unused, without a window.
			void turn.then(
				(late) => this.settle(late, this.now()),
				() => undefined,
			);
			throw error;
		}
		try {
			return await call();
		} finally {
			this.settle(slot, this.now() + this.windowMs);
		}
	}

	private settle(slot: Slot, freeAt: number): void {
		slot.freeAt = freeAt;
		this.onSettle?.();
	}

	private async takeSlot(signal: AbortSignal | undefined): Promise<Slot> {
		for (;;) {
			throwIfAborted(signal, STAGE);
			const now = this.now();
			this.slots = this.slots.filter((slot) => slot.freeAt > now);
			if (this.slots.length < this.perSecond) {
				const slot: Slot = { freeAt: Number.POSITIVE_INFINITY };
				this.slots.push(slot);
				return slot;
			}
			const soonest = Math.min(...this.slots.map((slot) => slot.freeAt));
			if (soonest === Number.POSITIVE_INFINITY) {
				await raceWithSignal(new Promise<void>((resolve) => (this.onSettle = resolve)), signal, STAGE);
				this.onSettle = undefined;
			} else {
				await this.wait(soonest - now, signal);
			}
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

/** One limiter per action with that action's own calls-per-second (docs/protocols.md §11.1, §12.1), created on first use. */
export class ActionRateLimiter {
	private readonly limiters = new Map<string, RateLimiter>();

	constructor(private readonly opts: Omit<RateLimiterOptions, 'perSecond'> & { perSecondOf?: (action: string) => number } = {}) {}

	run<T>(action: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
		let limiter = this.limiters.get(action);
		if (!limiter) {
			const perSecond = this.opts.perSecondOf?.(action) ?? actionFacts(action).qps;
			limiter = new RateLimiter({ ...this.opts, perSecond });
			this.limiters.set(action, limiter);
		}
		return limiter.run(call, signal);
	}
}

const actionRegistry = new Map<string, ActionRateLimiter>();

/** The process-wide per-action limiters of one account: the platform counts each action's QPS per account. */
export function actionLimiterFor(accessKeyId: string): ActionRateLimiter {
	let limiter = actionRegistry.get(accessKeyId);
	if (!limiter) {
		limiter = new ActionRateLimiter();
		actionRegistry.set(accessKeyId, limiter);
	}
	return limiter;
}
