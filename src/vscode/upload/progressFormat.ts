// Pure formatting of upload progress (no vscode import: unit-tested in plain Node).
// Functions that produce sentences take an `l10n` object so `vscode.l10n` can be passed in and the
// strings are still found by `@vscode/l10n-dev export`.

export interface Translator {
	t(message: string, ...args: Array<string | number | boolean>): string;
}

/** Plain `{0}` substitution; what the unit tests (and the CLI, if it wants) use instead of vscode.l10n. */
export const plainL10n: Translator = {
	t: (message, ...args) =>
		message.replace(/\{(\d+)\}/g, (match, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : match)),
};

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

function unitFor(bytes: number): number {
	let unit = 0;
	let value = Math.abs(bytes);
	while (value >= 1024 && unit < UNITS.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit;
}

function scaled(bytes: number, unit: number): string {
	const value = bytes / 1024 ** unit;
	return unit === 0 ? String(Math.round(value)) : value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** 1536 → "1.5 KB", 30_500_000 → "29.1 MB" (binary multiples, as file managers show them). */
export function formatBytes(bytes: number): string {
	const unit = unitFor(bytes);
	return `${scaled(bytes, unit)} ${UNITS[unit]}`;
}

/** "12.3 / 29.1 MB": both numbers in the unit of the total. */
export function formatBytesOf(sent: number, total: number): string {
	const unit = unitFor(total);
	return `${scaled(sent, unit)} / ${scaled(total, unit)} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
	return `${formatBytes(Math.max(0, bytesPerSecond))}/s`;
}

/** Seconds left at the current rate; undefined when it cannot be estimated. */
export function etaSeconds(sent: number, total: number, bytesPerSecond: number): number | undefined {
	if (!(bytesPerSecond > 0) || total <= 0 || sent >= total) {
		return undefined;
	}
	return Math.ceil((total - sent) / bytesPerSecond);
}

/** "6 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(seconds: number): string {
	const s = Math.max(0, Math.round(seconds));
	if (s < 60) {
		return `${s} s`;
	}
	if (s < 3600) {
		const rest = s % 60;
		return rest ? `${Math.floor(s / 60)} min ${rest} s` : `${s / 60} min`;
	}
	return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function percentOf(sent: number, total: number): number {
	if (total <= 0) {
		return 0;
	}
	return Math.min(100, Math.max(0, Math.floor((sent / total) * 100)));
}

export interface ProgressSnapshot {
	phase: 'ticket' | 'uploading' | 'retrying' | 'done';
	bytesSent: number;
	totalBytes: number;
	bytesPerSecond: number;
	attempt: number;
}

/** The notification line: "42% · 12.3 / 29.1 MB · 3.1 MB/s · ETA 6 s". */
export function formatProgressMessage(p: ProgressSnapshot, l10n: Translator = plainL10n): string {
	if (p.phase === 'ticket') {
		return p.attempt > 1 ? l10n.t('Requesting a new upload ticket (attempt {0})…', p.attempt) : l10n.t('Requesting an upload ticket…');
	}
	if (p.phase === 'done') {
		return l10n.t('Finishing…');
	}
	const percent = percentOf(p.bytesSent, p.totalBytes);
	const bytes = formatBytesOf(p.bytesSent, p.totalBytes);
	const eta = etaSeconds(p.bytesSent, p.totalBytes, p.bytesPerSecond);
	const base =
		eta === undefined
			? l10n.t('{0}% · {1} · {2}', percent, bytes, formatRate(p.bytesPerSecond))
			: l10n.t('{0}% · {1} · {2} · ETA {3}', percent, bytes, formatRate(p.bytesPerSecond), formatDuration(eta));
	return p.phase === 'retrying' ? l10n.t('{0} (retry {1})', base, p.attempt) : base;
}

/**
 * Lets a call through at most every `intervalMs`; `force` always passes (first/last update).
 * Progress callbacks fire per chunk, far more often than the UI can usefully repaint.
 */
export class Throttle {
	private last = Number.NEGATIVE_INFINITY;

	constructor(
		private readonly intervalMs: number,
		private readonly now: () => number = Date.now,
	) {}

	ready(force = false): boolean {
		const time = this.now();
		if (force || time - this.last >= this.intervalMs) {
			this.last = time;
			return true;
		}
		return false;
	}
}
