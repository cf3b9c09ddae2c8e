// The notifications of live watching: when a watched job ends (with "Show Failures", "Diagnose" and "Retry Failed"
// when it did not end well: the core's watchNextSteps, the rule `iot-ota watch` follows too), when the guard halts it,
// and when a watch is given up (the job or the profile's credentials are gone: one notice for all the watches of a
// profile). The texts (watchMessages.ts, which uses the core) load with the first one; the buttons run the reveal,
// Diagnose and Retry Failed commands on the job, where the watch polled it.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Prompter } from '../ui/prompter';
import { PromptIds } from '../ui/prompter';
import type { JobWatches, WatchEvent, WatchGiveUp } from './contract';
import { placeOf } from './watchRules';

export function notifyWatchOutcomes(watches: JobWatches, prompter: Prompter): vscode.Disposable {
	const givenUp = watches.onDidGiveUp(async (giveUp: WatchGiveUp) => {
		const { abandonMessage } = await import('./watchMessages.js');
		void prompter.message(PromptIds.otaWatchAbandoned, 'warning', abandonMessage(giveUp, vscode.l10n, vscode.env.language), {});
	});
	const ended = watches.onDidChange(async (event: WatchEvent) => {
		// An end without outcome is a watch given up: onDidGiveUp tells it (one notice for a profile's watches).
		if ((event.type !== 'ended' && event.type !== 'halted') || (event.type === 'ended' && !event.snapshot.outcome)) {
			return;
		}
		const [{ endMessage, haltMessage }, { watchNextSteps }] = await Promise.all([
			import('./watchMessages.js'),
			import('../../core/lifecycle/nextSteps.js'),
		]);
		const { watched } = event.snapshot;
		const { jobId, productKey, firmwareId } = watched;
		// The watch is forgotten once it ended: the buttons carry where its job is (its row, when the view lists several).
		const place = placeOf(watched);
		const target = { jobId, productKey, firmwareId, ...(place ? { place } : {}) };
		const showFailures = vscode.l10n.t('Show Failures');
		const showJob = vscode.l10n.t('Show Job');
		const diagnose = vscode.l10n.t('Diagnose');
		const retry = vscode.l10n.t('Retry Failed');
		const failed = event.snapshot.progress?.summary.failed ?? 0;
		const steps = watchNextSteps(event.type === 'halted' ? 'halted' : event.snapshot.outcome, failed, event.snapshot);
		// The buttons in the order shown: the failures, what to do about them, then the job.
		const commands = new Map<string, string>([
			...(steps.diagnose ? [[showFailures, Commands.showJobFailures] as const] : []),
			...(steps.diagnose ? [[diagnose, Commands.diagnose] as const] : []),
			...(steps.retry ? [[retry, Commands.retryFailed] as const] : []),
			[showJob, Commands.revealJob],
		]);
		const actions = [...commands.keys()];
		const message =
			event.type === 'halted'
				? prompter.message(
						PromptIds.otaJobHalted,
						'warning',
						haltMessage(event.snapshot, vscode.l10n, vscode.env.language),
						{},
						...actions,
					)
				: prompter.message(
						PromptIds.otaJobEnded,
						failed > 0 ? 'warning' : 'info',
						endMessage(event.snapshot, vscode.l10n, vscode.env.language),
						{},
						...actions,
					);
		void message.then((choice) => {
			const command = choice === undefined ? undefined : commands.get(choice);
			if (command) {
				void vscode.commands.executeCommand(command, target);
			}
		});
	});
	return vscode.Disposable.from(givenUp, ended);
}
