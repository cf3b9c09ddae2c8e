// Builds the CLI bundle once per test file and runs it as a child process, the way users run it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, type BuildOptions } from 'esbuild';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script is CommonJS and has no types
const buildConfig = require('../../../esbuild.js') as { cliBuilds: (outdir: string) => BuildOptions[] };

const root = path.resolve(__dirname, '..', '..', '..');

export interface CliRun {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

/**
 * Bundles the CLI (the `iot-ota` executable and the bundle it loads) with the options of esbuild.js into a private
 * folder: test files run in parallel, and rebuilding the shared dist/ under a running test could hand it a half-written file.
 */
export async function buildCli(): Promise<{ cliPath: string; dispose(): void }> {
	const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-cli-build-'));
	await Promise.all(
		buildConfig.cliBuilds(dir).map((options) => build({ ...options, absWorkingDir: root, sourcemap: false, plugins: [] })),
	);
	return { cliPath: path.join(dir, 'cli.js'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The parent's environment without any Alibaba Cloud or proxy settings, and with a private HOME. Nor does it keep the
 * parent's cache folders: the CLI's compile cache (Node ≥ 22.8) goes to the private HOME, not the user's own cache.
 */
export function cleanEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		const dropped = /^(ALIBABA_CLOUD|ALIBABACLOUD|ALICLOUD)_|^(https?|no|all)_proxy$/i.test(name);
		if (!dropped && !['NODE_OPTIONS', 'NODE_COMPILE_CACHE', 'XDG_CACHE_HOME', 'LOCALAPPDATA'].includes(name)) {
			env[name] = value;
		}
	}
	return { ...env, HOME: home, USERPROFILE: home, ...extra };
}

export function startCli(
	cliPath: string,
	args: readonly string[],
	opts: { env: NodeJS.ProcessEnv; cwd?: string },
): { child: ChildProcess; done: Promise<CliRun> } {
	const child = spawn(process.execPath, [cliPath, ...args], { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const done = new Promise<CliRun>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
	});
	return { child, done };
}

export function runCli(cliPath: string, args: readonly string[], opts: { env: NodeJS.ProcessEnv; cwd?: string }): Promise<CliRun> {
	return startCli(cliPath, args, opts).done;
}

/** The single JSON object a --json run printed (fails the test when stdout is anything else). */
export function parseJsonOutput(run: CliRun): Record<string, unknown> {
	const text = run.stdout.trim();
	if (!text.startsWith('{') || text.includes('\n')) {
		throw new Error(`expected exactly one JSON line on stdout, got:\n${run.stdout}\nstderr:\n${run.stderr}`);
	}
	return JSON.parse(text) as Record<string, unknown>;
}

export function tempDir(prefix: string): string {
	return mkdtempSync(path.join(tmpdir(), prefix));
}

export function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const tick = (): void => {
			if (condition()) {
				resolve();
			} else if (Date.now() - started > timeoutMs) {
				reject(new Error(`timed out waiting for ${what}`));
			} else {
				setTimeout(tick, 20);
			}
		};
		tick();
	});
}
