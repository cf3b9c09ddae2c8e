import path from 'node:path';
import {
	aliyunCommandLine,
	checkRolloutSpec,
	LIFECYCLE_LIMITS,
	parseDeviceList,
	planRollout,
	previewTargets,
	refuseUnreachable,
	startRollout,
	windowText,
	type RolloutPlan,
	type RolloutSpec,
	type RolloutTarget,
	type TargetPreview,
	targetNoteText,
} from '../../core/lifecycle';
import { formatCount } from '../../core/format';
import { printable } from '../../core/printable';
import { readRegularFile } from '../../core/safeFile';
import { booleanFlag, stringFlag, usageError, type CommandSpec, type FlagValues, type ParsedArgs } from '../args';
import { CONNECTION_FLAGS, type ResolvedConnection } from '../connection';
import { DRY_RUN_OPENING, plannedCallLines } from '../../core/dryRunText';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import {
	connectLifecycle,
	forFlagOf,
	grayFlag,
	haltAtFlag,
	idArgument,
	listFlag,
	rateFlag,
	range,
	retryFlag,
	timeFlag,
	TIMEOUT_FLAG,
	timeoutFlag,
	VERBOSE_FLAG,
} from '../lifecycleArgs';
import { verificationText } from './firmware';
import { WATCH_FLAG } from './verify';
import { DYNAMIC_WATCH_NOTE, HALT_AT_FLAG, WATCH_EXIT_NOTE, WATCH_JSON_FLAG, watchCreatedJob } from './watch';

const LIMITS = LIFECYCLE_LIMITS;
/** Names, comments and blank lines of a device list: a few times the largest file the platform takes (5 MB). */
const DEVICE_FILE_MAX_BYTES = 4 * LIMITS.deviceListBytes;
const DEVICE_FILE_HINT = `Give a regular file of at most ${DEVICE_FILE_MAX_BYTES / 2 ** 20} MB with one DeviceName per line.`;

const TARGET_FLAGS = ['all', 'gray', 'devices', 'device-file', 'group'] as const;

export const ROLLOUT_SPEC: CommandSpec = {
	name: 'rollout',
	summary: 'Roll a verified package out to all devices, a gray percentage, chosen devices or a group.',
	synopsis:
		'<FirmwareId> (--all | --gray PCT | --devices dn1,dn2 | --device-file FILE | --group ID) [--src-version V,V] [--dynamic] ' +
		'[--schedule ISO] [--finish ISO] [--retry MIN:COUNT] [--timeout MIN] [--rate N] [--overwrite] [--need-confirm] [--halt-at PCT[:N]] ' +
		'[--dry-run] [--watch] [--json] [flags]',
	positionals: { min: 1, max: 1 },
	flags: [
		{ name: 'all', type: 'boolean', description: 'Every device of the product.' },
		{
			name: 'gray',
			type: 'string',
			value: 'PCT',
			description: `A share of the devices, up to ${LIMITS.grayDecimals} decimals (e.g. 10 or 2.5).`,
		},
		{
			name: 'devices',
			type: 'string',
			value: 'dn1,dn2',
			description: `These devices (at most ${LIMITS.specificDevices}; more with --device-file).`,
		},
		{
			name: 'device-file',
			type: 'string',
			value: 'FILE',
			description: `Devices listed in FILE, one per line (at most ${formatCount(LIMITS.deviceListNames)}).`,
		},
		{ name: 'group', type: 'string', value: 'ID', description: 'A device group (a dynamic group with --dynamic).' },
		{
			name: 'src-version',
			type: 'string',
			value: 'V,V',
			description: `Only devices now on these versions (with --all or --gray; ≤ ${LIMITS.srcVersions}).`,
		},
		{ name: 'dynamic', type: 'boolean', description: 'Keep matching devices later too (with --all --src-version, or --group).' },
		{
			name: 'schedule',
			type: 'string',
			value: 'ISO',
			description: `Start at this time: between ${windowText('scheduleLeadMs')} from now.`,
		},
		{
			name: 'finish',
			type: 'string',
			value: 'ISO',
			description: `End the batch at this time: between ${windowText('finishAfterStartMs')} after the start.`,
		},
		{
			name: 'retry',
			type: 'string',
			value: 'MIN:COUNT',
			description: `Retry failed devices: MIN in ${LIMITS.retryIntervals.join(',')} and COUNT in ${LIMITS.retryCounts.join(',')}.`,
		},
		TIMEOUT_FLAG,
		{
			name: 'rate',
			type: 'string',
			value: 'N',
			description: `Push to at most N devices per minute (${range(LIMITS.maximumPerMinute)}).`,
		},
		{ name: 'overwrite', type: 'boolean', description: "Replace a device's pending task of another batch (default: keep it)." },
		{ name: 'need-confirm', type: 'boolean', description: 'Tasks wait for iot-ota confirm before they are pushed.' },
		HALT_AT_FLAG,
		{ name: 'dry-run', type: 'boolean', description: 'Print the calls it would make and the devices it would reach; change nothing.' },
		WATCH_FLAG,
		...CONNECTION_FLAGS,
		VERBOSE_FLAG,
		WATCH_JSON_FLAG,
	],
	notes: ['--halt-at implies --watch: the guard runs while the job is watched.', DYNAMIC_WATCH_NOTE, `With --watch: ${WATCH_EXIT_NOTE}`],
};

