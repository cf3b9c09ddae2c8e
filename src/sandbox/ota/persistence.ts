import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../core/logger';
import { readJson, removeStaleJsonTemps, writeTextAtomic } from '../jsonFile';
import type { Fleet, FleetSpec } from './fleet';
import { emptyCounts, type Behaviour, type JobRecord, type ModuleRecord, type TaskRecord, type TaskStatus } from './model';
import { expandRuns, expandSteps, Runs, Steps } from './runs';

/**
 * The lifecycle's files under `<dataDir>/ota/` (docs/protocols.md §10.6):
 *   fleet.json         seed, spec, modules, and per product the devices' versions, behaviours and
 *                      online state as run-length encoded columns in device order
 *   jobs/<JobId>.json  one job, and its tasks as run-length encoded columns in task order
 * Changes mark the fleet or a job dirty; dirty files are rewritten atomically (temp file + rename) at
 * most every FLUSH_DELAY_MS, and never more than a fifth of the time when writes are slow. Encoding a
 * 100,000-task job takes milliseconds and is one synchronous step, so each file is one instant's state.
 */

const FLUSH_DELAY_MS = 1_000;
const MAX_FLUSH_DELAY_MS = 30_000;
const FORMAT_VERSION = 1;

type Column<T> = Array<[T, number]>;

interface DeviceColumns {
	/** Per module: each device's version (null: never reported one). */
	versions: Record<string, Column<string | null>>;
	behaviours: Column<Behaviour>;
	online: Column<boolean>;
	onlineAt: Column<number | null>;
}

export interface FleetFile {
	version: number;
	seed: string;
	spec: FleetSpec;
	modules: ModuleRecord[];
	products: Record<string, DeviceColumns>;
}

interface TaskColumns {
	count: number;
	/** The TaskIds, concatenated (each TASK_ID_LENGTH characters). */
	taskIds: string;
	/** Device positions in the product's fleet, as [first, count] runs of consecutive positions. */
	devices: Array<[number, number]>;
	srcVersion: Column<string>;
	status: Column<TaskStatus>;
	progress: Column<number>;
	desc: Column<string>;
	createdAt: Column<number>;
	modifiedAt: Column<number>;
	retriesLeft: Column<number>;
	timeoutAt: Column<number | null>;
	retryAt: Column<number | null>;
}

interface JobFile {
	version: number;
	job: Omit<JobRecord, 'tasks' | 'counts'>;
	tasks: TaskColumns;
}

export interface LoadedState {
	fleet?: FleetFile;
	jobs: JobFile[];
}

const TASK_ID_LENGTH = 26;

export async function loadOtaState(stateDir: string): Promise<LoadedState> {
	const jobsDir = path.join(stateDir, 'jobs');
	await fs.mkdir(jobsDir, { recursive: true });
	await removeStaleJsonTemps(stateDir);
	await removeStaleJsonTemps(jobsDir);
	const fleet = (await readJson(path.join(stateDir, 'fleet.json'))) as FleetFile | undefined;
	const jobs: JobFile[] = [];
	for (const name of (await fs.readdir(jobsDir)).filter((n) => n.endsWith('.json'))) {
		const file = (await readJson(path.join(jobsDir, name))) as JobFile | undefined;
		if (file?.version === FORMAT_VERSION && typeof file.tasks?.taskIds === 'string') {
			jobs.push(file);
		}
	}
	jobs.sort((a, b) => a.job.createdAt - b.job.createdAt);
	return { fleet: fleet?.version === FORMAT_VERSION ? fleet : undefined, jobs };
}

/**
 * Puts the saved device state, modules, jobs and tasks back. Versions always come back; behaviours and
 * online state only when the fleet was started with the same spec (new --behaviour options win).
 */
