// The notifications of live watching: when a watched job ends (with "Show Failures" when some failed), when the
// guard halts it, and when a watch is given up (the job or the profile's credentials are gone). The texts
// (watchMessages.ts, which uses the core) load with the first one; the buttons run the reveal commands.
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Prompter } from '../ui/prompter';
import { PromptIds } from '../ui/prompter';
import type { JobWatches, WatchEvent } from './contract';

export function notifyWatchOutcomes(watches: JobWatches, prompter: Prompter): vscode.Disposable {
	return watches.onDidChange(async (event: WatchEvent) => {
		if (event.type !== 'ended' && event.type !== 'halted') {
			return;
		}
		const { abandonMessage, endMessage, haltMessage } = await import('./watchMessages.js');
		const { jobId } = event.snapshot.watched;
		if (event.type === 'ended' && !event.snapshot.outcome) {
			void prompter.message(PromptIds.otaWatchAbandoned, 'warning', abandonMessage(event.snapshot, vscode.l10n), {});
			return;
		}
		const showFailures = vscode.l10n.t('Show Failures');
		const showJob = vscode.l10n.t('Show Job');
		const failed = (event.snapshot.progress?.summary.failed ?? 0) > 0;
		const actions = failed || event.type === 'halted' ? [showFailures, showJob] : [showJob];
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
						failed ? 'warning' : 'info',
						endMessage(event.snapshot, vscode.l10n, vscode.env.language),
						{},
						...actions,
					);
		void message.then((choice) => {
			if (choice === showFailures) {
				void vscode.commands.executeCommand(Commands.showJobFailures, { jobId });
			} else if (choice === showJob) {
				void vscode.commands.executeCommand(Commands.revealJob, { jobId });
			}
		});
	});
}
