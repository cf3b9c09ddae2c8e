import { isCancelled } from '../../core/errors';
import {
	DEFAULT_GUARD_MIN_FINISHED,
	watchJob,
	watchNextSteps,
	type GuardPolicy,
	type HaltReport,
	type JobProgress,
	type OtaJob,
	type TaskChange,
	type WatchApi,
	type WatchOptions,
} from '../../core/lifecycle';
import { type CommandSpec, type FlagSpec, type ParsedArgs } from '../args';
import { CONNECTION_FLAGS } from '../connection';
import { annotateError, appendStepSummary, watchStepSummary } from '../githubActions';
import { EXIT_CANCELLED, EXIT_HALTED, EXIT_JOB_FAILED, EXIT_OK, type CliContext, type SafeOutput } from '../io';
import { connectLifecycle, haltAtFlag, idArgument, VERBOSE_FLAG } from '../lifecycleArgs';
import { createWatchPrinter, type NextStepLines, type WatchEnd } from '../watchOutput';

export const HALT_AT_FLAG: FlagSpec = {
	name: 'halt-at',
	type: 'string',
	value: 'PCT[:N]',
	description: `Guard: halt the job once N tasks (default ${DEFAULT_GUARD_MIN_FINISHED}) finished and PCT % or more of them failed.`,
};

/** --json of the commands that watch a job (watch, and verify/rollout with --watch): JSON lines while watching. */
export const WATCH_JSON_FLAG: FlagSpec = {
	name: 'json',
	type: 'boolean',
	description: 'Print JSON on stdout (errors too): one object per line while a job is watched, else exactly one object.',
};

/** A running dynamic job ends only when cancelled (docs/protocols.md §12.5). */
export const DYNAMIC_WATCH_NOTE =
	'A dynamic job never ends by itself: watching it stops once its strategy is cancelled (iot-ota cancel JOB --strategy), the guard halts it, or on Ctrl+C.';

export const WATCH_EXIT_NOTE =
	'Exit codes: 0 every task succeeded, 5 the job ended with failed or cancelled tasks, 6 the guard halted it, 130 Ctrl+C (stops watching; the job keeps running).';

export const WATCH_SPEC: CommandSpec = {
	name: 'watch',
	summary: 'Watch a job to its end: counts per status, throughput, ETA, failures with their diagnosis.',
	synopsis: '<JobId> [--halt-at PCT[:N]] [--json] [flags]',
	positionals: { min: 1, max: 1 },
	flags: [HALT_AT_FLAG, ...CONNECTION_FLAGS, VERBOSE_FLAG, WATCH_JSON_FLAG],
	notes: [
		'On a terminal: a live table. Otherwise: a line per change. --json: one JSON object per line',
		'({"type":"progress"|"task"|"result",…}, see the README).',
		DYNAMIC_WATCH_NOTE,
		WATCH_EXIT_NOTE,
	],
};

const OUTCOME_EXIT = { succeeded: EXIT_OK, failed: EXIT_JOB_FAILED, halted: EXIT_HALTED } as const;
const ANNOTATED_FAILURES = 10;

/** Watches `jobId` in the output mode of `ctx` and returns the watch exit code (0, 5, 6 or 130). */
export async function runWatch(
	api: WatchApi,
	jobId: string,
	ctx: CliContext,
	out: SafeOutput,
	opts: { guard?: GuardPolicy; json: boolean } & Pick<WatchOptions, 'now' | 'sleep' | 'afterRerun'>,
): Promise<number> {
	const mode = opts.json ? 'json' : ctx.stdout.isTTY ? 'tty' : 'plain';
	const printer = createWatchPrinter(
		mode,
		ctx.stdout,
		(text) => out.out(text),
		(sequence) => out.control(sequence),
	);
	const failures: TaskChange[] = [];
	let last: { progress?: JobProgress; job?: OtaJob; halt?: HaltReport } = {};
	let end: WatchEnd;
	try {
		const result = await watchJob(api, jobId, {
			signal: ctx.signal,
			guard: opts.guard,
			now: opts.now,
			sleep: opts.sleep,
			afterRerun: opts.afterRerun,
			onTask(change) {
				if (change.task.status === 'FAILED' && failures.length < ANNOTATED_FAILURES) {
					failures.push(change);
				}
				printer.task(change);
			},
			onProgress(progress, job) {
				last = { ...last, progress, job };
				printer.progress(progress, job);
			},
			onHalt(halt) {
				last.halt = halt;
				printer.halt(halt);
			},
		});
		end = {
			jobId,
			outcome: result.outcome,
			exitCode: OUTCOME_EXIT[result.outcome],
			progress: result.progress,
			job: result.job,
			halt: result.halt,
		};
	} catch (error) {
		if (!isCancelled(error)) {
			throw error;
		}
		end = { jobId, outcome: 'stopped', exitCode: EXIT_CANCELLED, ...last };
	}
	end.nextSteps = nextStepLines(end, out);
	printer.end(end);
	await reportToGitHub(ctx, out, end, failures);
	return end.exitCode;
}

