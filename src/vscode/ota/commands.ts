// The commands of the OTA Packages view and of live watching. Each gets a tree node, plain ids ({ jobId }) or nothing
// (palette: it asks). Loaded on first use by the command table.
import * as vscode from 'vscode';
import { cancelledError, OtaError } from '../../core/errors';
import { maxPageSize } from '../../core/iot/actions';
import type { Services } from '../commands/services';
import type { Values } from '../errorWordings';
import { placeValues, shellRefusal, type ShellReason } from '../errorWordingsShell';
import { PromptIds } from '../ui/prompter';
import { movedPlace } from '../create/placeMoved';
import type { OtaConnection, OtaPlace, WatchSnapshot, WatchStart } from './contract';
import { actionPlace, connectionAt, connectionFor, placeOf, resolveJobId, uploadRowPlace } from './actions/resolve';
import { isPackageNotFound, markedWhenGone, rowFirmwareId } from './actions/rowGone';
import { otaNodeFromArg, otaRefFromArg, type OtaRef } from './nodes';
import { devicePlace, productPlace } from './rowPick';
import { placeOf as watchPlace } from './watchRules';

const missing = (code: string, reason: ShellReason, values?: Values): OtaError => shellRefusal(code, reason, values);

/** One of the watched jobs: the only one, or the one picked. */
async function pickWatched(s: Services, title: string): Promise<WatchSnapshot> {
	const watched = s.ota.watches.list();
	if (watched.length === 0) {
		throw missing('NotWatching', 'no-watch');
	}
	if (watched.length === 1) {
		return watched[0];
	}
	const { watchItem } = await import('./presentation.js');
	const items = watched.map((snapshot) => ({ ...watchItem(snapshot, vscode.l10n, vscode.env.language), snapshot }));
	const chosen = await s.prompter.pick(PromptIds.otaWatchedPick, items, { title });
	if (!chosen) {
		throw cancelledError('the job selection');
	}
	return chosen.snapshot;
}

/**
 * Watch Job: live counts in the tree and the status bar until the job ends; `haltAt` ("5:20") adds the guard; a `place`
 * (the Watch Job offered after a follow-up of a registration) makes it poll there; `afterRerun` (the one offered after
 * Retry Failed or Confirm) watches a COMPLETED job until its re-run tasks end. Resolves with whether the watch
 * started (Roll Out tells by it whether its guard acts).
 */
export async function watchJob(s: Services, arg?: unknown): Promise<WatchStart> {
	const ref = otaRefFromArg(arg);
	const place = actionPlace(arg);
	const jobId = ref.jobId ?? (await resolveJobId(s, await connectionFor(s, arg), ref));
	const { parseHaltAt } = await import('../../core/lifecycle/guard.js');
	const guard = ref.haltAt ? parseHaltAt(ref.haltAt) : undefined;
	const afterRerun = (arg as { afterRerun?: unknown } | undefined)?.afterRerun === true;
	const start = await s.ota.watches.watch({ jobId, productKey: ref.productKey, firmwareId: ref.firmwareId, guard, place, afterRerun });
	if (!start.started) {
		return start; // Stop Local Sandbox ended it before its first call returned: the log and the notice say so
	}
	s.log.info(
		`[watch] Watching job ${jobId}${guard ? ` (guard: halt at ${guard.failurePercent} % of ${guard.minFinished} finished)` : ''}.`,
	);
	void s.ota.view.reveal({ ...ref, jobId }, { select: false, focus: false, place }).catch((error: unknown) => {
		s.log.debug(`[watch] Could not reveal job ${jobId}: ${String(error)}`);
	});
	return start;
}

export async function stopWatchingJob(s: Services, arg?: unknown): Promise<void> {
	const ref = otaRefFromArg(arg);
	const jobId = ref.jobId ?? (await pickWatched(s, vscode.l10n.t('Stop watching an OTA job'))).watched.jobId;
	if (!s.ota.watches.isWatched(jobId)) {
		throw missing('NotWatching', 'job-not-watched', { jobId });
	}
	await s.ota.watches.unwatch(jobId);
	s.log.info(`[watch] Stopped watching job ${jobId}; the job keeps running.`);
}

function jobRef(s: Services, ref: OtaRef): OtaRef {
	const watched = ref.jobId ? s.ota.watches.get(ref.jobId)?.watched : undefined;
	return { productKey: watched?.productKey, firmwareId: watched?.firmwareId, ...ref };
}

/** Where a job is shown: the place its argument names (a row's, a follow-up's), else the place its watch polls at. */
function jobPlace(s: Services, arg: unknown, jobId: string): OtaPlace | undefined {
	const watched = s.ota.watches.get(jobId)?.watched;
	return placeOf(arg).place ?? (watched && watchPlace(watched));
}

/** Shows a job in the OTA Packages view (the status-bar item's click; "Show Job" on a notification). */
export async function revealJob(s: Services, arg?: unknown): Promise<void> {
	const ref = otaRefFromArg(arg);
	const jobId = ref.jobId ?? (await pickWatched(s, vscode.l10n.t('Show an OTA job'))).watched.jobId;
	await s.ota.view.reveal(jobRef(s, { ...ref, jobId }), { expand: true, focus: true, select: true, place: jobPlace(s, arg, jobId) });
}

