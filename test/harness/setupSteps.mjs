// The shell steps of the VS Code server set-up: each command logged to setup.log with a heartbeat, in its own process
// group so an abort stops it, and failures as SetupError with the log's tail.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';
import { cacheDir, setupLog } from './config.mjs';

export class SetupError extends Error {}

export function log(message) {
	console.log(`[setup] ${message}`);
}

export function fail(step, detail) {
	throw new SetupError(`VS Code server setup failed while ${step}.\n${detail}`);
}

function tail(file, lines = 40) {
	try {
		return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** Commands still running (npm, apt-get), each in its own process group, so an abort can stop them. */
const running = new Set();

export function stopSetupProcesses() {
	for (const child of running) {
		try {
			process.kill(-child.pid, 'SIGTERM');
		} catch {
			// already gone
		}
	}
}

/** Runs a command, appending its output to setup.log and printing a heartbeat; rejects with the log's tail. */
export function runLogged(step, command, args, options = {}) {
	mkdirSync(cacheDir, { recursive: true });
	const out = createWriteStream(setupLog, { flags: 'a' });
	out.write(`\n$ ${command} ${args.join(' ')}   (cwd ${options.cwd ?? process.cwd()})\n`);
	const started = Date.now();
	const heartbeat = setInterval(() => log(`  …still ${step} (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		running.add(child);
		child.stdout.pipe(out, { end: false });
		child.stderr.pipe(out, { end: false });
		child.on('error', (error) => {
			clearInterval(heartbeat);
			running.delete(child);
			reject(new SetupError(`VS Code server setup failed while ${step}: cannot start ${command}: ${error.message}`));
		});
		child.on('close', (code, signal) => {
			clearInterval(heartbeat);
			running.delete(child);
			out.end(() => {
				if (code === 0) {
					resolve();
					return;
				}
				reject(
					new SetupError(
						`VS Code server setup failed while ${step}: \`${command} ${args.join(' ')}\` exited with ${code ?? signal}.\n` +
							`Last lines of ${setupLog}:\n${tail(setupLog)}`,
					),
				);
			});
		});
	});
}
