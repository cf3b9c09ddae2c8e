// `iot-ota upload app.bin --create` on an image that declares no version: the DestVersionRequired hint names the version
// the project states (git describe, platformio.ini), which is never used on its own (usage exit, nothing uploaded).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXIT_USAGE } from '../../../src/cli/io';
import { DEST_VERSION_HINT } from '../../../src/core/flow/image';
import { buildCli, cleanEnv, parseJsonOutput, runCli, tempDir } from './cliHarness';

void describe('iot-ota upload --create without a DestVersion, in a project that states one', () => {
	let cli: Awaited<ReturnType<typeof buildCli>>;
	let work: string;

	before(async () => {
		work = tempDir('iot-ota-cli-detected-version-');
		cli = await buildCli();
	});

	after(() => {
		cli?.dispose();
		rmSync(work, { recursive: true, force: true });
	});

	/** Plain images (no version inside) in `dir`/build, uploaded with --create and no --dest-version from `cwd`. */
	async function uploadFrom(dir: string, names = ['app.bin'], cwd = dir): Promise<{ code: string; message: string }> {
		mkdirSync(path.join(dir, 'build'), { recursive: true });
		names.forEach((name) => writeFileSync(path.join(dir, 'build', name), Buffer.alloc(4096, 0x5a)));
		const files = names.map((name) => path.relative(cwd, path.join(dir, 'build', name)));
		const result = await runCli(cli.cliPath, ['upload', ...files, '--create', '--product-key', 'a1BcDeFgHiJ', '--json'], {
			env: cleanEnv(path.join(work, 'home'), {
				ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tDetectedVersion',
				ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'DetectedVersionSecret0123456789',
			}),
			cwd,
		});
		assert.equal(result.code, EXIT_USAGE, `${result.stdout}\n${result.stderr}`);
		return (parseJsonOutput(result) as { error: { code: string; message: string } }).error;
	}

	/** A new project folder in `work` holding `files` (name → text). */
	function project(name: string, files: Record<string, string> = {}): string {
		const dir = path.join(work, name);
		mkdirSync(dir);
		Object.entries(files).forEach(([file, text]) => writeFileSync(path.join(dir, file), text));
		return dir;
	}

	/** The DestVersionRequired message ends with the hint naming `where` and `version`. */
	function assertNames(error: { code: string; message: string }, where: string, version: string): void {
		assert.equal(error.code, 'DestVersionRequired');
		const hint = `${where} gives ${version}: add --dest-version ${version} if that is the version devices report after the update.`;
		assert.ok(error.message.endsWith(` ${hint}`), error.message);
	}

	void test('in a git repository with a tag, the hint names what git describe gives', async () => {
		const repo = project('repo', { 'main.c': 'int main(void) { return 0; }\n' });
		const git = (...args: string[]) =>
			execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
				cwd: repo,
				env: cleanEnv(path.join(work, 'home'), { GIT_CONFIG_NOSYSTEM: '1' }),
				stdio: 'ignore',
			});
		git('init', '-q');
		git('add', 'main.c');
		git('commit', '-q', '-m', 'first');
		git('tag', '1.2.0');
		const error = await uploadFrom(repo);
		assert.match(error.message, /^DestVersion is required: "app\.bin" .* declares no version to take it from\. /);
		assertNames(error, 'git describe', '1.2.0');
	});

	void test("outside a git repository, the nearest platformio.ini's custom_version is named with its path", async () => {
		const pio = project('pio', { 'platformio.ini': '[env:esp32]\nboard = esp32dev\ncustom_version = 2.4.1\n' });
		assertNames(await uploadFrom(pio), path.join(pio, 'platformio.ini'), '2.4.1');
	});

	void test('a multi-file package whose files declare no version: the same hint', async () => {
		const dir = project('package', { 'version.txt': '# release\n3.0.2\n' });
		const error = await uploadFrom(dir, ['app.bin', 'spiffs.bin']);
		assert.match(error.message, /^DestVersion is required: none of the 2 files declares a version to take it from\. /);
		assertNames(error, path.join(dir, 'version.txt'), '3.0.2');
	});

	void test('a file outside the working directory: only its own folder is looked at, not the working directory', async () => {
		const here = project('here', { 'version.txt': '9.9.9\n' });
		const beside = project('here-beside');
		const error = await uploadFrom(beside, ['app.bin'], here);
		assert.equal(error.code, 'DestVersionRequired');
		assert.ok(error.message.endsWith(` ${DEST_VERSION_HINT}`), error.message);
		writeFileSync(path.join(beside, 'build', 'version.txt'), '4.0.0\n');
		assertNames(await uploadFrom(beside, ['app.bin'], here), path.join(beside, 'build', 'version.txt'), '4.0.0');
	});

	void test('where the project states no version, the hint stays the general one', async () => {
		const error = await uploadFrom(project('plain'));
		assert.equal(error.code, 'DestVersionRequired');
		assert.ok(error.message.endsWith(` ${DEST_VERSION_HINT}`), error.message);
	});
});
