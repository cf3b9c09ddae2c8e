// `npm run test:vscode` — the offline integration tier: the mocha suite in a real VS Code extension host (VS Code
// server from code-server + Chromium), then UI checks with screenshots. Prints as its final line
// `vscode: N passed, N failed, N skipped` and writes test-results/vscode-tier.json; exits non-zero when anything failed.
// Env: IOT_OTA_UI_CHECKS=0 skips the UI session (used by the harness self-test), IOT_OTA_UI_CHECK=<id,…> runs only
// those UI checks (skipped ones are counted); IOT_OTA_RUN_TIMEOUT_MIN (default 15) bounds everything after the cached
// setup, which has its own 45-minute limit (a first install takes ~7 min).
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { launchChromium } from './browser.mjs';
import { buildExtension, buildIntegrationTests, buildTestExtension } from './build-tests.mjs';
import { repoRoot, resultsDir, uiChecksFile, vscodeTierFile } from './config.mjs';
import { runMochaSession } from './mochaSession.mjs';
import { startVsCodeServer } from './server.mjs';
import { ensureServerSetup, stopSetupProcesses } from './setup.mjs';
import { activeFilters, countsLine, partialRunBanner } from './filters.mjs';
import { LARGE_FIRMWARE_MB, UI_CHECK_IDS, runUiChecks, selectUiChecks } from './uiChecks.mjs';
import { createTestWorkspace } from './workspace.mjs';

const RUN_TIMEOUT_MS = Number(process.env.IOT_OTA_RUN_TIMEOUT_MIN ?? 15) * 60_000;
const SETUP_TIMEOUT_MS = 45 * 60_000;
const MOCHA_TIMEOUT_MS = 10 * 60_000;
const uiChecksEnabled = process.env.IOT_OTA_UI_CHECKS !== '0';

const print = (line) => console.log(line);

/** User settings for the throwaway profile: no welcome page, AI panel, update checks or telemetry in the screenshots. */
const QUIET_USER_SETTINGS = {
	'workbench.startupEditor': 'none',
	'workbench.secondarySideBar.defaultVisibility': 'hidden',
	'workbench.tips.enabled': false,
	'chat.disableAIFeatures': true,
	'extensions.autoCheckUpdates': false,
	'extensions.autoUpdate': false,
	'update.mode': 'none',
	'telemetry.telemetryLevel': 'off',
};
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Everything that must be stopped, in reverse order of creation, on success, failure, timeout or Ctrl-C. */
const cleanups = [];
let cleaning;
function cleanup() {
	cleaning ??= (async () => {
		for (const step of cleanups.reverse()) {
			await step().catch((error) => console.error(`cleanup: ${error.message}`));
		}
	})();
	return cleaning;
}

function writeTierSummary(summary) {
	mkdirSync(path.dirname(vscodeTierFile), { recursive: true });
	writeFileSync(vscodeTierFile, JSON.stringify(summary, null, '\t'));
}

/** A VS Code server with throwaway data dirs; stopped by cleanup() at the latest. */
async function startServer(setup, name, env, { smokeTestDriver = true, installExtension } = {}) {
	const server = await startVsCodeServer({
		...setup,
		env,
		smokeTestDriver,
		installExtension,
		userSettings: QUIET_USER_SETTINGS,
		logFile: path.join(resultsDir, 'logs', `vscode-server-${name}.log`),
	});
	cleanups.push(server.stop);
	process.on('exit', server.stopNow);
	print(`vscode: ${name} server on http://${server.host} (log: ${path.relative(process.cwd(), server.logFile)})`);
	return server;
}

