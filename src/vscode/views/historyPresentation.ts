// What an upload history row looks like, decided without vscode (unit-tested); uploadsTree.ts renders it.
import { recordAwaitsRegistration } from '../../core/flow/record';
import { REGISTER_WINDOW_MS, rowEnterpriseInstance, type HistoryEntry } from '../model';

export type RegisterWindow =
	{ state: 'none' } | { state: 'open'; deadline: number; minutesLeft: number } | { state: 'expired'; deadline: number };

/**
 * An uploaded file that is not registered yet must be passed to CreateOTAFirmware within the window,
 * counted from the end of the upload (OSS deletes unregistered objects afterwards).
 */
export function registerWindow(entry: HistoryEntry, now: number): RegisterWindow {
	if (!recordAwaitsRegistration(entry)) {
		return { state: 'none' };
	}
	const deadline = (entry.finishedAt ?? entry.startedAt) + REGISTER_WINDOW_MS;
	if (now >= deadline) {
		return { state: 'expired', deadline };
	}
	return { state: 'open', deadline, minutesLeft: Math.max(1, Math.ceil((deadline - now) / 60_000)) };
}

/** True while some row shows a live countdown, i.e. the view must re-render every minute. */
export function anyCountdown(entries: readonly HistoryEntry[], now: number): boolean {
	return entries.some((entry) => registerWindow(entry, now).state === 'open');
}

/**
 * `upload.<status>`; a row whose package was deleted: `upload.deleted.registrable` while its registration window is open
 * (Create OTA Firmware offered), else `upload.deleted`.
 */
export function historyContextValue(entry: HistoryEntry, now = Date.now()): string {
	const registrable = entry.status === 'deleted' && registerWindow(entry, now).state === 'open';
	return `upload.${entry.status}${registrable ? '.registrable' : ''}`;
}

export interface StatusIcon {
	/** Codicon id, e.g. "loading~spin". */
	id: string;
	/** Theme colour id, when the state needs one. */
	color?: string;
}

const WARNING = 'list.warningForeground';
const ERROR = 'list.errorForeground';

export function statusIcon(entry: HistoryEntry, now: number): StatusIcon {
	switch (entry.status) {
		case 'uploading':
			return { id: 'loading~spin' };
		case 'uploaded': {
			const window = registerWindow(entry, now);
			if (window.state === 'expired') {
				return { id: 'cloud-upload', color: ERROR };
			}
			return { id: 'cloud-upload', color: window.state === 'open' ? WARNING : undefined };
		}
		case 'registered':
			return { id: 'pass-filled', color: 'testing.iconPassed' };
		case 'deleted':
			return { id: 'trash', color: registerWindow(entry, now).state === 'open' ? WARNING : 'disabledForeground' };
		case 'failed':
			return { id: 'error', color: ERROR };
		case 'interrupted':
			return { id: 'debug-disconnect', color: WARNING };
		case 'cancelled':
			return { id: 'circle-slash', color: 'disabledForeground' };
	}
}

/** Whole percent of a running upload, or undefined when no progress was reported yet. */
export function progressPercent(progress: { bytesSent: number; totalBytes: number } | undefined): number | undefined {
	if (!progress || !(progress.totalBytes > 0)) {
		return undefined;
	}
	return Math.min(100, Math.floor((100 * progress.bytesSent) / progress.totalBytes));
}

/** The detail rows shown under a history item, in order; only fields the entry has. */
export type DetailField =
	| 'status'
	| 'size'
	| 'md5'
	| 'sha256'
	| 'git'
	| 'firmwareUrl'
	| 'firmwareId'
	| 'version'
	| 'productKey'
	| 'profile'
	| 'error'
	| 'requestId';

export function detailFields(entry: HistoryEntry): DetailField[] {
	const fields: DetailField[] = ['status', 'size'];
	const optional: Array<[DetailField, unknown]> = [
		['md5', entry.md5],
		['sha256', entry.sha256],
		['git', entry.gitCommit],
		['firmwareUrl', entry.firmwareUrl],
		['firmwareId', entry.firmwareId],
		['version', entry.destVersion],
		['productKey', entry.productKey],
	];
	for (const [field, value] of optional) {
		if (value) {
			fields.push(field);
		}
	}
	fields.push('profile');
	if (entry.error) {
		fields.push('error');
	}
	if (entry.requestId) {
		fields.push('requestId');
	}
	return fields;
}

/** The raw (copyable) value behind a detail row. */
export function detailValue(entry: HistoryEntry, field: DetailField): string {
	switch (field) {
		case 'status':
			return entry.status;
		case 'size':
			return String(entry.size);
		case 'git':
			return entry.gitCommit ?? '';
		case 'version':
			return entry.destVersion ?? '';
		case 'profile': {
			// Where its package is: the Enterprise instance too, when the row recorded one (docs/protocols.md §4.3).
			const instance = rowEnterpriseInstance(entry);
			return `${entry.profile} (${entry.region}${instance === undefined ? '' : `, ${instance}`})`;
		}
		default:
			return entry[field] ?? '';
	}
}
