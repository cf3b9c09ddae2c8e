import { BEHAVIOURS, type Behaviour } from './model';

/** A share of the fleet given one behaviour, e.g. `fail-flash=5%`. */
export interface BehaviourShare {
	behaviour: Behaviour;
	/** 0–100. */
	percent: number;
}

export function isBehaviour(value: unknown): value is Behaviour {
	return typeof value === 'string' && (BEHAVIOURS as readonly string[]).includes(value);
}

/** Parses `NAME=PCT` or `NAME=PCT%` (the CLI's --behaviour); throws Error naming the valid behaviours. */
export function parseBehaviourShare(text: string): BehaviourShare {
	const match = /^([a-z-]+)=(\d+(?:\.\d+)?)%?$/.exec(text.trim());
	if (!match || !isBehaviour(match[1])) {
		throw new Error(`Invalid behaviour "${text}": use NAME=PCT with NAME one of ${BEHAVIOURS.join(', ')} (e.g. fail-flash=5%).`);
	}
	return { behaviour: match[1], percent: Number(match[2]) };
}

/**
 * Why a list of shares is refused, as a code and the values its message is made of, so that a shell can word it in
 * its own language (the extension's zh-cn); shareProblemText is the sandbox's English, which the CLI prints.
 */
export type ShareProblem =
	| { code: 'unknown-behaviour'; behaviour: string; known: string }
	| { code: 'share-range'; behaviour: string }
	| { code: 'shares-total'; total: number };

export function shareProblem(shares: readonly BehaviourShare[]): ShareProblem | undefined {
	let total = 0;
	for (const share of shares) {
		if (!isBehaviour(share.behaviour)) {
			return { code: 'unknown-behaviour', behaviour: String(share.behaviour), known: BEHAVIOURS.join(', ') };
		}
		if (!Number.isFinite(share.percent) || share.percent < 0 || share.percent > 100) {
			return { code: 'share-range', behaviour: share.behaviour };
		}
		total += share.percent;
	}
	return total > 100 + 1e-9 ? { code: 'shares-total', total } : undefined;
}

export function shareProblemText(problem: ShareProblem): string {
	switch (problem.code) {
		case 'unknown-behaviour':
			return `Unknown behaviour "${problem.behaviour}": use one of ${problem.known}.`;
		case 'share-range':
			return `The share of behaviour ${problem.behaviour} must be a percentage from 0 to 100.`;
		case 'shares-total':
			return `The behaviour shares add up to ${problem.total}%, more than 100%.`;
	}
}

export function checkShares(shares: readonly BehaviourShare[]): void {
	const problem = shareProblem(shares);
	if (problem) {
		throw new Error(shareProblemText(problem));
	}
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * The positions 0…count-1 in an order that spreads every prefix evenly over the range
 * (sorted by the fractional part of (i+1)·φ). Taking the first n of them picks n items spread
 * over the whole fleet, so any slice of the fleet (e.g. a gray batch of the first devices)
 * sees each behaviour in about its share.
 */
export function spreadOrder(count: number): Uint32Array {
	const keys = new Float64Array(count);
	const order = new Uint32Array(count);
	for (let i = 0; i < count; i++) {
		keys[i] = ((i + 1) * GOLDEN) % 1;
		order[i] = i;
	}
	return order.sort((a, b) => keys[a] - keys[b]);
}

/** How many of `count` items a percentage selects: rounded to the nearest item. */
export function shareCount(count: number, percent: number): number {
	return Math.round((count * percent) / 100);
}

/** The behaviour of each position: exactly shareCount() devices per share, the rest `ok`. */
export function assignBehaviours(count: number, shares: readonly BehaviourShare[]): Behaviour[] {
	const result = new Array<Behaviour>(count).fill('ok');
	const order = spreadOrder(count);
	let next = 0;
	for (const share of shares) {
		const n = Math.min(shareCount(count, share.percent), count - next);
		for (let k = 0; k < n; k++) {
			result[order[next + k]] = share.behaviour;
		}
		next += n;
	}
	return result;
}
