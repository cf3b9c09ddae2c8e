// What a watched job's end offers next, the one rule both shells follow (`iot-ota watch`'s closing lines and the
// extension's end notice): Diagnose when the job did not end well, Retry Failed when it has failed tasks to run again.
import type { HaltReport } from './guard';
import type { WatchOutcome } from './monitor';
import type { OtaJob } from './types';

export interface WatchNextSteps {
	/** doctorJob: the job ended with failures or the guard halted it. */
	diagnose: boolean;
	/** ReupgradeOTATask of its failed tasks: there are some (cancelled tasks are retried only when named), and the job was not cancelled. */
	retry: boolean;
}

/** What the watch last knew of the job: its status, and the guard's halt when it halted the job. */
export interface WatchEndFacts {
	job?: Pick<OtaJob, 'jobStatus'>;
	halt?: { plan: Pick<HaltReport['plan'], 'cancelStrategy'> };
}

/**
 * The next steps after a watch ended with `outcome` (none when the user stopped watching: the job goes on) and `failed`
 * FAILED tasks. A job whose unsuccessful tasks were all cancelled is not diagnosed: doctor examines failed and open tasks.
 * The tasks of a cancelled job cannot be run again (ReupgradeOTATask refuses them with iot.ota.JobCanceled,
 * docs/protocols.md §11.9 row 21): a job CANCELED, or a dynamic one whose strategy the guard's halt cancelled (the job is
 * CANCELED then, though the watch may not have read it yet), is offered no retry.
 */
export function watchNextSteps(outcome: WatchOutcome | 'stopped' | undefined, failed: number, facts: WatchEndFacts = {}): WatchNextSteps {
	const badEnd = outcome === 'failed' || outcome === 'halted';
	const cancelled = facts.job?.jobStatus === 'CANCELED' || facts.halt?.plan.cancelStrategy === true;
	return { diagnose: badEnd && (failed > 0 || outcome === 'halted'), retry: badEnd && failed > 0 && !cancelled };
}
