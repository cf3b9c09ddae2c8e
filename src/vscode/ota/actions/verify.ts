// Verify on Devices…: up to LIFECYCLE_LIMITS.verifyDevices test devices picked from the product (online state and
// version shown), an optional timeout, then the core's startVerification and the offer to watch the job.
import * as vscode from 'vscode';
import type { VerificationSpec } from '../../../core/lifecycle';
import type { Services } from '../../commands/services';
import { PromptIds } from '../../ui/prompter';
import { otaRefFromArg } from '../nodes';
import {
	actionPlace,
	announceJob,
	connectionFor,
	deviceItems,
	LISTED_DEVICES,
	listDevices,
	refused,
	resolvePackage,
	type DeviceItem,
} from './resolve';
import { numberProblem, parseMinutes, problemOf } from './inputs';
import { markedWhenGone } from './rowGone';
import { runWizard, stepOutcome, type WizardStep } from './wizard';

interface VerifyDraft {
	firmwareId: string;
	deviceNames: string[];
	timeoutInMinutes?: number;
}

export interface VerifyResult {
	jobId: string;
	firmwareId: string;
	deviceNames: string[];
}

export async function verifyOnDevices(s: Services, arg?: unknown): Promise<VerifyResult> {
	const ref = otaRefFromArg(arg);
	const conn = await connectionFor(s, arg);
	const core = await import('../../../core/lifecycle/index.js');
	const firmware = await markedWhenGone(s, arg, conn, () => resolvePackage(s, conn, ref, 'verify'));
	core.assertVerifiable(firmware);
	const productKey = firmware.productKey ?? ref.productKey ?? '';
	const listed = await listDevices(s, conn, productKey);
	if (listed.devices.length === 0) {
		throw refused('NoDevice', 'product-no-device', { productKey });
	}
	const max = core.LIFECYCLE_LIMITS.verifyDevices;
	const check = (draft: VerifyDraft) => problemOf(() => core.checkVerificationSpec(draft as VerificationSpec), vscode.l10n);
	const items = deviceItems(listed);
	const steps: Array<WizardStep<VerifyDraft>> = [
		{
			ask: async (draft, frame) =>
				stepOutcome(
					await s.prompter.stepPick<DeviceItem>(PromptIds.verifyDevices, items, {
						...frame,
						canPickMany: true,
						placeholder:
							listed.total > LISTED_DEVICES
								? vscode.l10n.t(
										'Choose 1 to {0} test devices (the first {1} of {2} devices are listed)',
										max,
										LISTED_DEVICES,
										listed.total,
									)
								: vscode.l10n.t('Choose 1 to {0} test devices', max),
						selected: (item) => draft.deviceNames.includes(item.deviceName),
						validate: (chosen) => check({ ...draft, deviceNames: chosen.map((item) => item.deviceName) }),
					}),
					(chosen) => (draft.deviceNames = chosen.map((item) => item.deviceName)),
				),
		},
		{
			ask: async (draft, frame) =>
				stepOutcome(
					await s.prompter.stepInput(PromptIds.verifyTimeout, {
						...frame,
						prompt: vscode.l10n.t('Minutes a device may take once it started, or empty for no timeout.'),
						placeholder: vscode.l10n.t('e.g. 30'),
						value: draft.timeoutInMinutes?.toString() ?? '',
						validate: (text) => numberProblem(text, vscode.l10n) ?? check({ ...draft, timeoutInMinutes: parseMinutes(text) }),
					}),
					(text) => (draft.timeoutInMinutes = parseMinutes(text)),
				),
		},
	];
	const title = vscode.l10n.t('Verify {0} {1} on devices', firmware.firmwareName, firmware.destVersion);
	const draft = await runWizard(title, steps, { firmwareId: firmware.firmwareId, deviceNames: [] }, 'the verification');
	const { job } = await s.prompter.progress(
		PromptIds.otaProgress,
		vscode.l10n.t('Starting the verification of {0}…', firmware.firmwareName),
		(signal) => core.startVerification(conn.lifecycle, draft, signal),
	);
	s.log.info(
		`[verify] Verification job ${job.jobId} of ${firmware.firmwareId} (${firmware.destVersion}) on ${draft.deviceNames.join(', ')}.`,
	);
	void announceJob(
		s,
		PromptIds.verifyStarted,
		vscode.l10n.t(
			'Started verification job {0} of {1} {2} on {3}.',
			job.jobId,
			firmware.firmwareName,
			firmware.destVersion,
			draft.deviceNames.join(', '),
		),
		{ jobId: job.jobId, firmwareId: firmware.firmwareId, productKey, place: actionPlace(arg) },
	);
	return { jobId: job.jobId, firmwareId: firmware.firmwareId, deviceNames: draft.deviceNames };
}
