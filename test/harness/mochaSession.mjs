// Browser session 1: opens the workbench with the extension's test build (out/test-extension) as the development
// extension and the `extensionTestsPath` payload, so the server's Node extension host runs out/test/integration/index.js
// (mocha) and the workbench calls codeAutomationExit(code) when it finishes.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { openWorkbenchPage, workbenchLogger, workbenchUrl } from './browser.mjs';
import { integrationCountsFile, resultsDir, testExtensionDir, testsEntry } from './config.mjs';

function readCounts(file) {
	if (!existsSync(file)) {
		return undefined;
	}
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return undefined;
	}
}

/**
 * Runs the mocha suite; resolves with { exitCode, counts } where counts always reflects failure when nothing was reported.
 * `countsFile` is this run's own file (the server got it as IOT_OTA_COUNTS_FILE), so runs in parallel never mix counts;
 * the result is copied to test-results/integration-counts.json.
 */
export async function runMochaSession({ browser, server, workspace, timeoutMs, countsFile, print }) {
	rmSync(countsFile, { force: true });
	let finish;
	const finished = new Promise((resolve) => {
		finish = resolve;
	});
	const { context, page } = await openWorkbenchPage(browser, {
		onLog: workbenchLogger(path.join(resultsDir, 'logs', 'workbench-mocha.log'), print),
		onExit: (code) => finish(Number(code)),
	});
	page.on('pageerror', (error) => print(`[page error] ${error.message}`));
	const timer = setTimeout(() => finish('timeout'), timeoutMs);
	let exitCode;
	try {
		await page.goto(workbenchUrl({ host: server.host, folder: workspace, extensionPath: testExtensionDir, testsEntry }));
		exitCode = await finished;
	} finally {
		clearTimeout(timer);
		await context.close().catch(() => {});
	}

	let counts = readCounts(countsFile);
	rmSync(countsFile, { force: true });
	if (!counts) {
		const why =
			exitCode === 'timeout'
				? `the extension host did not finish the suite within ${timeoutMs / 1000} s`
				: `the suite exited with ${exitCode} without writing its counts (did the extension or index.js fail to load?)`;
		counts = { passed: 0, failed: 1, pending: 0, tests: [{ title: 'integration suite', state: 'failed', error: why }] };
	} else if (exitCode !== 0 && counts.failed === 0) {
		counts.failed = 1;
		counts.tests.push({ title: 'integration suite', state: 'failed', error: `the extension host reported exit code ${exitCode}` });
	}
	writeFileSync(integrationCountsFile, JSON.stringify(counts, null, '\t'));
	return { exitCode: exitCode === 'timeout' ? 1 : exitCode, counts };
}
