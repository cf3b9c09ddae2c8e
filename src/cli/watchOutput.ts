// The three faces of `watch`: a live one-screen table on a terminal, a line per change otherwise, and one JSON object
// per line with --json ({"type":"progress"|"task"|"result"}, README "watch --json"). Server text is made printable.
import { formatElapsed } from '../core/format';
import { diagnosisLine, type HaltReport, type JobProgress, type OtaJob, type TaskChange, type WatchOutcome } from '../core/lifecycle';
import { TASK_STATUSES, UNFINISHED_STATUSES } from '../core/lifecycle/types';
import { printable, terminalSafeJson } from '../core/printable';
import type { OutputStream } from './io';

export type WatchMode = 'tty' | 'plain' | 'json';

export interface WatchEnd {
	jobId: string;
	/** `stopped`: the user stopped watching (Ctrl+C); the job keeps running. */
	outcome: WatchOutcome | 'stopped';
	exitCode: number;
	progress?: JobProgress;
	job?: OtaJob;
	halt?: HaltReport;
	/** The command lines of the next steps the end offers (core watchNextSteps), with the run's connection flags. */
	nextSteps?: NextStepLines;
}

export interface NextStepLines {
	diagnose?: string;
	retry?: string;
}

export interface WatchPrinter {
	/** Task changes are shown with the progress of the refresh that found them. */
	task(change: TaskChange): void;
	progress(progress: JobProgress, job?: OtaJob): void;
	halt(report: HaltReport): void;
	end(end: WatchEnd): void;
}

const lower = (status: string): string => status.toLowerCase().replace('_', ' ');

function countsLine(p: JobProgress): string {
	const { summary, counts } = p;
	const open = UNFINISHED_STATUSES.filter((status) => counts[status] > 0).map((status) => `${counts[status]} ${lower(status)}`);
	const rate = p.perMinute === undefined ? '' : `  ${p.perMinute.toFixed(p.perMinute < 10 ? 1 : 0)}/min`;
	const eta = p.etaMs === undefined || summary.unfinished === 0 ? '' : `  ETA ${formatElapsed(p.etaMs)}`;
	return (
		`${summary.finished}/${summary.total} finished (${summary.succeeded} succeeded, ${summary.failed} failed, ${summary.canceled} canceled)` +
		`  open: ${open.length > 0 ? open.join(', ') : '0'}${rate}${eta}`
	);
}

function taskLine(change: TaskChange): string {
	const { task } = change;
	const transition = change.previous ? `${change.previous} → ${task.status}` : task.status;
	const progress = task.status === 'IN_PROGRESS' && task.progress ? `  ${task.progress} %` : '';
	const desc = task.taskDesc && !change.diagnosis?.cause.includes(task.taskDesc) ? `  "${task.taskDesc}"` : '';
	const why = change.diagnosis ? `: ${diagnosisLine(change.diagnosis)}` : '';
	return printable(`${task.deviceName} (task ${task.taskId})  ${transition}${progress}${desc}${why}`);
}

function haltLine(report: HaltReport): string {
	const strategy = report.plan.cancelStrategy ? ' and its dynamic strategy' : '';
	return `guard halted job ${report.jobId}: ${report.verdict.reason}; cancelled its unconfirmed, queued and notified tasks${strategy}`;
}

function endLine(end: WatchEnd): string {
	if (end.outcome === 'stopped') {
		return `Stopped watching job ${end.jobId}; the job keeps running.`;
	}
	const s = end.progress?.summary;
	const counts = s ? ` ${s.total} tasks: ${s.succeeded} succeeded, ${s.failed} failed, ${s.canceled} canceled.` : '';
	const verdict = { succeeded: 'every task succeeded', failed: 'not every task succeeded', halted: 'halted by the guard' }[end.outcome];
	return printable(`Job ${end.jobId} ${end.job?.jobStatus ?? ''}: ${verdict}.${counts}`);
}

/** A line per next step the end offers (after the end line). */
function nextStepText(end: WatchEnd): string {
	const { diagnose, retry } = end.nextSteps ?? {};
	const steps = [diagnose && `Diagnose it: ${diagnose}`, retry && `Retry the failed tasks: ${retry}`].filter(Boolean);
	return steps.map((step) => `${step}\n`).join('');
}

function plainPrinter(write: (text: string) => void): WatchPrinter {
	let pending: TaskChange[] = [];
	let lastElapsed = 0;
	return {
		task: (change) => void pending.push(change),
		progress(p) {
			lastElapsed = p.elapsedMs;
			const stamp = `+${formatElapsed(p.elapsedMs)}`;
			for (const change of pending) {
				write(`${stamp}  ${taskLine(change)}\n`);
			}
			pending = [];
			if (p.changed || p.refresh === 1) {
				write(`${stamp}  ${printable(p.jobStatus)}  ${countsLine(p)}\n`);
			}
		},
		halt: (report) => write(`+${formatElapsed(lastElapsed)}  ${printable(haltLine(report))}\n`),
		end: (end) => write(`${endLine(end)}\n${nextStepText(end)}`),
	};
}

function progressJson(p: JobProgress): Record<string, unknown> {
	const { summary } = p;
	return {
		jobId: p.jobId,
		jobStatus: p.jobStatus,
		total: summary.total,
		finished: summary.finished,
		succeeded: summary.succeeded,
		failed: summary.failed,
		canceled: summary.canceled,
		counts: p.counts,
		perMinute: p.perMinute === undefined ? null : Math.round(p.perMinute * 10) / 10,
		etaSeconds: p.etaMs === undefined ? null : Math.round(p.etaMs / 1000),
		elapsedSeconds: Math.round(p.elapsedMs / 1000),
	};
}

