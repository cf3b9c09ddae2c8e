// A locally installed Chromium (platform.mjs findChromium) driven by playwright-core, opening the VS Code web workbench
// served by the VS Code server.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-dev-shm-usage',
];

export async function launchChromium(executablePath) {
	if (!executablePath) {
		throw new Error(
			'No Chromium or Chrome found; set IOT_OTA_CHROMIUM=/path/to/browser (test/harness/setup.mjs names what to install)',
		);
	}
	try {
		// Signals are handled by the launcher, which stops browser, servers and sandbox in order.
		return await chromium.launch({
			executablePath,
			headless: true,
			args: CHROMIUM_ARGS,
			handleSIGINT: false,
			handleSIGTERM: false,
			handleSIGHUP: false,
		});
	} catch (error) {
		throw new Error(
			`Cannot launch the browser at ${executablePath} (set IOT_OTA_CHROMIUM to another Chromium or Chrome): ${error.message}`,
			{
				cause: error,
			},
		);
	}
}

/**
 * The workbench URL for `folder` (a `.code-workspace` file opens that multi-root workspace), loading the development extension (and the tests, when `testsEntry` is given).
 * The built workbench honours that payload only when the server runs with `--enable-smoke-test-driver`.
 */
export function workbenchUrl({ host, folder, extensionPath, testsEntry }) {
	const remote = (p) => `vscode-remote://${host}${p}`;
	const payload = [];
	if (extensionPath) {
		payload.push(['extensionDevelopmentPath', remote(extensionPath)]);
	}
	if (testsEntry) {
		payload.push(['extensionTestsPath', remote(testsEntry)]);
	}
	const query = payload.length > 0 ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '';
	const open = folder.endsWith('.code-workspace') ? 'workspace' : 'folder';
	return `http://${host}/?${open}=${encodeURIComponent(folder)}${query}`;
}

/** Workbench chatter that is expected offline and says nothing about our extension. */
const NOISE = [
	/\[AgentHost/,
	/ChatModelSelection/,
	/AccountPolicyGate/,
	/\[Service Worker\]/,
	/authentication provider 'github'/,
	/open-vsx\.org/,
	/Long running operations during shutdown/,
	/Unable to read file .*\(Canceled/,
	/chat editing session/i,
	/connection token/,
	/Creating a socket/,
	/reconnection-grace-time/,
	/Updating additional builtin extensions cache/,
];

/** Renders the arguments VS Code passes to `codeAutomationLog(type, args)` as one line (printf-style, like console.log). */
export function formatAutomationLog(type, args) {
	const list = Array.isArray(args) ? args : [args];
	// Extension-host console lines arrive with CSS directives (`%c…`) meant for the devtools console; drop them.
	const text = (typeof list[0] === 'string' ? format(...list) : list.map((a) => JSON.stringify(a)).join(' '))
		.replace(/%c/g, '')
		.replace(/\s*color: [^;]+;?/g, '');
	return `[${type}] ${text}`;
}

/** A `codeAutomationLog` handler: every line goes to `logFile`, lines that are not known noise also to `print`. */
export function workbenchLogger(logFile, print) {
	mkdirSync(path.dirname(logFile), { recursive: true });
	writeFileSync(logFile, '');
	return (type, args) => {
		const line = formatAutomationLog(type, args);
		appendFileSync(logFile, `${line}\n`);
		if (!NOISE.some((pattern) => pattern.test(line))) {
			print(line);
		}
	};
}

/** A fresh context + page with the automation hooks VS Code's test mode calls (`codeAutomationLog`, `codeAutomationExit`). */
export async function openWorkbenchPage(browser, { onLog, onExit }) {
	// The clipboard permissions a desktop VS Code has: without them the web workbench of older VS Code versions reads
	// an empty clipboard, and tests of the Copy commands could not see what was copied.
	const context = await browser.newContext({
		viewport: { width: 1440, height: 900 },
		permissions: ['clipboard-read', 'clipboard-write'],
	});
	const page = await context.newPage();
	await page.exposeFunction('codeAutomationLog', (type, args) => onLog(type, args));
	await page.exposeFunction('codeAutomationExit', (code) => onExit(code));
	return { context, page };
}
