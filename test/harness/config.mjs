// Paths and pinned versions shared by the integration-test launchers.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodePackageName } from './platform.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The VS Code builds the code-server route runs against, each with the Node its code-server release requires.
 * `latest` is the everyday run; `minimum` is the oldest VS Code package.json `engines.vscode` claims (code-server 4.90.x
 * bundles the VS Code 1.90 server), selected with IOT_OTA_VSCODE_TARGET=minimum.
 */
export const SERVER_TARGETS = {
	latest: { name: 'latest', vscode: '1.139', codeServer: '4.139.1', node: '24.21.0' },
	minimum: { name: 'minimum', vscode: '1.90', codeServer: '4.90.3', node: '20.11.1' },
};

/** The oldest VS Code package.json `engines.vscode` accepts, e.g. "1.90.0" for "^1.90.0". */
export const enginesMinimum = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).engines.vscode.replace(
	/^[\^~>= ]+/,
	'',
);

/** The target IOT_OTA_VSCODE_TARGET names (default latest); an unknown name is an error. */
export function serverTarget(env = process.env) {
	const name = env.IOT_OTA_VSCODE_TARGET?.trim() || 'latest';
	const target = SERVER_TARGETS[name];
	if (!target) {
		throw new Error(`IOT_OTA_VSCODE_TARGET=${name} is not one of: ${Object.keys(SERVER_TARGETS).join(', ')}`);
	}
	return target;
}

/** Cache outside git (`.vscode-test/` is gitignored); override with IOT_OTA_VSCODE_CACHE. */
export const cacheDir = path.resolve(process.env.IOT_OTA_VSCODE_CACHE ?? path.join(repoRoot, '.vscode-test'));
export const setupLog = path.join(cacheDir, 'setup.log');

/** Where a target's Node and code-server live in the cache, for this platform (platform.mjs nodePackageName). */
export function serverPaths(target, { platform = process.platform, arch = process.arch } = {}) {
	const nodePackage = nodePackageName(platform, arch);
	const nodeDir = path.join(cacheDir, `node-v${target.node}-${platform}-${arch}`);
	const codeServerPrefix = path.join(cacheDir, `code-server-${target.codeServer}`);
	const codeServerDir = path.join(codeServerPrefix, 'node_modules', 'code-server');
	const vscodeServerDir = path.join(codeServerDir, 'lib', 'vscode');
	return {
		nodePackage,
		nodeDir,
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		codeServerPrefix,
		codeServerDir,
		vscodeServerDir,
		serverMain: path.join(vscodeServerDir, 'out', 'server-main.js'),
		setupMarker: path.join(cacheDir, `server-setup-complete-${target.codeServer}-node${target.node}.json`),
	};
}

/** Where counts, logs and screenshots go (gitignored); IOT_OTA_RESULTS_DIR overrides it. */
export const resultsDir = path.resolve(process.env.IOT_OTA_RESULTS_DIR ?? path.join(repoRoot, 'test-results'));
export const screenshotsDir = path.join(resultsDir, 'screenshots');
export const integrationCountsFile = path.join(resultsDir, 'integration-counts.json');
export const uiChecksFile = path.join(resultsDir, 'ui-checks.json');
/** The tier summary of one target's run: vscode-tier.json (latest), vscode-tier-minimum.json. */
export function vscodeTierFile(target = SERVER_TARGETS.latest) {
	return path.join(resultsDir, target.name === 'latest' ? 'vscode-tier.json' : `vscode-tier-${target.name}.json`);
}

/** The extension's test build (test/extension/main.ts + the packaged manifest files), loaded by the mocha runs. */
export const testExtensionDir = path.join(repoRoot, 'out', 'test-extension');
export const testsOutDir = path.join(repoRoot, 'out', 'test', 'integration');
export const testsEntry = path.join(testsOutDir, 'index.js');
/** The folder of test/integration whose suites run in a multi-root workspace only (run-vscode.mjs, index.ts). */
export const MULTI_ROOT_SUITES = 'multiRoot';
export const fixtureWorkspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