async function targetFrom(values: FlagValues, cwd: string): Promise<RolloutTarget> {
	const given = TARGET_FLAGS.filter((name) => values[name] !== undefined);
	if (given.length !== 1) {
		throw usageError(
			given.length === 0
				? 'Say which devices to reach.'
				: `Choose one target, not ${given.map((name) => `--${name}`).join(' and ')}.`,
			'Targets: --all, --gray PCT, --devices dn1,dn2, --device-file FILE or --group ID.',
		);
	}
	switch (given[0]) {
		case 'all':
			return { kind: 'all' };
		case 'gray':
			return { kind: 'gray', percent: grayFlag(values) as string };
		case 'devices': {
			const deviceNames = listFlag(values, 'devices') as string[];
			if (deviceNames.length > LIMITS.specificDevices) {
				throw usageError(
					`--devices takes at most ${LIMITS.specificDevices} names (got ${deviceNames.length}).`,
					'Put them in a file, one per line, and use --device-file FILE.',
				);
			}
			return { kind: 'devices', deviceNames };
		}
		case 'device-file': {
			const file = path.resolve(cwd, stringFlag(values, 'device-file') as string);
			// A regular file of bounded size, opened without blocking (safeFile.ts); a pipe is refused rather than awaited.
			const text = await readRegularFile(file, DEVICE_FILE_MAX_BYTES).then(
				(data) => data.toString('utf8'),
				(error: NodeJS.ErrnoException) => {
					throw usageError(`--device-file: cannot read ${file} (${error.code ?? error.message}).`, DEVICE_FILE_HINT);
				},
			);
			return { kind: 'deviceList', deviceNames: parseDeviceList(text) };
		}
		default:
			return { kind: 'group', groupId: (stringFlag(values, 'group') ?? '').trim() };
	}
}

/** Which flag a core validation code is about, to name it in the message. */
const FLAG_OF_CODE: Record<string, string> = {
	InvalidRetry: 'retry',
	InvalidRate: 'rate',
	InvalidTimeout: 'timeout',
	InvalidSchedule: 'schedule',
	InvalidFinishTime: 'finish',
	ScheduledDynamic: 'dynamic',
	InvalidSrcVersion: 'src-version',
	InvalidDynamicTarget: 'dynamic',
	InvalidGrayPercent: 'gray',
	InvalidGroup: 'group',
};

export async function rolloutSpecFrom(args: ParsedArgs, cwd: string, now: number): Promise<RolloutSpec> {
	const { values } = args;
	const spec: RolloutSpec = {
		firmwareId: idArgument(args, 'FirmwareId'),
		target: await targetFrom(values, cwd),
		dynamic: booleanFlag(values, 'dynamic') || undefined,
		srcVersions: listFlag(values, 'src-version'),
		scheduleTime: timeFlag(values, 'schedule'),
		scheduleFinishTime: timeFlag(values, 'finish'),
		...retryFlag(values),
		timeoutInMinutes: timeoutFlag(values),
		maximumPerMinute: rateFlag(values),
		overwriteMode: booleanFlag(values, 'overwrite') ? 2 : undefined,
		needConfirm: booleanFlag(values, 'need-confirm') || undefined,
	};
	forFlagOf(
		(code) => FLAG_OF_CODE[code],
		() => checkRolloutSpec(spec, now),
	);
	return spec;
}

