import * as vscode from 'vscode';
import { computeInsertEdits, detectConfigFormat, type TextEdit } from '../../core/configInsert';
import { cancelledError } from '../../core/errors';
import { shellRefusal } from '../errorWordingsShell';
import { checkFirmwareUrl } from '../../core/firmwareUrl';
import { entryOrPick } from '../commands/pickEntry';
import type { Services } from '../commands/services';
import type { HistoryEntry } from '../model';
import type { InsertTarget } from '../settings';
import { flashStatus } from '../statusItem';
import { PromptIds } from '../ui/prompter';
import { findConfigFiles } from './configFiles';
import { defaultKeyPath, insertedRange, keyPathProblem, suggestKeyPaths } from './keyPaths';
import { safeRelativePath } from './targets';

// As the Uploads menus: not a row whose package was deleted (its URL names no package; upload the file again).
const hasUrl = (entry: HistoryEntry) => Boolean(entry.firmwareUrl) && entry.status !== 'deleted';

function urlOf(entry: HistoryEntry): string {
	if (!entry.firmwareUrl) {
		throw shellRefusal('NoFirmwareUrl', 'upload-unfinished', { fileName: entry.fileName });
	}
	// History entries are stored state (older versions, hand edits): the same rule as a fresh upload's URL.
	return checkFirmwareUrl(entry.firmwareUrl);
}

/** The workspace folder that owns the uploaded file (else the first folder). */
function folderFor(entry: HistoryEntry): vscode.WorkspaceFolder | undefined {
	return vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(entry.fileUri)) ?? vscode.workspace.workspaceFolders?.[0];
}

export async function copyFirmwareUrl(s: Services, arg?: unknown): Promise<string> {
	const entry = await entryOrPick(s, arg, hasUrl, vscode.l10n.t('Copy the FirmwareUrl of…'));
	const url = urlOf(entry);
	await vscode.env.clipboard.writeText(url);
	flashStatus(vscode.l10n.t('$(check) FirmwareUrl of {0} copied', entry.fileName));
	return url;
}

/** "Insert FirmwareUrl": configured targets, else at the cursor / into a picked config file / copy. */
export async function insertFirmwareUrl(s: Services, arg?: unknown): Promise<vscode.Uri[]> {
	const entry = await entryOrPick(s, arg, hasUrl, vscode.l10n.t('Insert the FirmwareUrl of…'));
	const url = urlOf(entry);
	const folder = folderFor(entry);
	const targets = folder ? s.settings.insertTargets(folder.uri) : [];
	if (folder && targets.length > 0) {
		return applyTargets(s, folder, targets, url);
	}
	const editor = vscode.window.activeTextEditor;
	const cursor = {
		iconPath: new vscode.ThemeIcon('text-size'),
		label: vscode.l10n.t('At the cursor'),
		description: editor ? vscode.workspace.asRelativePath(editor.document.uri) : undefined,
		mode: 'cursor' as const,
	};
	const file = {
		iconPath: new vscode.ThemeIcon('file-code'),
		label: vscode.l10n.t('Into a config file…'),
		description: vscode.l10n.t('JSON, YAML, TOML, .env, INI, sdkconfig, C header…'),
		mode: 'file' as const,
	};
	const copy = { iconPath: new vscode.ThemeIcon('copy'), label: vscode.l10n.t('Copy to clipboard'), mode: 'copy' as const };
	const chosen = await s.prompter.pick(PromptIds.insertMode, editor ? [cursor, file, copy] : [file, copy], {
		title: vscode.l10n.t('Insert the FirmwareUrl of {0}', entry.fileName),
		placeHolder: vscode.l10n.t('Tip: set iotOta.insertTargets to skip this question.'),
	});
	if (!chosen) {
		throw cancelledError('the insert');
	}
	if (chosen.mode === 'copy') {
		await copyFirmwareUrl(s, entry);
		return [];
	}
	if (chosen.mode === 'cursor' && editor) {
		const edit = new vscode.WorkspaceEdit();
		edit.replace(editor.document.uri, editor.selection, url);
		await applyOrThrow(edit);
		const start = editor.selection.start;
		await reveal(editor.document, new vscode.Range(start, start.translate(0, url.length)));
		return [editor.document.uri];
	}
	return insertIntoPickedFile(s, url, folder);
}

