// An in-memory stand-in for the lifecycle client: jobs and their tasks in arrays, every call recorded. Tests change
// the tasks between refreshes (advance()), so a watch is driven step by step without timers or a network.
import { cancelledError } from '../../../src/core/errors';
import type { LifecycleApi } from '../../../src/core/lifecycle';
import { UNFINISHED_STATUSES, type OtaJob, type OtaTask, type TaskStatus } from '../../../src/core/lifecycle/types';
import type { Page } from '../../../src/core/types';

export interface RecordedCall {
	method: string;
	args: unknown;
}

interface FakeJob {
	job: OtaJob;
	tasks: OtaTask[];
}

type Api = Pick<
	LifecycleApi,
	| 'queryJob'
	| 'listTasksByJob'
	| 'cancelTasksByJob'
	| 'cancelTasksByDevice'
	| 'cancelStrategy'
	| 'reupgradeTasks'
	| 'confirmTasks'
	| 'createStaticJob'
	| 'batchQueryDeviceDetail'
	| 'listModuleVersions'
	| 'listUnfinishedTasks'
>;

export function task(jobId: string, index: number, status: TaskStatus, extra: Partial<OtaTask> = {}): OtaTask {
	const n = String(index).padStart(5, '0');
	return {
		taskId: `T${jobId}-${n}`,
		jobId,
		deviceName: `dev-${n}`,
		productKey: 'pk1',
		destVersion: '1.2.0',
		srcVersion: '1.0.0',
		status,
		...extra,
	};
}

export function tasks(jobId: string, spec: Partial<Record<TaskStatus, number>>): OtaTask[] {
	const out: OtaTask[] = [];
	for (const [status, count] of Object.entries(spec) as Array<[TaskStatus, number]>) {
		for (let i = 0; i < count; i++) {
			out.push(task(jobId, out.length + 1, status));
		}
	}
	return out;
}

export function job(jobId: string, extra: Partial<OtaJob> = {}): OtaJob {
	return {
		jobId,
		firmwareId: 'FW1',
		productKey: 'pk1',
		destVersion: '1.2.0',
		jobStatus: 'IN_PROGRESS',
		jobType: 'UPGRADE_FIRMWARE',
		selectionType: 'STATIC',
		targetSelection: 'ALL',
		needConfirm: false,
		srcVersions: [],
		tags: [],
		...extra,
	};
}

export class FakeOta implements Api {
	readonly calls: RecordedCall[] = [];
	readonly jobs = new Map<string, FakeJob>();
	devices = new Map<string, { status?: string; version?: string }>();
	/** Called by tests' sleep: the next refresh sees the changes. */
	onAdvance: Array<() => void> = [];
	private created = 0;

	add(jobValue: OtaJob, taskList: OtaTask[]): this {
		this.jobs.set(jobValue.jobId, { job: jobValue, tasks: taskList });
		return this;
	}

	get(jobId: string): FakeJob {
		const found = this.jobs.get(jobId);
		if (!found) {
			throw new Error(`no job ${jobId}`);
		}
		return found;
	}

	advance(): void {
		this.onAdvance.shift()?.();
	}

	/** Calls of `method` (all when omitted). */
	called(method?: string): RecordedCall[] {
		return method ? this.calls.filter((c) => c.method === method) : this.calls;
	}

	private record(method: string, args: unknown): void {
		this.calls.push({ method, args: structuredClone(args) });
	}

	async queryJob(jobId: string): Promise<OtaJob> {
		this.record('queryJob', jobId);
		return structuredClone(this.get(jobId).job);
	}

	async listTasksByJob(q: {
		jobId: string;
		status?: TaskStatus;
		currentPage?: number;
		pageSize?: number;
		deviceNames?: readonly string[];
	}): Promise<Page<OtaTask>> {
		this.record('listTasksByJob', q);
		let matching = this.get(q.jobId).tasks.filter((t) => q.status === undefined || t.status === q.status);
		if (q.deviceNames) {
			matching = matching.filter((t) => q.deviceNames?.includes(t.deviceName));
		}
		const pageSize = q.pageSize ?? 10;
		const currentPage = q.currentPage ?? 1;
		const items = matching.slice((currentPage - 1) * pageSize, currentPage * pageSize).map((t) => ({ ...t }));
		return { items, total: matching.length, pageSize, currentPage, pageCount: Math.ceil(matching.length / pageSize) };
	}

