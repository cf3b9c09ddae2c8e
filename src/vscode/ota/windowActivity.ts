// When watches may poll: not while the window has been out of focus for long (nobody looks, and the QPS budget is the
// account's). Pure: the focus source is vscode.window in the extension, a fake in unit tests.

export interface FocusSource {
	focused(): boolean;
	onDidChange(listener: (focused: boolean) => void): { dispose(): void };
}

export class WindowActivity {
	private unfocusedSince: number | undefined;
	private readonly waiters = new Set<() => void>();
	private readonly subscription: { dispose(): void };

	constructor(
		source: FocusSource,
		/** How long the window may be unfocused before polling pauses; 0 never pauses. */
		private readonly pauseAfterMs: () => number,
		private readonly now: () => number = Date.now,
	) {
		this.unfocusedSince = source.focused() ? undefined : now();
		this.subscription = source.onDidChange((focused) => {
			if (focused) {
				this.unfocusedSince = undefined;
				const waiting = [...this.waiters];
				this.waiters.clear();
				waiting.forEach((wake) => wake());
			} else {
				this.unfocusedSince ??= this.now();
			}
		});
	}

	/** The window has been unfocused for longer than the pause threshold. */
	idle(): boolean {
		const after = this.pauseAfterMs();
		return after > 0 && this.unfocusedSince !== undefined && this.now() - this.unfocusedSince >= after;
	}

	/**
	 * Resolves at once unless the window is idle; then when it gets the focus back. `onPause` is called before waiting.
	 * An abort resolves it too (the caller checks its signal).
	 */
	async whenActive(signal?: AbortSignal, onPause?: () => void): Promise<void> {
		if (!this.idle() || signal?.aborted) {
			return;
		}
		onPause?.();
		await new Promise<void>((resolve) => {
			const wake = () => {
				this.waiters.delete(wake);
				signal?.removeEventListener('abort', wake);
				resolve();
			};
			this.waiters.add(wake);
			signal?.addEventListener('abort', wake, { once: true });
		});
	}

	dispose(): void {
		this.subscription.dispose();
		const waiting = [...this.waiters];
		this.waiters.clear();
		waiting.forEach((wake) => wake());
	}
}
