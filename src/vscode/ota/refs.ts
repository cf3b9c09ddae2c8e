// The ids (and the states menus depend on) that OTA commands read from their argument, and the contextValue grammar
// (see nodes.ts). No imports at run time: nodes.ts and deviceNodes.ts build on it.
import type { TaskStatus } from '../../core/lifecycle';

/** Rows per "Load more…" (tasks of a group, devices). */
export const TREE_PAGE = 50;

/** A package's verification state (QueryOTAFirmware `Status`: −1, 0, 1, 2, 3; docs/protocols.md §11.4). */
export type Verification = 'notRequired' | 'unverified' | 'verified' | 'verifying' | 'verifyFailed' | 'unknown';

export function verificationOf(status: number | undefined): Verification {
	switch (status) {
		case -1:
			return 'notRequired';
		case 0:
			return 'unverified';
		case 1:
			return 'verified';
		case 2:
			return 'verifying';
		case 3:
			return 'verifyFailed';
		default:
			return 'unknown';
	}
}

/** The ids (and the states menus depend on) a command reads from its argument. */
export interface OtaRef {
	productKey?: string;
	productName?: string;
	firmwareId?: string;
	/** The package's version (DestVersion). */
	destVersion?: string;
	moduleName?: string;
	verification?: Verification;
	jobId?: string;
	jobStatus?: string;
	/** VERIFY_FIRMWARE or UPGRADE_FIRMWARE. */
	jobType?: string;
	taskId?: string;
	/** A task's status, or the status of a task group. */
	taskStatus?: TaskStatus;
	deviceName?: string;
	/** Watch Job: a halt guard "PCT[:N]" (core parseHaltAt), e.g. from Roll Out's halt-guard step. */
	haltAt?: string;
}

export const OTA_REF_KEYS = [
	'productKey',
	'productName',
	'firmwareId',
	'destVersion',
	'moduleName',
	'verification',
	'jobId',
	'jobStatus',
	'jobType',
	'taskId',
	'taskStatus',
	'deviceName',
	'haltAt',
] as const satisfies ReadonlyArray<keyof OtaRef>;

export function otaContextValue(kind: OtaNodeKind, ...flags: Array<string | false | undefined>): string {
	return [`ota.${kind}`, ...flags.filter((flag): flag is string => typeof flag === 'string' && flag !== '')].join(' ');
}

export type OtaNodeKind =
	| 'connection'
	| 'quota'
	| 'product'
	| 'package'
	| 'job'
	| 'taskGroup'
	| 'task'
	| 'loadMore'
	| 'devices'
	| 'device'
	| 'deviceVersion'
	| 'deviceTasks'
	| 'message';

export function plainRef(value: Record<string, unknown>): OtaRef {
	const ref: Record<string, string> = {};
	for (const key of OTA_REF_KEYS) {
		const field = value[key];
		if (typeof field === 'string' && field.trim() !== '') {
			ref[key] = field.trim();
		}
	}
	return ref as OtaRef;
}

/**
 * What Retry Failed or Confirm acts on, from the rows it was started on: the chosen task rows that are in an `allowed`
 * status (`tasks`), or, with no task row chosen, the whole job (`job`). Never the whole job when task rows were
 * chosen: rows of several jobs, or tasks mixed with other rows, are `mixed`; chosen tasks none of which qualifies are
 * `noneQualify`.
 */
export type BulkTarget =
	{ kind: 'job' } | { kind: 'tasks'; jobId: string; taskIds: string[]; leftOut: number } | { kind: 'mixed' } | { kind: 'noneQualify' };

export function bulkTarget(refs: readonly OtaRef[], allowed: readonly TaskStatus[]): BulkTarget {
	const tasks = refs.filter((ref) => ref.taskId);
	const jobs = new Set(refs.map((ref) => ref.jobId));
	if (jobs.size > 1 || (tasks.length > 0 && tasks.length < refs.length)) {
		return { kind: 'mixed' };
	}
	const jobId = tasks[0]?.jobId;
	if (!jobId) {
		return { kind: 'job' };
	}
	const taskIds = [
		...new Set(tasks.filter((ref) => !ref.taskStatus || allowed.includes(ref.taskStatus)).map((ref) => ref.taskId as string)),
	];
	return taskIds.length === 0 ? { kind: 'noneQualify' } : { kind: 'tasks', jobId, taskIds, leftOut: tasks.length - taskIds.length };
}
