// What the OTA actions start from: the package or job their argument names (a tree node, plain ids) or the one the
// user picks (palette), the devices of a product for a device pick, and the follow-ups they offer (watch the job).
import * as vscode from 'vscode';
import { cancelledError, throwIfAborted, type OtaError } from '../../../core/errors';
import { formatCount } from '../../../core/format';
import { maxPageSize } from '../../../core/iot/actions';
import type { DeviceVersions, FirmwareDetail, JobSummary } from '../../../core/lifecycle';
import type { FirmwareInfo } from '../../../core/types';
import type { Services } from '../../commands/services';
import { Commands } from '../../constants';
import type { Values } from '../../errorWordings';
import { shellRefusal, type ShellReason } from '../../errorWordingsShell';
import { pickProductKey } from '../../create/productPick';
import { PromptIds } from '../../ui/prompter';
import { rowPlace } from '../access';
import type { OtaConnection, OtaPlace } from '../contract';
import { verificationOf, type OtaRef, type Verification } from '../nodes';
import { deviceDescription, jobStatusLabel, jobTypeLabel, packageDescription } from '../presentation';

/** A refusal of an OTA action: its English message and its reason (errorWordingsShell.ts). */
export const refused = (code: string, reason: ShellReason, values?: Values): OtaError => shellRefusal(code, reason, values);

/** Which packages a command offers when it has to ask. */
export type PackagePurpose = 'verify' | 'rollout' | 'any';

