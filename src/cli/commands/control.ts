import {
	cancelFlagsFor,
	cancelJob,
	checkCancelSpec,
	checkTaskIds,
	confirmJobTasks,
	LIFECYCLE_LIMITS,
	retryTasks,
	type CancelSpec,
} from '../../core/lifecycle';
import { booleanFlag, usageError, type CommandSpec, type ParsedArgs } from '../args';
import { CONNECTION_FLAGS } from '../connection';
import { EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { connectLifecycle, forFlag, forFlagOf, idArgument, listFlag, VERBOSE_FLAG } from '../lifecycleArgs';
import { WATCH_FLAG } from './verify';
import { DYNAMIC_WATCH_NOTE, runWatch, WATCH_EXIT_NOTE, WATCH_JSON_FLAG, watchItLine } from './watch';

export const CANCEL_SPEC: CommandSpec = {
	name: 'cancel',
	summary: "Cancel a job's tasks by state or device, or stop a dynamic job from matching more devices.",
	synopsis: '<JobId> [--queued] [--notified] [--in-progress] [--unconfirmed] [--scheduled] [--devices dn1,dn2] [--strategy] [flags]',
	positionals: { min: 1, max: 1 },
	flags: [
		{ name: 'queued', type: 'boolean', description: 'Tasks waiting to be pushed (QUEUED).' },
		{ name: 'notified', type: 'boolean', description: 'Tasks pushed to a device that has not started (NOTIFIED).' },
		{ name: 'in-progress', type: 'boolean', description: 'Tasks a device is working on (IN_PROGRESS).' },
		{ name: 'unconfirmed', type: 'boolean', description: 'Tasks waiting for confirmation (CONFIRM).' },
		{ name: 'scheduled', type: 'boolean', description: 'Tasks of a batch scheduled for later.' },
		{
			name: 'devices',
			type: 'string',
			value: 'dn1,dn2',
			description: `These devices' tasks of the job (at most ${LIFECYCLE_LIMITS.cancelDevices}).`,
		},
		{ name: 'strategy', type: 'boolean', description: 'Stop a dynamic job from matching more devices.' },
		...CONNECTION_FLAGS,
		VERBOSE_FLAG,
	],
	notes: ['--queued alone cancels only QUEUED tasks; add --unconfirmed for the CONFIRM ones.'],
};

export const RETRY_SPEC: CommandSpec = {
	name: 'retry',
	summary: 'Run failed or cancelled tasks of a job again (ReupgradeOTATask); by default every failed task.',
	synopsis: '<JobId> [--failed] [--tasks id1,id2] [--watch] [--json] [flags]',
	positionals: { min: 1, max: 1 },
	flags: [
		{ name: 'failed', type: 'boolean', description: 'Every FAILED task of the job (the default).' },
		{ name: 'tasks', type: 'string', value: 'id1,id2', description: 'These tasks (FAILED or CANCELED).' },
		WATCH_FLAG,
		...CONNECTION_FLAGS,
		VERBOSE_FLAG,
		WATCH_JSON_FLAG,
	],
	notes: [DYNAMIC_WATCH_NOTE, `With --watch: ${WATCH_EXIT_NOTE}`],
};

export const CONFIRM_SPEC: CommandSpec = {
	name: 'confirm',
	summary: 'Confirm tasks waiting for confirmation (ConfirmOTATask); by default every one of the job.',
	synopsis: '<JobId> [--tasks id1,id2] [--watch] [--json] [flags]',
	positionals: { min: 1, max: 1 },
	flags: [
		{ name: 'tasks', type: 'string', value: 'id1,id2', description: 'These tasks (in CONFIRM).' },
		WATCH_FLAG,
		...CONNECTION_FLAGS,
		VERBOSE_FLAG,
		WATCH_JSON_FLAG,
	],
	notes: [DYNAMIC_WATCH_NOTE, `With --watch: ${WATCH_EXIT_NOTE}`],
};

export async function runCancelCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const { values } = args;
	const jobId = idArgument(args, 'JobId');
	const STATE_FLAGS = { queued: 'QUEUED', notified: 'NOTIFIED', 'in-progress': 'IN_PROGRESS', unconfirmed: 'CONFIRM' } as const;
	const states = Object.entries(STATE_FLAGS)
		.filter(([name]) => booleanFlag(values, name))
		.map(([, status]) => status);
	const spec: CancelSpec = {
		flags: cancelFlagsFor(states, booleanFlag(values, 'scheduled')),
		deviceNames: listFlag(values, 'devices'),
		strategy: booleanFlag(values, 'strategy') ? true : undefined,
	};
	// Every error but "nothing to cancel" is about the device list.
	forFlagOf(
		(code) => (code === 'NothingToCancel' ? undefined : 'devices'),
		() => checkCancelSpec(spec),
	);
	const { client } = await connectLifecycle(args, ctx, out);
	const called = await cancelJob(client, jobId, spec, ctx.signal);
	if (booleanFlag(values, 'json')) {
		out.json({ jobId, cancelled: true, calls: called });
	} else {
		out.out(`Cancelled in job ${jobId} (${called.join(', ')}). See the result: ${out.followUp('watch', jobId)}\n`);
	}
	return EXIT_OK;
}

interface BulkCommand {
	action: typeof retryTasks;
	/** JSON field with the count, e.g. "retried". */
	countKey: string;
	none: (jobId: string) => string;
	done: (count: number, jobId: string) => string;
}

async function runBulk(args: ParsedArgs, ctx: CliContext, out: SafeOutput, command: BulkCommand): Promise<number> {
	const jobId = idArgument(args, 'JobId');
	const given = listFlag(args.values, 'tasks');
	const taskIds = given && forFlag('tasks', () => checkTaskIds(given));
	const json = booleanFlag(args.values, 'json');
	const watch = booleanFlag(args.values, 'watch');
	const { client } = await connectLifecycle(args, ctx, out);
	const { done } = await command.action(client, jobId, taskIds, ctx.signal);
	// With --watch --json, the watch's JSON lines are the output (as verify and rollout do).
	if (json && !watch) {
		out.json({ jobId, [command.countKey]: done.length, taskIds: done });
	} else if (!json) {
		out.out(`${done.length === 0 ? command.none(jobId) : command.done(done.length, jobId)}\n`);
	}
	if (watch) {
		return runWatch(client, jobId, ctx, out, { json, afterRerun: true });
	}
	if (!json && done.length > 0) {
		out.out(watchItLine(out, jobId));
	}
	return EXIT_OK;
}

const tasksText = (count: number): string => `${count} task${count === 1 ? '' : 's'}`;

export async function runRetryCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	if (args.values.tasks !== undefined && booleanFlag(args.values, 'failed')) {
		throw usageError('Use --failed (every failed task) or --tasks id1,id2, not both.');
	}
	return runBulk(args, ctx, out, {
		action: retryTasks,
		countKey: 'retried',
		none: (jobId) => `Job ${jobId} has no failed task to retry.`,
		done: (count, jobId) => `Retrying ${tasksText(count)} of job ${jobId}.`,
	});
}

export async function runConfirmCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	return runBulk(args, ctx, out, {
		action: confirmJobTasks,
		countKey: 'confirmed',
		none: (jobId) => `Job ${jobId} has no task waiting for confirmation.`,
		done: (count, jobId) => `Confirmed ${tasksText(count)} of job ${jobId}.`,
	});
}