/** The doctor and retry command lines the end offers (core watchNextSteps), in the run's place. */
function nextStepLines(end: WatchEnd, out: SafeOutput): NextStepLines {
	const steps = watchNextSteps(end.outcome, end.progress?.summary.failed ?? 0, end);
	return {
		...(steps.diagnose ? { diagnose: out.followUp('doctor', end.jobId) } : {}),
		...(steps.retry ? { retry: out.followUp('retry', end.jobId) } : {}),
	};
}

async function reportToGitHub(ctx: CliContext, out: SafeOutput, end: WatchEnd, failures: readonly TaskChange[]): Promise<void> {
	const errors = { write: (text: string) => out.err(text) };
	for (const { task, diagnosis } of failures) {
		annotateError(
			ctx.env,
			errors,
			`${task.deviceName} (task ${task.taskId}) failed${diagnosis ? `: ${diagnosis.cause} — ${diagnosis.fix}` : ''}`,
		);
	}
	if (end.outcome === 'failed' || end.outcome === 'halted') {
		annotateError(
			ctx.env,
			errors,
			`Job ${end.jobId} ${end.outcome === 'halted' ? `was halted by the guard: ${end.halt?.verdict.reason}` : 'ended with failures'}.`,
		);
	}
	const summary = end.progress?.summary;
	await appendStepSummary(
		ctx.env,
		watchStepSummary({
			jobId: end.jobId,
			outcome: end.outcome,
			exitCode: end.exitCode,
			counts: summary,
			guard: end.halt ? `halted: ${end.halt.verdict.reason}` : undefined,
			failures: failures.map(({ task, diagnosis }) => ({
				deviceName: task.deviceName,
				taskId: task.taskId,
				cause: diagnosis?.cause,
				fix: diagnosis?.fix,
			})),
		}),
		(message) => out.err(`warning: ${message}\n`),
	);
}

/** How to watch a job the run acted on without watching it (with the run's connection flags). */
export function watchItLine(out: SafeOutput, jobId: string): string {
	return `Watch it: ${out.followUp('watch', jobId)}\n`;
}

/**
 * After a job was created: watch it (--watch), else say how to. A Ctrl+C that came while the job was being created
 * (the call is never aborted, docs/protocols.md §12.5) exits 130 once its JobId is out; the job keeps running.
 */
export async function watchCreatedJob(
	api: WatchApi,
	jobId: string,
	ctx: CliContext,
	out: SafeOutput,
	opts: { guard?: GuardPolicy; json: boolean; watch: boolean },
): Promise<number> {
	if (opts.watch) {
		return runWatch(api, jobId, ctx, out, opts);
	}
	if (!opts.json) {
		out.out(watchItLine(out, jobId));
	}
	if (ctx.signal.aborted) {
		out.err(
			`Cancelled after job ${jobId} was created: it keeps running. Stop it with ${out.followUp('cancel', jobId)} (see --help).\n`,
		);
		return EXIT_CANCELLED;
	}
	return EXIT_OK;
}

export async function runWatchCommand(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<number> {
	const jobId = idArgument(args, 'JobId');
	const guard = haltAtFlag(args.values);
	const { client } = await connectLifecycle(args, ctx, out);
	return runWatch(client, jobId, ctx, out, { guard, json: args.values.json === true });
}
