/**
 * One timer for the whole fleet: due events in a binary min-heap ordered by time (then by insertion),
 * run by a single timer armed for the earliest one. A 100,000-device rollout is a few hundred thousand
 * small closures here, never a timer or a process per device.
 */

/** What runs when an event is due: called as run(arg, code), so hot paths can pass one shared function and no closure. */
export type EventHandler<A> = (arg: A, code: number) => void;

interface ScheduledEvent {
	at: number;
	seq: number;
	run: EventHandler<unknown>;
	arg: unknown;
	code: number;
}

/** Events run per turn before yielding to I/O (answers to API calls stay prompt during a rollout). */
const EVENTS_PER_TURN = 2_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Scheduler {
	private readonly heap: ScheduledEvent[] = [];
	private seq = 0;
	private timer: NodeJS.Timeout | undefined;
	private timerAt = Number.POSITIVE_INFINITY;
	private stopped = false;

	constructor(
		private readonly now: () => number,
		private readonly autoRun: boolean,
		private readonly onError: (error: unknown) => void,
	) {}

	get size(): number {
		return this.heap.length;
	}

	/** Runs `run(arg, code)` once the sandbox clock reaches `at` (on the next turn when it already has). */
	at<A>(at: number, run: EventHandler<A>, arg?: A, code = 0): void {
		if (this.stopped) {
			return;
		}
		this.push({ at, seq: this.seq++, run: run as EventHandler<unknown>, arg, code });
		this.arm();
	}

	/** Runs every event due by now (also the ones those events schedule for now); returns how many ran. */
	runDue(limit = Number.POSITIVE_INFINITY): number {
		let ran = 0;
		while (ran < limit && this.heap.length > 0 && this.heap[0].at <= this.now()) {
			const event = this.pop();
			ran++;
			try {
				event.run(event.arg, event.code);
			} catch (error) {
				this.onError(error);
			}
		}
		return ran;
	}

	/** The time of the earliest pending event. */
	next(): number | undefined {
		return this.heap[0]?.at;
	}

	stop(): void {
		this.stopped = true;
		clearTimeout(this.timer);
		this.timer = undefined;
		this.heap.length = 0;
	}

	private arm(): void {
		const first = this.heap[0];
		if (!this.autoRun || this.stopped || !first || first.at >= this.timerAt) {
			return;
		}
		clearTimeout(this.timer);
		this.timerAt = first.at;
		this.timer = setTimeout(() => this.tick(), Math.min(MAX_TIMER_MS, Math.max(0, first.at - this.now())));
		this.timer.unref();
	}

	private tick(): void {
		this.timer = undefined;
		this.timerAt = Number.POSITIVE_INFINITY;
		const ran = this.runDue(EVENTS_PER_TURN);
		if (ran === EVENTS_PER_TURN && this.heap.length > 0 && this.heap[0].at <= this.now()) {
			this.timerAt = this.now();
			this.timer = setTimeout(() => this.tick(), 0);
			this.timer.unref();
			return;
		}
		this.arm();
	}

	private push(event: ScheduledEvent): void {
		const heap = this.heap;
		heap.push(event);
		let i = heap.length - 1;
		while (i > 0) {
			const parent = (i - 1) >> 1;
			if (!before(heap[i], heap[parent])) {
				break;
			}
			[heap[i], heap[parent]] = [heap[parent], heap[i]];
			i = parent;
		}
	}

	private pop(): ScheduledEvent {
		const heap = this.heap;
		const top = heap[0];
		const last = heap.pop() as ScheduledEvent;
		if (heap.length > 0) {
			heap[0] = last;
			let i = 0;
			for (;;) {
				const left = 2 * i + 1;
				const right = left + 1;
				let smallest = i;
				if (left < heap.length && before(heap[left], heap[smallest])) {
					smallest = left;
				}
				if (right < heap.length && before(heap[right], heap[smallest])) {
					smallest = right;
				}
				if (smallest === i) {
					break;
				}
				[heap[i], heap[smallest]] = [heap[smallest], heap[i]];
				i = smallest;
			}
		}
		return top;
	}
}

function before(a: ScheduledEvent, b: ScheduledEvent): boolean {
	return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
