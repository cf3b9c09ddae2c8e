// Upload's own progress notification: the one prompt shown around the Prompter (it reports increments, which the
// Prompter's progress does not), so its title and messages are made printable and inert here (the lint rule on
// window sinks names this exception). It also feeds the Uploads view, the history row and the status bar.
import * as vscode from 'vscode';
import { percentOf } from '../../core/format';
import { inertMessage } from '../../core/printable';
import type { UploadProgress, UploadResult } from '../../core/types';
import type { Services } from '../commands/services';
import { formatProgressMessage, Throttle } from './progressFormat';

/** Runs `work` under the "Uploading {file}" notification; its Cancel aborts `controller` (reason 'user'). */
export async function withUploadProgress(
	s: Services,
	entryId: string,
	fileName: string,
	controller: AbortController,
	work: (onProgress: (p: UploadProgress) => void) => Promise<UploadResult>,
): Promise<UploadResult> {
	// The one notification shown around the Prompter (it reports increments): its text made printable here.
	const title = inertMessage(vscode.l10n.t('Uploading {0}', fileName));
	// eslint-disable-next-line no-restricted-syntax -- its title and messages are made printable here
	return vscode.window.withProgress(
		{ location: vscode.ProgressLocation.Notification, title, cancellable: true },
		async (progress, token) => {
			const subscription = token.onCancellationRequested(() => controller.abort('user'));
			const throttle = new Throttle(250);
			let shownPercent = 0;
			let lastPhase: UploadProgress['phase'] | undefined;
			const onProgress = (p: UploadProgress) => {
				s.uploads.report(p);
				s.history.setProgress(entryId, p.bytesSent, p.totalBytes);
				s.statusBar.update({ kind: 'uploading', fileName, ...p });
				const phaseChanged = p.phase !== lastPhase;
				lastPhase = p.phase;
				if (!throttle.ready(phaseChanged)) {
					return;
				}
				const percent = p.phase === 'uploading' || p.phase === 'retrying' ? percentOf(p.bytesSent, p.totalBytes) : shownPercent;
				progress.report({
					increment: Math.max(0, percent - shownPercent),
					message: inertMessage(formatProgressMessage(p, vscode.l10n)),
				});
				shownPercent = Math.max(shownPercent, percent);
			};
			try {
				return await work(onProgress);
			} finally {
				subscription.dispose();
			}
		},
	);
}
