// Paths and pinned versions shared by the integration-test launchers.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Pinned tool versions. code-server 4.139.1 bundles the VS Code 1.139.1 server and requires Node 24. */
export const NODE24_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

/** Cache outside git (`.vscode-test/` is gitignored); override with IOT_OTA_VSCODE_CACHE. */
export const cacheDir = path.resolve(process.env.IOT_OTA_VSCODE_CACHE ?? path.join(repoRoot, '.vscode-test'));
export const node24Dir = path.join(cacheDir, `node-v${NODE24_VERSION}-linux-x64`);
export const node24Bin = path.join(node24Dir, 'bin', 'node');
export const codeServerPrefix = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerDir = path.join(codeServerPrefix, 'node_modules', 'code-server');
export const vscodeServerDir = path.join(codeServerDir, 'lib', 'vscode');
export const serverMain = path.join(vscodeServerDir, 'out', 'server-main.js');
export const setupMarker = path.join(cacheDir, `server-setup-complete-${CODE_SERVER_VERSION}-node${NODE24_VERSION}.json`);
export const setupLog = path.join(cacheDir, 'setup.log');

export const chromiumPath = process.env.IOT_OTA_CHROMIUM ?? '/usr/bin/chromium';

/** Where counts, logs and screenshots go (gitignored); IOT_OTA_RESULTS_DIR overrides it. */
export const resultsDir = path.resolve(process.env.IOT_OTA_RESULTS_DIR ?? path.join(repoRoot, 'test-results'));
export const screenshotsDir = path.join(resultsDir, 'screenshots');
export const integrationCountsFile = path.join(resultsDir, 'integration-counts.json');
export const uiChecksFile = path.join(resultsDir, 'ui-checks.json');
export const vscodeTierFile = path.join(resultsDir, 'vscode-tier.json');

/** The extension's test build (test/extension/main.ts + the packaged manifest files), loaded by the mocha runs. */
export const testExtensionDir = path.join(repoRoot, 'out', 'test-extension');
export const testsOutDir = path.join(repoRoot, 'out', 'test', 'integration');
export const testsEntry = path.join(testsOutDir, 'index.js');
export const fixtureWorkspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
