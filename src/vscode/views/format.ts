// Locale-aware dates and times for the views (pure: the locale comes from the caller, e.g. vscode.env.language).
// Sizes, counts, key ids and Markdown escaping are in core/format.ts.
import { safeLocale } from '../../core/format';

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
