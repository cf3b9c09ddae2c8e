// Which files "Upload Firmware in Folder…" offers, and which one it checks first (pure: no vscode import, unit-tested).
import { FIRMWARE_SUFFIXES } from '../../core/types';
import { hasFirmwareSuffix, isExcludedPath, newestFirst, newestFile, normalizeRelativePath } from '../views/buildOutputRules';

/** At most this many files are offered (the newest); a larger folder is said to be capped. */
export const FOLDER_FILES_MAX = 200;

/**
 * The suffix search reads at most this many paths (the search returns them in no order): the newest offered are the
 * newest of the folder up to this many files, the newest of those seen beyond it.
 */
export const FOLDER_SEARCH_MAX = 10 * FOLDER_FILES_MAX;

/** `bin` → `[bB][iI][nN]`: a glob of the extension in any case (globs are case-sensitive where the file system is). */
function anyCase(extension: string): string {
	return [...extension].map((c) => (c.toLowerCase() === c.toUpperCase() ? c : `[${c.toLowerCase()}${c.toUpperCase()}]`)).join('');
}

/**
 * Every file an allowed suffix could end with, below a folder, in any case (`App.Bin` too); "tar.gz" is a ".gz".
 * `hasFirmwareSuffix` has the last word.
 */
export const FIRMWARE_SUFFIX_GLOB = `**/*.{${[...new Set(FIRMWARE_SUFFIXES.map((suffix) => suffix.split('.').pop() ?? suffix))]
	.map(anyCase)
	.join(',')}}`;

/** A file below a chosen folder. */
export interface FolderFile {
	/** Posix path shown (and told apart by): relative to the chosen folder, or to the workspace folder when several are searched. */
	relativePath: string;
	/** Posix path relative to the chosen folder it is in: only there are node_modules and .git left out (the folder may be in one). */
	pathInFolder: string;
	/** Modification time, ms since the epoch. */
	mtime: number;
	size: number;
	/** Listed by the Firmware Files view (a build output, or a match of iotOta.firmwarePatterns). */
	buildOutput: boolean;
}

export interface FolderFilePlan<T extends FolderFile> {
	/** Newest first, at most `max`. */
	files: T[];
	/** More files were found than are offered. */
	capped: boolean;
	/** The search stopped at its limit: the files offered are the newest of those seen, not surely of the folder. */
	unseen: boolean;
	/** Checked at first: the newest build output the view lists (not the bootloader next to it), else the newest file. */
	preselected?: T;
}

/** `filePath` relative to `folderPath` (both posix paths of one scheme and authority); undefined when it is not below it. */
export function relativeToFolder(folderPath: string, filePath: string): string | undefined {
	const base = folderPath.endsWith('/') ? folderPath : `${folderPath}/`;
	return filePath.startsWith(base) && filePath.length > base.length ? filePath.slice(base.length) : undefined;
}

/** A folder of the Explorer's selection: where it is (`vscode.Uri`'s parts). */
export interface FolderLocation {
	scheme: string;
	authority: string;
	path: string;
}

/** The folders to search: each once, and none inside another (its files are found through the outer one), in order. */
export function outermostFolders<T extends FolderLocation>(folders: readonly T[]): T[] {
	const trimmed = (folder: T) => folder.path.replace(/\/+$/, '');
	return folders.filter(
		(folder, index) =>
			!folders.some(
				(other, otherIndex) =>
					other.scheme === folder.scheme &&
					other.authority === folder.authority &&
					(relativeToFolder(other.path, folder.path) !== undefined || (otherIndex < index && trimmed(other) === trimmed(folder))),
			),
	);
}

/**
 * The view's build outputs below the folder, then the files found by suffix it does not list (each path once), outside
 * the node_modules/.git below their folder and with an allowed suffix, newest first and capped at `max`. `searchCapped`: the suffix search
 * itself stopped at its limit, so the folder holds more than was seen.
 */
export function planFolderFiles<T extends FolderFile>(
	listed: readonly T[],
	found: readonly T[],
	{ max = FOLDER_FILES_MAX, searchCapped = false }: { max?: number; searchCapped?: boolean } = {},
): FolderFilePlan<T> {
	const byPath = new Map<string, T>();
	for (const file of listed) {
		byPath.set(normalizeRelativePath(file.relativePath), file);
	}
	for (const file of found) {
		const path = normalizeRelativePath(file.relativePath);
		if (!byPath.has(path) && !isExcludedPath(normalizeRelativePath(file.pathInFolder)) && hasFirmwareSuffix(path)) {
			byPath.set(path, file);
		}
	}
	const all = [...byPath.values()].sort(newestFirst);
	const files = all.slice(0, max);
	return {
		files,
		capped: searchCapped || all.length > max,
		unseen: searchCapped,
		preselected: newestFile(files.filter((file) => file.buildOutput)) ?? files[0],
	};
}
