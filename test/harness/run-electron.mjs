// The electron route: the same mocha suite in desktop VS Code through @vscode/test-electron. `npm test` takes it where
// the code-server route cannot run (platform.mjs chooseRoute); `npm run test:electron` takes it anywhere.
// Downloads VS Code into .vscode-test/ (stable; the engines.vscode minimum with IOT_OTA_VSCODE_TARGET=minimum; any
// version with IOT_OTA_VSCODE_VERSION) unless IOT_OTA_VSCODE_EXECUTABLE points at an installed `code` binary.
// On Linux without a display, run it under `xvfb-run -a npm run test:electron`.
// Prints as its final line `electron: N passed, N failed, N skipped` (counts from test-results/integration-counts.json).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { buildExtension, buildIntegrationTests, buildTestExtension } from './build-tests.mjs';
import {
	cacheDir,
	enginesMinimum,
	integrationCountsFile,
	repoRoot,
	resultsDir,
	serverTarget,
	testExtensionDir,
	testsEntry,
} from './config.mjs';
import { withMultiRootNotRun } from './sessions.mjs';
import { createTestWorkspace } from './workspace.mjs';

function explainFailure(error) {
	const message = String(error?.message ?? error);
	const offline =
		/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up|Failed to get JSON|update\.code\.visualstudio\.com/i.test(
			message,
		);
	if (offline) {
		return (
			`Could not download VS Code for @vscode/test-electron (${message.split('\n')[0]}).\n` +
			'This machine seems to be offline. Either set IOT_OTA_VSCODE_EXECUTABLE=/path/to/code (an installed VS Code desktop),\n' +
			'or, on Linux x64/arm64, use the code-server route, which works offline once set up: npm run test:vscode\n' +
			'(without IOT_OTA_VSCODE_ROUTE=electron)'
		);
	}
	return `The desktop VS Code test run failed: ${message}`;
}

function readCounts() {
	try {
		return JSON.parse(readFileSync(integrationCountsFile, 'utf8'));
	} catch {
		return undefined;
	}
}

/**
 * The desktop VS Code version this run uses: the `minimum` target always runs engines.vscode's version (the pass must
 * prove that version, whatever the environment names); otherwise IOT_OTA_VSCODE_VERSION, else `stable`.
 */
export function electronVersion(target = serverTarget(), env = process.env) {
	return target.name === 'minimum' ? enginesMinimum : (env.IOT_OTA_VSCODE_VERSION ?? 'stable');
}

/**
 * Runs the mocha suite in desktop VS Code; resolves with { counts, vscodeVersion }. `build` false when the caller
 * already built (run-vscode.mjs builds once for every route).
 */
export async function runElectronSuite({ target = serverTarget(), build = true } = {}) {
	if (build) {
		buildExtension();
		await buildTestExtension();
		await buildIntegrationTests();
	}
	rmSync(integrationCountsFile, { force: true });
	const workspace = createTestWorkspace({ label: 'electron-workspace' });
	// An installed VS Code stands in for `stable` only: the minimum pass downloads the version it names.
	const vscodeExecutablePath = target.name === 'minimum' ? undefined : process.env.IOT_OTA_VSCODE_EXECUTABLE;
	if (vscodeExecutablePath && !existsSync(vscodeExecutablePath)) {
		throw new Error(`IOT_OTA_VSCODE_EXECUTABLE=${vscodeExecutablePath} does not exist.`);
	}
	if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
		console.warn('electron: no DISPLAY set; desktop VS Code needs one on Linux (try `xvfb-run -a npm run test:electron`).');
	}
	const version = electronVersion(target);
	let runError;
	try {
		await runTests({
			extensionDevelopmentPath: testExtensionDir,
			extensionTestsPath: testsEntry,
			launchArgs: [workspace.path, '--disable-extensions'],
			extensionTestsEnv: { IOT_OTA_RESULTS_DIR: resultsDir },
			cachePath: cacheDir,
			timeout: 30_000,
			...(vscodeExecutablePath ? { vscodeExecutablePath } : { version }),
		});
	} catch (error) {
		runError = error;
	} finally {
		workspace.dispose();
	}
	const counts = readCounts();
	if (!counts) {
		throw new Error(
			runError ? explainFailure(runError) : `VS Code exited without writing ${path.relative(repoRoot, integrationCountsFile)}.`,
		);
	}
	if (runError && counts.failed === 0) {
		counts.failed = 1;
	}
	return {
		counts: withMultiRootNotRun(counts),
		vscodeVersion: vscodeExecutablePath ? `desktop VS Code at ${vscodeExecutablePath}` : `desktop VS Code ${version}`,
	};
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	try {
		const { counts } = await runElectronSuite();
		console.log(`electron: ${counts.passed} passed, ${counts.failed} failed, ${counts.pending ?? 0} skipped`);
		process.exit(counts.failed > 0 ? 1 : 0);
	} catch (error) {
		console.error(`electron: ${error.message}`);
		console.log('electron: 0 passed, 1 failed, 0 skipped');
		process.exit(1);
	}
}
