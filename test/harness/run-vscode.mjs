// `npm run test:vscode` — the integration tier: the mocha suite against the extension's test build in a real VS Code,
// on the route platform.mjs chooses (code-server: VS Code server + local Chromium, offline once set up, then the UI
// checks with screenshots; electron: desktop VS Code through @vscode/test-electron, no UI checks). Prints as its final
// line `vscode: N passed, N failed, N skipped` and writes test-results/vscode-tier.json; exits non-zero when anything
// failed. Env: IOT_OTA_VSCODE_ROUTE (code-server | electron), IOT_OTA_VSCODE_TARGET (latest | minimum: the oldest
// VS Code engines.vscode claims), IOT_OTA_UI_CHECKS=0 skips the UI session (used by the harness self-test),
// IOT_OTA_UI_CHECK=<id,…> runs only those UI checks (the rest count as skipped); IOT_OTA_RUN_TIMEOUT_MIN (default 15)
// bounds everything after the cached setup, which has its own 45-minute limit (a first install takes ~7 min).
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { launchChromium } from './browser.mjs';
import { buildExtension, buildIntegrationTests, buildTestExtension } from './build-tests.mjs';
import { integrationCountsFile, repoRoot, resultsDir, serverTarget, uiChecksFile, vscodeTierFile } from './config.mjs';
import { runMochaSession } from './mochaSession.mjs';
import { mergeSessions, sessionsToRun } from './sessions.mjs';
import { chooseRoute } from './platform.mjs';
import { runElectronSuite } from './run-electron.mjs';
import { startVsCodeServer } from './server.mjs';
import { ensureServerSetup, stopSetupProcesses } from './setup.mjs';
import { activeFilters, countsLine, partialRunBanner } from './filters.mjs';
import { LARGE_FIRMWARE_MB, UI_CHECK_IDS, runUiChecks, selectUiChecks } from './uiChecks.mjs';
import { createMultiRootWorkspace, createTestWorkspace } from './workspace.mjs';

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
	const file = vscodeTierFile(serverTarget());
	mkdirSync(path.dirname(file), { recursive: true });
	writeFileSync(file, JSON.stringify(summary, null, '\t'));
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

