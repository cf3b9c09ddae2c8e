// `iot-ota upload … --dry-run`: the real command's checks and read-only lookups (the core's planUpload /
// planPackageUpload own the plan), then what it would do, as text (core/flow/uploadPlanText.ts, which the extension
// shows too) or one JSON object. Nothing is uploaded, registered or written; no upload ticket is requested.
import { planPackageUpload, planUpload, type PreparedFlow, type PreparedMultiFile, type UploadPlan } from '../../core/flow';
import { plannedCommandLine, uploadPlanText } from '../../core/flow/uploadPlanText';
import { booleanFlag, type ParsedArgs } from '../args';
import type { ResolvedConnection } from '../connection';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { connectForUpload } from './uploadArgs';

export const DRY_RUN_NOTE =
	'With --dry-run only the reads of --create are sent: the same-content lookup (ListOTAFirmware, QueryOTAFirmware) and the check of the product and module (QueryProduct, or ListOTAModuleByProduct for a module other than default). ' +
	"No upload ticket is requested (it is a credential to write), so the ticket's fields are shown as <…> placeholders; a failing check exits as the real command would, a failing read with its error.";

function dryRunJson(plan: UploadPlan, connection: ResolvedConnection): Record<string, unknown> {
	const { reused, insert } = plan;
	return {
		dryRun: true,
		files: plan.files.map(({ filePath, name, suffix, size, digests }) => ({
			file: filePath,
			...(name === undefined ? {} : { name }),
			suffix,
			size,
			md5: digests?.md5 ?? null,
			sha256: digests?.sha256 ?? null,
		})),
		reused: reused
			? {
					firmwareId: reused.firmwareId,
					firmwareName: reused.firmwareName,
					destVersion: reused.destVersion,
					firmwareUrl: reused.firmwareUrl,
				}
			: null,
		calls: plan.calls.map((call) => ({ ...call, ...plannedCommandLine(call, connection.settings) })),
		insert: insert
			? {
					file: insert.file,
					path: insert.keyPath,
					format: insert.format,
					value: insert.value,
					previousValue: insert.previousValue ?? null,
				}
			: null,
	};
}

/** Prints the plan of a request the real command's checks passed (`prepared`: one file's or a package's). */
export async function runUploadDryRun(
	prepared: PreparedFlow | PreparedMultiFile,
	args: ParsedArgs,
	ctx: CliContext,
	out: SafeOutput,
): Promise<number> {
	const { values } = args;
	const { connection, client } = await connectForUpload(values, booleanFlag(values, 'verbose'), ctx, out);
	const { signal } = ctx;
	const plan =
		'files' in prepared ? await planPackageUpload(client, prepared, { signal }) : await planUpload(client, prepared, { signal });
	if (booleanFlag(values, 'json')) {
		out.json(dryRunJson(plan, connection));
	} else {
		out.out(uploadPlanText(plan, connection.settings));
	}
	return EXIT_OK;
}
