// Locale-aware formatting for the views (pure: the locale comes from the caller, e.g. vscode.env.language).

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

function safeLocale(locale: string): string {
	try {
		return Intl.getCanonicalLocales(locale)[0] ?? 'en';
	} catch {
		return 'en';
	}
}

/** 1024-based size with one decimal below 10 units: "17 B", "48 KB", "1.2 MB". */
export function formatBytes(bytes: number, locale = 'en'): string {
	if (!Number.isFinite(bytes) || bytes < 0) {
		return '?';
	}
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < UNITS.length - 1) {
		value /= 1024;
		unit++;
	}
	const digits = unit > 0 && value < 10 ? 1 : 0;
	const number = new Intl.NumberFormat(safeLocale(locale), { maximumFractionDigits: digits }).format(value);
	return `${number} ${UNITS[unit]}`;
}

/** "1,048,576" / "1,048,576" in the UI language's grouping. */
export function formatCount(value: number, locale = 'en'): string {
	return new Intl.NumberFormat(safeLocale(locale)).format(value);
}

const STEPS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
	['second', 60],
	['minute', 60],
	['hour', 24],
	['day', 7],
	['week', 4.35],
	['month', 12],
	['year', Number.POSITIVE_INFINITY],
];

/** "now", "3 min. ago", "in 2 hr." (short style, in the UI language). Under 45 s counts as now. */
export function formatRelativeTime(thenMs: number, nowMs: number, locale = 'en'): string {
	const format = new Intl.RelativeTimeFormat(safeLocale(locale), { numeric: 'auto', style: 'short' });
	const deltaSeconds = (thenMs - nowMs) / 1000;
	if (Math.abs(deltaSeconds) < 45) {
		return format.format(0, 'second');
	}
	let value = deltaSeconds;
	for (const [unit, size] of STEPS) {
		if (Math.abs(value) < size) {
			return format.format(Math.round(value), unit);
		}
		value /= size;
	}
	return format.format(Math.round(value), 'year');
}

/** Full local date and time for tooltips. */
export function formatDateTime(ms: number, locale = 'en'): string {
	return new Intl.DateTimeFormat(safeLocale(locale), { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(ms));
}

/** First characters of a hash for one-line display; the tooltip carries the full value. */
export function shortHash(hex: string, length = 8): string {
	return hex.length > length ? hex.slice(0, length) : hex;
}

/** "LTAI…wxyz": an AccessKey ID is not a secret, but there is no reason to show it whole. */
export function maskAccessKeyId(accessKeyId: string): string {
	if (accessKeyId.length <= 8) {
		return '…';
	}
	return `${accessKeyId.slice(0, 4)}…${accessKeyId.slice(-4)}`;
}

/** Escapes text for a MarkdownString (tooltips), including `$(` so file names never render as icons. */
export function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\$/g, '\\$');
}
