// The one formatter for each kind of value the CLI, the extension and the log lines show. Pure; without a locale
// nothing here touches Intl, so module-load-time callers (messages built at activation) pay no ICU start-up.
import { REGISTER_WINDOW_MS } from './otaFacts';

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

/** A usable BCP 47 tag for Intl ('en' when the given one is not). */
export function safeLocale(locale: string): string {
	try {
		return Intl.getCanonicalLocales(locale)[0] ?? 'en';
	} catch {
		return 'en';
	}
}

function groupThousands(digits: string): string {
	return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `value` with exactly `decimals` decimals, grouped: English without a locale, else the locale's way. */
function formatNumber(value: number, decimals: number, locale?: string): string {
	if (locale !== undefined) {
		const options = { minimumFractionDigits: decimals, maximumFractionDigits: decimals };
		return new Intl.NumberFormat(safeLocale(locale), options).format(value);
	}
	const [whole, fraction] = value.toFixed(decimals).split('.');
	return fraction === undefined ? groupThousands(whole) : `${groupThousands(whole)}.${fraction}`;
}

/** 1048576000 → "1,048,576,000". */
export function formatCount(value: number, locale?: string): string {
	return formatNumber(value, 0, locale);
}

function unitFor(bytes: number): number {
	let unit = 0;
	for (let value = Math.abs(bytes); value >= 1024 && unit < UNITS.length - 1; value /= 1024) {
		unit++;
	}
	return unit;
}

function scaled(bytes: number, unit: number, locale?: string): string {
	const value = bytes / 1024 ** unit;
	return formatNumber(value, unit > 0 && value < 100 ? 1 : 0, locale);
}

/** Binary multiples, one decimal below 100 units: 1536 → "1.5 KB", 30_500_000 → "29.1 MB", 1_048_576_000 → "1,000 MB". */
export function formatBytes(bytes: number, locale?: string): string {
	if (!Number.isFinite(bytes) || bytes < 0) {
		return '?';
	}
	const unit = unitFor(bytes);
	return `${scaled(bytes, unit, locale)} ${UNITS[unit]}`;
}

/** "12.3 / 29.1 MB": both numbers in the unit of the total. */
export function formatBytesOf(sent: number, total: number, locale?: string): string {
	const unit = unitFor(total);
	return `${scaled(Math.max(0, sent), unit, locale)} / ${scaled(total, unit, locale)} ${UNITS[unit]}`;
}

/** "3.1 MB/s". */
export function formatRate(bytesPerSecond: number, locale?: string): string {
	return `${formatBytes(Math.max(0, bytesPerSecond), locale)}/s`;
}

/** Seconds left at the current rate; undefined when it cannot be estimated. */
export function etaSeconds(sent: number, total: number, bytesPerSecond: number): number | undefined {
	if (!(bytesPerSecond > 0) || total <= 0 || sent >= total) {
		return undefined;
	}
	return Math.ceil((total - sent) / bytesPerSecond);
}

/** Whole percent, 0–100. */
export function percentOf(sent: number, total: number): number {
	if (total <= 0) {
		return 0;
	}
	return Math.min(100, Math.max(0, Math.floor((sent / total) * 100)));
}

/** A measured time, rounded: 850 → "850 ms", 1500 → "1.5 s", 42_000 → "42 s", 125_000 → "2 min 5 s", 3_725_000 → "1 h 2 min". */
export function formatDuration(ms: number): string {
	const safe = Math.max(0, Number.isFinite(ms) ? ms : 0);
	if (safe < 1000) {
		return `${Math.round(safe)} ms`;
	}
	if (safe < 10_000) {
		return `${Number((safe / 1000).toFixed(1))} s`;
	}
	const s = Math.round(safe / 1000);
	if (s < 60) {
		return `${s} s`;
	}
	if (s < 3600) {
		return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
	}
	const minutes = Math.floor((s % 3600) / 60);
	return minutes ? `${Math.floor(s / 3600)} h ${minutes} min` : `${s / 3600} h`;
}

const SPAN_UNITS = [
	['day', 86_400_000],
	['hour', 3_600_000],
	['minute', 60_000],
	['second', 1000],
	['millisecond', 1],
] as const;

export type SpanUnit = (typeof SPAN_UNITS)[number][0];

/**
 * 300_000 → 5 minutes, 3_600_000 → 1 hour, 604_800_000 → 7 days, 15_000 → 15 seconds: the largest whole unit, or
 * `unit` when the span is a whole number of it (3_600_000 in minutes → 60 minutes).
 */
export function spanOf(ms: number, unit?: SpanUnit): { count: number; unit: SpanUnit } {
	const whole = Math.max(0, Math.round(Number.isFinite(ms) ? ms : 0));
	const fits = ([, size]: (typeof SPAN_UNITS)[number]) => whole % size === 0 && whole >= size;
	const asked = SPAN_UNITS.find(([name]) => name === unit);
	const [found, size] = asked && fits(asked) ? asked : (SPAN_UNITS.find(fits) ?? ['millisecond', 1]);
	return { count: whole / size, unit: found };
}

function spanWords({ count, unit }: { count: number; unit: SpanUnit }): string {
	return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/**
 * A span that a rule, limit or setting states, in words: "5 minutes", "1 hour", "7 days", "15 seconds" (exact, in
 * its largest whole unit, or in `unit`). Every help text and message that names such a span words it here; a measured
 * time (an upload's, an ETA) is formatDuration's.
 */
export function formatSpan(ms: number, unit?: SpanUnit): string {
	return spanWords(spanOf(ms, unit));
}

/**
 * The registration window (docs/protocols.md §4.1) as every message states it: in minutes, as the platform's documents
 * do ("60 minutes", where formatSpan alone says "1 hour"). The extension words REGISTER_WINDOW_SPAN in its language.
 */
export const REGISTER_WINDOW_SPAN = spanOf(REGISTER_WINDOW_MS, 'minute');
export const REGISTER_WINDOW_TEXT = spanWords(REGISTER_WINDOW_SPAN);

/** Compact elapsed time for aligned columns of long-running output (a job watch): "5s", "1m05s", "1h03m". */
export function formatElapsed(ms: number): string {
	const s = Math.max(0, Math.round(ms / 1000));
	if (s < 60) {
		return `${s}s`;
	}
	if (s < 3600) {
		return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
	}
	return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** "12 %", "12.5 %": a share with at most one decimal. */
export function formatPercent(value: number): string {
	return `${Number.isInteger(value) ? value : value.toFixed(1)} %`;
}

/** "LTAI****wxyz": an AccessKey ID is not a secret, but there is no reason to show it whole. */
export function maskAccessKeyId(accessKeyId: string): string {
	return accessKeyId.length <= 8 ? '****' : `${accessKeyId.slice(0, 4)}****${accessKeyId.slice(-4)}`;
}

/**
 * Escapes text for Markdown (tooltips, hovers), including `$(` so names never render as icons, `&` so no character
 * reference (`&#x202E;`) renders as a character the sanitiser would have removed, and `=` (a setext heading's rule).
 */
export function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&=]/g, '\\$&').replace(/\$/g, '\\$');
}

/** `text` as a Markdown code span: a code span takes no escape, so a backtick (which would end it) shows as "?". */
export function markdownCode(text: string): string {
	return `\`${text.replace(/`/g, '?')}\``;
}

/**
 * Escapes text for Markdown that is read as source (a report in an editor): only what could form emphasis, code, links
 * or HTML (a character reference too, while a mere `R&D` stays as it reads), and line breaks become spaces, so `1.0.0`
 * stays `1.0.0` where escapeMarkdown would write `1\.0\.0`.
 */
export function escapeMarkdownSource(text: string): string {
	return text.replace(/[\\`*_[\]<>]|&(?=#?[A-Za-z0-9]+;)/g, '\\$&').replace(/\r?\n/g, ' ');
}
