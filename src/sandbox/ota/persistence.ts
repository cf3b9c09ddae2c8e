import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../core/logger';
import { readJson, removeStaleJsonTemps, writeTextAtomic } from '../jsonFile';
import type { Fleet, FleetSpec } from './fleet';
import {
	emptyCounts,
	type Behaviour,
	type DeviceRecord,
	type JobRecord,
	type ModuleRecord,
	type TaskRecord,
	type TaskStatus,
} from './model';

/**
 * The lifecycle's files under `<dataDir>/ota/` (docs/protocols.md, OTA lifecycle: persistence):
 *   fleet.json         the fleet's seed and spec, each device that differs from its seeded state, modules
 *   jobs/<JobId>.json  one job and its tasks, a task per line (columns named in the file)
 * Writes are batched: changes mark the fleet or a job dirty, and one write per dirty file happens at
 * most every FLUSH_DELAY_MS, atomically (temp file + rename), so a 100,000-task rollout rewrites its
 * one job file about once a second, not once per task change.
 */

const FLUSH_DELAY_MS = 1_000;
const FORMAT_VERSION = 1;
const TASK_COLUMNS = [
	'taskId',
	'deviceName',
	'srcVersion',
	'status',
	'progress',
	'desc',
	'createdAt',
	'modifiedAt',
	'retriesLeft',
	'timeoutAt',
	'retryAt',
] as const;
type TaskRow = [string, string, string, TaskStatus, number, string, number, number, number, number | null, number | null];

interface DeviceOverride {
	/** Versions per module. */
	v?: Record<string, string>;
	b?: Behaviour;
	o?: boolean;
	t?: number;
}

export interface FleetFile {
	version: number;
	seed: string;
	spec: FleetSpec;
	devices: Record<string, DeviceOverride>;
	modules: ModuleRecord[];
}

interface JobFile {
	version: number;
	job: Omit<JobRecord, 'tasks' | 'counts'>;
	taskColumns: readonly string[];
	tasks: TaskRow[];
}

export interface LoadedState {
	fleet?: FleetFile;
	jobs: JobFile[];
}

export async function loadOtaState(stateDir: string): Promise<LoadedState> {
	const jobsDir = path.join(stateDir, 'jobs');
	await fs.mkdir(jobsDir, { recursive: true });
	await removeStaleJsonTemps(stateDir);
	await removeStaleJsonTemps(jobsDir);
	const fleet = (await readJson(path.join(stateDir, 'fleet.json'))) as FleetFile | undefined;
	const jobs: JobFile[] = [];
	for (const name of (await fs.readdir(jobsDir)).filter((n) => n.endsWith('.json'))) {
		const file = (await readJson(path.join(jobsDir, name))) as JobFile | undefined;
		if (file?.version === FORMAT_VERSION && Array.isArray(file.tasks)) {
			jobs.push(file);
		}
	}
	jobs.sort((a, b) => a.job.createdAt - b.job.createdAt);
	return { fleet: fleet?.version === FORMAT_VERSION ? fleet : undefined, jobs };
}

/** Puts the saved device state, modules, jobs and tasks back; tasks of devices no longer in the fleet are dropped. */
export function restore(state: LoadedState, fleet: Fleet, add: (job: JobRecord, tasks: TaskRecord[]) => void): void {
	for (const [key, o] of Object.entries(state.fleet?.devices ?? {})) {
		const [productKey, deviceName] = key.split('/');
		const device = fleet.device(productKey, deviceName);
		if (device) {
			Object.assign(device.versions, o.v ?? {});
			device.behaviour = o.b ?? device.behaviour;
			device.online = o.o ?? device.online;
			device.onlineAt = o.t ?? device.onlineAt;
		}
	}
	fleet.moduleList.push(...(state.fleet?.modules ?? []));
	for (const file of state.jobs) {
		const job: JobRecord = { ...file.job, tasks: [], counts: emptyCounts() };
		const tasks: TaskRecord[] = [];
		for (const row of file.tasks) {
			const [taskId, deviceName, srcVersion, status, progress, desc, createdAt, modifiedAt, retriesLeft, timeoutAt, retryAt] = row;
			const device = fleet.device(job.productKey, deviceName);
			if (device) {
				tasks.push({
					taskId,
					job,
					device,
					srcVersion,
					status,
					progress,
					desc,
					createdAt,
					modifiedAt,
					retriesLeft,
					attempt: 0,
					...(timeoutAt === null ? {} : { timeoutAt }),
					...(retryAt === null ? {} : { retryAt }),
				});
			}
		}
		add(job, tasks);
	}
}

