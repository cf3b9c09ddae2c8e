// What a watched job's end offers next, the one rule both shells follow (`iot-ota watch`'s closing lines and the
// extension's end notice): Diagnose when the job did not end well, Retry Failed when it has failed tasks to run again.
import type { WatchOutcome } from './monitor';

export interface WatchNextSteps {
	/** doctorJob: the job ended with failures or the guard halted it. */
	diagnose: boolean;
	/** ReupgradeOTATask of its failed tasks: there are some (cancelled tasks are retried only when named). */
	retry: boolean;
}

/**
 * The next steps after a watch ended with `outcome` (none when the user stopped watching: the job goes on) and `failed`
 * FAILED tasks. A job whose unsuccessful tasks were all cancelled is not diagnosed: doctor examines failed and open tasks.
 */
export function watchNextSteps(outcome: WatchOutcome | 'stopped' | undefined, failed: number): WatchNextSteps {
	const badEnd = outcome === 'failed' || outcome === 'halted';
	return { diagnose: badEnd && (failed > 0 || outcome === 'halted'), retry: badEnd && failed > 0 };
}
