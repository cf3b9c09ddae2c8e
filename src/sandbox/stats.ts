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
	/** Highest number of authenticated calls seen within one second, per AccessKeyId. */
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

/** Sliding one-second window of call times per AccessKeyId. */
export class QpsMeter {
	private readonly windows = new Map<string, number[]>();

	/** Records a call and returns how many calls (this one included) fell in the last second. */
	record(accessKeyId: string, now: number): number {
		const window = (this.windows.get(accessKeyId) ?? []).filter((t) => now - t < 1000);
		window.push(now);
		this.windows.set(accessKeyId, window);
		return window.length;
	}
}
