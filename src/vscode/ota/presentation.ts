// The texts of the OTA Packages view, the watch status item and its notifications. Pure: the `l10n` argument is
// vscode.l10n in the extension and plainL10n in unit tests. The type-only import below is erased at run time; it is
// what makes `@vscode/l10n-dev export` read this file's `l10n.t(...)` calls (it skips files that import no `l10n`).
import type { l10n } from 'vscode';
import type { CountSummary, DeviceVersions, JobProgress, JobSummary, OtaTask, StatusCounts, TaskStatus } from '../../core/lifecycle';
import type { FirmwareInfo } from '../../core/types';
import type { Translator } from '../upload/progressFormat';
import { formatBytes, formatCount } from '../../core/format';
import { DEFAULT_MODULE } from '../../core/otaFacts';
import { regionEndpoint, shownEndpoint } from '../../core/regions';
import type { ConnectionChoice } from '../credentials/folderConnection';
import { formatRelativeTime } from '../views/format';
import type { ConnectionNode } from './connectionNode';
import type { WatchPhase, WatchSnapshot } from './contract';
import type { Verification } from './nodes';

/** Compile-time check that vscode.l10n is a Translator (the extension passes it; unit tests pass plainL10n). */
export type VscodeL10nIsTranslator = typeof l10n extends Translator ? true : never;

/** Task groups in the order a developer looks at them: what went wrong, what runs, what waits, what is done. */
export const GROUP_ORDER: readonly TaskStatus[] = ['FAILED', 'IN_PROGRESS', 'NOTIFIED', 'QUEUED', 'CONFIRM', 'SUCCEEDED', 'CANCELED'];

export function taskStatusLabel(status: TaskStatus, l10n: Translator): string {
	switch (status) {
		case 'CONFIRM':
			return l10n.t('Waiting for confirmation');
		case 'QUEUED':
			return l10n.t('Queued');
		case 'NOTIFIED':
			return l10n.t('Notified');
		case 'IN_PROGRESS':
			return l10n.t('In progress');
		case 'SUCCEEDED':
			return l10n.t('Succeeded');
		case 'FAILED':
			return l10n.t('Failed');
		case 'CANCELED':
			return l10n.t('Canceled');
	}
}

/** "Failed (12)", "Succeeded (9,648)". */
export function groupLabel(status: TaskStatus, count: number, l10n: Translator, locale: string): string {
	return `${taskStatusLabel(status, l10n)} (${formatCount(count, locale)})`;
}

/** The non-empty groups of a job's counts, in GROUP_ORDER. */
export function nonEmptyGroups(counts: StatusCounts): Array<{ status: TaskStatus; count: number }> {
	return GROUP_ORDER.filter((status) => counts[status] > 0).map((status) => ({ status, count: counts[status] }));
}

export function jobStatusLabel(status: string, l10n: Translator): string {
	switch (status) {
		case 'PLANNED':
			return l10n.t('Planned');
		case 'IN_PROGRESS':
			return l10n.t('In progress');
		case 'COMPLETED':
			return l10n.t('Completed');
		case 'CANCELED':
			return l10n.t('Canceled');
		default:
			return status;
	}
}

export function jobTypeLabel(job: Pick<JobSummary, 'jobType' | 'selectionType' | 'targetSelection'>, l10n: Translator): string {
	if (job.jobType === 'VERIFY_FIRMWARE') {
		return l10n.t('Verification');
	}
	if (job.selectionType === 'DYNAMIC') {
		return l10n.t('Dynamic rollout');
	}
	switch (job.targetSelection) {
		case 'GRAY':
			return l10n.t('Gray rollout');
		case 'SPECIFIC':
			return l10n.t('Rollout to chosen devices');
		case 'GROUP':
			return l10n.t('Rollout to a group');
		default:
			return l10n.t('Rollout to all devices');
	}
}