/** The code-server route: set-up (cached), the mocha suite, then the UI checks on a second server. */
async function runCodeServerRoute(target, uiChecks) {
	const started = Date.now();
	const setup = await ensureServerSetup(target);
	armHardTimeout(RUN_TIMEOUT_MS, 'run');
	print(
		`vscode: VS Code server ${setup.vscodeVersion} (code-server ${target.codeServer}, Node ${target.node}), setup checked in ${seconds(started)}`,
	);
	await build();

	const browser = await launchChromium(setup.chromium);
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
	const sessions = sessionsToRun();
	const results = [];
	if (sessions.folder) {
		results.push(
			await runMochaSession({
				browser,
				server: mochaServer,
				workspace: testWorkspace.path,
				timeoutMs: MOCHA_TIMEOUT_MS,
				countsFile,
				print,
			}),
		);
	}
	if (sessions.multiRoot) {
		// test/integration/multiRoot/: a session of its own on the same server, in a multi-root workspace (index.ts runs
		// those files there and only there); its counts add to the other session's.
		print('vscode: ── mocha suite in a multi-root workspace ──');
		const multiRootWorkspace = createMultiRootWorkspace();
		cleanups.push(async () => multiRootWorkspace.dispose());
		results.push(
			await runMochaSession({
				browser,
				server: mochaServer,
				workspace: multiRootWorkspace.path,
				timeoutMs: MOCHA_TIMEOUT_MS,
				countsFile,
				print,
			}),
		);
	}
	const mocha = results.reduce(mergeSessions);
	writeFileSync(integrationCountsFile, JSON.stringify(mocha.counts, null, '\t'));
	await mochaServer.stop();
	print(`vscode: mocha finished in ${seconds(mochaStarted)} (exit code ${mocha.exitCode})`);

	let ui = [];
	if (uiChecks.length > 0) {
		const uiStarted = Date.now();
		print('vscode: ── UI checks (screenshots in test-results/screenshots/) ──');
		const uiWorkspace = createTestWorkspace({
			label: 'ui-workspace',
			// Real time in the Local Sandbox: the OTA checks look at a job while it is still in progress.
			settings: { 'iotOta.suffixMode': 'alwaysInfer', 'iotOta.sandbox.timeScale': 1 },
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
	}
	return { vscodeVersion: setup.vscodeVersion, mocha: mocha.counts, ui };
}

/** The electron route: the same suite in desktop VS Code; the UI checks drive the web workbench, so they do not run. */
async function runElectronRoute(target) {
	armHardTimeout(RUN_TIMEOUT_MS, 'run');
	await build();
	print('vscode: ── mocha suite in desktop VS Code (@vscode/test-electron) ──');
	const { counts, vscodeVersion } = await runElectronSuite({ target, build: false });
	return { vscodeVersion, mocha: counts, ui: [] };
}

async function build() {
	const started = Date.now();
	buildExtension();
	await buildTestExtension();
	const built = await buildIntegrationTests();
	print(`vscode: built dist/extension.js, out/test-extension and ${built.length} integration file(s) in ${seconds(started)}`);
}

/** A failed pseudo-test when the run did not get the VS Code its target names (e.g. the engines.vscode minimum). */
function versionCheck(target, vscodeVersion) {
	const ok = vscodeVersion.startsWith(`${target.vscode}.`) || vscodeVersion.includes(` ${target.vscode}.`) || target.name === 'latest';
	return ok
		? []
		: [{ title: `VS Code ${target.vscode} (target ${target.name})`, state: 'failed', error: `the run used VS Code ${vscodeVersion}` }];
}

async function main() {
	const started = Date.now();
	const { route, reason } = chooseRoute({ platform: process.platform, arch: process.arch, env: process.env });
	const target = serverTarget();
	const selected = uiChecksEnabled ? selectUiChecks() : []; // an unknown IOT_OTA_UI_CHECK fails before anything starts
	// The UI checks need the web workbench, and run once, on the latest target: the minimum pass is the mocha suite.
	const uiChecks = route === 'code-server' && target.name === 'latest' ? selected : [];
	const banner = process.env.IOT_OTA_HARNESS_SELFTEST ? '' : partialRunBanner(activeFilters());
	if (banner) {
		print(banner);
	}
	print(`vscode: route ${route} (${reason}); VS Code target ${target.name}`);
	const run = route === 'code-server' ? await runCodeServerRoute(target, uiChecks) : await runElectronRoute(target);
	const mocha = { ...run.mocha, tests: [...run.mocha.tests, ...versionCheck(target, run.vscodeVersion)] };
	mocha.failed += mocha.tests.length - run.mocha.tests.length;
	for (const test of mocha.tests) {
		print(
			`  ${test.state === 'passed' ? '✔' : test.state === 'failed' ? '✘' : '-'} ${test.title}${test.error ? `\n      ${test.error.split('\n')[0]}` : ''}`,
		);
	}
	if (selected.length > uiChecks.length) {
		print(
			`vscode: ${selected.length} UI check(s) skipped: they run on the code-server route's latest target only (this is ${route}, ${target.name})`,
		);
	} else if (!uiChecksEnabled) {
		print('vscode: UI checks skipped (IOT_OTA_UI_CHECKS=0)');
	}

	const { ui } = run;
	const uiPassed = ui.filter((r) => r.state === 'passed').length;
	const uiSkipped = UI_CHECK_IDS.length - ui.length;
	const passed = mocha.passed + uiPassed;
	const failed = mocha.failed + (ui.length - uiPassed);
	const skipped = mocha.pending + uiSkipped;
	writeTierSummary({
		route,
		target: target.name,
		vscodeVersion: run.vscodeVersion,
		passed,
		failed,
		skipped,
		mocha,
		ui,
		durationMs: Date.now() - started,
	});
	print(
		`vscode: mocha ${countsLine({ passed: mocha.passed, failed: mocha.failed, skipped: mocha.pending })}; ` +
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
