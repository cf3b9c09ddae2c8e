// Best-effort git facts about a firmware file's folder: the commit an upload records, the version git describe gives.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';

export interface GitInfo {
	commit?: string;
	dirty?: boolean;
}

/**
 * git's absolute path, looked for in the absolute folders of PATH only; undefined when there is none. A bare `git`
 * would also be looked for in the folder it runs in (on Windows always, elsewhere where PATH has an empty or relative
 * entry), and a firmware's folder is no place to take a program from.
 */
export async function gitExecutable(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
	const windows = process.platform === 'win32';
	const pathKey = windows ? (Object.keys(env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH') : 'PATH';
	const name = windows ? 'git.exe' : 'git';
	for (const entry of (env[pathKey] ?? '').split(path.delimiter)) {
		const dir = entry.replace(/^"(.*)"$/, '$1');
		const file = path.join(dir, name);
		if (path.isAbsolute(dir) && (await isProgram(file, windows))) {
			return file;
		}
	}
	return undefined;
}

async function isProgram(file: string, windows: boolean): Promise<boolean> {
	try {
		return (await stat(file)).isFile() && (windows || (await access(file, constants.X_OK).then(() => true)));
	} catch {
		return false;
	}
}

async function run(cwd: string, args: string[], timeoutMs: number): Promise<string | undefined> {
	const git = await gitExecutable();
	if (!git) {
		return undefined;
	}
	return new Promise((resolve) => {
		try {
			execFile(git, args, { cwd, timeout: timeoutMs, windowsHide: true, maxBuffer: 1024 * 1024 }, (error, stdout) =>
				resolve(error ? undefined : stdout),
			);
		} catch {
			resolve(undefined);
		}
	});
}

/** HEAD commit and whether the work tree has changes; {} when git is missing, slow or not a repository. */
export async function gitInfo(dir: string, timeoutMs = 2000): Promise<GitInfo> {
	const [head, status] = await Promise.all([
		run(dir, ['rev-parse', 'HEAD'], timeoutMs),
		run(dir, ['status', '--porcelain', '--untracked-files=no'], timeoutMs),
	]);
	const commit = head?.trim();
	if (!commit || !/^[0-9a-f]{40,64}$/.test(commit)) {
		return {};
	}
	return { commit, dirty: status === undefined ? undefined : status.trim() !== '' };
}

/** `git describe --tags` of the folder, or undefined. */
export async function gitDescribe(dir: string, timeoutMs = 2000): Promise<string | undefined> {
	const out = await run(dir, ['describe', '--tags'], timeoutMs);
	return out?.trim() || undefined;
}
