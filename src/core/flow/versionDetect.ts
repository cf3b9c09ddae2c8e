// The version a firmware's project states (git describe, platformio.ini, version.txt, package.json): the extension's
// Create OTA Firmware… offers it as the DestVersion, the CLI names it in the hint of a DestVersion it cannot take from
// the image. Never used on its own: a build or CI run gives its DestVersion explicitly.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { OtaError } from '../errors';
import { gitDescribe } from '../git';
import { VERSION_CHARS, VERSION_MAX } from '../otaFacts';

export type VersionSource = 'git describe' | 'platformio.ini' | 'version.txt' | 'package.json';

export interface DetectedVersion {
	version: string;
	source: VersionSource;
	/** The file (or folder for git) it came from. */
	from: string;
}

/** Reads a text file, undefined when missing; runs `git describe --tags` in a folder, undefined when not possible. */
export interface VersionProbe {
	readText(file: string): Promise<string | undefined>;
	gitDescribe(dir: string): Promise<string | undefined>;
}

const NOT_VERSION_CHARS = new RegExp(`[^${VERSION_CHARS}]+`, 'g');

/** Makes any version-ish text fit DestVersion's charset and length; undefined when nothing is left. */
export function sanitizeVersion(raw: string): string | undefined {
	const text = raw
		.trim()
		.replace(/^["']|["']$/g, '')
		.trim()
		.replace(NOT_VERSION_CHARS, '-')
		.replace(/-+/g, '-')
		.replace(/^[-.]+|[-.]+$/g, '');
	return text ? text.slice(0, VERSION_MAX) : undefined;
}

/** `custom_version = 1.2.3` wins over `version = …` (PlatformIO has no standard version key). */
export function versionFromPlatformioIni(text: string): string | undefined {
	let plain: string | undefined;
	for (const line of text.split(/\r?\n/)) {
		const match = /^\s*(custom_version|custom_fw_version|version)\s*=\s*([^;#\r\n]+)/i.exec(line);
		if (!match) {
			continue;
		}
		const value = sanitizeVersion(match[2]);
		if (value && match[1].toLowerCase() !== 'version') {
			return value;
		}
		plain ??= value;
	}
	return plain;
}

export function versionFromVersionTxt(text: string): string | undefined {
	const first = text.split(/\r?\n/).find((line) => line.trim() !== '' && !line.trim().startsWith('#'));
	return first ? sanitizeVersion(first) : undefined;
}

export function versionFromPackageJson(text: string): string | undefined {
	try {
		const parsed = JSON.parse(text) as { version?: unknown };
		return typeof parsed.version === 'string' ? sanitizeVersion(parsed.version) : undefined;
	} catch {
		return undefined;
	}
}

/** "v1.2.0" → "v1.2.0"; "v1.2.0-3-gabc1234" kept (it tells builds apart); ignores a bare commit hash. */
export function versionFromGitDescribe(output: string): string | undefined {
	const line = output.trim().split(/\r?\n/)[0] ?? '';
	if (!line || /^[0-9a-f]{7,40}$/.test(line)) {
		return undefined;
	}
	return sanitizeVersion(line);
}

/**
 * The folders from the firmware file's folder up to (and including) `root`, or up to the file system's root when there
 * is none (at most 32); the file's folder alone when it lies outside `root` (a folder beside it, even one whose name
 * starts with the root's, is outside).
 */
export function foldersUpTo(fileDir: string, root: string | undefined): string[] {
	const dir = path.resolve(fileDir);
	const stop = root === undefined ? undefined : path.resolve(root);
	if (stop !== undefined && !isWithin(dir, stop)) {
		return [dir];
	}
	const dirs = [dir];
	for (let up = dir; up !== stop && dirs.length < 32 && path.dirname(up) !== up;) {
		up = path.dirname(up);
		dirs.push(up);
	}
	return dirs;
}

/** `dir` is `root` or a folder below it. */
function isWithin(dir: string, root: string): boolean {
	const relative = path.relative(root, dir);
	return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

/**
 * The first version found, nearest folder first: git describe (the folder's repository), then
 * platformio.ini, version.txt, package.json in each folder from the file up to the workspace root.
 */
export async function detectVersion(fileDir: string, root: string | undefined, probe: VersionProbe): Promise<DetectedVersion | undefined> {
	const described = versionFromGitDescribe((await probe.gitDescribe(fileDir)) ?? '');
	if (described) {
		return { version: described, source: 'git describe', from: fileDir };
	}
	const readers: Array<[string, VersionSource, (text: string) => string | undefined]> = [
		['platformio.ini', 'platformio.ini', versionFromPlatformioIni],
		['version.txt', 'version.txt', versionFromVersionTxt],
		['package.json', 'package.json', versionFromPackageJson],
	];
	for (const dir of foldersUpTo(fileDir, root)) {
		for (const [name, source, parse] of readers) {
			const file = path.join(dir, name);
			const text = await probe.readText(file);
			const version = text === undefined ? undefined : parse(text);
			if (version) {
				return { version, source, from: file };
			}
		}
	}
	return undefined;
}

/** The files read as they are, and `git describe --tags` run in the folder (git.ts); a file or git missing gives nothing. */
export const localVersionProbe: VersionProbe = {
	readText: (file) => readFile(file, 'utf8').catch(() => undefined),
	gitDescribe: (dir) => gitDescribe(dir),
};

/** "git describe gives 1.2.0: add --dest-version 1.2.0 …", the hint naming what was detected. */
export function detectedVersionHint({ version, source, from }: DetectedVersion): string {
	const where = source === 'git describe' ? 'git describe' : from;
	return `${where} gives ${version}: add --dest-version ${version} if that is the version devices report after the update.`;
}

/**
 * `error` with the version the project of `filePath` states in its hint when it is a DestVersionRequired: folders
 * from the file's up to `root` are looked at (detectVersion). Any other error, or nothing detected, comes back as it is.
 */
export async function withDetectedVersion(
	error: unknown,
	filePath: string,
	root: string | undefined,
	probe: VersionProbe = localVersionProbe,
): Promise<unknown> {
	if (!(error instanceof OtaError) || error.code !== 'DestVersionRequired') {
		return error;
	}
	const found = await detectVersion(path.dirname(filePath), root, probe);
	return found ? error.withHint(detectedVersionHint(found)) : error;
}
