import { checkVerificationSpec, LIFECYCLE_LIMITS, startVerification } from '../../core/lifecycle';
import { printable } from '../../core/printable';
import { booleanFlag, usageError, type CommandSpec, type FlagSpec, type ParsedArgs } from '../args';
import { CONNECTION_FLAGS } from '../connection';
import { type CliContext, type SafeOutput } from '../io';
import { connectLifecycle, forFlag, idArgument, listFlag, TIMEOUT_FLAG, timeoutFlag, VERBOSE_FLAG } from '../lifecycleArgs';
import { WATCH_EXIT_NOTE, WATCH_JSON_FLAG, watchCreatedJob } from './watch';

const VERIFY_DEVICES = LIFECYCLE_LIMITS.verifyDevices;

export const WATCH_FLAG: FlagSpec = { name: 'watch', type: 'boolean', description: 'Then watch the job to its end (as iot-ota watch).' };

export const VERIFY_SPEC: CommandSpec = {
	name: 'verify',
	summary: `Verify a package on up to ${VERIFY_DEVICES} test devices (CreateOTAVerifyJob); batches need a verified package.`,
	synopsis: '<FirmwareId> --devices dn1,dn2 [--timeout MIN] [--watch] [--json] [flags]',
	positionals: { min: 1, max: 1 },
	flags: [
		{ name: 'devices', type: 'string', value: 'dn1,dn2', description: `The test devices (1–${VERIFY_DEVICES}, same product).` },
		TIMEOUT_FLAG,
		WATCH_FLAG,
		...CONNECTION_FLAGS,
		VERBOSE_FLAG,
		WATCH_JSON_FLAG,
	],
	notes: [`With --watch: ${WATCH_EXIT_NOTE}`],
};

export async function runVerifyCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const { values } = args;
	const firmwareId = idArgument(args, 'FirmwareId');
	const deviceNames = listFlag(values, 'devices');
	if (!deviceNames) {
		throw usageError(`iot-ota verify needs --devices dn1,dn2 (1 to ${VERIFY_DEVICES} test devices).`);
	}
	const spec = { firmwareId, deviceNames, timeoutInMinutes: timeoutFlag(values) };
	forFlag('devices', () => checkVerificationSpec(spec));
	const json = booleanFlag(values, 'json');
	const watch = booleanFlag(values, 'watch');
	const { client, logger } = await connectLifecycle(args, ctx, out);
	const { job, firmware } = await startVerification(client, spec, ctx.signal, logger);
	if (json && !watch) {
		out.json({ firmwareId, jobId: job.jobId, productKey: firmware.productKey, deviceNames, utcCreate: job.utcCreate ?? null });
	} else if (!json) {
		out.out(
			printable(
				`Started verification job ${job.jobId} of "${firmware.firmwareName}" ${firmware.destVersion} on ${deviceNames.join(', ')}.`,
			) + '\n',
		);
	}
	return watchCreatedJob(client, job.jobId, ctx, out, { json, watch });
}
