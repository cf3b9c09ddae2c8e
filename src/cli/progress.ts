import { etaSeconds, formatBytesOf, formatDuration, formatRate, percentOf } from '../core/format';
import type { UploadProgress } from '../core/types';
import type { OutputStream } from './io';

export interface ProgressReporter {
	update(progress: UploadProgress): void;
	/** Ends the bar (a TTY gets its final state and a newline). */
	finish(): void;
}

const TTY_INTERVAL_MS = 100;
const PLAIN_INTERVAL_MS = 2000;
const BAR_WIDTH = 24;

/** "42%  1.7 / 4.0 MB  3.2 MB/s  ETA 1 s" */
export function describeProgress(p: UploadProgress): string {
	const percent = percentOf(p.bytesSent, p.totalBytes);
	const rate = p.bytesPerSecond > 0 ? formatRate(p.bytesPerSecond) : '--';
	const eta = etaSeconds(p.bytesSent, p.totalBytes, p.bytesPerSecond);
	const retry = p.attempt > 1 ? `  (attempt ${p.attempt})` : '';
	return `${String(percent).padStart(3)}%  ${formatBytesOf(p.bytesSent, p.totalBytes)}  ${rate}  ETA ${eta === undefined ? '--' : formatDuration(eta * 1000)}${retry}`;
}

/**
 * A redrawn bar on a TTY (≤ 10 redraws per second), otherwise a plain line every few seconds
 * and on retries, so logs of CI runs stay short.
 */
export function createProgressReporter(stream: OutputStream, now: () => number = Date.now): ProgressReporter {
	return stream.isTTY ? ttyReporter(stream, now) : plainReporter(stream, now);
}

function ttyReporter(stream: OutputStream, now: () => number): ProgressReporter {
	let lastDraw = 0;
	let pending: UploadProgress | undefined;
	let drawn = false;
	const draw = (p: UploadProgress): void => {
		const fraction = p.totalBytes > 0 ? Math.min(1, p.bytesSent / p.totalBytes) : 0;
		const filled = Math.round(fraction * BAR_WIDTH);
		const label = p.phase === 'retrying' ? 'retrying' : p.phase === 'ticket' ? 'ticket' : 'upload';
		stream.write(`\r${label.padEnd(8)} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${describeProgress(p)}\x1b[K`);
		drawn = true;
	};
	return {
		update(p) {
			const t = now();
			if (t - lastDraw >= TTY_INTERVAL_MS || p.phase === 'done') {
				lastDraw = t;
				pending = undefined;
				draw(p);
			} else {
				pending = p;
			}
		},
		finish() {
			// The state skipped by the throttle is the latest one: show it before leaving the line.
			if (pending) {
				draw(pending);
				pending = undefined;
			}
			if (drawn) {
				stream.write('\n');
			}
		},
	};
}

function plainReporter(stream: OutputStream, now: () => number): ProgressReporter {
	let lastLine = now();
	let lastAttempt = 1;
	return {
		update(p) {
			const t = now();
			const retried = p.attempt !== lastAttempt;
			if (retried) {
				lastAttempt = p.attempt;
				stream.write(`upload: retrying (attempt ${p.attempt})\n`);
				lastLine = t;
				return;
			}
			if (p.phase === 'uploading' && t - lastLine >= PLAIN_INTERVAL_MS) {
				lastLine = t;
				stream.write(`upload: ${describeProgress(p).trim()}\n`);
			}
		},
		finish() {
			// The summary on stdout says how it ended.
		},
	};
}