async function insertIntoPickedFile(s: Services, url: string, folder: vscode.WorkspaceFolder | undefined): Promise<vscode.Uri[]> {
	const picked = await s.prompter.pick(PromptIds.insertFile, findConfigFiles(), {
		title: vscode.l10n.t('Config file to receive the FirmwareUrl'),
		matchOnDescription: true,
	});
	if (!picked) {
		throw cancelledError('the config file selection');
	}
	const document = await vscode.workspace.openTextDocument(picked.uri);
	const format = formatOf(picked.uri);
	const text = document.getText();
	const suggestions = suggestKeyPaths(text, format);
	const fallback = defaultKeyPath(format);
	const items = (suggestions.length > 0 ? suggestions : [fallback]).map((key) => ({
		label: key,
		description: suggestions.includes(key) ? undefined : vscode.l10n.t('new key'),
	}));
	const chosen = await s.prompter.pickOrType(PromptIds.insertKeyPath, items, {
		title: vscode.l10n.t('Key in {0}', picked.label),
		placeholder: vscode.l10n.t('Pick a key, or type a key path such as {0}', fallback),
		validate: (value) => keyPathProblem(text, format, value, url, vscode.l10n, s.mask),
	});
	const keyPath = typeof chosen === 'string' ? chosen : chosen?.label;
	if (!keyPath) {
		throw cancelledError('the key selection');
	}
	const edits = computeInsertEdits(document.getText(), format, keyPath, url);
	await applyEdits(document, edits, url);
	const relative = folder ? safeRelativePath(vscode.workspace.asRelativePath(picked.uri, false)) : undefined;
	if (folder && relative && vscode.workspace.getWorkspaceFolder(picked.uri)?.uri.toString() === folder.uri.toString()) {
		void offerToRemember(s, folder, { file: relative, path: keyPath });
	}
	return [picked.uri];
}

async function offerToRemember(s: Services, folder: vscode.WorkspaceFolder, target: InsertTarget): Promise<void> {
	const remember = vscode.l10n.t('Remember');
	const choice = await s.prompter.message(
		PromptIds.insertRemember,
		'info',
		vscode.l10n.t('Always insert the FirmwareUrl into {0} at {1} in this workspace?', target.file, target.path),
		{},
		remember,
	);
	if (choice === remember) {
		await s.settings.rememberInsertTarget(folder, target);
		s.log.info(`Remembered insert target ${target.file} → ${target.path} in iotOta.insertTargets.`);
	}
}

/** All configured targets in ONE WorkspaceEdit (one undo); nothing changes if any target is invalid. */
async function applyTargets(s: Services, folder: vscode.WorkspaceFolder, targets: InsertTarget[], url: string): Promise<vscode.Uri[]> {
	const planned: Array<{ document: vscode.TextDocument; edits: TextEdit[] }> = [];
	for (const target of targets) {
		const relative = safeRelativePath(target.file);
		if (!relative) {
			throw shellRefusal('InvalidInsertTarget', 'insert-target-outside', { file: target.file }, 'config');
		}
		const uri = vscode.Uri.joinPath(folder.uri, relative);
		let document: vscode.TextDocument;
		try {
			document = await vscode.workspace.openTextDocument(uri);
		} catch {
			throw shellRefusal('InsertTargetMissing', 'insert-target-missing', { file: relative }, 'config');
		}
		planned.push({ document, edits: computeInsertEdits(document.getText(), formatOf(uri), target.path, url) });
		s.log.info(`Insert target ${relative} → ${target.path}: ${planned[planned.length - 1].edits.length} edit(s).`);
	}
	const edit = new vscode.WorkspaceEdit();
	for (const { document, edits } of planned) {
		addEdits(edit, document, edits);
	}
	await applyOrThrow(edit);
	const first = planned[0];
	const range = insertedRange(first.edits, url);
	await reveal(first.document, range ? offsetRange(first.document, range) : undefined);
	return planned.map((p) => p.document.uri);
}

function formatOf(uri: vscode.Uri) {
	const format = detectConfigFormat(uri.path);
	if (!format) {
		throw shellRefusal(
			'UnsupportedConfigFile',
			'insert-file-format-unknown',
			{ name: uri.path.split('/').pop() ?? uri.path },
			'config',
		);
	}
	return format;
}

function addEdits(edit: vscode.WorkspaceEdit, document: vscode.TextDocument, edits: readonly TextEdit[]): void {
	for (const e of edits) {
		edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.newText);
	}
}

async function applyEdits(document: vscode.TextDocument, edits: TextEdit[], url: string): Promise<void> {
	const edit = new vscode.WorkspaceEdit();
	addEdits(edit, document, edits);
	await applyOrThrow(edit);
	const range = insertedRange(edits, url);
	await reveal(document, range ? offsetRange(document, range) : undefined);
}

function offsetRange(document: vscode.TextDocument, range: { offset: number; length: number }): vscode.Range {
	return new vscode.Range(document.positionAt(range.offset), document.positionAt(range.offset + range.length));
}

async function applyOrThrow(edit: vscode.WorkspaceEdit): Promise<void> {
	if (!(await vscode.workspace.applyEdit(edit))) {
		throw shellRefusal('EditRejected', 'edit-rejected', {}, 'config');
	}
}

async function reveal(document: vscode.TextDocument, range: vscode.Range | undefined): Promise<void> {
	const editor = await vscode.window.showTextDocument(document, { preview: false, selection: range });
	if (range) {
		editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
	}
}