export class OtaPersistence {
	private readonly dirtyJobs = new Set<JobRecord>();
	private fleetDirty = false;
	private timer: NodeJS.Timeout | undefined;
	private writing: Promise<void> = Promise.resolve();

	constructor(
		private readonly stateDir: string,
		private readonly fleet: Fleet,
		private readonly seed: string,
		private readonly logger: Logger,
	) {}

	markJob(job: JobRecord): void {
		this.dirtyJobs.add(job);
		this.arm();
	}

	markFleet(): void {
		this.fleetDirty = true;
		this.arm();
	}

	/** Writes what changed now (and waits for writes in flight). */
	flush(): Promise<void> {
		clearTimeout(this.timer);
		this.timer = undefined;
		const jobs = [...this.dirtyJobs];
		const fleet = this.fleetDirty;
		this.dirtyJobs.clear();
		this.fleetDirty = false;
		this.writing = this.writing
			.catch(() => undefined)
			.then(async () => {
				if (fleet) {
					await writeTextAtomic(path.join(this.stateDir, 'fleet.json'), `${JSON.stringify(this.fleetFile())}\n`);
				}
				for (const job of jobs) {
					await writeTextAtomic(path.join(this.stateDir, 'jobs', `${job.jobId}.json`), jobFileText(job));
				}
			});
		return this.writing;
	}

	stop(): Promise<void> {
		return this.flush();
	}

	private arm(): void {
		if (!this.timer) {
			this.timer = setTimeout(() => {
				this.timer = undefined;
				this.flush().catch((error: unknown) => this.logger.warn(`sandbox: could not save the OTA state: ${String(error)}`));
			}, FLUSH_DELAY_MS);
			this.timer.unref();
		}
	}

	private fleetFile(): FleetFile {
		const devices: Record<string, DeviceOverride> = {};
		for (const product of this.fleet.products()) {
			for (const device of this.fleet.devices(product.productKey)) {
				const o = this.override(device);
				if (o) {
					devices[`${device.productKey}/${device.deviceName}`] = o;
				}
			}
		}
		return { version: FORMAT_VERSION, seed: this.seed, spec: this.fleet.spec, devices, modules: this.fleet.moduleList };
	}

	private override(device: DeviceRecord): DeviceOverride | undefined {
		const seeded = this.fleet.seeded(device);
		const o: DeviceOverride = {};
		if (Object.entries(device.versions).some(([m, v]) => seeded.versions[m] !== v)) {
			o.v = device.versions;
		}
		if (device.behaviour !== seeded.behaviour) {
			o.b = device.behaviour;
		}
		if (device.online !== seeded.online) {
			o.o = device.online;
		}
		if (device.onlineAt !== undefined) {
			o.t = device.onlineAt;
		}
		return Object.keys(o).length > 0 ? o : undefined;
	}
}

function jobFileText(job: JobRecord): string {
	const { tasks: _tasks, counts: _counts, ...record } = job;
	const rows = job.tasks.map((t) =>
		JSON.stringify([
			t.taskId,
			t.device.deviceName,
			t.srcVersion,
			t.status,
			t.progress,
			t.desc,
			t.createdAt,
			t.modifiedAt,
			t.retriesLeft,
			t.timeoutAt ?? null,
			t.retryAt ?? null,
		] satisfies TaskRow),
	);
	const head = JSON.stringify({ version: FORMAT_VERSION, job: record, taskColumns: TASK_COLUMNS });
	return `${head.slice(0, -1)},"tasks":[\n${rows.join(',\n')}\n]}\n`;
}
