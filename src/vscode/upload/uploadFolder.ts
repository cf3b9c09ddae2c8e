// "Upload Firmware in Folder…" (the Explorer's menu on a folder): the firmware files below it, found as the Firmware
// Files view finds build outputs plus every file with an allowed suffix, picked in one multi-select list, then the usual
// upload of an Explorer selection (one file: the upload; several: one package or a package per file).
import * as vscode from 'vscode';
import { OtaError } from '../../core/errors';
import { formatBytes } from '../../core/format';
import { ALLOWED_SUFFIXES_TEXT } from '../../core/limits';
import { uriFromArg } from '../commands/args';
import type { Services } from '../commands/services';
import type { HistoryEntry } from '../model';
import { PromptIds } from '../ui/prompter';
import { SEARCH_EXCLUDE_GLOB } from '../views/buildOutputRules';
import { formatRelativeTime } from '../views/format';
import { presentImage } from '../views/imagePresentation';
import {
	FIRMWARE_SUFFIX_GLOB,
	FOLDER_FILES_MAX,
	FOLDER_SEARCH_MAX,
	planFolderFiles,
	relativeToFolder,
	type FolderFile,
} from './folderFirmwareRules';
import { uploadCommand } from './uploadFlow';
import { FIRMWARE_PATTERNS_SETTING, offerFirmwarePatterns, type FirmwareSource } from './uploadLatest';

interface FoundFile extends FolderFile {
	uri: vscode.Uri;
}

export async function uploadFromFolder(
	s: Services,
	firmware: FirmwareSource | undefined,
	arg?: unknown,
): Promise<HistoryEntry | undefined> {
	const folder = uriFromArg(arg);
	if (!folder) {
		throw new OtaError({
			code: 'NoFolder',
			source: 'validation',
			message: vscode.l10n.t('Right-click a folder in the Explorer to upload the firmware files in it.'),
		});
	}
	const shownFolder = vscode.workspace.asRelativePath(folder);
	const plan = await findFolderFirmware(folder, firmware);
	if (plan.files.length === 0) {
		offerFirmwarePatterns(
			s,
			vscode.l10n.t(
				'No firmware file found in {0}. Searched it for the build outputs the Firmware Files view lists (PlatformIO, ESP-IDF, Zephyr and the patterns in the {1} setting) and for files with an allowed suffix ({2}), outside node_modules and .git. Build your project, or add a pattern for its output to that setting.',
				shownFolder,
				FIRMWARE_PATTERNS_SETTING,
				ALLOWED_SUFFIXES_TEXT,
			),
		);
		return undefined;
	}
	if (plan.capped) {
		const newest = plan.unseen
			? `the ${FOLDER_FILES_MAX} newest of the first ${FOLDER_SEARCH_MAX} found`
			: `the ${FOLDER_FILES_MAX} newest`;
		s.log.info(`[upload] ${shownFolder} holds more than ${FOLDER_FILES_MAX} firmware files: ${newest} are offered.`);
	}
	const locale = vscode.env.language;
	const items = plan.files.map((file) => ({
		label: file.relativePath,
		description: [badgeOf(s, file), formatBytes(file.size, locale), formatRelativeTime(file.mtime, Date.now(), locale)]
			.filter(Boolean)
			.join(' · '),
		file,
	}));
	const result = await s.prompter.stepPick(PromptIds.uploadFolderPick, items, {
		title: vscode.l10n.t('Upload firmware in {0}', shownFolder),
		placeholder: plan.unseen
			? vscode.l10n.t(
					'More than {0} firmware files here: the {1} newest of the first {0} found are listed (right-click a smaller folder for the others)',
					FOLDER_SEARCH_MAX,
					FOLDER_FILES_MAX,
				)
			: plan.capped
				? vscode.l10n.t(
						'More than {0} firmware files here: only the {0} newest are listed (right-click a smaller folder for the others)',
						FOLDER_FILES_MAX,
					)
				: vscode.l10n.t('Check the files to upload (several: one package, or a package per file)'),
		canPickMany: true,
		selected: (item) => item.file === plan.preselected,
		validate: (chosen) => (chosen.length === 0 ? vscode.l10n.t('Check at least one file.') : undefined),
	});
	if (result === undefined || result === 'back') {
		return undefined;
	}
	const uris = result.value.map((item) => item.file.uri);
	return uploadCommand(s, uris[0], uris);
}

/** The view's files below the folder (rescanned: a build may just have finished) and the files found there by suffix. */
async function findFolderFirmware(folder: vscode.Uri, firmware: FirmwareSource | undefined) {
	firmware?.rescan();
	const below = (uri: vscode.Uri) =>
		uri.scheme === folder.scheme && uri.authority === folder.authority ? relativeToFolder(folder.path, uri.path) : undefined;
	const [viewFiles, uris] = await Promise.all([
		firmware?.files() ?? [],
		// An explicit exclude keeps files.exclude out of it (build folders are often hidden in the Explorer).
		// More than are offered: the search returns paths in no order, and the newest are offered.
		vscode.workspace.findFiles(new vscode.RelativePattern(folder, FIRMWARE_SUFFIX_GLOB), SEARCH_EXCLUDE_GLOB, FOLDER_SEARCH_MAX + 1),
	]);
	const listed = viewFiles.flatMap(({ uri, size, mtime }): FoundFile[] => {
		const relativePath = below(uri);
		return relativePath === undefined ? [] : [{ uri, relativePath, size, mtime, buildOutput: true }];
	});
	const found = await Promise.all(uris.map((uri) => statFound(uri, below(uri))));
	return planFolderFiles(
		listed,
		found.filter((file): file is FoundFile => file !== undefined),
		{ searchCapped: uris.length > FOLDER_SEARCH_MAX },
	);
}

async function statFound(uri: vscode.Uri, relativePath: string | undefined): Promise<FoundFile | undefined> {
	if (relativePath === undefined) {
		return undefined;
	}
	try {
		const stat = await vscode.workspace.fs.stat(uri);
		return (stat.type & vscode.FileType.File) === 0
			? undefined
			: { uri, relativePath, size: stat.size, mtime: stat.mtime, buildOutput: false };
	} catch {
		return undefined; // deleted since the search
	}
}

/** The version (or "damaged") the background reads already know of this very file; nothing is read for the list. */
function badgeOf(s: Services, file: FoundFile): string | undefined {
	const read = file.uri.scheme === 'file' ? s.images.lastRead(file.uri.fsPath) : undefined;
	const same = read && read.stamp.size === file.size && Math.trunc(read.stamp.mtimeMs) === Math.trunc(file.mtime);
	return same ? presentImage(read).badge : undefined;
}
