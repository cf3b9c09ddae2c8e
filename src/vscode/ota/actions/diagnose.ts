// Diagnose: the core's doctorJob on a job (its failed and stuck tasks) or one device's task, shown as a read-only
// Markdown document whose findings carry their fixes as CodeLenses; and the fix "Register with the image's version".
import * as vscode from 'vscode';
import { cancelledError } from '../../../core/errors';
import { defaultFirmwareName, registerFirmware } from '../../../core/flow';
import type { DoctorReport } from '../../../core/lifecycle';
import { validateCreateFirmware } from '../../../core/limits';
import type { CreateFirmwareRequest, SignMethod } from '../../../core/types';
import type { Services } from '../../commands/services';
import { withPlace } from '../../commands/wrapper';
import { Commands } from '../../constants';
import { coreLogger } from '../../log';
import { PromptIds } from '../../ui/prompter';
import { otaRefFromArg } from '../nodes';
import { renderReport } from './diagnosisReport';
import { problemOf } from './inputs';
import { placedConnection, placeOf, refused, resolveJobId } from './resolve';

export interface DiagnoseResult {
	report: DoctorReport;
	uri: vscode.Uri;
}

export async function diagnose(s: Services, arg?: unknown): Promise<DiagnoseResult> {
	const ref = otaRefFromArg(arg);
	const conn = await placedConnection(s, arg);
	const jobId = await resolveJobId(s, conn, ref);
	const { doctorJob } = await import('../../../core/lifecycle/doctor.js');
	const { diagnosisValues } = await import('../../../core/lifecycle/diagnosis.js');
	const report = await s.prompter.progress(PromptIds.otaProgress, vscode.l10n.t('Diagnosing job {0}…', jobId), (signal) =>
		doctorJob(conn.lifecycle, jobId, { deviceName: ref.deviceName, signal }),
	);
	const causes = report.findings.map((finding) => finding.diagnosis?.code ?? 'none');
	s.log.info(`[diagnose] Job ${jobId}${ref.deviceName ? ` device ${ref.deviceName}` : ''}: ${causes.join(', ') || 'nothing to report'}.`);
	const uri = s.diagnoses.uriFor(jobId, ref.deviceName);
	// Its fixes act where it was read: a connection row's place (the report's links and lenses carry it).
	await s.diagnoses.show(uri, renderReport(report, ref.deviceName, vscode.l10n, diagnosisValues, placeOf(arg).place));
	return { report, uri };
}

/** "fw-2.0.1" of version 2.0.1 → "fw-2.0.0" for 2.0.0. */
function renamed(firmwareName: string, oldVersion: string, newVersion: string): string {
	const stem = firmwareName.endsWith(`-${oldVersion}`) ? firmwareName.slice(0, -oldVersion.length - 1) : firmwareName;
	return defaultFirmwareName(stem, newVersion);
}

export interface RegisterVersionResult {
	firmwareId: string;
	destVersion: string;
}

/**
 * The fix of a version mismatch: the package's file registered again (CreateOTAFirmware with the same FirmwareUrl and
 * sign) as the version its image reports, under a new name; the old package stays (docs/protocols.md §13.5). Then
 * offers Verify….
 */
export async function registerImageVersion(s: Services, arg?: unknown): Promise<RegisterVersionResult> {
	const ref = otaRefFromArg(arg);
	if (!ref.firmwareId || !ref.destVersion) {
		throw refused('NoPackage', 'diagnose-first');
	}
	const { place } = placeOf(arg);
	const conn = await placedConnection(s, arg);
	const old = await conn.lifecycle.queryFirmware(ref.firmwareId);
	if (!old.firmwareUrl || !old.productKey) {
		throw refused('NoFirmwareUrl', 'no-firmware-url', { firmwareName: old.firmwareName });
	}
	const base: CreateFirmwareRequest = {
		firmwareUrl: old.firmwareUrl,
		productKey: old.productKey,
		destVersion: ref.destVersion,
		firmwareName: renamed(old.firmwareName, old.destVersion, ref.destVersion),
		signMethod: old.signMethod === 'SHA256' ? 'SHA256' : ('MD5' satisfies SignMethod),
		firmwareSign: old.firmwareSign,
		firmwareSize: old.firmwareSize,
		moduleName: old.moduleName,
	};
	const firmwareName = await s.prompter.input(PromptIds.registerVersion, {
		title: vscode.l10n.t('Register the file of {0} again as version {1}', old.firmwareName, ref.destVersion),
		prompt: vscode.l10n.t('FirmwareName of the new package (unique in the account). The old package stays; delete it when done.'),
		value: base.firmwareName,
		ignoreFocusOut: true,
		validateInput: (value) => problemOf(() => validateCreateFirmware({ ...base, firmwareName: value.trim() }), vscode.l10n),
	});
	if (firmwareName === undefined) {
		throw cancelledError('the registration');
	}
	const request = { ...base, firmwareName: firmwareName.trim() };
	const registration = await s.prompter
		.progress(PromptIds.otaProgress, vscode.l10n.t('Registering {0}…', request.firmwareName), (signal) =>
			registerFirmware(conn.iot, request, { signal, logger: coreLogger(s.log, s.mask, 'register') }),
		)
		.catch((error: unknown) => {
			// A cancel may leave the package registered: its Delete Package goes to this profile, even after a switch.
			throw withPlace(error, place ?? { profile: conn.profile.name });
		});
	s.log.info(`[register] ${old.firmwareId}'s file registered as ${registration.firmwareId} version ${request.destVersion}.`);
	s.ota.view.refresh({ productKey: old.productKey });
	const verify = vscode.l10n.t('Verify…');
	void s.prompter
		.message(
			PromptIds.info,
			'info',
			vscode.l10n.t(
				'Registered {0} as version {1} (FirmwareId {2}).',
				request.firmwareName,
				request.destVersion,
				registration.firmwareId,
			),
			{},
			verify,
		)
		.then((choice) =>
			choice === verify
				? vscode.commands.executeCommand(Commands.verifyOnDevices, {
						firmwareId: registration.firmwareId,
						productKey: old.productKey,
						...(place ? { place } : {}),
					})
				: undefined,
		);
	return { firmwareId: registration.firmwareId, destVersion: request.destVersion };
}
