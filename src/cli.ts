import { constants } from 'node:os';
import { EXIT_CANCELLED } from './cli/io';
import { runCli } from './cli/main';

/**
 * Every way a user or the system asks the process to end takes the same clean path: SIGINT (Ctrl+C), SIGTERM (kill,
 * a CI timeout), SIGHUP (the terminal closed, an SSH session dropped) and SIGQUIT (Ctrl+\) cancel the running command,
 * which undoes what the platform accepted, leaves config files untouched and prints its one error. The exit code is
 * 128 + the signal's number (SIGINT 130, SIGHUP 129, SIGQUIT 131, SIGTERM 143); a second signal exits at once.
 * Windows has no SIGQUIT; its console sends SIGINT, SIGHUP (window closed) and SIGBREAK.
 */
const CANCEL_SIGNALS: readonly NodeJS.Signals[] =
	process.platform === 'win32' ? ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] : ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

function exitCodeOf(signal: NodeJS.Signals): number {
	return 128 + (constants.signals[signal] ?? EXIT_CANCELLED - 128);
}

/**
 * Armed before anything else runs, so no step (an open, a request) can be waited on without a way out. A second signal
 * ends the process at once, printing first what the command left in doubt (`exitNote`: a registration it could not
 * wait for).
 */
function cancellationSignal(): { signal: AbortSignal; received(): NodeJS.Signals | undefined; exitNote: { text?: string } } {
	const controller = new AbortController();
	const exitNote: { text?: string } = {};
	let received: NodeJS.Signals | undefined;
	const onSignal = (signal: NodeJS.Signals): void => {
		if (received) {
			if (exitNote.text) {
				process.stderr.write(exitNote.text);
			}
			process.exit(exitCodeOf(signal));
		}
		received = signal;
		controller.abort();
	};
	for (const name of CANCEL_SIGNALS) {
		process.on(name, onSignal);
	}
	return { signal: controller.signal, received: () => received, exitNote };
}

/**
 * After SIGHUP the terminal is gone: writing to it fails (EIO, EPIPE). Those failures must not end the process before
 * the cancel has undone what it must, so they are ignored; the exit code still tells what happened.
 */
function tolerateClosedOutput(): void {
	for (const stream of [process.stdout, process.stderr]) {
		stream.on('error', () => undefined);
	}
}

async function main(): Promise<void> {
	const cancel = cancellationSignal();
	tolerateClosedOutput();
	let code = await runCli(process.argv.slice(2), {
		env: process.env,
		stdout: process.stdout,
		stderr: process.stderr,
		signal: cancel.signal,
		cwd: process.cwd(),
		exitNote: cancel.exitNote,
	});
	const signal = cancel.received();
	if (code === EXIT_CANCELLED && signal) {
		code = exitCodeOf(signal);
	}
	// Keep-alive sockets and timers of the HTTP clients must not hold the process open once the answer is printed.
	const exit = (): never => process.exit(code);
	if (process.stdout.writable) {
		process.stdout.write('', exit);
	} else {
		exit();
	}
}

void main();
