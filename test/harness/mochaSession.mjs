// Browser session 1: opens the workbench with the extension's test build (out/test-extension) as the development
// extension and the `extensionTestsPath` payload, so the server's Node extension host runs out/test/integration/index.js
// (mocha) and the workbench calls codeAutomationExit(code) when it finishes.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { openWorkbenchPage, workbenchLogger, workbenchUrl } from './browser.mjs';
import { integrationCountsFile, MULTI_ROOT_SUITES, repoRoot, resultsDir, testExtensionDir, testsEntry } from './config.mjs';

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

/**
 * Which sessions IOT_OTA_TEST_FILES (as index.ts reads it) needs: `folder` for the suites of test/integration, `multiRoot`
 * for those of its MULTI_ROOT_SUITES folder. With nothing selected the folder session runs (and reports that none ran).
 */
export function sessionsToRun(env = process.env) {
	const filters = (env.IOT_OTA_TEST_FILES ?? '')
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean);
	const suites = readdirSync(path.join(repoRoot, 'test', 'integration'), { recursive: true })
		.map((name) => name.split(path.sep).join('/'))
		.filter((name) => name.endsWith('.test.ts'))
		.map((name) => name.replace(/\.ts$/, '.js'))
		.filter((suite) => filters.length === 0 || filters.some((f) => suite.includes(f)));
	const multiRoot = suites.some((suite) => suite.startsWith(`${MULTI_ROOT_SUITES}/`));
	return { folder: !multiRoot || suites.some((suite) => !suite.startsWith(`${MULTI_ROOT_SUITES}/`)), multiRoot };
}

/** Two mocha sessions' results as one: counts added, tests listed in order, the worse exit code. */
export function mergeSessions(first, second) {
	const counts = {
		passed: first.counts.passed + second.counts.passed,
		failed: first.counts.failed + second.counts.failed,
		pending: first.counts.pending + second.counts.pending,
		tests: [...first.counts.tests, ...second.counts.tests],
	};
	writeFileSync(integrationCountsFile, JSON.stringify(counts, null, '\t'));
	return { exitCode: first.exitCode !== 0 ? first.exitCode : second.exitCode, counts };
}
