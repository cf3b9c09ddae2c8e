import * as vscode from 'vscode';
import {
	BUILD_OUTPUT_GLOB,
	SEARCH_EXCLUDE_GLOB,
	flasherArgsBuildDir,
	parseFlasherArgs,
	planFirmwareList,
	type FirmwareCandidate,
	type FlasherArgs,
} from './firmwarePatterns';

/** A firmware build output that exists right now. */
export interface FirmwareFile extends FirmwareCandidate {
	uri: vscode.Uri;
	folder: vscode.WorkspaceFolder;
	size: number;
	/** Modification time, ms since the epoch. */
	mtime: number;
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
		return { ...candidate, uri, folder, size: stat.size, mtime: stat.mtime };
	} catch {
		// Deleted between the search and the stat, or named by a stale flasher_args.json.
		return undefined;
	}
}

/** Build outputs of one workspace folder, newest first. */
export async function discoverFirmware(folder: vscode.WorkspaceFolder, userGlobs: readonly string[], token?: vscode.CancellationToken): Promise<FirmwareFile[]> {
	const found = await find(folder, BUILD_OUTPUT_GLOB, MAX_BUILTIN_RESULTS, token);
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
	return files.filter((f): f is FirmwareFile => f !== undefined).sort((a, b) => b.mtime - a.mtime || a.relativePath.localeCompare(b.relativePath));
}
