/** Monotonic milliseconds. Not `performance.now()`: its first use loads perf_hooks, ~1 ms of a fresh CLI's first upload. */
const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * Smoothed transfer rate: bytes per second over a sliding window (default 3 s) of
 * (time, cumulative bytes) samples. Cheap enough to call on every progress event.
 */
export class RateMeter {
	private times: number[] = [];
	private totals: number[] = [];
	private first = 0;

	constructor(
		private readonly windowMs = 3000,
		private readonly now: () => number = monotonicMs,
	) {}

	/** Records the cumulative byte count and returns the current smoothed rate. */
	record(totalBytes: number): number {
		const t = this.now();
		this.times.push(t);
		this.totals.push(totalBytes);
		// Keep one sample at or before the window start so the window spans its full length.
		while (this.first + 1 < this.times.length - 1 && this.times[this.first + 1] <= t - this.windowMs) {
			this.first++;
		}
		if (this.first > 1024) {
			this.times = this.times.slice(this.first);
			this.totals = this.totals.slice(this.first);
			this.first = 0;
		}
		return this.rate();
	}

	/** Bytes per second across the retained samples; 0 until two samples are at least 1 ms apart. */
	rate(): number {
		const last = this.times.length - 1;
		if (last <= this.first) {
			return 0;
		}
		const elapsedMs = this.times[last] - this.times[this.first];
		if (elapsedMs < 1) {
			return 0;
		}
		return Math.max(0, ((this.totals[last] - this.totals[this.first]) * 1000) / elapsedMs);
	}

	/** Forgets all samples (e.g. when a retry starts again from byte 0). */
	reset(): void {
		this.times = [];
		this.totals = [];
		this.first = 0;
	}
}
