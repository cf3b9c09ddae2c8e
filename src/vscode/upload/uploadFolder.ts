// "Upload Firmware in Folder…" (the Explorer's menu on a folder, or on several): the firmware files below, found as the Firmware
// Files view finds build outputs plus every file with an allowed suffix, picked in one multi-select list, then the usual
// upload of an Explorer selection (one file: the upload; several: one package or a package per file).
import * as vscode from 'vscode';
import { shellRefusal } from '../errorWordingsShell';
import { formatBytes } from '../../core/format';
import { ALLOWED_SUFFIXES_TEXT } from '../../core/limits';
import { uriFromArg, urisFromSelection } from '../commands/args';
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
	outermostFolders,
	planFolderFiles,
	relativeToFolder,
	type FolderFile,
} from './folderFirmwareRules';
import { uploadCommand } from './uploadFlow';
import { FIRMWARE_PATTERNS_SETTING, offerFirmwarePatterns, type FirmwareSource } from './uploadLatest';

interface FoundFile extends FolderFile {
	uri: vscode.Uri;
}

type FilePaths = Pick<FolderFile, 'relativePath' | 'pathInFolder'>;

/** `arg` is the folder right-clicked, `selection` the Explorer's selection (every selected folder is searched). */
export async function uploadFromFolder(
	s: Services,
	firmware: FirmwareSource | undefined,
	arg?: unknown,
	selection?: unknown,
): Promise<HistoryEntry | undefined> {
	const clicked = uriFromArg(arg);
	if (!clicked) {
		throw shellRefusal('NoFolder', 'choose-folder');
	}
	const folders = await selectedFolders(clicked, selection);
	const shownFolder = folders.map((folder) => vscode.workspace.asRelativePath(folder)).join(', ');
	const plan = await findFolderFirmware(folders, firmware);
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

/**
 * The folders of a multi-selection (the files in it are not searched), else the one right-clicked; none twice, and
 * none inside another.
 */
async function selectedFolders(clicked: vscode.Uri, selection: unknown): Promise<vscode.Uri[]> {
	const selected = urisFromSelection(selection);
	if (selected.length < 2) {
		return [clicked];
	}
	const isFolder = async (uri: vscode.Uri) => {
		try {
			return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) !== 0;
		} catch {
			return false; // deleted since it was selected
		}
	};
	const kinds = await Promise.all(selected.map(isFolder));
	const folders = outermostFolders(selected.filter((_, index) => kinds[index]));
	return folders.length > 0 ? folders : [clicked];
}

/**
 * The view's files below the folders (rescanned: a build may just have finished) and the files found there by suffix;
 * each path relative to its folder, or to the workspace folder when several are searched.
 */
async function findFolderFirmware(folders: readonly vscode.Uri[], firmware: FirmwareSource | undefined) {
	firmware?.rescan();
	const relative = (uri: vscode.Uri): FilePaths | undefined => {
		for (const folder of folders) {
			const pathInFolder =
				folder.scheme === uri.scheme && folder.authority === uri.authority && relativeToFolder(folder.path, uri.path);
			if (pathInFolder) {
				return { pathInFolder, relativePath: folders.length === 1 ? pathInFolder : vscode.workspace.asRelativePath(uri) };
			}
		}
		return undefined;
	};
	const [viewFiles, searches] = await Promise.all([
		firmware?.files() ?? [],
		// An explicit exclude keeps files.exclude out of it (build folders are often hidden in the Explorer).
		// More than are offered: the search returns paths in no order, and the newest are offered.
		Promise.all(
			folders.map((folder) =>
				vscode.workspace.findFiles(
					new vscode.RelativePattern(folder, FIRMWARE_SUFFIX_GLOB),
					SEARCH_EXCLUDE_GLOB,
					FOLDER_SEARCH_MAX + 1,
				),
			),
		),
	]);
	const listed = viewFiles.flatMap(({ uri, size, mtime }): FoundFile[] => {
		const paths = relative(uri);
		return paths === undefined ? [] : [{ uri, ...paths, size, mtime, buildOutput: true }];
	});
	// The view's files are known already (their size and time too): only the others are looked at.
	const known = new Set(listed.map((file) => file.uri.toString()));
	const others = searches.flat().filter((uri) => !known.has(uri.toString()));
	const found = await Promise.all(others.map((uri) => statFound(uri, relative(uri))));
	return planFolderFiles(
		listed,
		found.filter((file): file is FoundFile => file !== undefined),
		{ searchCapped: searches.some((uris) => uris.length > FOLDER_SEARCH_MAX) },
	);
}

async function statFound(uri: vscode.Uri, paths: FilePaths | undefined): Promise<FoundFile | undefined> {
	if (paths === undefined) {
		return undefined;
	}
	try {
		const stat = await vscode.workspace.fs.stat(uri);
		return (stat.type & vscode.FileType.File) === 0
			? undefined
			: { uri, ...paths, size: stat.size, mtime: stat.mtime, buildOutput: false };
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
