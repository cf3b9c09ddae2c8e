import { version } from '../../package.json';
import { parseCommandArgs, usageError, type CommandSpec, type ParsedArgs } from './args';
import { DEMO_SPEC, runDemoCommand } from './commands/demo';
import { INSPECT_SPEC, runInspectCommand } from './commands/inspect';
import { LIST_SPEC, PRODUCTS_SPEC, runListCommand, runProductsCommand } from './commands/list';
import { SANDBOX_SPEC, runSandboxCommand } from './commands/sandbox';
import { UPLOAD_SPEC, runUploadCommand } from './commands/upload';
import { commandHelp, mainHelp } from './help';
import { EXIT_OK, EXIT_USAGE, SafeOutput, type CliContext } from './io';

interface Command {
	spec: CommandSpec;
	run(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number>;
}

const COMMANDS: readonly Command[] = [
	{ spec: UPLOAD_SPEC, run: runUploadCommand },
	{ spec: INSPECT_SPEC, run: runInspectCommand },
	{ spec: LIST_SPEC, run: runListCommand },
	{ spec: PRODUCTS_SPEC, run: runProductsCommand },
	{ spec: SANDBOX_SPEC, run: runSandboxCommand },
	{ spec: DEMO_SPEC, run: runDemoCommand },
];

const SPECS = COMMANDS.map((c) => c.spec);

/** Runs one invocation and returns the exit code; never throws. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
	const out = new SafeOutput(ctx);
	const json = argv.includes('--json');
	const [first, ...rest] = argv;
	try {
		if (first === undefined || first === '--help' || first === '-h') {
			out.out(mainHelp(SPECS, version));
			return first === undefined ? EXIT_USAGE : EXIT_OK;
		}
		if (first === '--version' || first === '-v') {
			out.out(`${version}\n`);
			return EXIT_OK;
		}
		if (first === 'help') {
			const target = COMMANDS.find((c) => c.spec.name === rest[0]);
			out.out(target ? commandHelp(target.spec) : mainHelp(SPECS, version));
			return EXIT_OK;
		}
		const command = COMMANDS.find((c) => c.spec.name === first);
		if (!command) {
			const what = first.startsWith('-') ? `Unknown flag ${first}` : `Unknown command "${first}"`;
			throw usageError(`${what}.`, `Commands: ${SPECS.map((s) => s.name).join(', ')}; flags: --help, --version.`);
		}
		const args = parseCommandArgs(command.spec, rest);
		if (args.values.help) {
			out.out(commandHelp(command.spec));
			return EXIT_OK;
		}
		return await command.run(args, ctx, out);
	} catch (error) {
		return out.fail(error, json);
	}
}
