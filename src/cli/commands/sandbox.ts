import path from 'node:path';
import { startSandbox } from '../../sandbox';
import { booleanFlag, portFlag, stringFlag, type CommandSpec, type ParsedArgs } from '../args';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';

export const SANDBOX_SPEC: CommandSpec = {
	name: 'sandbox',
	summary: 'Run the local Alibaba Cloud IoT + OSS emulator until Ctrl+C.',
	synopsis: '[--port N] [--oss-port N] [--data DIR]',
	positionals: { min: 0, max: 0 },
	flags: [
		{ name: 'port', type: 'string', value: 'N', description: 'IoT API port on 127.0.0.1 (default: a free port).' },
		{ name: 'oss-port', type: 'string', value: 'N', description: 'OSS port on 127.0.0.1 (default: a free port).' },
		{
			name: 'data',
			type: 'string',
			value: 'DIR',
			description: 'Where uploaded objects and firmware records are kept (default: a temporary folder).',
		},
		{ name: 'verbose', type: 'boolean', description: 'Log every request to stderr.' },
	],
	notes: [
		'Prints one JSON line when ready: {"endpoint","ossHost","accessKeyId","accessKeySecret","dataDir"}.',
		'Point the CLI at it with --endpoint <endpoint> and those keys in ALIBABA_CLOUD_ACCESS_KEY_ID / _SECRET.',
	],
};

export async function runSandboxCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const { values } = args;
	const data = stringFlag(values, 'data');
	const sandbox = await startSandbox({
		apiPort: portFlag(values, 'port') ?? 0,
		ossPort: portFlag(values, 'oss-port') ?? 0,
		dataDir: data === undefined ? undefined : path.resolve(ctx.cwd, data),
		logger: out.logger(booleanFlag(values, 'verbose')),
	});
	try {
		// The sandbox's own keys are printed on purpose: they only open this local emulator.
		out.json({
			endpoint: sandbox.endpoint,
			ossHost: sandbox.ossHost,
			accessKeyId: sandbox.accessKeyId,
			accessKeySecret: sandbox.accessKeySecret,
			dataDir: sandbox.dataDir,
		});
		await untilAborted(ctx.signal);
	} finally {
		await sandbox.stop();
	}
	return EXIT_OK;
}

function untilAborted(signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted) {
			resolve();
			return;
		}
		signal.addEventListener('abort', () => resolve(), { once: true });
	});
}
