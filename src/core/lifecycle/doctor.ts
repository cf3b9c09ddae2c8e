// Gathers the evidence diagnosis.ts needs for a job's failed and stuck tasks (or one device's task): the tasks, the
// devices' state and reported versions, and their unfinished tasks elsewhere. A bounded number of tasks is examined.
import { maxPageSize } from '../iot/actions';
import { DEFAULT_MODULE } from '../otaFacts';
import type { LifecycleApi } from './client';
import { diagnose, type Diagnosis } from './diagnosis';
import { checkNames } from './rules';
import { type OtaJob, type OtaTask, type TaskStatus, UNFINISHED_STATUSES } from './types';

export type DoctorApi = Pick<
	LifecycleApi,
	'queryJob' | 'listTasksByJob' | 'batchQueryDeviceDetail' | 'listModuleVersions' | 'listUnfinishedTasks'
>;

export interface DoctorOptions {
	/** Only this device's task. */
	deviceName?: string;
	/** Tasks examined at most (default DOCTOR_DEFAULTS.maxTasks): each costs a few calls. */
	maxTasks?: number;
	stuckAfterMs?: number;
	now?: () => number;
	signal?: AbortSignal;
}

export interface Finding {
	task: OtaTask;
	/** What the device reports now for the task's module, and its online state. */
	device?: { status?: string; version?: string };
	diagnosis?: Diagnosis;
	/** The device's unfinished tasks, read for a failed task: what a busy-elsewhere diagnosis is made of. */
	unfinished?: OtaTask[];
}

export interface DoctorReport {
	job: OtaJob;
	findings: Finding[];
	/** Failed or open tasks beyond maxTasks that were not examined. */
	notExamined: number;
}

export const DOCTOR_DEFAULTS = {
	/** Tasks examined at most when none is named. */
	maxTasks: 20,
} as const;
const DOCTOR_STATUSES: readonly TaskStatus[] = ['FAILED', ...UNFINISHED_STATUSES];

async function candidateTasks(api: DoctorApi, job: OtaJob, opts: DoctorOptions, max: number): Promise<{ tasks: OtaTask[]; more: number }> {
	const { signal } = opts;
	if (opts.deviceName) {
		const page = await api.listTasksByJob({ jobId: job.jobId, deviceNames: [opts.deviceName] }, signal);
		return { tasks: page.items, more: 0 };
	}
	const tasks: OtaTask[] = [];
	let more = 0;
	for (const status of DOCTOR_STATUSES) {
		const room = max - tasks.length;
		const page = await api.listTasksByJob(
			{ jobId: job.jobId, status, pageSize: Math.max(1, Math.min(room, maxPageSize('ListOTATaskByJob'))) },
			signal,
		);
		const taken = room > 0 ? page.items.slice(0, room) : [];
		tasks.push(...taken);
		more += page.total - taken.length;
	}
	return { tasks, more };
}

async function deviceStates(
	api: DoctorApi,
	tasks: readonly OtaTask[],
	signal?: AbortSignal,
): Promise<Map<string, { status?: string; version?: string }>> {
	const states = new Map<string, { status?: string; version?: string }>();
	const byProduct = new Map<string, string[]>();
	for (const task of tasks) {
		const names = byProduct.get(task.productKey ?? '') ?? [];
		if (!names.includes(task.deviceName)) {
			names.push(task.deviceName);
		}
		byProduct.set(task.productKey ?? '', names);
	}
	for (const [productKey, names] of byProduct) {
		for (let i = 0; i < names.length; i += 100) {
			for (const device of await api.batchQueryDeviceDetail(productKey, names.slice(i, i + 100), signal)) {
				states.set(`${productKey}/${device.deviceName}`, { status: device.status, version: device.firmwareVersion });
			}
		}
	}
	for (const task of tasks.filter((t) => t.moduleName && t.moduleName !== DEFAULT_MODULE)) {
		const key = `${task.productKey ?? ''}/${task.deviceName}`;
		const versions = await api.listModuleVersions({ productKey: task.productKey ?? '', deviceName: task.deviceName }, {}, signal);
		const version = versions.items.find((v) => v.moduleName === task.moduleName)?.moduleVersion;
		states.set(key, { ...states.get(key), version });
	}
	return states;
}

/** The options a user gives (the device name), checked before any call. */
export function checkDoctorOptions(opts: Pick<DoctorOptions, 'deviceName'>): void {
	if (opts.deviceName !== undefined) {
		checkNames('device', [opts.deviceName], 1);
	}
}

/** Diagnoses the job's failed and open tasks (the open ones only when stuck), or the named device's task. */
export async function doctorJob(api: DoctorApi, jobId: string, opts: DoctorOptions = {}): Promise<DoctorReport> {
	checkDoctorOptions(opts);
	const { signal } = opts;
	const now = (opts.now ?? Date.now)();
	const job = await api.queryJob(jobId, signal);
	const { tasks, more } = await candidateTasks(api, job, opts, opts.maxTasks ?? DOCTOR_DEFAULTS.maxTasks);
	const states = await deviceStates(api, tasks, signal);
	const findings: Finding[] = [];
	for (const task of tasks) {
		const device = states.get(`${task.productKey ?? ''}/${task.deviceName}`);
		const unfinished =
			task.status === 'FAILED'
				? await api.listUnfinishedTasks(
						{ productKey: task.productKey ?? '', deviceName: task.deviceName, moduleName: task.moduleName },
						signal,
					)
				: undefined;
		const diagnosis = diagnose({ task, job, device, unfinished, now, stuckAfterMs: opts.stuckAfterMs });
		if (diagnosis || opts.deviceName) {
			findings.push({
				task,
				...(device ? { device } : {}),
				...(diagnosis ? { diagnosis } : {}),
				...(unfinished ? { unfinished } : {}),
			});
		}
	}
	return { job, findings, notExamined: more };
}
