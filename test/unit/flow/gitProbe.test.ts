// The git probe (core/git.ts) runs the git of PATH's absolute folders, never a `git` in the firmware's folder: PATH's
// empty entry stands for the folder a program runs in, as Windows always searches it first.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { gitDescribe, gitExecutable, gitInfo } from '../../../src/core/git';

const work = mkdtempSync(path.join(tmpdir(), 'iot-ota-git-probe-'));
const originalPath = process.env.PATH;
after(() => {
	process.env.PATH = originalPath;
	rmSync(work, { recursive: true, force: true });
});

void test('a git program in the firmware folder is not run, even where PATH names the working folder', async () => {
	const realGit = await gitExecutable();
	assert.ok(realGit, 'git is on PATH');
	const repo = path.join(work, 'repo');
	const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(work, 'gitconfig') };
	const git = (...args: string[]) =>
		execFileSync(realGit, ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, env, stdio: 'ignore' });
	execFileSync(realGit, ['init', '-q', repo], { env, stdio: 'ignore' });
	writeFileSync(path.join(repo, 'main.c'), 'int main(void) { return 0; }\n');
	git('add', 'main.c');
	git('commit', '-q', '-m', 'first');
	git('tag', '1.4.0');
	const marker = path.join(work, 'ran');
	const planted = path.join(repo, 'git');
	writeFileSync(planted, `#!/bin/sh\necho planted > '${marker}'\necho 6.6.6\n`);
	chmodSync(planted, 0o755);

	process.env.PATH = `${path.delimiter}.${path.delimiter}${originalPath ?? ''}`;
	assert.equal(await gitDescribe(repo), '1.4.0');
	assert.match((await gitInfo(repo)).commit ?? '', /^[0-9a-f]{40}$/);
	assert.equal(existsSync(marker), false, 'the git in the firmware folder ran');
	assert.equal(await gitExecutable(), realGit);
	process.env.PATH = `${path.delimiter}.`;
	assert.equal(await gitExecutable(), undefined);
	assert.equal(await gitDescribe(repo), undefined);
	assert.equal(existsSync(marker), false, 'the git in the firmware folder ran');
});
