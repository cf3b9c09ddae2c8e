import { allJobsByFirmware, FIRMWARE_STATUS_TEXT, type FirmwareDetail, type JobSummary } from '../../core/lifecycle';
import { printable } from '../../core/printable';
import { booleanFlag, usageError, type CommandSpec, type ParsedArgs } from '../args';
import { CONNECTION_FLAGS } from '../connection';
import { formatBytes } from '../../core/format';
import { DEFAULT_MODULE } from '../../core/otaFacts';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { connectLifecycle, idArgument, VERBOSE_FLAG } from '../lifecycleArgs';
import { LIST_SPEC, table } from './list';

export const FIRMWARE_LIST_SPEC: CommandSpec = {
	...LIST_SPEC,
	name: 'firmware list',
	summary: `${LIST_SPEC.summary} Alias: iot-ota list.`,
};

export const FIRMWARE_SHOW_SPEC: CommandSpec = {
	name: 'firmware show',
	summary: 'Show a package: version, product, module, verification status and progress, and its jobs.',
	synopsis: '<FirmwareId> [--json] [flags]',
	positionals: { min: 1, max: 1 },
	flags: [...CONNECTION_FLAGS, VERBOSE_FLAG],
};

export const FIRMWARE_DELETE_SPEC: CommandSpec = {
	name: 'firmware delete',
	summary: 'Delete a package (DeleteOTAFirmware). Without --yes it only says what would be deleted.',
	synopsis: '<FirmwareId> [--yes] [flags]',
	positionals: { min: 1, max: 1 },
	flags: [{ name: 'yes', type: 'boolean', description: 'Really delete it.' }, ...CONNECTION_FLAGS, VERBOSE_FLAG],
};

export function verificationText(firmware: Pick<FirmwareDetail, 'status' | 'verifyProgress'>): string {
	if (firmware.status === undefined) {
		return 'unknown';
	}
	const text = FIRMWARE_STATUS_TEXT[firmware.status] ?? `status ${firmware.status}`;
	return firmware.status === 2 && firmware.verifyProgress !== undefined ? `${text} (${firmware.verifyProgress} % done)` : text;
}

export function jobRows(jobs: readonly JobSummary[]): string[][] {
	return [
		['JOB ID', 'TYPE', 'STATUS', 'SELECTION', 'TARGET', 'CREATED'],
		...jobs.map((job) => [
			job.jobId,
			job.jobType ?? '',
			job.jobStatus,
			job.selectionType ?? '',
			job.targetSelection ?? '',
			job.utcCreate ?? '',
		]),
	];
}

function firmwareLines(fw: FirmwareDetail): string[] {
	const type = fw.type === 1 ? `delta from ${fw.srcVersion ?? '?'}` : 'full';
	const lines = [
		`Package ${fw.firmwareId}  "${fw.firmwareName}"  version ${fw.destVersion}`,
		`  Product:       ${fw.productKey ?? '?'}${fw.productName ? ` (${fw.productName})` : ''}`,
		`  Module:        ${fw.moduleName ?? DEFAULT_MODULE}`,
		`  Type:          ${type}`,
		`  Verification:  ${verificationText(fw)}`,
	];
	if (fw.firmwareSize !== undefined) {
		lines.push(`  Size:          ${formatBytes(fw.firmwareSize)} (${fw.firmwareSize} bytes)`);
	}
	if (fw.firmwareSign) {
		lines.push(`  Sign:          ${fw.signMethod ?? ''} ${fw.firmwareSign}`);
	}
	for (const file of fw.multiFiles ?? []) {
		lines.push(`  File:          ${file.name}${file.size === undefined ? '' : ` (${formatBytes(file.size)})`}`);
	}
	if (fw.firmwareDesc) {
		lines.push(`  Description:   ${fw.firmwareDesc}`);
	}
	if (fw.udi) {
		lines.push(`  Udi:           ${fw.udi}`);
	}
	lines.push(`  Created:       ${fw.utcCreate ?? '?'}`);
	return lines.map(printable);
}

export async function runFirmwareShowCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const firmwareId = idArgument(args, 'FirmwareId');
	const { client } = await connectLifecycle(args, ctx, out);
	const firmware = await client.queryFirmware(firmwareId, ctx.signal);
	const jobs = await allJobsByFirmware(client, firmwareId, ctx.signal);
	if (booleanFlag(args.values, 'json')) {
		out.json({ ...firmware, verification: verificationText(firmware), jobs });
		return EXIT_OK;
	}
	out.out(
		`${firmwareLines(firmware).join('\n')}\n\n${jobs.length === 0 ? 'No jobs yet.\n' : `Jobs (${jobs.length}):\n${table(jobRows(jobs))}`}`,
	);
	return EXIT_OK;
}

export async function runFirmwareDeleteCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const firmwareId = idArgument(args, 'FirmwareId');
	const { client } = await connectLifecycle(args, ctx, out);
	const firmware = await client.queryFirmware(firmwareId, ctx.signal);
	const what = printable(`package ${firmwareId} "${firmware.firmwareName}" version ${firmware.destVersion}`);
	if (!booleanFlag(args.values, 'yes')) {
		throw usageError(
			`This would delete ${what}; nothing was deleted.`,
			`Run again with --yes to delete it: ${out.deletePackageLine(firmwareId)}`,
		);
	}
	await client.deleteFirmware(firmwareId, ctx.signal);
	if (booleanFlag(args.values, 'json')) {
		out.json({ firmwareId, deleted: true });
	} else {
		out.out(`Deleted ${what}.\n`);
	}
	return EXIT_OK;
}
