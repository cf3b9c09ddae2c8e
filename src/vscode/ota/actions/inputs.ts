// Typed text of the OTA actions' inputs → values. Only the format is checked here; ranges and combinations are the
// core's rules (src/core/lifecycle/rules.ts), whose message a step shows in the window's language (validationText). Pure: `l10n` is vscode.l10n in the extension.
import type { l10n } from 'vscode';
import { OtaError } from '../../../core/errors';
import type { Translator } from '../../upload/progressFormat';
import { validationText } from '../../validationText';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

/** The message of the core validation error `check` throws, worded by its reason; undefined when it passes. */
export function problemOf(check: () => unknown, l10n: Translator): string | undefined {
	try {
		check();
		return undefined;
	} catch (error) {
		if (error instanceof OtaError && error.source === 'validation') {
			return validationText(error, l10n);
		}
		throw error;
	}
}

/** "" → undefined; "30" → 30; anything else NaN (minutesProblem says why). */
export function parseMinutes(text: string): number | undefined {
	const trimmed = text.trim();
	return trimmed === '' ? undefined : /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

export function numberProblem(text: string, l10n: Translator): string | undefined {
	return Number.isNaN(parseMinutes(text)) ? l10n.t('Enter a whole number, or leave it empty.') : undefined;
}

/** "a, b c" → ['a', 'b', 'c']: names separated by commas or spaces; empty entries dropped. */
export function parseList(text: string): string[] {
	return text
		.split(/[\s,]+/)
		.map((item) => item.trim())
		.filter((item) => item !== '');
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/;
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** "" → undefined; "2026-05-01 02:00" (this computer's time zone) or ISO 8601 with a zone → epoch ms; else NaN. */
export function parseTime(text: string): number | undefined {
	const trimmed = text.trim();
	if (trimmed === '') {
		return undefined;
	}
	const local = LOCAL_TIME.exec(trimmed);
	if (local) {
		const [year, month, day, hour, minute] = local.slice(1).map(Number);
		const date = new Date(year, month - 1, day, hour, minute);
		return date.getMonth() === month - 1 && date.getDate() === day ? date.getTime() : Number.NaN;
	}
	return ZONED_TIME.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
}

export function timeProblem(text: string, l10n: Translator): string | undefined {
	return Number.isNaN(parseTime(text))
		? l10n.t('Enter a date and time as 2026-05-01 02:00 (your time zone), or leave it empty.')
		: undefined;
}

/** "2026-05-01 02:00" in this computer's time zone, the format parseTime reads. */
export function localTimeText(ms: number): string {
	const date = new Date(ms);
	const two = (value: number) => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
