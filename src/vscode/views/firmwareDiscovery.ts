import * as vscode from 'vscode';
import {
	BUILD_OUTPUT_GLOB,
	SEARCH_EXCLUDE_GLOB,
	flasherArgsBuildDir,
	newestFirst,
	parseFlasherArgs,
	planFirmwareList,
	type FirmwareCandidate,
	type FlasherArgs,
} from './buildOutputRules';

/** A firmware build output that exists right now. */
export interface FirmwareFile extends FirmwareCandidate {
	uri: vscode.Uri;
	folder: vscode.WorkspaceFolder;
	size: number;
	/** Modification time, ms since the epoch. */
	mtime: number;
	/** Creation time (VS Code's FileStat.ctime), ms since the epoch: another file moved to the path has another one. */
	ctime: number;
}

const MAX_BUILTIN_RESULTS = 2000;
const MAX_RESULTS_PER_GLOB = 500;

function relativeTo(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string | undefined {
	const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
	return uri.path.startsWith(base) ? uri.path.slice(base.length) : undefined;
}

async function find(folder: vscode.WorkspaceFolder, glob: string, max: number, token?: vscode.CancellationToken): Promise<string[]> {
	// An explicit exclude (instead of undefined) keeps files.exclude out of it: users often hide .pio and build/ in the explorer.
	const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), SEARCH_EXCLUDE_GLOB, max, token);
	return uris.map((uri) => relativeTo(folder, uri)).filter((p): p is string => p !== undefined);
}

async function readFlasherArgs(folder: vscode.WorkspaceFolder, relativePath: string): Promise<FlasherArgs | undefined> {
	try {
		const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, relativePath));
		return parseFlasherArgs(new TextDecoder().decode(bytes));
	} catch {
		return undefined;
	}
}

async function statFile(folder: vscode.WorkspaceFolder, candidate: FirmwareCandidate): Promise<FirmwareFile | undefined> {
	const uri = vscode.Uri.joinPath(folder.uri, candidate.relativePath);
	try {
		const stat = await vscode.workspace.fs.stat(uri);
		if ((stat.type & vscode.FileType.File) === 0) {
			return undefined;
		}
		return { ...candidate, uri, folder, size: stat.size, mtime: stat.mtime, ctime: stat.ctime };
	} catch {
		// Deleted between the search and the stat, or named by a stale flasher_args.json.
		return undefined;
	}
}

async function listDirectory(folder: vscode.WorkspaceFolder, relative: string): Promise<Array<[string, vscode.FileType]>> {
	try {
		return await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(folder.uri, relative));
	} catch {
		return [];
	}
}

/**
 * The folder's own output directories, listed directly. The search service behind findFiles can still be
 * starting when the view first opens (activation by the view) and then answers with nothing; this keeps
 * the common layouts listed regardless. Paths that do not exist are dropped by the stat later.
 */
async function listRootOutputs(folder: vscode.WorkspaceFolder): Promise<string[]> {
	const [pio, build, zephyr] = await Promise.all([
		listDirectory(folder, '.pio/build'),
		listDirectory(folder, 'build'),
		listDirectory(folder, 'build/zephyr'),
	]);
	const isDir = (type: vscode.FileType) => (type & vscode.FileType.Directory) !== 0;
	const isFile = (type: vscode.FileType) => (type & vscode.FileType.File) !== 0;
	return [
		...pio.filter(([, type]) => isDir(type)).map(([name]) => `.pio/build/${name}/firmware.bin`),
		...build.filter(([, type]) => isFile(type)).map(([name]) => `build/${name}`),
		...zephyr.filter(([, type]) => isFile(type)).map(([name]) => `build/zephyr/${name}`),
	];
}

/** Build outputs of one workspace folder, newest first. */
export async function discoverFirmware(
	folder: vscode.WorkspaceFolder,
	userGlobs: readonly string[],
	token?: vscode.CancellationToken,
): Promise<FirmwareFile[]> {
	const [searched, direct] = await Promise.all([find(folder, BUILD_OUTPUT_GLOB, MAX_BUILTIN_RESULTS, token), listRootOutputs(folder)]);
	const found = [...new Set([...searched, ...direct])];
	const flasherArgs = new Map<string, FlasherArgs>();
	await Promise.all(
		found.map(async (relativePath) => {
			const buildDir = flasherArgsBuildDir(relativePath);
			const args = buildDir === undefined ? undefined : await readFlasherArgs(folder, relativePath);
			if (buildDir !== undefined && args) {
				flasherArgs.set(buildDir, args);
			}
		}),
	);
	const custom = (await Promise.all(userGlobs.map((glob) => find(folder, glob, MAX_RESULTS_PER_GLOB, token).catch(() => [])))).flat();
	const candidates = planFirmwareList({ found, flasherArgs, custom });
	const files = await Promise.all(candidates.map((candidate) => statFile(folder, candidate)));
	return files.filter((f): f is FirmwareFile => f !== undefined).sort(newestFirst);
}