const OFFERED: Record<PackagePurpose, (verification: Verification) => boolean> = {
	verify: (v) => v === 'unverified' || v === 'verifyFailed' || v === 'unknown',
	rollout: (v) => v === 'verified' || v === 'notRequired' || v === 'unknown',
	any: () => true,
};

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The place of the command an action follows up (its argument's `place`: where that command reached the platform), else undefined. */
function placeFromArg(arg: unknown): OtaPlace | undefined {
	const place = typeof arg === 'object' && arg !== null ? (arg as { place?: unknown }).place : undefined;
	if (typeof place !== 'object' || place === null) {
		return undefined;
	}
	const { profile, scope, folder } = place as Record<string, unknown>;
	if (typeof profile !== 'string') {
		return undefined;
	}
	return { profile, scope: text(scope), ...(typeof folder === 'string' ? { folder } : {}) };
}

/**
 * The place an Uploads row's package was registered at (rowPlace). None for a record without a profile, nor for an argument
 * that is not a row.
 */
export function uploadRowPlace(arg: unknown): OtaPlace | undefined {
	const entry = typeof arg === 'object' && arg !== null ? (arg as { entry?: unknown }).entry : undefined;
	if (typeof entry !== 'object' || entry === null) {
		return undefined;
	}
	const { profile, fileUri, folder } = entry as Record<string, unknown>;
	if (typeof profile !== 'string' || profile === '' || typeof fileUri !== 'string') {
		return undefined;
	}
	return rowPlace(profile, { fileUri, ...(typeof folder === 'string' ? { folder } : {}) });
}

/**
 * Where an action reaches the platform: its argument's `place` (a follow-up of a command that used a profile and a file's
 * folder settings), else an Uploads row's (where its package was registered); none: the active profile with the window's
 * settings (the OTA Packages view, the palette, a row without a profile).
 */
export function actionPlace(arg: unknown): OtaPlace | undefined {
	return placeFromArg(arg) ?? uploadRowPlace(arg);
}

/**
 * The clients of a command on an OTA Packages row (its place, when the view lists one row per connection) or with a
 * follow-up's place; else the active profile's with the window's settings (the palette; an Uploads row too, unlike
 * connectionFor).
 */
export function placedConnection(s: Services, arg: unknown): Promise<OtaConnection> {
	return connectionAt(s, placeFromArg(arg));
}

/** The clients at `place`; without one the active profile's with the window's settings. */
export function connectionAt(s: Services, place: OtaPlace | undefined): Promise<OtaConnection> {
	return place ? s.ota.access.connectAt(place) : s.ota.access.connect();
}

/** The place a command's argument names (an OTA Packages row's, a follow-up's), if any; not an Uploads row's. */
export function placeOf(arg: unknown): { place?: OtaPlace } {
	const place = placeFromArg(arg);
	return place ? { place } : {};
}

/**
 * The clients an action uses: at its place (actionPlace: Delete Package after a cancelled registration, Verify… after a
 * registration, either on a registered Uploads row), else the active profile's with the window's settings. `atPlace`: how
 * the place's connection is made (Delete Package adds a hint).
 */
export function connectionFor(
	s: Services,
	arg: unknown,
	atPlace = (place: OtaPlace): Promise<OtaConnection> => s.ota.access.connectAt(place),
): Promise<OtaConnection> {
	const place = actionPlace(arg);
	return place ? atPlace(place) : s.ota.access.connect();
}

/** The package `ref` names (QueryOTAFirmware), or one picked from a product's packages. */
export async function resolvePackage(s: Services, conn: OtaConnection, ref: OtaRef, purpose: PackagePurpose): Promise<FirmwareDetail> {
	if (ref.firmwareId) {
		return conn.lifecycle.queryFirmware(ref.firmwareId);
	}
	const productKey = ref.productKey ?? (await pickProductKey(s, conn.iot));
	const page = await conn.lifecycle.listFirmware({ productKey, pageSize: maxPageSize('ListOTAFirmware') });
	const offered = page.items.filter((firmware) => OFFERED[purpose](verificationOf(firmware.status)));
	if (offered.length === 0) {
		const reason =
			purpose === 'rollout' ? 'no-package-to-roll-out' : purpose === 'verify' ? 'no-package-to-verify' : 'product-no-package';
		throw refused('NoPackage', reason, { productKey });
	}
	const now = Date.now();
	const items = offered.map((firmware: FirmwareInfo) => ({
		label: firmware.firmwareName,
		description: packageDescription(firmware, verificationOf(firmware.status), vscode.l10n, vscode.env.language, now),
		detail: firmware.firmwareId,
		firmware,
	}));
	const chosen = await s.prompter.pick(PromptIds.otaPackagePick, items, {
		title: vscode.l10n.t('OTA package of {0}', productKey),
		matchOnDescription: true,
		matchOnDetail: true,
		ignoreFocusOut: true,
	});
	if (!chosen) {
		throw cancelledError('the package selection');
	}
	return conn.lifecycle.queryFirmware(chosen.firmware.firmwareId);
}

/** The job `ref` names, or one picked from a package's jobs (newest first). */
export async function resolveJobId(s: Services, conn: OtaConnection, ref: OtaRef): Promise<string> {
	if (ref.jobId) {
		return ref.jobId;
	}
	const firmware = await resolvePackage(s, conn, ref, 'any');
	const page = await conn.lifecycle.listJobsByFirmware({
		firmwareId: firmware.firmwareId,
		pageSize: maxPageSize('ListOTAJobByFirmware'),
	});
	if (page.items.length === 0) {
		throw refused('NoJob', 'package-no-job', { firmwareName: firmware.firmwareName });
	}
	const items = [...page.items]
		.sort((a, b) => (b.utcCreate ?? '').localeCompare(a.utcCreate ?? ''))
		.map((job: JobSummary) => ({
			label: jobTypeLabel(job, vscode.l10n),
			description: `${jobStatusLabel(job.jobStatus, vscode.l10n)} · ${job.jobId}`,
			detail: job.utcCreate,
			jobId: job.jobId,
		}));
	const chosen = await s.prompter.pick(PromptIds.otaJobPick, items, {
		title: vscode.l10n.t('Job of {0} {1}', firmware.firmwareName, firmware.destVersion),
		matchOnDescription: true,
		ignoreFocusOut: true,
	});
	if (!chosen) {
		throw cancelledError('the job selection');
	}
	return chosen.jobId;
}

/** Devices a pick lists at most; a product with more is listed up to here, and the title says so. */
export const LISTED_DEVICES = 500;

export interface ListedDevices {
	devices: DeviceVersions[];
	/** Devices of the product. */
	total: number;
}

/** The product's first devices with online state and versions (core inventory, 50 a page). */
async function readDevices(
	conn: OtaConnection,
	productKey: string,
	signal: AbortSignal,
	onPage: (read: number) => void,
): Promise<ListedDevices> {
	const { deviceVersionsPage, readsVersionsPerDevice } = await import('../../../core/lifecycle/inventory.js');
	const perDevice = await readsVersionsPerDevice(conn.lifecycle, productKey, signal);
	const devices: DeviceVersions[] = [];
	let nextToken: string | undefined;
	for (let currentPage = 1; devices.length < LISTED_DEVICES; currentPage++) {
		const page = await deviceVersionsPage(conn.lifecycle, { productKey, currentPage, nextToken, perDevice, signal });
		devices.push(...page.devices);
		onPage(devices.length);
		// A Cancel pressed while the last page was read still cancels: no device pick after it.
		throwIfAborted(signal, 'reading the devices');
		nextToken = page.nextToken;
		if (page.last) {
			return { devices, total: page.total };
		}
	}
	return { devices: devices.slice(0, LISTED_DEVICES), total: Math.max(devices.length, LISTED_DEVICES + 1) };
}

/**
 * The devices a device pick offers, read under a cancellable notification that counts them: a product with custom
 * modules costs one call per device (at the account's QPS), so up to LISTED_DEVICES calls before the pick appears.
 */
export function listDevices(s: Services, conn: OtaConnection, productKey: string): Promise<ListedDevices> {
	return s.prompter.progress(PromptIds.otaDeviceList, vscode.l10n.t('Reading the devices of {0}…', productKey), (signal, report) =>
		readDevices(conn, productKey, signal, (read) => report(vscode.l10n.t('{0} read', formatCount(read, vscode.env.language)))),
	);
}

export interface DeviceItem extends vscode.QuickPickItem {
	deviceName: string;
}

/** A device pick's rows: "dev-00001  Online · 1.0.0", online devices first. */
export function deviceItems(listed: ListedDevices): DeviceItem[] {
	return [...listed.devices]
		.sort((a, b) => Number(b.online) - Number(a.online))
		.map((device) => ({
			label: device.deviceName,
			description: deviceDescription(device, vscode.l10n),
			iconPath: new vscode.ThemeIcon(device.online ? 'circle-filled' : 'circle-outline'),
			deviceName: device.deviceName,
		}));
}

/**
 * A new or changed job: reload it in the OTA Packages view, then offer to watch it unless it is watched already. With a
 * `place` (the command reached the platform there: a follow-up of a registration), the watch polls there too. With
 * `afterRerun` (Retry Failed, Confirm), the watch offered, or the one already running, is one after a re-run.
 */
export async function announceJob(
	s: Services,
	id: string,
	text: string,
	job: OtaRef & { jobId: string; place?: OtaPlace; afterRerun?: boolean },
): Promise<void> {
	s.ota.view.refresh(job.firmwareId ? { firmwareId: job.firmwareId } : { jobId: job.jobId });
	const watch = vscode.l10n.t('Watch Job');
	const copy = vscode.l10n.t('Copy JobId');
	const watched = s.ota.watches.isWatched(job.jobId);
	if (watched && job.afterRerun) {
		// Its watch goes on as one after a re-run: the job may stay COMPLETED while the re-run tasks run.
		const { jobId, productKey, firmwareId, place } = job;
		s.ota.watches
			.watch({ jobId, productKey, firmwareId, place, afterRerun: true })
			.catch((error: unknown) =>
				s.log.warn(
					`[watch] The watch of job ${jobId} did not go on as one after a re-run (${(error as { code?: string }).code ?? 'error'}).`,
				),
			);
	}
	const actions = watched ? [copy] : [watch, copy];
	const choice = await s.prompter.message(id, 'info', text, {}, ...actions);
	if (choice === watch) {
		await vscode.commands.executeCommand(Commands.watchJob, job);
	} else if (choice === copy) {
		await vscode.commands.executeCommand(Commands.copyJobId, { jobId: job.jobId });
	}
}
