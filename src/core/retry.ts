import { cancelledError, OtaError, throwIfAborted } from './errors';

export interface RetryPolicy {
	/** Total attempts including the first one. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 3000 };

/** Fills the gaps of a partial policy with the defaults and clamps nonsense values. */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> = {}): RetryPolicy {
	const pick = (value: number | undefined, fallback: number, min: number): number =>
		value === undefined || !Number.isFinite(value) ? fallback : Math.max(min, value);
	return {
		maxAttempts: Math.floor(pick(partial.maxAttempts, DEFAULT_RETRY_POLICY.maxAttempts, 1)),
		baseDelayMs: pick(partial.baseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs, 0),
		maxDelayMs: pick(partial.maxDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs, 0),
	};
}

/**
 * Delay before the next attempt after `attempt` failed attempts (1-based):
 * exponential growth capped at maxDelayMs, with "full jitter" (uniform in [0, cap)).
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const exponent = Math.max(0, Math.floor(attempt) - 1);
	const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
	const fraction = Math.min(Math.max(random(), 0), 1);
	return Math.min(Math.floor(fraction * cap), Math.max(0, policy.maxDelayMs));
}

/** Waits `ms` milliseconds; rejects with the cancelled OtaError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal, stage = 'a retry wait'): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		if (signal?.aborted) {
			reject(cancelledError(stage));
			return;
		}
		const onAbort = (): void => {
			clearTimeout(timer);
			reject(cancelledError(stage));
		};
		const timer = setTimeout(
			() => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			},
			Math.max(0, ms),
		);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

/**
 * Settles like `promise`, or rejects with the cancelled OtaError when `signal` aborts first.
 * The loser's outcome is dropped (its rejection is swallowed, not left unhandled).
 */
export function raceWithSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined, stage: string): Promise<T> {
	if (!signal) {
		return promise;
	}
	promise.catch(() => undefined);
	throwIfAborted(signal, stage);
	return new Promise<T>((resolve, reject) => {
		const onAbort = (): void => reject(cancelledError(stage));
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

export interface RetryOptions {
	policy?: Partial<RetryPolicy>;
	signal?: AbortSignal;
	/** Decides whether a failure (already an OtaError) is worth another attempt. */
	shouldRetry?: (error: OtaError, attempt: number) => boolean;
	/** Called before each back-off wait. */
	onRetry?: (error: OtaError, attempt: number, delayMs: number) => void;
	/** Converts whatever the operation threw into an OtaError. */
	toError: (error: unknown) => OtaError;
	random?: () => number;
	wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Runs `operation(attempt)` until it succeeds, a failure is not retryable, or the attempts run out. */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
	const policy = resolveRetryPolicy(opts.policy);
	const shouldRetry = opts.shouldRetry ?? ((error: OtaError) => error.retryable);
	const wait = opts.wait ?? sleep;
	for (let attempt = 1; ; attempt++) {
		throwIfAborted(opts.signal, 'the request');
		let failure: OtaError;
		try {
			return await operation(attempt);
		} catch (error) {
			failure = opts.toError(error);
		}
		if (failure.source === 'cancelled' || attempt >= policy.maxAttempts || !shouldRetry(failure, attempt)) {
			throw failure;
		}
		const delayMs = backoffDelay(attempt, policy, opts.random);
		opts.onRetry?.(failure, attempt, delayMs);
		await wait(delayMs, opts.signal);
	}
}
