// The two shells' adapters for the parity test: the CLI as users run it (node dist/cli.js, SIGINT to cancel) and
// the extension's commands as users run them (upload, then Create OTA Firmware, then Insert FirmwareUrl; Cancel
// Upload to cancel), both against one sandbox whose request log is what gets compared.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LoggedRequest, Sandbox } from '../../../src/sandbox';
import { waitFor } from './ota';

/** A spawned `iot-ota` run: its exit code and output once done, stderr so far while it runs. */
export interface CliRun {
	stderr(): string;
	interrupt(): void;
	exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/**
 * The CLI the launchers built next to the extension (node esbuild.js → <repository>/dist/cli.js; it is not part of
 * the extension package). The suite is compiled to out/test/integration/, three levels below the repository.
 */
const CLI_PATH = path.resolve(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** Starts the CLI with the sandbox's keys and nothing else from the environment. */
export function startCli(args: readonly string[], sandbox: Sandbox): CliRun {
	if (!existsSync(CLI_PATH)) {
		throw new Error(`${CLI_PATH} does not exist: build it with node esbuild.js`);
	}
	const home = mkdtempSync(path.join(tmpdir(), 'iot-ota-parity-home-'));
	const inherited = Object.entries(process.env).filter(
		([name]) => !/^(ALIBABA_CLOUD|ALIBABACLOUD|ALICLOUD)_|^(https?|no|all)_proxy$|^NODE_OPTIONS$|^VSCODE_|^ELECTRON_/i.test(name),
	);
	const env = {
		...Object.fromEntries(inherited),
		HOME: home,
		USERPROFILE: home,
		// The extension host may be Electron: make its binary behave as plain Node.
		ELECTRON_RUN_AS_NODE: '1',
		ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
		ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret,
	};
	const child = spawn(process.execPath, [CLI_PATH, ...args], {
		env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
		const removeHome = () => rmSync(home, { recursive: true, force: true });
		child.on('error', (error) => {
			removeHome();
			reject(error);
		});
		child.on('close', (code) => {
			removeHome();
			resolve({ code, stdout, stderr });
		});
	});
	return { stderr: () => stderr, interrupt: () => void child.kill('SIGINT'), exited };
}

/** Resolves once the CLI's stderr contains `text`. */
export function stderrShows(run: CliRun, text: string): Promise<void> {
	return waitFor(() => run.stderr().includes(text), `the CLI to print "${text}"`).then(() => undefined);
}

const INPUT_GATHERING = new Set(['QueryProductList', 'ListOTAModuleByProduct']);

/**
 * One shell's requests, as comparable lines: the shell's own calls (not the test's, which use the STS key), without
 * the extension's input gathering (QueryProductList fills its product picker, ListOTAModuleByProduct decides whether
 * it asks for a module), with run-specific values named.
 */
export function requestLines(entries: readonly LoggedRequest[], sandbox: Sandbox, uploadedUrl: string | undefined): string[] {
	return entries
		.filter((e) => e.accessKeyId !== sandbox.sts.accessKeyId && !INPUT_GATHERING.has(e.action))
		.map((e) => {
			const params = Object.entries(e.params)
				.map(([name, value]): [string, string] => {
					if (name === 'FirmwareUrl' && value === uploadedUrl) {
						return [name, '<this upload>'];
					}
					return [name, name === 'FirmwareId' ? '<FirmwareId>' : value];
				})
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([name, value]) => `${name}=${value}`);
			return `${e.target}:${e.action}${params.length > 0 ? ` ${params.join(' ')}` : ''}`;
		});
}
