// Delete Package (a modal naming the package, its version and its jobs) and Copy FirmwareId / Copy JobId.
import * as vscode from 'vscode';
import { cancelledError, OtaError } from '../../../core/errors';
import { formatCount } from '../../../core/format';
import { allJobsByFirmware, type JobSummary } from '../../../core/lifecycle';
import type { Services } from '../../commands/services';
import { shellRefusal } from '../../errorWordingsShell';
import { flashStatus } from '../../statusItem';
import type { OtaConnection, OtaPlace } from '../contract';
import { PromptIds } from '../../ui/prompter';
import { otaRefFromArg } from '../nodes';
import { jobStatusLabel, jobTypeLabel } from '../presentation';
import { connectionFor, placedConnection, resolveJobId, resolvePackage } from './resolve';
import { markedWhenGone } from './rowGone';

/** How many jobs the delete dialog names before "…". */
const NAMED_JOBS = 5;

/** "Jobs of this package (1 In progress, 2 Completed): Gray rollout j1, …". */
function jobsText(jobs: readonly JobSummary[], locale: string): string {
	if (jobs.length === 0) {
		return vscode.l10n.t('It has no job.');
	}
	const byStatus = new Map<string, number>();
	for (const job of jobs) {
		byStatus.set(job.jobStatus, (byStatus.get(job.jobStatus) ?? 0) + 1);
	}
	const statuses = [...byStatus].map(([status, count]) => `${formatCount(count, locale)} ${jobStatusLabel(status, vscode.l10n)}`);
	const named = jobs.slice(0, NAMED_JOBS).map((job) => `${jobTypeLabel(job, vscode.l10n)} ${job.jobId}`);
	return vscode.l10n.t(
		'Jobs of this package ({0}): {1}.',
		statuses.join(', '),
		[...named, ...(jobs.length > named.length ? ['…'] : [])].join(', '),
	);
}

export interface DeleteResult {
	firmwareId: string;
	deleted: boolean;
}

/**
 * The connection of `place`. Its profile removed (or replaced under another name) or without its secret here by now: the
 * error also says that the package is still registered there, and how to reach it.
 */
async function connectAtPlace(s: Services, place: OtaPlace): Promise<OtaConnection> {
	try {
		return await s.ota.access.connectAt(place);
	} catch (error) {
		if (error instanceof OtaError && error.code === 'NoCredentials') {
			// Worded by a reason (the hint too), so the log line stays English in any window.
			throw shellRefusal('NoCredentials', 'package-profile-no-credentials', { profile: place.profile }, 'credentials');
		}
		throw error;
	}
}

/**
 * Delete Package: DeleteOTAFirmware after a modal that names what goes (package, version, all its jobs). With the `place`
 * of the argument (where a cancelled registration left the package), or an Uploads row's (its profile and file's folder
 * settings, where it was registered); else (OTA Packages view, palette, a row without a profile) the active profile's.
 */
export async function deletePackage(s: Services, arg?: unknown): Promise<DeleteResult> {
	const conn = await connectionFor(s, arg, (at) => connectAtPlace(s, at));
	const firmware = await markedWhenGone(s, arg, conn, () => resolvePackage(s, conn, otaRefFromArg(arg), 'any'));
	// Every job of the package: the modal counts all of them.
	const jobs = await allJobsByFirmware(conn.lifecycle, firmware.firmwareId);
	const locale = vscode.env.language;
	const open = jobs.filter((job) => job.jobStatus === 'IN_PROGRESS' || job.jobStatus === 'PLANNED').length;
	const remove = vscode.l10n.t('Delete Package');
	const detail = [
		`FirmwareId ${firmware.firmwareId} · ${vscode.l10n.t('product {0}', firmware.productKey ?? '?')}`,
		jobsText(jobs, locale),
		...(open > 0
			? [
					vscode.l10n.t(
						'{0} of them are still running: their devices that have not downloaded it yet will fail.',
						formatCount(open, locale),
					),
				]
			: []),
		vscode.l10n.t('This cannot be undone.'),
	].join('\n');
	const choice = await s.prompter.message(
		PromptIds.deleteConfirm,
		'warning',
		vscode.l10n.t('Delete OTA package {0} version {1}?', firmware.firmwareName, firmware.destVersion),
		{ modal: true, detail },
		remove,
	);
	if (choice !== remove) {
		throw cancelledError('the delete');
	}
	await conn.lifecycle.deleteFirmware(firmware.firmwareId);
	const rows = await s.history.markPackageDeleted(firmware.firmwareId);
	s.log.info(
		`[delete] Deleted OTA package ${firmware.firmwareId} (${firmware.firmwareName} ${firmware.destVersion})${rows > 0 ? `; ${rows} upload(s) marked deleted` : ''}.`,
	);
	s.ota.view.refresh(firmware.productKey ? { productKey: firmware.productKey } : undefined);
	void s.prompter.message(
		PromptIds.info,
		'info',
		vscode.l10n.t('Deleted OTA package {0} {1}.', firmware.firmwareName, firmware.destVersion),
		{},
	);
	return { firmwareId: firmware.firmwareId, deleted: true };
}

async function copy(what: string, value: string): Promise<string> {
	await vscode.env.clipboard.writeText(value);
	flashStatus(vscode.l10n.t('Copied {0} {1}', what, value));
	return value;
}

export async function copyFirmwareId(s: Services, arg?: unknown): Promise<string> {
	const ref = otaRefFromArg(arg);
	const firmwareId = ref.firmwareId ?? (await resolvePackage(s, await placedConnection(s, arg), ref, 'any')).firmwareId;
	return copy('FirmwareId', firmwareId);
}

export async function copyJobId(s: Services, arg?: unknown): Promise<string> {
	const ref = otaRefFromArg(arg);
	return copy('JobId', ref.jobId ?? (await resolveJobId(s, await placedConnection(s, arg), ref)));
}
