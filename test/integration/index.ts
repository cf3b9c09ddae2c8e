// Mocha runner loaded by VS Code as `--extensionTestsPath` (desktop, @vscode/test-electron) or through the
// `extensionTestsPath` payload (VS Code server + Chromium). Suites use mocha's BDD interface: describe/it.
// Writes the counts as JSON (see countsFile()) and logs `integration: N passed, N failed, N skipped` for the launchers
// (skipped = mocha's pending tests: it.skip, describe.skip, this.skip()).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

const TEST_TIMEOUT_MS = 60_000;

interface TestRecord {
	title: string;
	state: 'passed' | 'failed' | 'pending';
	durationMs?: number;
	error?: string;
}

export interface IntegrationCounts {
	passed: number;
	failed: number;
	pending: number;
	tests: TestRecord[];
	/** IOT_OTA_TEST_GREP matched no test of this session: the other session may have its tests (harness sessions.mjs). */
	grepMatchedNone?: boolean;
}

/** IOT_OTA_COUNTS_FILE (set per run by the offline launcher), else <results>/integration-counts.json. */
function countsFile(): string {
	// Compiled to out/test/integration/index.js → the repository root is three levels up.
	const dir = process.env.IOT_OTA_RESULTS_DIR ?? path.resolve(__dirname, '..', '..', '..', 'test-results');
	return process.env.IOT_OTA_COUNTS_FILE ?? path.join(dir, 'integration-counts.json');
}

function findCompiledTests(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			return findCompiledTests(full);
		}
		return entry.name.endsWith('.test.js') ? [full] : [];
	});
}

/** IOT_OTA_HARNESS_SELFTEST=fail adds a deliberately broken assertion, proving failures reach the launcher's exit code. */
function addHarnessSelfTest(mocha: Mocha): void {
	if (process.env.IOT_OTA_HARNESS_SELFTEST !== 'fail') {
		return;
	}
	const suite = Mocha.Suite.create(mocha.suite, 'harness self-test');
	suite.addTest(
		new Mocha.Test('deliberately broken assertion', () => {
			assert.equal(1 + 1, 3, 'this failure is intentional (IOT_OTA_HARNESS_SELFTEST=fail)');
		}),
	);
}

function writeCounts(counts: IntegrationCounts): void {
	const file = countsFile();
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(counts, null, '\t'));
}

/** The suites that need a multi-root workspace (test/harness/config.mjs MULTI_ROOT_SUITES): run there and only there. */
const MULTI_ROOT_SUITES = `multiRoot${path.sep}`;

function inThisWorkspace(relative: string): boolean {
	return relative.startsWith(MULTI_ROOT_SUITES) === (vscode.workspace.workspaceFile !== undefined);
}

/**
 * IOT_OTA_TEST_FILES=upload,views runs only files whose path contains one of the substrings; of those, in a multi-root
 * workspace the suites of multiRoot/, else all the others.
 */
function selectedFiles(): string[] {
	const filters = (process.env.IOT_OTA_TEST_FILES ?? '')
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean);
	const all = findCompiledTests(__dirname)
		.sort()
		.filter((file) => inThisWorkspace(path.relative(__dirname, file)));
	return filters.length === 0 ? all : all.filter((file) => filters.some((f) => path.relative(__dirname, file).includes(f)));
}

/**
 * A `.code-workspace` whose folders the extension host does not have yet: once in CI (after the first session on the
 * same server) it started with the workspace file and no folders, and the multi-root suites failed at once; waiting 60 s
 * did not bring them (second CI run). Folders that come later come by onDidChangeWorkspaceFolders: wait for it
 * (bounded), and fail clearly if they never come.
 */
async function workspaceFoldersLoaded(timeoutMs = 60_000): Promise<void> {
	if (!vscode.workspace.workspaceFile || (vscode.workspace.workspaceFolders?.length ?? 0) > 0) {
		return;
	}
	const workspaceFile = vscode.workspace.workspaceFile;
	const since = Date.now();
	// Said in the run's output, so a green run still shows whether the workbench's first read of the file failed.
	console.log(`integration: ${workspaceFile.toString()} opened without folders; writing it again for the workbench to read`);
	const loaded = new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => {
			listener.dispose();
			reject(
				new Error(`the workspace ${vscode.workspace.workspaceFile?.toString()} opened without folders for ${timeoutMs / 1000} s`),
			);
		}, timeoutMs);
		const listener = vscode.workspace.onDidChangeWorkspaceFolders(() => {
			if ((vscode.workspace.workspaceFolders?.length ?? 0) > 0) {
				clearTimeout(timer);
				listener.dispose();
				resolve();
			}
		});
	});
	// The workbench reads the file once at start and then only when it changes: a first read that failed leaves the
	// workspace without folders for good, so the file is written again (same content) for the workbench to read it anew.
	if (workspaceFile.scheme === 'file') {
		fs.writeFileSync(workspaceFile.fsPath, fs.readFileSync(workspaceFile.fsPath));
	}
	await loaded;
	console.log(`integration: the workspace's folders arrived ${Date.now() - since} ms after the file was written again`);
}

export async function run(): Promise<void> {
	await workspaceFoldersLoaded();
	// IOT_OTA_TEST_GREP narrows the run to matching test titles (mocha --grep).
	const mocha = new Mocha({
		ui: 'bdd',
		timeout: TEST_TIMEOUT_MS,
		color: false,
		reporter: 'spec',
		grep: process.env.IOT_OTA_TEST_GREP || undefined,
	});
	const files = selectedFiles();
	for (const file of files) {
		mocha.addFile(file);
	}
	if (!vscode.workspace.workspaceFile) {
		addHarnessSelfTest(mocha); // once per run: in the first session
	}
	console.log(`integration: running ${files.length} test file(s): ${files.map((f) => path.relative(__dirname, f)).join(', ')}`);

	const counts: IntegrationCounts = { passed: 0, failed: 0, pending: 0, tests: [] };
	await new Promise<void>((resolve) => {
		// run() require()s the files synchronously, so `vscode` resolves through the extension host's module hook.
		const runner = mocha.run(() => resolve());
		runner.on('pass', (test) => {
			counts.passed++;
			counts.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
		});
		runner.on('fail', (test, error: Error) => {
			counts.failed++;
			counts.tests.push({ title: test.fullTitle(), state: 'failed', error: String(error?.stack ?? error).slice(0, 2000) });
		});
		runner.on('pending', (test) => {
			counts.pending++;
			counts.tests.push({ title: test.fullTitle(), state: 'pending' });
		});
	});

	if (counts.passed + counts.failed === 0) {
		counts.failed = 1;
		counts.tests.push({
			title: 'integration suite',
			state: 'failed',
			error: `No tests ran (found ${files.length} *.test.js file(s) in ${__dirname}).`,
		});
		counts.grepMatchedNone = files.length > 0 && Boolean(process.env.IOT_OTA_TEST_GREP);
	}
	writeCounts(counts);
	console.log(`integration: ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} skipped`);
	if (counts.failed > 0) {
		throw new Error(`${counts.failed} integration test(s) failed.`);
	}
}
