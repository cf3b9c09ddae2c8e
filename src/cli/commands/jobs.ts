import { booleanFlag, type CommandSpec, type ParsedArgs } from '../args';
import { CONNECTION_FLAGS } from '../connection';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { connectLifecycle, idArgument, VERBOSE_FLAG } from '../lifecycleArgs';
import { allJobsByFirmware } from '../../core/lifecycle';
import { jobRows } from './firmware';
import { table } from './list';

export const JOBS_SPEC: CommandSpec = {
	name: 'jobs',
	summary: "List a package's jobs: verification and rollouts, with their status (ListOTAJobByFirmware).",
	synopsis: '<FirmwareId> [--json] [flags]',
	positionals: { min: 1, max: 1 },
	flags: [...CONNECTION_FLAGS, VERBOSE_FLAG],
};

export async function runJobsCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const firmwareId = idArgument(args, 'FirmwareId');
	const { client } = await connectLifecycle(args, ctx, out);
	const jobs = await allJobsByFirmware(client, firmwareId, ctx.signal);
	if (booleanFlag(args.values, 'json')) {
		out.json({ firmwareId, total: jobs.length, jobs });
	} else {
		out.out(
			jobs.length === 0
				? `Package ${firmwareId} has no jobs.\n`
				: `${table(jobRows(jobs))}${jobs.length} job${jobs.length === 1 ? '' : 's'}\n`,
		);
	}
	return EXIT_OK;
}
