// Best-effort git facts about a firmware file's folder: the commit an upload records, the version git describe gives.
import { execFile } from 'node:child_process';

export interface GitInfo {
	commit?: string;
	dirty?: boolean;
}

function run(cwd: string, args: string[], timeoutMs: number): Promise<string | undefined> {
	return new Promise((resolve) => {
		try {
			execFile('git', args, { cwd, timeout: timeoutMs, windowsHide: true, maxBuffer: 1024 * 1024 }, (error, stdout) =>
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