/** Shows a job's failed tasks (the end and halt notifications' "Show Failures"). */
export async function showJobFailures(s: Services, arg?: unknown): Promise<void> {
	const ref = otaRefFromArg(arg);
	const jobId = ref.jobId ?? (await pickWatched(s, vscode.l10n.t('Show the failures of an OTA job'))).watched.jobId;
	await s.ota.view.reveal(jobRef(s, { ...ref, jobId, taskStatus: 'FAILED' }), {
		expand: true,
		focus: true,
		select: true,
		place: jobPlace(s, arg, jobId),
	});
}

export function loadMore(s: Services, arg?: unknown): void {
	const node = otaNodeFromArg(arg);
	if (node?.kind === 'loadMore') {
		s.ota.view.loadMore(node);
	}
}

/**
 * Lists only the devices of a product that report a version (any module), or all of them again; named by its key alone,
 * under the row that shows it (productPlace).
 */
export async function filterDevices(s: Services, arg?: unknown): Promise<void> {
	const { productKey } = otaRefFromArg(arg);
	if (!productKey) {
		throw missing('NoProduct', 'choose-product-devices');
	}
	const place = await productPlace(s, arg, productKey);
	const current = s.ota.view.deviceFilter(productKey, place);
	const all = vscode.l10n.t('All versions');
	const { lifecycle } = await connectionAt(s, place);
	const page = await lifecycle.listFirmware({ productKey, pageSize: maxPageSize('ListOTAFirmware') });
	const versions = [...new Set(page.items.map((firmware) => firmware.destVersion))].sort();
	const items = [{ label: all }, ...versions.map((version) => ({ label: version }))];
	const chosen = await s.prompter.pickOrType(PromptIds.otaDeviceFilter, items, {
		title: vscode.l10n.t('Show the devices of {0} that report a version', productKey),
		placeholder: vscode.l10n.t('Pick or type a version'),
		value: current,
	});
	if (chosen === undefined) {
		throw cancelledError('the device filter');
	}
	const answer = typeof chosen === 'string' ? chosen : chosen.label;
	const version = answer.trim() === '' || answer === all ? undefined : answer.trim();
	await s.ota.view.filterDevices(productKey, version, place);
}

/** Reveals a device's unfinished tasks (in any job) under the device; named by its keys alone, under the row that lists it (devicePlace). */
export async function showDeviceTasks(s: Services, arg?: unknown): Promise<void> {
	const { productKey, deviceName } = otaRefFromArg(arg);
	if (!productKey || !deviceName) {
		throw missing('NoDevice', 'choose-device');
	}
	await s.ota.view.revealDeviceTasks(productKey, deviceName, await devicePlace(s, arg, productKey, deviceName));
}

/** Shows a registered upload's package (Uploads view) or any package by FirmwareId. */
export async function revealPackage(s: Services, arg?: unknown): Promise<void> {
	const ref = otaRefFromArg(arg);
	if (!ref.firmwareId) {
		throw missing('NoPackage', 'upload-not-registered');
	}
	const firmwareId = ref.firmwareId;
	const row = uploadRowPlace(arg);
	try {
		if (row && row.profile !== s.profiles.active()?.name) {
			throw otherProfile(row.profile);
		}
		// A row's package is shown under its place's connection when the view lists one per connection (its folder's settings).
		await s.ota.view.reveal(
			{ productKey: ref.productKey, firmwareId },
			{ focus: true, select: true, place: row ?? placeOf(arg).place },
		);
	} catch (error) {
		// The view lists the active profile's packages: a row's package missing there is asked for where it was registered.
		if (row !== undefined && error instanceof OtaError && (error.code === 'NotFound' || error.code === 'OtherProfile')) {
			const conn = await connectionFor(s, arg).catch(() => undefined);
			// Asked only where its not-found would mark the row (rowFirmwareId): anywhere else the view's error stands.
			if (conn && rowFirmwareId(arg, conn) !== undefined) {
				await markedWhenGone(s, arg, conn, () => conn.lifecycle.queryFirmware(firmwareId)).catch((lookup: unknown) => {
					if (isPackageNotFound(lookup)) {
						throw lookup;
					}
				});
			}
			// The view's not-in-view refusal, with a hint naming both places (worded in the window, English in the log).
			const moved = conn && error.reason?.code === 'not-in-ota-view' ? rowMoved(arg, conn) : undefined;
			if (moved) {
				throw shellRefusal(error.code, 'not-in-ota-view-moved', {
					...error.reason?.values,
					...placeValues('recorded', moved.recorded),
					...placeValues('now', moved.now),
				});
			}
		}
		throw error;
	}
}

/** Where a row was registered and where the view looked, when the row's place moved since (movedPlace); else undefined. */
function rowMoved(arg: unknown, conn: OtaConnection) {
	const { profile, region, instance } = (arg as { entry: Record<string, unknown> }).entry;
	if (typeof profile !== 'string' || typeof region !== 'string') {
		return undefined;
	}
	const row = { profile, region, instance: typeof instance === 'string' ? instance : undefined };
	return movedPlace(row, { profile: conn.profile.name, ...conn.connection });
}

/** Show in OTA Packages on an Uploads row registered with a profile that is not the active one. */
function otherProfile(profile: string): OtaError {
	return missing('OtherProfile', 'other-profile-row', { profile });
}
