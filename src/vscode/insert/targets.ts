// Pure checks of configured insert targets (no vscode import).
import path from 'node:path';

/**
 * `file` from iotOta.insertTargets as a clean folder-relative POSIX path, or undefined when it would
 * leave the workspace folder (absolute, drive letter, UNC, `..`): a repository's settings must not
 * make the extension write outside the repository.
 */
export function safeRelativePath(file: string): string | undefined {
	const slashed = file.trim().replace(/\\/g, '/');
	if (slashed === '' || slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed) || slashed.includes('\0')) {
		return undefined;
	}
	const normal = path.posix.normalize(slashed);
	if (normal === '..' || normal.startsWith('../') || normal === '.' || normal.endsWith('/')) {
		return undefined;
	}
	return normal;
}
