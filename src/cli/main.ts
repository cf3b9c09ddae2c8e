import { version } from '../../package.json';
import { parseCommandArgs, usageError, type CommandSpec, type ParsedArgs } from './args';
import { CANCEL_SPEC, CONFIRM_SPEC, RETRY_SPEC, runCancelCommand, runConfirmCommand, runRetryCommand } from './commands/control';
import { DEMO_SPEC, runDemoCommand } from './commands/demo';
import { DEVICES_SPEC, runDevicesCommand } from './commands/devices';
import { DOCTOR_SPEC, runDoctorCommand } from './commands/doctor';
import {
	FIRMWARE_DELETE_SPEC,
	FIRMWARE_LIST_SPEC,
	FIRMWARE_SHOW_SPEC,
	runFirmwareDeleteCommand,
	runFirmwareShowCommand,
} from './commands/firmware';
import { FIRMWARE_CREATE_SPEC, runFirmwareCreateCommand } from './commands/firmwareCreate';
import { JOBS_SPEC, runJobsCommand } from './commands/jobs';
import { GROUPS_SPEC, MODULES_SPEC, runGroupsCommand, runModulesCommand } from './commands/groups';
import { INSPECT_SPEC, runInspectCommand } from './commands/inspect';
import { LIST_SPEC, PRODUCTS_SPEC, runListCommand, runProductsCommand } from './commands/list';
import { SANDBOX_SPEC, runSandboxCommand } from './commands/sandbox';
import { ROLLOUT_SPEC, runRolloutCommand } from './commands/rollout';
import { UPLOAD_SPEC, runUploadCommand } from './commands/upload';
import { VERIFY_SPEC, runVerifyCommand } from './commands/verify';
import { WATCH_SPEC, runWatchCommand } from './commands/watch';
import { connectionArgs } from './connection';
import { commandHelp, groupHelp, mainHelp } from './help';
import { EXIT_OK, EXIT_USAGE, SafeOutput, type CliContext } from './io';

interface Command {
	spec: CommandSpec;
	run(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number>;
}

const COMMANDS: readonly Command[] = [
	{ spec: UPLOAD_SPEC, run: runUploadCommand },
	{ spec: INSPECT_SPEC, run: runInspectCommand },
	{ spec: LIST_SPEC, run: runListCommand },
	{ spec: FIRMWARE_LIST_SPEC, run: runListCommand },
	{ spec: FIRMWARE_SHOW_SPEC, run: runFirmwareShowCommand },
	{ spec: FIRMWARE_CREATE_SPEC, run: runFirmwareCreateCommand },
	{ spec: FIRMWARE_DELETE_SPEC, run: runFirmwareDeleteCommand },
	{ spec: PRODUCTS_SPEC, run: runProductsCommand },
	{ spec: DEVICES_SPEC, run: runDevicesCommand },
	{ spec: GROUPS_SPEC, run: runGroupsCommand },
	{ spec: MODULES_SPEC, run: runModulesCommand },
	{ spec: VERIFY_SPEC, run: runVerifyCommand },
	{ spec: ROLLOUT_SPEC, run: runRolloutCommand },
	{ spec: JOBS_SPEC, run: runJobsCommand },
	{ spec: WATCH_SPEC, run: runWatchCommand },
	{ spec: CANCEL_SPEC, run: runCancelCommand },
	{ spec: RETRY_SPEC, run: runRetryCommand },
	{ spec: CONFIRM_SPEC, run: runConfirmCommand },
	{ spec: DOCTOR_SPEC, run: runDoctorCommand },
	{ spec: SANDBOX_SPEC, run: runSandboxCommand },
	{ spec: DEMO_SPEC, run: runDemoCommand },
];

const SPECS = COMMANDS.map((c) => c.spec);

/** The command named by the first one or two words (`firmware show`), and the arguments after its name. */
function findCommand(argv: readonly string[]): { command?: Command; args: string[] } {
	const [first, second, ...rest] = argv;
	const pair = COMMANDS.find((c) => c.spec.name === `${first} ${second}`);
	if (pair) {
		return { command: pair, args: rest };
	}
	return { command: COMMANDS.find((c) => c.spec.name === first), args: argv.slice(1) };
}

function subcommandsOf(group: string): string[] {
	return SPECS.filter((s) => s.name.startsWith(`${group} `)).map((s) => s.name.slice(group.length + 1));
}

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
			const target = findCommand(rest).command;
			const group = rest[0] !== undefined && subcommandsOf(rest[0]).length > 0 ? rest[0] : undefined;
			out.out(target ? commandHelp(target.spec) : group ? groupHelp(group, SPECS) : mainHelp(SPECS, version));
			return EXIT_OK;
		}
		const { command, args: commandArgs } = findCommand(argv);
		if (!command) {
			const subcommands = subcommandsOf(first);
			if (subcommands.length > 0 && (rest[0] === '--help' || rest[0] === '-h')) {
				out.out(groupHelp(first, SPECS));
				return EXIT_OK;
			}
			if (subcommands.length > 0) {
				throw usageError(
					`iot-ota ${first} needs a subcommand: ${subcommands.join(', ')}.`,
					`Example: iot-ota ${first} ${subcommands[0]} --help`,
				);
			}
			const what = first.startsWith('-') ? `Unknown flag ${first}` : `Unknown command "${first}"`;
			throw usageError(`${what}.`, `Commands: ${SPECS.map((s) => s.name).join(', ')}; flags: --help, --version.`);
		}
		const args = parseCommandArgs(command.spec, commandArgs);
		if (args.values.help) {
			out.out(commandHelp(command.spec));
			return EXIT_OK;
		}
		out.setConnectionArgs(connectionArgs(args.values));
		return await command.run(args, ctx, out);
	} catch (error) {
		return out.fail(error, json);
	}
}