/** "640/1,000 ✓ · 3 ✗": succeeded of all tasks, and the failed ones when there are any. */
export function countsText(summary: CountSummary, locale: string): string {
	const done = `${formatCount(summary.succeeded, locale)}/${formatCount(summary.total, locale)} ✓`;
	return summary.failed > 0 ? `${done} · ${formatCount(summary.failed, locale)} ✗` : done;
}

/** "In progress · 640/1,000 ✓ · 3 ✗ · watching"; a watch that does not poll now says so ("watch paused", …). */
export function jobDescription(
	job: Pick<JobSummary, 'jobStatus'>,
	progress: JobProgress | undefined,
	watch: WatchPhase | undefined,
	l10n: Translator,
	locale: string,
): string {
	const parts = [jobStatusLabel(progress?.jobStatus ?? job.jobStatus, l10n)];
	if (progress && progress.summary.total > 0) {
		parts.push(countsText(progress.summary, locale));
	}
	const watchText = watch && watchPhaseText(watch, l10n);
	if (watchText) {
		parts.push(watchText);
	}
	return parts.join(' · ');
}

function watchPhaseText(phase: WatchPhase, l10n: Translator): string | undefined {
	switch (phase) {
		case 'paused':
			return l10n.t('watch paused');
		case 'waiting':
			return l10n.t('watch waiting for the Local Sandbox');
		case 'retrying':
			return l10n.t('watch retrying');
		case 'ended':
			return undefined;
		default:
			return l10n.t('watching');
	}
}

export function verificationLabel(verification: Verification, l10n: Translator): string {
	switch (verification) {
		case 'notRequired':
			return l10n.t('No verification needed');
		case 'unverified':
			return l10n.t('Not verified');
		case 'verified':
			return l10n.t('Verified');
		case 'verifying':
			return l10n.t('Verifying');
		case 'verifyFailed':
			return l10n.t('Verification failed');
		case 'unknown':
			return l10n.t('Verification unknown');
	}
}

/** Codicon and theme colour of a verification state. */
export function verificationIcon(verification: Verification): { id: string; color?: string } {
	switch (verification) {
		case 'verified':
			return { id: 'verified-filled', color: 'testing.iconPassed' };
		case 'verifying':
			return { id: 'sync~spin' };
		case 'verifyFailed':
			return { id: 'error', color: 'testing.iconFailed' };
		case 'unverified':
			return { id: 'unverified' };
		default:
			return { id: 'package' };
	}
}

export function utcMs(utc: string | undefined): number | undefined {
	const ms = utc ? Date.parse(utc) : Number.NaN;
	return Number.isFinite(ms) ? ms : undefined;
}

/** "1.2.0 · Verified · 1.2 MB · 3 days ago". */
export function packageDescription(
	firmware: FirmwareInfo,
	verification: Verification,
	l10n: Translator,
	locale: string,
	now: number,
): string {
	const created = utcMs(firmware.utcCreate);
	return [
		firmware.destVersion,
		verificationLabel(verification, l10n),
		firmware.firmwareSize === undefined ? undefined : formatBytes(firmware.firmwareSize, locale),
		created === undefined ? undefined : formatRelativeTime(created, now, locale),
	]
		.filter((part): part is string => part !== undefined && part !== '')
		.join(' · ');
}

/** "Packages: 12 / 500". */
export function quotaLabel(used: number | undefined, max: number, l10n: Translator, locale: string): string {
	return l10n.t('Packages: {0} / {1}', used === undefined ? '?' : formatCount(used, locale), formatCount(max, locale));
}

/** "1.0.0 → 1.2.0 · 42 %", "… · timeout". */
export function taskDescription(task: OtaTask, l10n: Translator): string {
	const parts: string[] = [];
	if (task.srcVersion || task.destVersion) {
		parts.push(`${task.srcVersion ?? '?'} → ${task.destVersion ?? '?'}`);
	}
	if (task.status === 'IN_PROGRESS' && task.progress) {
		parts.push(`${Math.round(Number(task.progress))} %`);
	}
	if ((task.status === 'FAILED' || task.status === 'CANCELED') && task.taskDesc) {
		parts.push(task.taskDesc);
	}
	if (parts.length === 0) {
		parts.push(taskStatusLabel(task.status, l10n));
	}
	return parts.join(' · ');
}