export function taskJson(change: TaskChange, jobId: string): Record<string, unknown> {
	const { task } = change;
	return {
		jobId: task.jobId ?? jobId,
		taskId: task.taskId,
		deviceName: task.deviceName,
		status: task.status,
		...(change.previous ? { previousStatus: change.previous } : {}),
		...(task.progress !== undefined ? { progress: task.progress } : {}),
		...(task.taskDesc ? { taskDesc: task.taskDesc } : {}),
		...(change.diagnosis ? { diagnosis: change.diagnosis } : {}),
	};
}

export function resultJson(end: WatchEnd): Record<string, unknown> {
	const s = end.progress?.summary;
	const guard = end.halt && {
		reason: end.halt.verdict.reason,
		failurePercent: Math.round(end.halt.verdict.failurePercent * 100) / 100,
		finished: end.halt.verdict.finished,
		failed: end.halt.verdict.failed,
		strategyCancelled: end.halt.plan.cancelStrategy,
	};
	return {
		jobId: end.jobId,
		outcome: end.outcome,
		exitCode: end.exitCode,
		jobStatus: end.job?.jobStatus ?? end.progress?.jobStatus ?? null,
		...(s ? { total: s.total, succeeded: s.succeeded, failed: s.failed, canceled: s.canceled } : {}),
		...(guard ? { guard } : {}),
		...(end.nextSteps && Object.keys(end.nextSteps).length > 0 ? { nextSteps: end.nextSteps } : {}),
	};
}

function jsonPrinter(write: (text: string) => void): WatchPrinter {
	// Unsafe characters escaped, so the output boundary has nothing to replace and server text arrives exactly.
	const line = (value: Record<string, unknown>): void => write(`${terminalSafeJson(value)}\n`);
	let jobId = '';
	let pending: TaskChange[] = [];
	return {
		task: (change) => void pending.push(change),
		progress(p) {
			jobId = p.jobId;
			pending.forEach((change) => line({ type: 'task', ...taskJson(change, jobId) }));
			pending = [];
			if (p.changed || p.refresh === 1) {
				line({ type: 'progress', ...progressJson(p) });
			}
		},
		halt: () => undefined, // in the result line
		end: (end) => line({ type: 'result', ...resultJson(end) }),
	};
}

const AUTOWRAP_OFF = '\x1b[?7l';
const AUTOWRAP_ON = '\x1b[?7h';
const BAR = 30;
const RECENT_FAILURES = 5;

function ttyPrinter(stream: OutputStream, write: (text: string) => void, control: (sequence: string) => void): WatchPrinter {
	let drawnLines = 0;
	let last: JobProgress | undefined;
	let job: OtaJob | undefined;
	let halted: HaltReport | undefined;
	const failures: TaskChange[] = [];
	const draw = (footer: string): void => {
		if (!last) {
			write(`${footer}\n`);
			return;
		}
		const p = last;
		const width = Math.max(40, (stream.columns ?? 100) - 1);
		const kind = [job?.jobType, job?.targetSelection, job?.grayPercent ? `${job.grayPercent} %` : undefined].filter(Boolean).join(' ');
		const lines = [`Job ${p.jobId}  ${p.jobStatus}${kind ? `  (${kind})` : ''}  elapsed ${formatElapsed(p.elapsedMs)}`];
		for (const status of TASK_STATUSES) {
			const n = p.counts[status];
			const filled = p.summary.total > 0 ? Math.round((n / p.summary.total) * BAR) : 0;
			lines.push(`  ${status.padEnd(12)} ${String(n).padStart(7)}  ${'█'.repeat(filled)}${'░'.repeat(BAR - filled)}`);
		}
		lines.push(`  ${countsLine(p)}`);
		if (halted) {
			lines.push(`  ${haltLine(halted)}`);
		}
		if (failures.length > 0) {
			lines.push('Newest failures:', ...failures.map((change) => `  ${taskLine(change)}`));
		}
		lines.push(footer);
		// Each line is one row: cut to the width in code points (never half a character), and drawn with autowrap off
		// (DECAWM) so that wide characters (CJK: two columns each) are clipped by the terminal instead of wrapping,
		// which would leave rows the next redraw does not move up over.
		const frame = lines.map((text) => Array.from(printable(text)).slice(0, width).join(''));
		if (drawnLines > 0) {
			control(`\x1b[${drawnLines}F\x1b[J`);
		}
		control(AUTOWRAP_OFF);
		write(`${frame.join('\n')}\n`);
		control(AUTOWRAP_ON);
		drawnLines = frame.length;
	};
	return {
		task(change) {
			if (change.task.status === 'FAILED') {
				failures.unshift(change);
				failures.length = Math.min(failures.length, RECENT_FAILURES);
			}
		},
		progress(p, currentJob) {
			last = p;
			job = currentJob ?? job;
			draw('Ctrl+C stops watching; the job keeps running.');
		},
		halt(report) {
			halted = report;
		},
		end(end) {
			draw(endLine(end));
			write(nextStepText(end));
		},
	};
}

/** `write` takes text (made printable on the way out), `control` the redraw's own escape sequences (default: `write`). */
export function createWatchPrinter(
	mode: WatchMode,
	stream: OutputStream,
	write: (text: string) => void,
	control: (sequence: string) => void = write,
): WatchPrinter {
	switch (mode) {
		case 'json':
			return jsonPrinter(write);
		case 'tty':
			return ttyPrinter(stream, write, control);
		default:
			return plainPrinter(write);
	}
}