export function restore(state: LoadedState, fleet: Fleet, add: (job: JobRecord, tasks: TaskRecord[]) => void): void {
	const sameSpec = JSON.stringify(state.fleet?.spec) === JSON.stringify(fleet.spec);
	for (const [productKey, columns] of Object.entries(state.fleet?.products ?? {})) {
		const devices = fleet.devices(productKey);
		for (const [moduleName, runs] of Object.entries(columns.versions)) {
			expandRuns(runs).forEach((version, i) => version !== null && devices[i] && (devices[i].versions[moduleName] = version));
		}
		if (sameSpec) {
			const online = expandRuns(columns.online);
			const onlineAt = expandRuns(columns.onlineAt);
			expandRuns(columns.behaviours).forEach((behaviour, i) => {
				if (devices[i]) {
					devices[i].behaviour = behaviour;
					devices[i].online = online[i];
					devices[i].onlineAt = onlineAt[i] ?? undefined;
				}
			});
		}
	}
	fleet.moduleList.push(...(state.fleet?.modules ?? []));
	for (const file of state.jobs) {
		const job: JobRecord = { ...file.job, tasks: [], counts: emptyCounts() };
		const c = file.tasks;
		const devices = fleet.devices(job.productKey);
		const columns = {
			device: expandSteps(c.devices),
			srcVersion: expandRuns(c.srcVersion),
			status: expandRuns(c.status),
			progress: expandRuns(c.progress),
			desc: expandRuns(c.desc),
			createdAt: expandRuns(c.createdAt),
			modifiedAt: expandRuns(c.modifiedAt),
			retriesLeft: expandRuns(c.retriesLeft),
			timeoutAt: expandRuns(c.timeoutAt),
			retryAt: expandRuns(c.retryAt),
		};
		const tasks: TaskRecord[] = [];
		for (let i = 0; i < c.count; i++) {
			const device = devices[columns.device[i]];
			if (device) {
				const timeoutAt = columns.timeoutAt[i];
				const retryAt = columns.retryAt[i];
				tasks.push({
					taskId: c.taskIds.slice(i * TASK_ID_LENGTH, (i + 1) * TASK_ID_LENGTH),
					job,
					device,
					position: tasks.length,
					srcVersion: columns.srcVersion[i],
					status: columns.status[i],
					progress: columns.progress[i],
					desc: columns.desc[i],
					createdAt: columns.createdAt[i],
					modifiedAt: columns.modifiedAt[i],
					retriesLeft: columns.retriesLeft[i],
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
	private lastWriteMs = 0;
	private stopped = false;

	constructor(
		private readonly stateDir: string,
		private readonly fleet: Fleet,
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
		if (this.stopped) {
			return this.writing;
		}
		clearTimeout(this.timer);
		this.timer = undefined;
		const started = performance.now();
		const files: Array<[string, string]> = [];
		if (this.fleetDirty) {
			files.push(['fleet.json', `${JSON.stringify(fleetFile(this.fleet))}\n`]);
		}
		for (const job of this.dirtyJobs) {
			files.push([path.join('jobs', `${job.jobId}.json`), `${JSON.stringify(jobFile(job))}\n`]);
		}
		this.dirtyJobs.clear();
		this.fleetDirty = false;
		this.writing = this.writing
			.catch(() => undefined)
			.then(async () => {
				for (const [name, text] of files) {
					await writeTextAtomic(path.join(this.stateDir, name), text);
				}
				this.lastWriteMs = performance.now() - started;
			});
		return this.writing;
	}

	/** The last write; nothing is written after it. */
	stop(): Promise<void> {
		const last = this.flush();
		this.stopped = true;
		return last;
	}

	private arm(): void {
		if (!this.timer && !this.stopped) {
			const delay = Math.min(MAX_FLUSH_DELAY_MS, Math.max(FLUSH_DELAY_MS, 4 * this.lastWriteMs));
			this.timer = setTimeout(() => {
				this.timer = undefined;
				this.flush().catch((error: unknown) => this.logger.warn(`sandbox: could not save the OTA state: ${String(error)}`));
			}, delay);
			this.timer.unref();
		}
	}
}

function fleetFile(fleet: Fleet): FleetFile {
	const products: Record<string, DeviceColumns> = {};
	for (const { productKey } of fleet.products()) {
		const devices = fleet.devices(productKey);
		const modules = new Set(['default']);
		for (const device of devices) {
			for (const m in device.versions) {
				modules.add(m);
			}
		}
		const versions = Object.fromEntries([...modules].map((m) => [m, new Runs<string | null>()]));
		const behaviours = new Runs<Behaviour>();
		const online = new Runs<boolean>();
		const onlineAt = new Runs<number | null>();
		for (const device of devices) {
			for (const m of modules) {
				versions[m].push(device.versions[m] ?? null);
			}
			behaviours.push(device.behaviour);
			online.push(device.online);
			onlineAt.push(device.onlineAt ?? null);
		}
		products[productKey] = {
			versions: Object.fromEntries(Object.entries(versions).map(([m, runs]) => [m, runs.runs])),
			behaviours: behaviours.runs,
			online: online.runs,
			onlineAt: onlineAt.runs,
		};
	}
	return { version: FORMAT_VERSION, seed: fleet.seed, spec: fleet.spec, modules: fleet.moduleList, products };
}

function jobFile(job: JobRecord): JobFile {
	const { tasks, counts: _counts, ...record } = job;
	const columns = {
		devices: new Steps(),
		srcVersion: new Runs<string>(),
		status: new Runs<TaskStatus>(),
		progress: new Runs<number>(),
		desc: new Runs<string>(),
		createdAt: new Runs<number>(),
		modifiedAt: new Runs<number>(),
		retriesLeft: new Runs<number>(),
		timeoutAt: new Runs<number | null>(),
		retryAt: new Runs<number | null>(),
	};
	for (const t of tasks) {
		columns.devices.push(t.device.index);
		columns.srcVersion.push(t.srcVersion);
		columns.status.push(t.status);
		columns.progress.push(t.progress);
		columns.desc.push(t.desc);
		columns.createdAt.push(t.createdAt);
		columns.modifiedAt.push(t.modifiedAt);
		columns.retriesLeft.push(t.retriesLeft);
		columns.timeoutAt.push(t.timeoutAt ?? null);
		columns.retryAt.push(t.retryAt ?? null);
	}
	const encoded = Object.fromEntries(Object.entries(columns).map(([name, column]) => [name, column.runs]));
	return {
		version: FORMAT_VERSION,
		job: record,
		tasks: { count: tasks.length, taskIds: tasks.map((t) => t.taskId).join(''), ...encoded } as TaskColumns,
	};
}
