import * as vscode from 'vscode';
import { OtaError } from '../../core/errors';
import { entryFromArg, uriFromArg } from './args';
import type { Services } from './services';

/** Shows the firmware file in the explorer (or the OS file manager when it is outside the workspace). */
export async function revealFile(_s: Services, arg?: unknown): Promise<void> {
	const uri = uriFromArg(arg);
	if (!uri) {
		throw new OtaError({ code: 'NoFile', source: 'validation', message: vscode.l10n.t('Choose a firmware file or an upload to reveal.') });
	}
	try {
		await vscode.workspace.fs.stat(uri);
	} catch {
		throw new OtaError({ code: 'FileNotFound', source: 'validation', message: vscode.l10n.t('{0} no longer exists.', uri.path.split('/').pop() ?? uri.toString()) });
	}
	if (vscode.workspace.getWorkspaceFolder(uri)) {
		await vscode.commands.executeCommand('revealInExplorer', uri);
	} else {
		await vscode.commands.executeCommand('revealFileInOS', uri);
	}
}

export async function removeHistoryEntry(s: Services, arg?: unknown): Promise<void> {
	const entry = entryFromArg(arg);
	if (!entry) {
		return;
	}
	if (s.uploads.current?.entryId === entry.id) {
		s.uploads.cancel();
	}
	await s.history.remove(entry.id);
	s.log.info(`Removed ${entry.fileName} (${entry.status}) from the upload history.`);
}
