// The job rows of the OTA Packages tree (nodes.ts holds the rest of the node model): a job, its tasks of one status, a
// task (also a device's unfinished one) and "Load more…" at the end of a paged list. No `vscode` import.
import type { JobProgress, JobSummary, OtaJob, OtaTask, TaskStatus } from '../../core/lifecycle';
import { scopedId, type ConnectionNode } from './connectionNode';
import type { OtaPlace, WatchPhase } from './contract';
import type { DevicesNode, DeviceTasksNode } from './deviceNodes';
import type { PackageNode } from './nodes';
import { otaContextValue, type OtaRef } from './refs';

export class JobNode {
	readonly kind = 'job';
	/** Counts per status, once known (the job was expanded, or is watched). */
	progress?: JobProgress;
	/** The phase of its watch, while it is watched. */
	watchPhase?: WatchPhase;
	constructor(
		readonly parent: PackageNode,
		public job: JobSummary | OtaJob,
	) {}
	get watched(): boolean {
		return this.watchPhase !== undefined;
	}
	get group(): ConnectionNode | undefined {
		return this.parent.group;
	}
	get place(): OtaPlace | undefined {
		return this.parent.place;
	}
	get id(): string {
		return scopedId(this.group, `ota:job:${this.job.jobId}`);
	}
	get jobId(): string {
		return this.job.jobId;
	}
	get ref(): OtaRef {
		return {
			...this.parent.ref,
			jobId: this.job.jobId,
			jobStatus: this.job.jobStatus,
			jobType: this.job.jobType,
		};
	}
	get contextValue(): string {
		const counts = this.progress?.counts;
		return otaContextValue(
			this.kind,
			this.job.jobStatus,
			this.job.jobType === 'VERIFY_FIRMWARE' ? 'verify' : 'upgrade',
			this.job.selectionType === 'DYNAMIC' && 'dynamic',
			this.watched ? 'watched' : 'unwatched',
			(counts?.FAILED ?? 0) > 0 && 'hasFailed',
			(counts?.CONFIRM ?? 0) > 0 && 'hasConfirm',
		);
	}
}

/** A job's tasks of one status, read a page at a time ("Load more…"). */
export class TaskGroupNode {
	readonly kind = 'taskGroup';
	/** Pages of tasks shown. */
	pages = 1;
	constructor(
		readonly parent: JobNode,
		readonly status: TaskStatus,
		public count: number,
	) {}
	get group(): ConnectionNode | undefined {
		return this.parent.group;
	}
	get place(): OtaPlace | undefined {
		return this.parent.place;
	}
	get id(): string {
		return scopedId(this.group, `ota:group:${this.parent.jobId}:${this.status}`);
	}
	get ref(): OtaRef {
		return { ...this.parent.ref, taskStatus: this.status };
	}
	get contextValue(): string {
		return otaContextValue(this.kind, this.status);
	}
}

export class TaskNode {
	readonly kind = 'task';
	constructor(
		readonly parent: TaskGroupNode | DeviceTasksNode,
		public task: OtaTask,
	) {}
	get place(): OtaPlace | undefined {
		return this.parent.place;
	}
	get id(): string {
		return `${this.parent.id}:task:${this.task.taskId}`;
	}
	get ref(): OtaRef {
		const parentRef = this.parent.kind === 'taskGroup' ? this.parent.parent.ref : this.parent.ref;
		return {
			...parentRef,
			jobId: this.task.jobId ?? parentRef.jobId,
			firmwareId: this.task.firmwareId ?? parentRef.firmwareId,
			productKey: this.task.productKey ?? parentRef.productKey,
			taskId: this.task.taskId,
			taskStatus: this.task.status,
			deviceName: this.task.deviceName,
			moduleName: this.task.moduleName ?? parentRef.moduleName,
		};
	}
	get contextValue(): string {
		return otaContextValue(this.kind, this.task.status);
	}
}

/** "Load more…" at the end of a paged list; clicking it shows the next page of its parent. */
export class LoadMoreNode {
	readonly kind = 'loadMore';
	constructor(
		readonly parent: TaskGroupNode | DevicesNode,
		/** Rows shown so far and the total, when known ("Load more… (100 of 9,648)"). */
		readonly shown: number,
		readonly total?: number,
	) {}
	get place(): OtaPlace | undefined {
		return this.parent.place;
	}
	get id(): string {
		return `${this.parent.id}:more`;
	}
	get ref(): OtaRef {
		return this.parent.ref;
	}
	get contextValue(): string {
		return otaContextValue(this.kind);
	}
}
