/**
 * Fault injection for the sandbox. Rules are consumed first-come: each matching
 * request takes one use of the first rule that fits (target, optional action,
 * kind), and a rule disappears after `times` uses (default 1).
 */

export type FaultTarget = 'api' | 'oss';

export type FaultKind =
	/**
	 * Answer with this HTTP status (and error code, message) instead of handling the request; with `body`, that text
	 * as an HTML page instead of the error document (a front proxy's 502/503/504 page).
	 */
	| { kind: 'status'; status: number; code?: string; message?: string; body?: string }
	/** Destroy the socket once `afterBytes` request-body bytes arrived (API bodies: after reading it). */
	| { kind: 'reset'; afterBytes: number }
	/** Stop reading and answering; for `ms` when given, else until the client gives up or the sandbox stops. */
	| { kind: 'stall'; ms?: number }
	/** Wait `ms` before handling the request. */
	| { kind: 'delay'; ms: number }
	/** API only: answer Throttling.User. */
	| { kind: 'throttle' }
	/** OSS: treat the upload's policy as expired. API: GenerateOTAUploadURL mints an already-expired policy. */
	| { kind: 'expirePolicy' }
	/**
	 * Keep the request until release() (or the sandbox stops): a cancel point a test controls. API: before the
	 * action runs, or with `answer` after it ran, holding only the answer; OSS PostObject: before the body is read.
	 */
	| { kind: 'hold'; answer?: boolean };

export type FaultRule = FaultKind & {
	target: FaultTarget;
	/** API: the Action to match; OSS: 'PostObject' or 'GetObject'. Any when omitted. */
	action?: string;
	times?: number;
};

interface ActiveRule {
	rule: FaultRule;
	remaining: number;
}

export interface HeldRequest {
	target: FaultTarget;
	action: string;
}

export class FaultInjector {
	private rules: ActiveRule[] = [];
	private held: Array<HeldRequest & { release: () => void }> = [];
	private heldWaiters: Array<{ matches: (h: HeldRequest) => boolean; resolve: () => void }> = [];

	add(rule: FaultRule): void {
		const valid = parseFaultRule(rule);
		this.rules.push({ rule: valid, remaining: valid.times ?? 1 });
	}

	/** Drops every rule and lets held requests go. */
	clear(): void {
		this.rules = [];
		this.release();
	}

	/** Parks a request a hold rule matched until release(), or until `signal` aborts (the sandbox stops). */
	hold(target: FaultTarget, action: string, signal?: AbortSignal): Promise<void> {
		return new Promise((resolve) => {
			if (signal?.aborted) {
				resolve();
				return;
			}
			const request = { target, action };
			const onAbort = (): void => {
				this.held = this.held.filter((h) => h !== entry);
				resolve();
			};
			const entry = {
				...request,
				release: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				},
			};
			this.held.push(entry);
			signal?.addEventListener('abort', onAbort, { once: true });
			const waiting = this.heldWaiters;
			this.heldWaiters = waiting.filter((waiter) => !waiter.matches(request));
			waiting.filter((waiter) => waiter.matches(request)).forEach((waiter) => waiter.resolve());
		});
	}

	/** Requests held right now. */
	holding(): HeldRequest[] {
		return this.held.map(({ target, action }) => ({ target, action }));
	}

	/** Resolves once a request of `target` (and `action`, when given) is held; at once if one is. */
	whenHeld(target: FaultTarget, action?: string): Promise<void> {
		const matches = (h: HeldRequest): boolean => h.target === target && (action === undefined || h.action === action);
		if (this.held.some(matches)) {
			return Promise.resolve();
		}
		return new Promise((resolve) => this.heldWaiters.push({ matches, resolve }));
	}

	/** Lets every held request continue; returns how many there were. */
	release(): number {
		const held = this.held;
		this.held = [];
		held.forEach((h) => h.release());
		return held.length;
	}

	/** Rules still armed, with their remaining uses. */
	list(): Array<FaultRule & { remaining: number }> {
		return this.rules.map(({ rule, remaining }) => ({ ...rule, remaining }));
	}

	/** Consumes and returns the first rule matching the request, limited to the given kinds. */
	take<K extends FaultKind['kind']>(
		target: FaultTarget,
		action: string | undefined,
		kinds: readonly K[],
	): Extract<FaultRule, { kind: K }> | undefined {
		const index = this.rules.findIndex(
			({ rule }) =>
				rule.target === target &&
				(kinds as readonly string[]).includes(rule.kind) &&
				(rule.action === undefined || rule.action === action),
		);
		if (index < 0) {
			return undefined;
		}
		const active = this.rules[index];
		active.remaining -= 1;
		if (active.remaining <= 0) {
			this.rules.splice(index, 1);
		}
		return active.rule as Extract<FaultRule, { kind: K }>;
	}
}

function nonNegativeInteger(value: unknown, name: string): number {
	if (!Number.isSafeInteger(value) || (value as number) < 0) {
		throw new Error(`Fault rule: '${name}' must be a non-negative integer.`);
	}
	return value as number;
}

/** Validates a rule (from code or from the HTTP control endpoint); throws Error with a readable message. */
export function parseFaultRule(input: unknown): FaultRule {
	if (typeof input !== 'object' || input === null) {
		throw new Error('Fault rule: expected a JSON object.');
	}
	const raw = input as Record<string, unknown>;
	if (raw.target !== 'api' && raw.target !== 'oss') {
		throw new Error("Fault rule: 'target' must be 'api' or 'oss'.");
	}
	const base = {
		target: raw.target as FaultTarget,
		...(raw.action === undefined ? {} : { action: String(raw.action) }),
		...(raw.times === undefined ? {} : { times: Math.max(1, nonNegativeInteger(raw.times, 'times')) }),
	};
	switch (raw.kind) {
		case 'status': {
			const status = nonNegativeInteger(raw.status, 'status');
			if (status < 400 || status > 599) {
				throw new Error("Fault rule: 'status' must be an HTTP error status (400–599).");
			}
			const texts = Object.fromEntries(
				(['code', 'message', 'body'] as const)
					.filter((name) => typeof raw[name] === 'string')
					.map((name) => [name, raw[name] as string]),
			);
			return { ...base, kind: 'status', status, ...texts };
		}
		case 'reset':
			return { ...base, kind: 'reset', afterBytes: nonNegativeInteger(raw.afterBytes ?? 0, 'afterBytes') };
		case 'stall':
			return { ...base, kind: 'stall', ...(raw.ms === undefined ? {} : { ms: nonNegativeInteger(raw.ms, 'ms') }) };
		case 'delay':
			return { ...base, kind: 'delay', ms: nonNegativeInteger(raw.ms, 'ms') };
		case 'throttle':
			if (base.target !== 'api') {
				throw new Error("Fault rule: 'throttle' only applies to target 'api'.");
			}
			return { ...base, kind: 'throttle' };
		case 'expirePolicy':
			return { ...base, kind: 'expirePolicy' };
		case 'hold':
			if (raw.answer !== undefined && (typeof raw.answer !== 'boolean' || base.target !== 'api')) {
				throw new Error("Fault rule: 'answer' is true or false, and only applies to target 'api'.");
			}
			return { ...base, kind: 'hold', ...(raw.answer === true ? { answer: true } : {}) };
		default:
			throw new Error("Fault rule: 'kind' must be one of status, reset, stall, delay, throttle, expirePolicy, hold.");
	}
}
