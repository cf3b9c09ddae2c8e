// Roll Out…: one multi-step input (rolloutSteps.ts) ending on a summary of the exact calls and devices; nothing is
// sent before Start. Then the core's startRollout, and the job is watched: at once with the halt guard (the guard
// only acts while the job is watched), else on request.
import * as vscode from 'vscode';
import type { Services } from '../../commands/services';
import { Commands } from '../../constants';
import { coreLogger } from '../../log';
import type { WatchStart } from '../contract';
import { PromptIds } from '../../ui/prompter';
import { otaRefFromArg } from '../nodes';
import { announceJob, placedConnection, placeOf, resolvePackage } from './resolve';
import { newDraft } from './rolloutDraft';
import { rolloutSteps } from './rolloutSteps';
import { guardText } from './rolloutSummary';
import { runWizard } from './wizard';

export interface RolloutResult {
	jobId: string;
	firmwareId: string;
	/** The actions Start sent, in order. */
	calls: string[];
	watched: boolean;
}

export async function rollOut(s: Services, arg?: unknown): Promise<RolloutResult> {
	const ref = otaRefFromArg(arg);
	const conn = await placedConnection(s, arg);
	const core = await import('../../../core/lifecycle/index.js');
	const firmware = await resolvePackage(s, conn, ref, 'rollout');
	core.assertRolloutReady(firmware);
	const productKey = firmware.productKey ?? ref.productKey ?? '';
	const title = vscode.l10n.t('Roll out {0} {1}', firmware.firmwareName, firmware.destVersion);
	const draft = await runWizard(title, rolloutSteps({ s, conn, core, productKey }), newDraft(firmware), 'the rollout');
	const plan = draft.plan;
	if (!plan) {
		throw new Error('Roll Out ended without a plan');
	}
	const job = await s.prompter.progress(
		PromptIds.otaProgress,
		vscode.l10n.t('Starting the rollout of {0}…', firmware.firmwareName),
		(signal) => core.startRollout(conn.lifecycle, plan, signal, coreLogger(s.log, s.mask, 'rollout')),
	);
	const calls = plan.calls.map((call) => call.action);
	s.log.info(`[rollout] Job ${job.jobId} of ${firmware.firmwareId} (${firmware.destVersion}) created with ${calls.join(', ')}.`);
	const jobRef = { jobId: job.jobId, firmwareId: firmware.firmwareId, productKey, ...placeOf(arg) };
	const text = vscode.l10n.t('Started rollout job {0} of {1} {2}.', job.jobId, firmware.firmwareName, firmware.destVersion);
	let guarded = false;
	if (draft.guard) {
		// Started, not "still watched": the job may end (and its watch with it) before the command returns.
		const start = await vscode.commands.executeCommand<WatchStart | undefined>(Commands.watchJob, { ...jobRef, haltAt: draft.haltAt });
		guarded = start?.started === true;
		if (guarded) {
			s.ota.view.refresh({ firmwareId: firmware.firmwareId });
			void s.prompter.message(PromptIds.rolloutStarted, 'info', `${text} ${guardText(draft.guard, vscode.l10n)}.`, {});
		} else {
			// Watching failed (its error was shown): say so, and offer Watch Job with the guard again.
			const unguarded = vscode.l10n.t('It is not watched, so the halt guard does not act: choose Watch Job to start it.');
			void announceJob(s, PromptIds.rolloutStarted, `${text} ${unguarded}`, { ...jobRef, haltAt: draft.haltAt });
		}
	} else {
		void announceJob(s, PromptIds.rolloutStarted, text, jobRef);
	}
	return { jobId: job.jobId, firmwareId: firmware.firmwareId, calls, watched: guarded || s.ota.watches.isWatched(job.jobId) };
}
