// The texts of the watch notifications (pure; the type-only `l10n` import lets `@vscode/l10n-dev export` find them).
import type { l10n } from 'vscode';
import type { Translator } from '../upload/progressFormat';
import { formatCount, formatPercent } from '../../core/format';
import type { WatchGiveUp, WatchSnapshot } from './contract';
import { jobTypeLabel } from './presentation';

/** Compile-time check that vscode.l10n is a Translator. */
export type VscodeL10nFits = typeof l10n extends Translator ? true : never;

function jobName(snapshot: WatchSnapshot, l10n: Translator): string {
	return `${snapshot.job ? jobTypeLabel(snapshot.job, l10n) : l10n.t('Job')} ${snapshot.watched.jobId}`;
}

/** "Rollout to all devices j1 finished: all 1,000 tasks succeeded." / "… ended: 997 of 1,000 tasks succeeded, 3 failed, 0 canceled." */
export function endMessage(snapshot: WatchSnapshot, l10n: Translator, locale: string): string {
	const summary = snapshot.progress?.summary;
	const name = jobName(snapshot, l10n);
	if (!summary || summary.total === 0) {
		return l10n.t('{0} ended without tasks.', name);
	}
	const n = (value: number) => formatCount(value, locale);
	if (snapshot.outcome === 'succeeded') {
		return l10n.t('{0} finished: all {1} tasks succeeded.', name, n(summary.total));
	}
	return l10n.t(
		'{0} ended: {1} of {2} tasks succeeded, {3} failed, {4} canceled.',
		name,
		n(summary.succeeded),
		n(summary.total),
		n(summary.failed),
		n(summary.canceled),
	);
}

/**
 * "Stopped watching Rollout to all devices j1: <why>" (the job is gone, the profile has no credentials), or for several
 * watches of a profile gone from this machine: "Stopped 3 watches of profile "p": it has no credentials on this machine."
 * (or of the Local Sandbox the user stopped: "Stopped 3 watches of the Local sandbox: it was stopped.").
 */
export function abandonMessage({ snapshots, profile, sandboxStopped }: WatchGiveUp, l10n: Translator, locale: string): string {
	if (sandboxStopped && snapshots.length > 1) {
		return l10n.t('Stopped {0} watches of the Local sandbox: it was stopped.', formatCount(snapshots.length, locale));
	}
	if (profile !== undefined && snapshots.length > 1) {
		return l10n.t(
			'Stopped {0} watches of profile "{1}": it has no credentials on this machine.',
			formatCount(snapshots.length, locale),
			profile,
		);
	}
	return l10n.t('Stopped watching {0}: {1}', jobName(snapshots[0], l10n), snapshots[0].error ?? '?');
}

/** "The guard halted …: 3 of 12 finished tasks failed (25 % ≥ 5 %). …" */
export function haltMessage(snapshot: WatchSnapshot, l10n: Translator, locale: string): string {
	const verdict = snapshot.halt?.verdict;
	const name = jobName(snapshot, l10n);
	if (!verdict) {
		return l10n.t('The guard halted {0}.', name);
	}
	const threshold = snapshot.watched.guard ? formatPercent(snapshot.watched.guard.failurePercent) : '?';
	return l10n.t(
		'The guard halted {0}: {1} of {2} finished tasks failed ({3} ≥ {4}). Tasks that had not started were cancelled; those in progress run to their end.',
		name,
		formatCount(verdict.failed, locale),
		formatCount(verdict.finished, locale),
		formatPercent(verdict.failurePercent),
		threshold,
	);
}
