import { MAX_DYNAMIC_MATCHES } from './assumptions';
import type { Fleet } from './fleet';
import { isUnfinished, type DeviceRecord, type JobRecord } from './model';
import type { Runtime } from './runtime';

/**
 * Dynamic jobs keep matching devices (docs/protocols.md §10.1): a device that reports a version the
 * newest running dynamic job of its product and module covers gets a task, at most 10 times per job,
 * and only while it has no unfinished task (a busy device is matched on a later report, A11).
 */

export function matchDynamic(rt: Runtime, device: DeviceRecord, moduleName: string, version: string): void {
	for (let i = rt.jobList.length - 1; i >= 0; i--) {
		const job = rt.jobList[i];
		if (job.selectionType !== 'DYNAMIC' || job.status !== 'IN_PROGRESS' || job.productKey !== device.productKey) {
			continue;
		}
		if (job.moduleName !== moduleName || !dynamicCovers(rt.deps.fleet, job, device, version)) {
			continue;
		}
		const mine = device.tasks.filter((t) => t.job === job);
		const canMatch = mine.length < MAX_DYNAMIC_MATCHES && !mine.some((t) => isUnfinished(t.status));
		if (canMatch && rt.conflicts(device, job).length === 0) {
			rt.createTask(job, device);
		}
		return;
	}
}

/** Whether the job's rule (SrcVersions or dynamic group, delta source) covers a device on `version`. */
export function dynamicCovers(fleet: Fleet, job: JobRecord, device: DeviceRecord, version: string): boolean {
	const { srcVersions, groupId } = job.options;
	if (version === job.destVersion || (job.deltaFrom !== undefined && version !== job.deltaFrom)) {
		return false;
	}
	if (srcVersions.length > 0 && !srcVersions.includes(version)) {
		return false;
	}
	const group = groupId === undefined ? undefined : fleet.group(groupId);
	return group === undefined || fleet.isInGroup(group, device);
}
