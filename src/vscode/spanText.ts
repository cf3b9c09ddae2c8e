// Spans of time ("5 minutes", "1 day") in the window's language: the core's formatSpan (src/core/format.ts) worded
// through the translator, for every message that states one.
import type { l10n } from 'vscode';
import { spanOf, type SpanUnit } from '../core/format';
import type { Translator } from './upload/progressFormat';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

export const SPANS: Record<SpanUnit, (count: number, l10n: Translator) => string> = {
	day: (n, l10n) => (n === 1 ? l10n.t('{0} day', n) : l10n.t('{0} days', n)),
	hour: (n, l10n) => (n === 1 ? l10n.t('{0} hour', n) : l10n.t('{0} hours', n)),
	minute: (n, l10n) => (n === 1 ? l10n.t('{0} minute', n) : l10n.t('{0} minutes', n)),
	second: (n, l10n) => (n === 1 ? l10n.t('{0} second', n) : l10n.t('{0} seconds', n)),
	millisecond: (n, l10n) => (n === 1 ? l10n.t('{0} millisecond', n) : l10n.t('{0} milliseconds', n)),
};

/** 300_000 → "5 minutes": the core's formatSpan in the window's language. */
export function span(ms: number, l10n: Translator): string {
	const { count, unit } = spanOf(ms);
	return SPANS[unit](count, l10n);
}
