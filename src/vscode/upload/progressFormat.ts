// Pure formatting of upload progress: unit-tested in plain Node (vscode is imported for its types only).
import type * as vscode from 'vscode';
import { etaSeconds, formatBytesOf, formatDuration, formatRate, percentOf } from '../../core/format';

/**
 * What renders sentences: `vscode.l10n` in the extension, `plainL10n` for English (unit tests, the log line). A file
 * whose `l10n.t` calls use it imports vscode's types, which is also what lets `@vscode/l10n-dev export` find those calls
 * (test/unit/vscode-views/l10n.test.ts).
 */
export type Translator = Pick<typeof vscode.l10n, 't'>;

/** Plain `{0}` substitution: the English of a sentence (the log line of errorText.ts, unit tests). */
export const plainL10n: Translator = {
	t: (message: string | { message: string }, ...args: unknown[]): string =>
		(typeof message === 'string' ? message : message.message).replace(/\{(\d+)\}/g, (match, index: string) =>
			Number(index) < args.length ? String(args[Number(index)]) : match,
		),
};

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
			: l10n.t('{0}% · {1} · {2} · ETA {3}', percent, bytes, formatRate(p.bytesPerSecond), formatDuration(eta * 1000));
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
