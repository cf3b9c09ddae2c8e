import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { directoryError, notFoundError, tooLargeError } from '../../core/limits';
import { MAX_FIRMWARE_BYTES } from '../../core/types';

export interface LocalFile {
	/** A path the core can stream from. */
	path: string;
	/** True when `path` is a temporary copy of a non-`file:` resource. */
	copied: boolean;
	dispose(): Promise<void>;
}

/**
 * The extension is a workspace extension, so in remote windows (SSH, WSL, containers) it runs next
 * to the files and `file:` URIs are local paths. Other schemes (virtual file systems, Live Share)
 * are copied through `workspace.fs` into a private temporary folder first; the copy is removed after
 * the upload. That keeps the core on plain paths (streamed, hashed in one pass) everywhere.
 */
export async function localFileFor(uri: vscode.Uri): Promise<LocalFile> {
	if (uri.scheme === 'file') {
		return { path: uri.fsPath, copied: false, dispose: async () => undefined };
	}
	let stat: vscode.FileStat;
	try {
		stat = await vscode.workspace.fs.stat(uri);
	} catch {
		throw notFoundError(uri.toString(true));
	}
	if (stat.type & vscode.FileType.Directory) {
		throw directoryError(uri.toString(true));
	}
	if (stat.size > MAX_FIRMWARE_BYTES) {
		throw tooLargeError(uri.toString(true), stat.size);
	}
	const dir = await mkdtemp(path.join(tmpdir(), 'iot-ota-'));
	const copy = path.join(dir, path.posix.basename(uri.path) || 'firmware');
	await writeFile(copy, await vscode.workspace.fs.readFile(uri), { mode: 0o600 });
	return { path: copy, copied: true, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs `use` with each resource as a local file (in order), then disposes of every copy, whatever `use` did. */
export async function withLocalFiles<T>(uris: readonly vscode.Uri[], use: (locals: readonly LocalFile[]) => Promise<T>): Promise<T> {
	const locals: LocalFile[] = [];
	try {
		for (const uri of uris) {
			locals.push(await localFileFor(uri));
		}
		return await use(locals);
	} finally {
		await Promise.all(locals.map((local) => local.dispose()));
	}
}
