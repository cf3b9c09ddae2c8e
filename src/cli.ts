import { EXIT_CANCELLED } from './cli/io';
import { runCli } from './cli/main';

/** First SIGINT/SIGTERM cancels the running command cleanly; a second one exits at once. */
function cancellationSignal(): AbortSignal {
	const controller = new AbortController();
	const onSignal = (): void => {
		if (controller.signal.aborted) {
			process.exit(EXIT_CANCELLED);
		}
		controller.abort();
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	return controller.signal;
}

async function main(): Promise<void> {
	const code = await runCli(process.argv.slice(2), {
		env: process.env,
		stdout: process.stdout,
		stderr: process.stderr,
		signal: cancellationSignal(),
		cwd: process.cwd(),
	});
	// Keep-alive sockets and timers of the HTTP clients must not hold the process open once the answer is printed.
	process.stdout.write('', () => process.exit(code));
}

void main();