function previewJson(preview: TargetPreview): Record<string, unknown> {
	return {
		count: preview.count ?? null,
		of: preview.of ?? null,
		deviceNames: preview.sample,
		unknown: preview.unknown,
		upToDate: preview.upToDate,
		note: targetNoteText(preview.scope),
	};
}

function dryRunText(plan: RolloutPlan, preview: TargetPreview, connection: ResolvedConnection): string {
	const fw = plan.firmware;
	const lines = [
		DRY_RUN_OPENING,
		`Package ${fw.firmwareId} "${fw.firmwareName}" version ${fw.destVersion} (product ${fw.productKey ?? '?'}, ${verificationText(fw)})`,
		'',
		'Calls it would make (each also carries RegionId and, with --instance, IotInstanceId):',
	];
	lines.push(...plannedCallLines(plan.calls, (call) => aliyunCommandLine(call, connection.settings)));
	const count = preview.count === undefined ? '' : `${preview.count}${preview.of === undefined ? '' : ` of ${preview.of}`}: `;
	lines.push('', `Devices it would reach: ${count}${targetNoteText(preview.scope)}.`);
	if (preview.sample.length > 0) {
		const more =
			preview.count !== undefined && preview.count > preview.sample.length
				? `, … (${preview.count - preview.sample.length} more)`
				: '';
		lines.push(`  ${preview.sample.join(', ')}${more}`);
	}
	if (preview.unknown.length > 0) {
		lines.push(`  Not in product ${fw.productKey}: ${preview.unknown.join(', ')}`);
	}
	if (preview.upToDate.length > 0) {
		lines.push(`  Already on ${fw.destVersion} (skipped): ${preview.upToDate.join(', ')}`);
	}
	return `${lines.map(printable).join('\n')}\n`;
}

export async function runRolloutCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const { values } = args;
	const spec = await rolloutSpecFrom(args, ctx.cwd, Date.now());
	const guard = haltAtFlag(values);
	const json = booleanFlag(values, 'json');
	const dryRun = booleanFlag(values, 'dry-run');
	const watch = booleanFlag(values, 'watch') || guard !== undefined;
	const { client, connection, logger } = await connectLifecycle(args, ctx, out);
	const plan = await planRollout(client, spec, ctx.signal);
	if (dryRun) {
		const preview = await previewTargets(client, plan, ctx.signal);
		refuseUnreachable(plan, preview); // as the real run refuses it (startRollout), before printing a plan
		if (json) {
			const calls = plan.calls.map((call) => ({ ...call, aliyun: aliyunCommandLine(call, connection.settings) }));
			out.json({
				dryRun: true,
				firmwareId: spec.firmwareId,
				productKey: plan.firmware.productKey,
				calls,
				devices: previewJson(preview),
			});
		} else {
			out.out(dryRunText(plan, preview, connection));
		}
		return EXIT_OK;
	}
	const job = await startRollout(client, plan, ctx.signal, logger);
	const created = plan.calls.at(-1)?.params ?? {};
	if (json && !watch) {
		out.json({
			firmwareId: spec.firmwareId,
			jobId: job.jobId,
			productKey: plan.firmware.productKey,
			selectionType: plan.job.kind === 'dynamic' ? 'DYNAMIC' : 'STATIC',
			targetSelection: created.TargetSelection ?? (plan.job.kind === 'dynamic' ? 'ALL' : null),
			utcCreate: job.utcCreate ?? null,
		});
	} else if (!json) {
		const what = plan.job.kind === 'dynamic' ? 'dynamic' : (created.TargetSelection ?? '').toLowerCase();
		out.out(
			printable(`Created ${what} rollout job ${job.jobId} of "${plan.firmware.firmwareName}" ${plan.firmware.destVersion}.`) + '\n',
		);
	}
	if (watch && plan.job.kind === 'dynamic') {
		out.err(`${DYNAMIC_WATCH_NOTE}\n`);
	}
	return watchCreatedJob(client, job.jobId, ctx, out, { guard, json, watch });
}
