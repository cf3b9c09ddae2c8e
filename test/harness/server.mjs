// Starts the VS Code server from code-server's package (lib/vscode/out/server-main.js) under Node 24, in its own
// process group so the server, its extension hosts and anything they spawn (e.g. the sandbox) are stopped together.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { clearTimeout, setTimeout } from 'node:timers';
import { installPackagedExtension } from './installExtension.mjs';

const READY_PATTERN = /Extension host agent listening on|Web UI available at/;
const START_TIMEOUT_MS = 90_000;

export function freePort() {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address();
			probe.close(() => resolve(port));
		});
	});
}

function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		return false;
	}
}

/**
 * Starts the server; resolves with { host, port, stop(), logFile } once it listens.
 * `env` is merged into process.env — the extension host inherits it. `echo(line)` receives each output line.
 * `smokeTestDriver` adds `--enable-smoke-test-driver`, which the test payload needs (`codeAutomationExit`) but which
 * also switches notification toasts off in the workbench — sessions that screenshot notifications pass `false`.
 * Without the driver the built workbench ignores `extensionDevelopmentPath`, so `installExtension` (a folder) is
 * installed as a packaged extension instead.
 */
export async function startVsCodeServer({
	nodeBin,
	serverMain,
	env = {},
	userSettings,
	logFile,
	smokeTestDriver = true,
	installExtension,
	echo = () => {},
}) {
	const port = await freePort();
	const dataDir = mkdtempSync(path.join(tmpdir(), 'iot-ota-vscode-server-'));
	if (userSettings) {
		mkdirSync(path.join(dataDir, 'user', 'User'), { recursive: true });
		writeFileSync(path.join(dataDir, 'user', 'User', 'settings.json'), JSON.stringify(userSettings, null, '\t'));
	}
	if (installExtension) {
		await installPackagedExtension(installExtension, path.join(dataDir, 'extensions')).catch((error) => {
			rmSync(dataDir, { recursive: true, force: true });
			throw error;
		});
	}
	const args = [
		serverMain,
		'--host',
		'127.0.0.1',
		'--port',
		String(port),
		'--without-connection-token',
		'--accept-server-license-terms',
		...(smokeTestDriver ? ['--enable-smoke-test-driver'] : []),
		'--disable-telemetry',
		'--disable-workspace-trust',
		'--user-data-dir',
		path.join(dataDir, 'user'),
		'--server-data-dir',
		path.join(dataDir, 'server'),
		'--extensions-dir',
		path.join(dataDir, 'extensions'),
	];
	mkdirSync(path.dirname(logFile), { recursive: true });
	const log = createWriteStream(logFile);
	const child = spawn(nodeBin, args, {
		detached: true, // own process group: killGroup() reaches the extension host too
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, ...env, VSCODE_CLI: undefined, ELECTRON_RUN_AS_NODE: undefined },
	});
	let exited = false;
	child.on('exit', () => {
		exited = true;
	});

	const ready = new Promise((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`VS Code server did not report readiness within ${START_TIMEOUT_MS / 1000} s; see ${logFile}.`)),
			START_TIMEOUT_MS,
		);
		const onData = (chunk) => {
			const text = chunk.toString();
			log.write(text);
			for (const line of text.split('\n')) {
				if (line.trim()) {
					echo(line);
				}
			}
			if (READY_PATTERN.test(text)) {
				clearTimeout(timer);
				resolve();
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(new Error(`Cannot start the VS Code server (${nodeBin}): ${error.message}`));
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			reject(new Error(`VS Code server exited during start-up (${code ?? signal}); see ${logFile}.`));
		});
	});

	let stopped = false;
	const stop = async () => {
		if (stopped) {
			return;
		}
		stopped = true;
		if (!exited && killGroup(child.pid, 'SIGTERM')) {
			for (let i = 0; i < 50 && !exited; i++) {
				await delay(100);
			}
		}
		killGroup(child.pid, 'SIGKILL'); // stragglers in the group (extension host, sandbox) even after the server exited
		log.end();
		rmSync(dataDir, { recursive: true, force: true });
	};
	/** Synchronous best effort for process 'exit' handlers. */
	const stopNow = () => {
		if (!stopped) {
			killGroup(child.pid, 'SIGKILL');
		}
	};

	try {
		await ready;
	} catch (error) {
		await stop();
		throw error;
	}
	return { host: `127.0.0.1:${port}`, port, stop, stopNow, logFile, dataDir };
}