/** "Online · 1.0.0" or "Offline · default 1.0.0 · wifi 2.1". */
export function deviceDescription(device: DeviceVersions, l10n: Translator): string {
	const modules = Object.entries(device.versions);
	const versions =
		modules.length === 1 && modules[0][0] === DEFAULT_MODULE
			? [modules[0][1]]
			: modules.map(([module, version]) => `${module} ${version}`);
	return [device.online ? l10n.t('Online') : l10n.t('Offline'), ...versions].join(' · ');
}

/** A quick-pick row for a watched job. */
export function watchItem(snapshot: WatchSnapshot, l10n: Translator, locale: string): { label: string; description: string } {
	const summary = snapshot.progress?.summary;
	return {
		label: snapshot.watched.jobId,
		description: [snapshot.job ? jobTypeLabel(snapshot.job, l10n) : undefined, summary ? countsText(summary, locale) : undefined]
			.filter(Boolean)
			.join(' · '),
	};
}

/**
 * A connection row's label: its region and instance, and, when the rows' endpoints differ (`differing` names
 * iotOta.endpoint), the host (and path) of the endpoint its calls use, the region's own for none: rows that differ only
 * in endpoint are told apart. `withScheme`: its scheme too, when that is what tells it from another row (schemeTellsApart).
 */
export function connectionLabel(connection: ConnectionChoice, differing: readonly string[], l10n: Translator, withScheme = false): string {
	const { region, iotInstanceId } = connection;
	const parts = [region, iotInstanceId ?? l10n.t('public instance')];
	if (differing.includes('iotOta.endpoint')) {
		parts.push(endpointText(endpointOf(connection), withScheme));
	}
	return parts.join(' · ');
}

/** The label of a connection row of the view (connectionLabel), also where a pick names the row. */
export function rowLabel(row: Pick<ConnectionNode, 'connection' | 'differing' | 'showsScheme'>, l10n: Translator): string {
	return connectionLabel(row.connection, row.differing, l10n, row.showsScheme);
}

/**
 * Whether another of `connections` would get the same label but for its endpoint's scheme (http:// and https:// of one
 * host, same region and instance): then the scheme is what tells their rows apart, and only then the labels show it.
 */
export function schemeTellsApart(connection: ConnectionChoice, connections: readonly ConnectionChoice[]): boolean {
	const endpoint = endpointOf(connection);
	return connections.some((other) => {
		const otherEndpoint = endpointOf(other);
		return (
			other.region === connection.region &&
			other.iotInstanceId === connection.iotInstanceId &&
			endpointText(otherEndpoint) === endpointText(endpoint) &&
			schemeOf(otherEndpoint) !== schemeOf(endpoint)
		);
	});
}

const endpointOf = ({ endpoint, region }: ConnectionChoice): string => endpoint ?? regionEndpoint(region);

function schemeOf(endpoint: string): string | undefined {
	try {
		return new URL(endpoint).protocol.toLowerCase();
	} catch {
		return undefined;
	}
}

/**
 * `iot.example.com:8443/gw` of `https://iot.example.com:8443/gw/`: never a user name, password or query (a label is
 * output). An endpoint that is no URL (calls with it fail with InvalidEndpoint) shows its masked text without a query.
 */
function endpointText(endpoint: string, withScheme = false): string {
	const shown = shownEndpoint(endpoint);
	try {
		const url = new URL(shown);
		if (url.host) {
			return `${withScheme ? `${url.protocol}//` : ''}${url.host}${url.pathname.replace(/\/+$/, '')}`;
		}
	} catch {
		// not a URL: shown below
	}
	return shown.replace(/[?#][\s\S]*$/, '');
}
