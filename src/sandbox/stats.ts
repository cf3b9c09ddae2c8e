/** Counters tests and the benchmark read from `sandbox.stats`. */
export class SandboxStats {
	/** Requests that reached the RPC endpoint, by Action (including rejected ones). */
	readonly apiCalls: Record<string, number> = {};
	/** Gateway and business error codes answered, by Code. */
	readonly apiErrors: Record<string, number> = {};
	/** Uploads stored successfully. */
	ossUploads = 0;
	/** Bytes of successfully stored uploads. */
	ossBytes = 0;
	/** PostObject requests rejected, by OSS error Code. */
	readonly ossErrors: Record<string, number> = {};
	/** Highest number of authenticated calls within one second (accepted ones plus the arriving one), per AccessKeyId. */
	readonly maxQps: Record<string, number> = {};

	count(table: Record<string, number>, name: string): void {
		table[name] = (table[name] ?? 0) + 1;
	}

	reset(): void {
		for (const table of [this.apiCalls, this.apiErrors, this.ossErrors, this.maxQps]) {
			for (const name of Object.keys(table)) {
				delete table[name];
			}
		}
		this.ossUploads = 0;
		this.ossBytes = 0;
	}
}

/**
 * Sliding one-second windows of accepted calls, by key (an AccessKeyId, an action's quota). A
 * throttled call does not use up quota (as with a token bucket), so a client backing off recovers.
 */
export class QpsMeter {
	private readonly windows = new Map<string, number[]>();

	/** How many calls the window would hold with this one (at `arrivedAt`) included. */
	demand(key: string, arrivedAt: number): number {
		const window = (this.windows.get(key) ?? []).filter((t) => arrivedAt - t < 1000);
		this.windows.set(key, window);
		return window.length + 1;
	}

	accept(key: string, arrivedAt: number): void {
		const window = this.windows.get(key) ?? [];
		window.push(arrivedAt);
		this.windows.set(key, window);
	}
}
