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

	/** Plain images (no version inside) in `dir`/build, uploaded with --create and no --dest-version from `dir`. */
	async function uploadFrom(dir: string, names = ['app.bin']): Promise<{ code: string; message: string }> {
		mkdirSync(path.join(dir, 'build'), { recursive: true });
		names.forEach((name) => writeFileSync(path.join(dir, 'build', name), Buffer.alloc(4096, 0x5a)));
		const files = names.map((name) => `build/${name}`);
		const result = await runCli(cli.cliPath, ['upload', ...files, '--create', '--product-key', 'a1BcDeFgHiJ', '--json'], {
			env: cleanEnv(path.join(work, 'home'), {
				ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tDetectedVersion',
				ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'DetectedVersionSecret0123456789',
			}),
			cwd: dir,
		});
		assert.equal(result.code, EXIT_USAGE, `${result.stdout}\n${result.stderr}`);
		return (parseJsonOutput(result) as { error: { code: string; message: string } }).error;
	}

	void test('in a git repository with a tag, the hint names what git describe gives', async () => {
		const repo = path.join(work, 'repo');
		mkdirSync(repo);
		const git = (...args: string[]) =>
			execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
				cwd: repo,
				env: cleanEnv(path.join(work, 'home'), { GIT_CONFIG_NOSYSTEM: '1' }),
				stdio: 'ignore',
			});
		git('init', '-q');
		writeFileSync(path.join(repo, 'main.c'), 'int main(void) { return 0; }\n');
		git('add', 'main.c');
		git('commit', '-q', '-m', 'first');
		git('tag', '1.2.0');
		const error = await uploadFrom(repo);
		assert.equal(error.code, 'DestVersionRequired');
		assert.match(error.message, /^DestVersion is required: "app\.bin" .* declares no version to take it from\. /);
		assert.ok(
			error.message.endsWith(
				' git describe gives 1.2.0: add --dest-version 1.2.0 if that is the version devices report after the update.',
			),
			error.message,
		);
	});

	void test("outside a git repository, the nearest platformio.ini's custom_version is named with its path", async () => {
		const project = path.join(work, 'pio');
		mkdirSync(project);
		writeFileSync(path.join(project, 'platformio.ini'), '[env:esp32]\nboard = esp32dev\ncustom_version = 2.4.1\n');
		const error = await uploadFrom(project);
		assert.equal(error.code, 'DestVersionRequired');
		assert.ok(
			error.message.endsWith(
				` ${path.join(project, 'platformio.ini')} gives 2.4.1: add --dest-version 2.4.1 if that is the version devices report after the update.`,
			),
			error.message,
		);
	});

	void test('a multi-file package whose files declare no version: the same hint', async () => {
		const project = path.join(work, 'package');
		mkdirSync(project);
		writeFileSync(path.join(project, 'version.txt'), '# release\n3.0.2\n');
		const error = await uploadFrom(project, ['app.bin', 'spiffs.bin']);
		assert.equal(error.code, 'DestVersionRequired');
		assert.match(error.message, /^DestVersion is required: none of the 2 files declares a version to take it from\. /);
		assert.ok(
			error.message.endsWith(
				` ${path.join(project, 'version.txt')} gives 3.0.2: add --dest-version 3.0.2 if that is the version devices report after the update.`,
			),
			error.message,
		);
	});

	void test('where the project states no version, the hint stays the general one', async () => {
		const plain = path.join(work, 'plain');
		mkdirSync(plain);
		const error = await uploadFrom(plain);
		assert.equal(error.code, 'DestVersionRequired');
		assert.ok(error.message.endsWith(` ${DEST_VERSION_HINT}`), error.message);
	});
});
