// The rollout guard (ours; the platform has none): once enough tasks have finished, a failure rate at or above the
// threshold halts the job. Halting cancels what has not started (CONFIRM, QUEUED, NOTIFIED) and a dynamic job's
// strategy; tasks already IN_PROGRESS run to their end, since cutting an upgrade short is worse than finishing it.
import { formatPercent } from '../format';
import type { LifecycleApi } from './client';
import { invalid } from './rules';
import type { CancelByJobRequest } from './requests';
import type { StatusCounts } from './monitorPlan';
import type { OtaJob } from './types';

export interface GuardPolicy {
	/** Halt when this share (0–100) or more of the finished tasks failed… */
	failurePercent: number;
	/** …and at least this many tasks have finished. */
	minFinished: number;
}

export const DEFAULT_GUARD_MIN_FINISHED = 10;

/** "PCT" or "PCT:N", e.g. "5" or "5:20". */
export function parseHaltAt(text: string): GuardPolicy {
	const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*(?::\s*(\d+)\s*)?$/.exec(text);
	const failurePercent = match ? Number(match[1]) : Number.NaN;
	const minFinished = match?.[2] === undefined ? DEFAULT_GUARD_MIN_FINISHED : Number(match[2]);
	if (!match || failurePercent <= 0 || failurePercent > 100 || !Number.isSafeInteger(minFinished) || minFinished < 1) {
		throw invalid(
			'InvalidHaltAt',
			`The halt threshold must be PCT or PCT:N: a failure percentage above 0 and at most 100, and a whole number of finished tasks ≥ 1 (got "${text}").`,
			{
				reason: 'halt-at',
				values: { got: text },
				hint: 'Example: 5:20 halts once 20 tasks finished and 5 % or more of them failed.',
			},
		);
	}
	return { failurePercent, minFinished };
}

export interface GuardVerdict {
	halt: boolean;
	/** SUCCEEDED + FAILED: cancelled tasks are a decision, not a result. */
	finished: number;
	failed: number;
	failurePercent: number;
	/** "3 of 40 finished tasks failed (7.5 % ≥ 5 %)". */
	reason: string;
}

export function guardVerdict(counts: StatusCounts, policy: GuardPolicy): GuardVerdict {
	const finished = counts.SUCCEEDED + counts.FAILED;
	const failurePercent = finished === 0 ? 0 : (counts.FAILED / finished) * 100;
	const halt = finished >= policy.minFinished && failurePercent >= policy.failurePercent;
	const rate = `${formatPercent(failurePercent)} ${halt ? '≥' : '<'} ${formatPercent(policy.failurePercent)}`;
	const reason =
		finished < policy.minFinished
			? `${finished} of the ${policy.minFinished} finished tasks the guard waits for`
			: `${counts.FAILED} of ${finished} finished tasks failed (${rate})`;
	return { halt, finished, failed: counts.FAILED, failurePercent, reason };
}

export type GuardApi = Pick<LifecycleApi, 'cancelTasksByJob' | 'cancelStrategy'>;

export interface HaltPlan {
	/** A dynamic job still matching devices: CancelOTAStrategyByJob first, so no new task appears. */
	cancelStrategy: boolean;
	cancelTasks: CancelByJobRequest;
}

/** The calls that halt `job`, in order. */
export function haltPlan(job: Pick<OtaJob, 'jobId' | 'selectionType' | 'jobStatus'>): HaltPlan {
	return {
		cancelStrategy: job.selectionType === 'DYNAMIC' && job.jobStatus === 'IN_PROGRESS',
		cancelTasks: { jobId: job.jobId, queued: true, notified: true, unconfirmed: true },
	};
}

export interface HaltReport {
	jobId: string;
	verdict: GuardVerdict;
	plan: HaltPlan;
}

/** Runs the halt plan; a failing call fails the halt (the caller reports it) after the strategy was tried. */
export async function haltRollout(api: GuardApi, job: OtaJob, verdict: GuardVerdict, signal?: AbortSignal): Promise<HaltReport> {
	const plan = haltPlan(job);
	if (plan.cancelStrategy) {
		await api.cancelStrategy(job.jobId, signal);
	}
	await api.cancelTasksByJob(plan.cancelTasks, signal);
	return { jobId: job.jobId, verdict, plan };
}
