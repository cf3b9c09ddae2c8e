// `iot-ota upload … --dry-run`: the real command's checks and read-only lookups (the core's planUpload /
// planPackageUpload own the plan), then what it would do, as text or one JSON object. Nothing is uploaded, registered
// or written; no upload ticket is requested.
import path from 'node:path';
import {
	curlCommandLine,
	planPackageUpload,
	planUpload,
	type PlannedPostObject,
	type PreparedFlow,
	type PreparedMultiFile,
	type UploadPlan,
} from '../../core/flow';
import { formatBytes, formatSpan, REGISTER_WINDOW_TEXT } from '../../core/format';
import { aliyunCommandLine, type PlannedCall } from '../../core/lifecycle';
import { TICKET_TTL_MS } from '../../core/otaFacts';
import { booleanFlag, type ParsedArgs } from '../args';
import type { ResolvedConnection } from '../connection';
import { DRY_RUN_OPENING, plannedCallLines } from '../dryRunText';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { connectForUpload } from './uploadArgs';

export const DRY_RUN_NOTE =
	'With --dry-run only the same-content lookup of --create (ListOTAFirmware, QueryOTAFirmware) is sent: no upload ticket is requested (it is a credential to write), ' +
	"so the ticket's fields are shown as <…> placeholders; a failing check exits as the real command would, a failing lookup with its error.";

const isPostObject = (call: PlannedCall): call is PlannedPostObject => call.action === 'PostObject';

type Settings = ResolvedConnection['settings'];

/** The call's equivalent command line: `aliyun iot …` for an API call, a curl template for the PostObject. */
function commandOf(call: PlannedCall, settings: Settings): { aliyun: string } | { curl: string } {
	return isPostObject(call) ? { curl: curlCommandLine(call) } : { aliyun: aliyunCommandLine(call, settings) };
}

function fileLines(plan: UploadPlan): string[] {
	return plan.files.map(({ filePath, name, suffix, size, digests }) => {
		const what = `${name ?? path.basename(filePath)} (${formatBytes(size)}, ${size} bytes, suffix ${suffix})`;
		return digests
			? `File ${what}\n  MD5 ${digests.md5}, SHA-256 ${digests.sha256} (read now: a registering run measures them before the upload)`
			: `File ${what}; its MD5 and SHA-256 are measured during the upload`;
	});
}

function sameContentLine(plan: UploadPlan): string[] {
	const { reused } = plan;
	if (reused) {
		return [
			`Same product, version and content already registered: "${reused.firmwareName}" (FirmwareId ${reused.firmwareId}, version ${reused.destVersion}).`,
			'  Reused: nothing would be uploaded or registered (--force-new uploads and registers it anyway).',
		];
	}
	return plan.lookedUp ? ['Same-content lookup (ListOTAFirmware): no package of the same product, version and content was found.'] : [];
}

function insertLines(plan: UploadPlan): string[] {
	const { insert } = plan;
	if (!insert) {
		return [];
	}
	const now = insert.previousValue === undefined ? 'the key is added' : `replacing ${JSON.stringify(insert.previousValue)}`;
	return ['', `Config edit it would make: ${insert.file} at ${insert.keyPath} (${insert.format}) set to ${insert.value}, ${now}.`];
}

function dryRunText(plan: UploadPlan, connection: ResolvedConnection): string {
	const lines = [DRY_RUN_OPENING, ...fileLines(plan), ...sameContentLine(plan)];
	if (plan.calls.length > 0) {
		lines.push(
			'',
			'Calls it would make (each API call also carries RegionId and, with --instance, IotInstanceId):',
			...plannedCallLines(plan.calls, (call) => Object.values(commandOf(call, connection.settings))[0]),
			'',
			`<Host>, <Key>, <OSSAccessKeyId>, <Policy> and <Signature> come from GenerateOTAUploadURL's answer (its Data), valid for ${formatSpan(TICKET_TTL_MS)};`,
			'  the curl line reads them from shell variables of those names. The FirmwareUrl is that Host and Key joined by "/";',
			`  register it within ${REGISTER_WINDOW_TEXT} of the upload.`,
		);
	}
	lines.push(...insertLines(plan));
	return `${lines.join('\n')}\n`;
}

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
		calls: plan.calls.map((call) => ({ ...call, ...commandOf(call, connection.settings) })),
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
	const plan = 'files' in prepared ? planPackageUpload(prepared) : await planUpload(client, prepared, { signal: ctx.signal });
	if (booleanFlag(values, 'json')) {
		out.json(dryRunJson(plan, connection));
	} else {
		out.out(dryRunText(plan, connection));
	}
	return EXIT_OK;
}
