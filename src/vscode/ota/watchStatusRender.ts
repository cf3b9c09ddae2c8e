// The watch status-bar item, rendered from the watches (pure: no vscode import at run time, see presentation.ts).
// "OTA 640/1,000 ✓ · 3 ✗" for one job; "OTA 2 jobs · 1,280/2,000 ✓ · 3 ✗" for several; the last result for a while.
import type { l10n } from 'vscode';
import type { CountSummary } from '../../core/lifecycle';
import type { Translator } from '../upload/progressFormat';
import { escapeMarkdown, formatCount, markdownCode } from '../../core/format';
import type { WatchSnapshot } from './contract';
import { countsText, jobDescription, jobTypeLabel } from './presentation';

export interface WatchStatusCommands {
	reveal: string;
	failures: string;
	stop: string;
}

export interface WatchStatusView {
	visible: boolean;
	text: string;
	/** Markdown with command links to the ids of WatchStatusCommands. */
	tooltip: string;
	/** What a click runs. */
	command?: { id: string; arg?: { jobId: string } };
	background?: 'error' | 'warning';
}

/** Compile-time check that vscode.l10n is a Translator. */
export type VscodeL10nFits = typeof l10n extends Translator ? true : never;

function sum(summaries: CountSummary[]): CountSummary {
	const total: CountSummary = { total: 0, succeeded: 0, failed: 0, canceled: 0, finished: 0, unfinished: 0 };
	for (const s of summaries) {
		for (const key of Object.keys(total) as Array<keyof CountSummary>) {
			total[key] += s[key];
		}
	}
	return total;
}

/** A command link with its JSON arguments, as MarkdownString command links take them. */
export function commandLink(id: string, arg: unknown): string {
	const encoded = encodeURIComponent(JSON.stringify([arg]))
		.replace(/\(/g, '%28')
		.replace(/\)/g, '%29');
	return `command:${id}?${encoded}`;
}

/** What the watch is doing (its job's status and counts while it polls). */
function watchState(snapshot: WatchSnapshot, l10n: Translator, locale: string): string {
	switch (snapshot.phase) {
		case 'paused':
			return l10n.t('paused while the window is in the background');
		case 'waiting':
			return l10n.t('waiting until the Local Sandbox is started');
		case 'retrying':
			return l10n.t('retrying: {0}', snapshot.error ?? '');
		default:
			return snapshot.job ? jobDescription(snapshot.job, snapshot.progress, undefined, l10n, locale) : l10n.t('starting…');
	}
}

function tooltipLine(snapshot: WatchSnapshot, c: WatchStatusCommands, l10n: Translator, locale: string): string {
	const { jobId } = snapshot.watched;
	const type = snapshot.job ? jobTypeLabel(snapshot.job, l10n) : l10n.t('Job');
	const state = watchState(snapshot, l10n, locale);
	const rate =
		snapshot.progress?.perMinute !== undefined && snapshot.progress.summary.unfinished > 0
			? ` · ${l10n.t('{0}/min', formatCount(Math.round(snapshot.progress.perMinute), locale))}`
			: '';
	const links = [
		`[${l10n.t('Show')}](${commandLink(c.reveal, { jobId })})`,
		`[${l10n.t('Stop Watching')}](${commandLink(c.stop, { jobId })})`,
	];
	if ((snapshot.progress?.summary.failed ?? 0) > 0) {
		links.splice(1, 0, `[${l10n.t('Show Failures')}](${commandLink(c.failures, { jobId })})`);
	}
	return `**${escapeMarkdown(type)}** ${markdownCode(jobId)} — ${escapeMarkdown(state)}${escapeMarkdown(rate)}  \n${links.join(' · ')}`;
}

/**
 * `watches`: the watched jobs; `ended`: the last job that ended, while it is still shown (hidden otherwise).
 */
export function renderWatchStatus(
	watches: readonly WatchSnapshot[],
	ended: WatchSnapshot | undefined,
	c: WatchStatusCommands,
	l10n: Translator,
	locale: string,
): WatchStatusView {
	if (watches.length === 0) {
		if (!ended?.progress) {
			return { visible: false, text: '', tooltip: '' };
		}
		const { summary } = ended.progress;
		const ok = summary.failed === 0 && summary.canceled === 0;
		const { jobId } = ended.watched;
		return {
			visible: true,
			text: `$(${ok ? 'pass' : 'error'}) OTA ${countsText(summary, locale)}`,
			tooltip: `${l10n.t('Job {0} ended.', markdownCode(jobId))}\n\n${tooltipLine(ended, c, l10n, locale)}`,
			command: { id: summary.failed > 0 ? c.failures : c.reveal, arg: { jobId } },
			background: summary.failed > 0 ? 'error' : undefined,
		};
	}
	const summaries = watches.flatMap((w) => (w.progress ? [w.progress.summary] : []));
	const counts = summaries.length > 0 ? countsText(sum(summaries), locale) : '…';
	const icon = watches.some((w) => w.phase === 'retrying')
		? 'warning'
		: watches.every((w) => w.phase === 'paused' || w.phase === 'waiting')
			? 'debug-pause'
			: 'eye';
	const jobs = watches.length > 1 ? `${l10n.t('{0} jobs', watches.length)} · ` : '';
	const header = watches.length > 1 ? `${l10n.t('Watching {0} OTA jobs', watches.length)}\n\n` : '';
	return {
		visible: true,
		text: `$(${icon}) OTA ${jobs}${counts}`,
		tooltip: header + watches.map((w) => tooltipLine(w, c, l10n, locale)).join('\n\n'),
		command: watches.length === 1 ? { id: c.reveal, arg: { jobId: watches[0].watched.jobId } } : { id: c.reveal },
		background: icon === 'warning' ? 'warning' : undefined,
	};
}