async function main() {
	const started = Date.now();
	const uiChecks = uiChecksEnabled ? selectUiChecks() : []; // an unknown IOT_OTA_UI_CHECK fails before anything starts
	const banner = process.env.IOT_OTA_HARNESS_SELFTEST ? '' : partialRunBanner(activeFilters());
	if (banner) {
		print(banner);
	}
	const setup = await ensureServerSetup();
	armHardTimeout(RUN_TIMEOUT_MS, 'run');
	print(
		`vscode: VS Code server ${setup.vscodeVersion} (code-server package, Node 24 extension host), setup checked in ${seconds(started)}`,
	);

	const buildStarted = Date.now();
	buildExtension();
	await buildTestExtension();
	const built = await buildIntegrationTests();
	print(`vscode: built dist/extension.js, out/test-extension and ${built.join(', ')} in ${seconds(buildStarted)}`);

	const browser = await launchChromium();
	cleanups.push(() => browser.close());

	const mochaStarted = Date.now();
	print('vscode: ── mocha suite in the extension host ──');
	const testWorkspace = createTestWorkspace({ label: 'mocha-workspace' });
	cleanups.push(async () => testWorkspace.dispose());
	// The mocha run loads the extension's test build (scripted prompts, test API from activate()); the UI checks below
	// install the production build.
	const countsFile = path.join(tmpdir(), `iot-ota-integration-counts-${process.pid}-${Date.now()}.json`);
	const mochaServer = await startServer(setup, 'mocha', {
		IOT_OTA_RESULTS_DIR: resultsDir,
		IOT_OTA_COUNTS_FILE: countsFile,
	});
	const mocha = await runMochaSession({
		browser,
		server: mochaServer,
		workspace: testWorkspace.path,
		timeoutMs: MOCHA_TIMEOUT_MS,
		countsFile,
		print,
	});
	await mochaServer.stop();
	print(`vscode: mocha finished in ${seconds(mochaStarted)} (exit code ${mocha.exitCode}); tests:`);
	for (const test of mocha.counts.tests) {
		print(
			`  ${test.state === 'passed' ? '✔' : test.state === 'failed' ? '✘' : '-'} ${test.title}${test.error ? `\n      ${test.error.split('\n')[0]}` : ''}`,
		);
	}

	let ui = [];
	if (uiChecksEnabled) {
		const uiStarted = Date.now();
		print('vscode: ── UI checks (screenshots in test-results/screenshots/) ──');
		const uiWorkspace = createTestWorkspace({
			label: 'ui-workspace',
			settings: { 'iotOta.suffixMode': 'alwaysInfer' },
			largeFirmwareMb: LARGE_FIRMWARE_MB,
		});
		cleanups.push(async () => uiWorkspace.dispose());
		// A second server with the production build: real prompts, a fresh profile and the extension installed from its
		// packaged files, as a user would have it. Without the smoke-test driver too: with it, the workbench never shows
		// notification toasts (NotificationsToasts.addToast), and the progress notification is one of the screenshots.
		const uiServer = await startServer(setup, 'ui', {}, { smokeTestDriver: false, installExtension: repoRoot });
		ui = await runUiChecks({ browser, server: uiServer, workspace: uiWorkspace.path, print, checks: uiChecks });
		await uiServer.stop();
		writeFileSync(uiChecksFile, JSON.stringify(ui, null, '\t'));
		print(`vscode: UI checks finished in ${seconds(uiStarted)}`);
	} else {
		print('vscode: UI checks skipped (IOT_OTA_UI_CHECKS=0)');
	}

	const uiPassed = ui.filter((r) => r.state === 'passed').length;
	const uiSkipped = UI_CHECK_IDS.length - uiChecks.length;
	const passed = mocha.counts.passed + uiPassed;
	const failed = mocha.counts.failed + (ui.length - uiPassed);
	const skipped = mocha.counts.pending + uiSkipped;
	writeTierSummary({
		vscodeVersion: setup.vscodeVersion,
		passed,
		failed,
		skipped,
		mocha: mocha.counts,
		ui,
		durationMs: Date.now() - started,
	});
	print(
		`vscode: mocha ${countsLine({ passed: mocha.counts.passed, failed: mocha.counts.failed, skipped: mocha.counts.pending })}; ` +
			`UI ${countsLine({ passed: uiPassed, failed: ui.length - uiPassed, skipped: uiSkipped })}; total ${seconds(started)}`,
	);
	if (banner) {
		print(banner);
	}
	print(`vscode: ${countsLine({ passed, failed, skipped })}`);
	return failed > 0 ? 1 : 0;
}

let aborted = false;
function abort(reason, code) {
	if (aborted) {
		return;
	}
	aborted = true;
	console.error(`vscode: ${reason}; stopping the server and browser`);
	stopSetupProcesses();
	writeTierSummary({ passed: 0, failed: 1, skipped: 0, error: reason });
	void cleanup().finally(() => {
		print('vscode: 0 passed, 1 failed, 0 skipped');
		process.exit(code);
	});
}

process.once('SIGINT', () => abort('interrupted (SIGINT)', 130));
process.once('SIGTERM', () => abort('terminated (SIGTERM)', 143));
let hardTimeout;
function armHardTimeout(ms, phase) {
	clearTimeout(hardTimeout);
	hardTimeout = setTimeout(() => abort(`hard timeout: the ${phase} phase exceeded ${ms / 60_000} min`, 1), ms);
}
armHardTimeout(SETUP_TIMEOUT_MS, 'setup');

let exitCode = 1;
try {
	exitCode = await main();
} catch (error) {
	if (aborted) {
		await new Promise(() => {}); // abort() reports and exits
	}
	console.error(`vscode: the integration tier could not run: ${error.message}`);
	writeTierSummary({ passed: 0, failed: 1, skipped: 0, error: error.message });
	print('vscode: 0 passed, 1 failed, 0 skipped');
} finally {
	clearTimeout(hardTimeout);
	await cleanup();
}
process.exit(exitCode);
