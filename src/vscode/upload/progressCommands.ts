import * as vscode from 'vscode';
import { cancelledError } from '../../core/errors';
import { entryFromArg } from '../commands/args';
import type { Services } from '../commands/services';
import { PromptIds } from '../ui/prompter';
import { formatProgressMessage } from './progressFormat';

/** Status-bar click during an upload: where it stands, with Cancel / notification / log. */
export async function showUploadProgress(s: Services): Promise<void> {
	const current = s.uploads.current;
	if (!current) {
		void s.prompter.message(PromptIds.info, 'info', vscode.l10n.t('No firmware upload is running.'), {});
		return;
	}
	const cancel = {
		iconPath: new vscode.ThemeIcon('close'),
		label: vscode.l10n.t('Cancel upload of {0}', current.fileName),
		action: 'cancel' as const,
	};
	const notification = {
		iconPath: new vscode.ThemeIcon('bell'),
		label: vscode.l10n.t('Show the progress notification'),
		action: 'notification' as const,
	};
	const log = { iconPath: new vscode.ThemeIcon('output'), label: vscode.l10n.t('Show Log'), action: 'log' as const };
	const chosen = await s.prompter.pick(PromptIds.uploadProgress, [cancel, notification, log], {
		title: current.progress ? `${current.fileName} · ${formatProgressMessage(current.progress, vscode.l10n)}` : current.fileName,
	});
	if (!chosen) {
		throw cancelledError('the progress menu');
	}
	if (chosen.action === 'cancel') {
		s.uploads.cancel();
	} else if (chosen.action === 'notification') {
		await vscode.commands.executeCommand('notifications.showList');
	} else {
		s.log.show(true);
	}
}

/** Cancels the running upload, or the given entry's upload or registration. */
export function cancelUpload(s: Services, arg?: unknown): void {
	const entry = entryFromArg(arg);
	if (entry && s.uploads.cancelRegistration(entry.id)) {
		s.log.info(`[create] Cancelling the registration of ${entry.fileName}.`);
		return;
	}
	const current = s.uploads.current;
	if (!current || (entry && entry.id !== current.entryId)) {
		s.log.info('Cancel requested, but that upload is not running.');
		return;
	}
	s.log.info(`[upload] Cancelling ${current.fileName}.`);
	s.uploads.cancel();
}
