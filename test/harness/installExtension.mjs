// Installs the extension the way a user gets it: the files `vsce package` would put in the VSIX (the .vscodeignore
// allow-list, via vsce's own listFiles), copied into a VS Code extensions folder as `<publisher>.<name>-<version>`.
// A missing lazily loaded chunk or media file then fails the UI checks as it would fail for users.
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';

/** The files `vsce package` would put in the VSIX of the extension at `extensionRoot` (paths relative to it). */
export async function packagedFiles(extensionRoot) {
	return listFiles({ cwd: extensionRoot, packageManager: PackageManager.None });
}

/** Copies `files` (relative to `from`) to the same relative paths under `to`. */
export function copyFiles(from, to, files) {
	for (const file of files) {
		mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
		cpSync(path.join(from, file), path.join(to, file));
	}
}

/** Copies the packaged files of the extension at `extensionRoot` into `extensionsDir`; returns the extension id. */
export async function installPackagedExtension(extensionRoot, extensionsDir) {
	const manifest = JSON.parse(readFileSync(path.join(extensionRoot, 'package.json'), 'utf8'));
	const id = `${manifest.publisher}.${manifest.name}`;
	const files = await packagedFiles(extensionRoot);
	if (!files.includes('package.json') || !files.some((file) => path.normalize(file) === path.normalize(manifest.main))) {
		throw new Error(`the packaged file list of ${extensionRoot} lacks package.json or ${manifest.main}: ${files.join(', ')}`);
	}
	copyFiles(extensionRoot, path.join(extensionsDir, `${id}-${manifest.version}`), files);
	return id;
}
