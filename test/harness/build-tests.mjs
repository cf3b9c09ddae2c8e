// Builds what the integration launchers load: the extension bundle (dist/, via esbuild.js; the UI checks install it),
// the extension's test build (out/test-extension/: the packaged manifest, l10n and media files, and dist/ bundled from
// test/extension/main.ts, whose activate() returns the test API), and the mocha suite (test/integration/**/*.ts →
// out/test/integration/**/*.js, one CommonJS bundle per file, `vscode` and `mocha` external).
// Usage: node test/harness/build-tests.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { cacheDir, repoRoot, testExtensionDir, testsOutDir } from './config.mjs';
import { copyFiles, packagedFiles } from './installExtension.mjs';
import { refreshWorkspaceAt } from './workspace.mjs';

const buildConfig = createRequire(import.meta.url)('../../esbuild.js');
const TEST_EXTENSION_ENTRY = 'test/extension/main.ts';

const sourceDir = path.join(repoRoot, 'test', 'integration');

function findSources(dir) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			return findSources(full);
		}
		return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
	});
}

/** Runs the project's esbuild.js (extension + CLI). IOT_OTA_SKIP_BUILD=1 keeps the existing dist/ (for iterating). */
export function buildExtension() {
	if (process.env.IOT_OTA_SKIP_BUILD === '1') {
		console.log('build: IOT_OTA_SKIP_BUILD=1 — using the existing dist/extension.js');
		return;
	}
	const result = spawnSync(process.execPath, ['esbuild.js'], { cwd: repoRoot, encoding: 'utf8' });
	if (result.status !== 0) {
		throw new Error(`Building the extension (node esbuild.js) failed:\n${result.stdout}${result.stderr}`);
	}
}

function buildFailure(what, error) {
	const messages = (error.errors ?? []).map((e) => `  ${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`);
	return new Error(`Building ${what} failed:\n${messages.join('\n') || error.message}`, { cause: error });
}

/**
 * The extension's test build in out/test-extension/: the files `vsce package` would ship except dist/, and a dist/ laid
 * out like the production one (esbuild.js extensionBuilds) but bundled from test/extension/main.ts.
 */
export async function buildTestExtension() {
	const files = (await packagedFiles(repoRoot)).map((file) => file.split(path.sep).join('/')).filter((file) => !file.startsWith('dist/'));
	copyFiles(repoRoot, testExtensionDir, files);
	const options = { ...buildConfig.common, absWorkingDir: repoRoot, minify: false, sourcemap: true, plugins: [] };
	try {
		await Promise.all(
			buildConfig
				.extensionBuilds(path.join(testExtensionDir, 'dist'), options, TEST_EXTENSION_ENTRY)
				.map((entry) => esbuild.build(entry)),
		);
	} catch (error) {
		throw buildFailure('the test build of the extension', error);
	}
}

/** Bundles every test/integration/**\/*.ts (index.ts and *.test.ts and helpers) so tests can import src/ code. */
export async function buildIntegrationTests() {
	const entryPoints = findSources(sourceDir);
	try {
		await esbuild.build({
			entryPoints,
			outbase: sourceDir,
			outdir: testsOutDir,
			bundle: true,
			format: 'cjs',
			platform: 'node',
			target: 'node20',
			sourcemap: 'inline',
			external: ['vscode', 'mocha'],
			logLevel: 'silent',
		});
	} catch (error) {
		throw buildFailure('the integration tests', error);
	}
	removeStaleOutputs(entryPoints);
	return entryPoints.map((file) => path.relative(repoRoot, file));
}

/** Deletes compiled files whose source is gone (rather than wiping the folder a parallel run may be loading). */
function removeStaleOutputs(entryPoints) {
	const expected = new Set(entryPoints.map((file) => path.join(testsOutDir, path.relative(sourceDir, file)).replace(/\.ts$/, '.js')));
	const walk = (dir) =>
		(existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []).flatMap((entry) => {
			const full = path.join(dir, entry.name);
			return entry.isDirectory() ? walk(full) : [full];
		});
	for (const file of walk(testsOutDir)) {
		if (file.endsWith('.js') && !expected.has(file)) {
			rmSync(file, { force: true });
		}
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	try {
		buildExtension();
		await buildTestExtension();
		const built = await buildIntegrationTests();
		const workspace = refreshWorkspaceAt(path.join(cacheDir, 'fixture-workspace'));
		console.log(
			`built dist/extension.js, its test build in ${path.relative(repoRoot, testExtensionDir)}/ and ${built.length} integration file(s) into ${path.relative(repoRoot, testsOutDir)}/; ` +
				`fixture workspace for F5: ${path.relative(repoRoot, workspace)}/`,
		);
	} catch (error) {
		console.error(error.message);
		process.exit(1);
	}
}
