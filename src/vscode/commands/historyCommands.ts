import path from 'node:path';
import * as vscode from 'vscode';
import { cancelledError } from '../../core/errors';
import { shellRefusal } from '../errorWordingsShell';
import { buildHistoryExport, historyExportFileName, historyExportText } from '../historyExport';
import { PromptIds } from '../ui/prompter';
import { entryFromArg, uriFromArg } from './args';
import type { Services } from './services';

/** Shows the firmware file in the explorer (or the OS file manager when it is outside the workspace). */
export async function revealFile(_s: Services, arg?: unknown): Promise<void> {
	const uri = uriFromArg(arg);
	if (!uri) {
		throw shellRefusal('NoFile', 'choose-file-to-reveal');
	}
	try {
		await vscode.workspace.fs.stat(uri);
	} catch {
		throw shellRefusal('FileNotFound', 'file-gone', { name: uri.path.split('/').pop() ?? uri.toString() });
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

/** Writes this workspace's upload history to a JSON file the user picks (no secrets: see historyExport.ts). */
export async function exportHistory(s: Services): Promise<vscode.Uri | undefined> {
	const entries = s.history.all();
	if (entries.length === 0) {
		void s.prompter.message(
			PromptIds.historyExportEmpty,
			'info',
			vscode.l10n.t('There are no uploads in this workspace yet, so there is no upload history to export.'),
			{},
		);
		return undefined;
	}
	const folder = vscode.workspace.workspaceFolders?.[0];
	const target = await s.prompter.saveFile(PromptIds.historyExportFile, {
		title: vscode.l10n.t('Export the upload history'),
		defaultUri: folder ? vscode.Uri.joinPath(folder.uri, historyExportFileName(new Date())) : undefined,
		filters: { JSON: ['json'] },
		saveLabel: vscode.l10n.t('Export'),
	});
	if (!target) {
		throw cancelledError('the export');
	}
	const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
	const data = buildHistoryExport(entries, {
		now: Date.now(),
		filePath: (fileUri) => vscode.workspace.asRelativePath(vscode.Uri.parse(fileUri), multiRoot),
	});
	await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(historyExportText(data)));
	s.log.info(`[history] Exported ${data.uploads.length} upload(s) to ${target.toString()}.`);
	const open = vscode.l10n.t('Open');
	void s.prompter
		.message(
			PromptIds.historyExported,
			'info',
			vscode.l10n.t('Exported {0} upload(s) to {1}.', data.uploads.length, path.posix.basename(target.path)),
			{},
			open,
		)
		.then((choice) => (choice === open ? vscode.window.showTextDocument(target) : undefined));
	return target;
}