	async cancelTasksByJob(req: {
		jobId: string;
		queued?: boolean;
		notified?: boolean;
		inProgress?: boolean;
		unconfirmed?: boolean;
	}): Promise<void> {
		this.record('cancelTasksByJob', req);
		const flags: Array<[boolean | undefined, TaskStatus]> = [
			[req.queued, 'QUEUED'],
			[req.notified, 'NOTIFIED'],
			[req.inProgress, 'IN_PROGRESS'],
			[req.unconfirmed, 'CONFIRM'],
		];
		const states = flags.filter(([flag]) => flag).map(([, status]) => status);
		for (const t of this.get(req.jobId).tasks.filter((x) => states.includes(x.status))) {
			t.status = 'CANCELED';
		}
	}

	async cancelTasksByDevice(req: { deviceNames: readonly string[]; jobId?: string }): Promise<void> {
		this.record('cancelTasksByDevice', req);
	}

	async cancelStrategy(jobId: string): Promise<void> {
		this.record('cancelStrategy', jobId);
		this.get(jobId).job.jobStatus = 'CANCELED';
	}

	async reupgradeTasks(jobId: string, taskIds: readonly string[]): Promise<void> {
		this.record('reupgradeTasks', { jobId, taskIds });
		for (const t of this.get(jobId).tasks.filter((x) => taskIds.includes(x.taskId))) {
			t.status = 'QUEUED';
		}
	}

	async confirmTasks(taskIds: readonly string[]): Promise<void> {
		this.record('confirmTasks', taskIds);
		for (const entry of this.jobs.values()) {
			for (const t of entry.tasks.filter((x) => taskIds.includes(x.taskId))) {
				t.status = 'QUEUED';
			}
		}
	}

	async createStaticJob(req: Parameters<LifecycleApi['createStaticJob']>[0]): Promise<{ jobId: string }> {
		this.record('createStaticJob', req);
		const jobId = `J-NEW-${++this.created}`;
		this.add(job(jobId, { firmwareId: req.firmwareId, productKey: req.productKey }), []);
		return { jobId };
	}

	async batchQueryDeviceDetail(productKey: string, deviceNames: readonly string[]) {
		this.record('batchQueryDeviceDetail', { productKey, deviceNames });
		return deviceNames
			.filter((name) => this.devices.has(name))
			.map((name) => ({
				deviceName: name,
				productKey,
				status: this.devices.get(name)?.status,
				firmwareVersion: this.devices.get(name)?.version,
			}));
	}

	async listModuleVersions(): Promise<Page<never>> {
		this.record('listModuleVersions', {});
		return { items: [], total: 0, pageSize: 200, currentPage: 1, pageCount: 0 };
	}

	async listUnfinishedTasks(ref: Parameters<LifecycleApi['listUnfinishedTasks']>[0]): Promise<OtaTask[]> {
		this.record('listUnfinishedTasks', ref);
		const deviceName = 'deviceName' in ref ? ref.deviceName : undefined;
		return [...this.jobs.values()].flatMap((entry) =>
			entry.tasks.filter((t) => t.deviceName === deviceName && UNFINISHED_STATUSES.includes(t.status)),
		);
	}
}

/** A virtual clock whose sleep advances the fake one step: each refresh of a watch sees the next state. */
export function steppedClock(fake: FakeOta): {
	now: () => number;
	sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	waits: number[];
} {
	let time = Date.parse('2025-01-01T00:00:00Z');
	const waits: number[] = [];
	return {
		now: () => time,
		waits,
		sleep: async (ms, signal) => {
			if (signal?.aborted) {
				throw cancelledError('watching the job');
			}
			waits.push(ms);
			time += ms;
			fake.advance();
		},
	};
}
