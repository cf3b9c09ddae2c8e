// The OTA engine on a manual clock: no timers, no HTTP. Time moves only through advance(), which runs
// every due event in time order; package downloads are answered by a stub checker with a chosen verdict.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger, type Logger } from '../../../../src/core/logger';
import type { BehaviourShare } from '../../../../src/sandbox/ota/behaviours';
import { Fleet } from '../../../../src/sandbox/ota/fleet';
import type { TaskRecord, TaskStatus } from '../../../../src/sandbox/ota/model';
import { OtaEngine } from '../../../../src/sandbox/ota/otaEngine';
import type { PackageChecker, PushMessage, Verdict } from '../../../../src/sandbox/ota/packages';
import { loadOtaState } from '../../../../src/sandbox/ota/persistence';
import { BusinessError } from '../../../../src/sandbox/rpcErrors';
import { SandboxStore } from '../../../../src/sandbox/store';
import type { FirmwareRecord } from '../../../../src/sandbox/storeRecords';

export const MINUTE = 60_000;

/** assert.throws matcher: a BusinessError with this code. */
export function refusal(code: string): (error: unknown) => boolean {
	return (error) => error instanceof BusinessError && error.code === code;
}
export const START = Date.UTC(2025, 0, 6, 9, 0, 0);

export interface Transition {
	task: TaskRecord;
	from: TaskStatus | undefined;
	to: TaskStatus;
}

/** Answers every package check at once with `verdict` (the version in the image, or a failure); records the pushes. */
export class StubPackages implements PackageChecker {
	verdict: Verdict = { ok: true, version: undefined };
	readonly pushes: PushMessage[] = [];

	known(push: PushMessage): Verdict {
		this.pushes.push(push);
		return this.verdict;
	}

	async check(push: PushMessage): Promise<Verdict> {
		return this.known(push);
	}
}

export interface HarnessOptions {
	devices?: number;
	behaviours?: BehaviourShare[];
	dataDir?: string;
}

export class Harness {
	clock = START;
	readonly transitions: Transition[] = [];
	/** What the engine logged as an error: an event that threw (e.g. an illegal transition caused by time). */
	readonly errors: string[] = [];
	private readonly logger: Logger = { ...silentLogger, error: (message) => this.errors.push(message) };
	readonly packages = new StubPackages();
	engine!: OtaEngine;
	store!: SandboxStore;
	private firmwareCount = 0;

	constructor(readonly dataDir: string) {}

	static async start(opts: HarnessOptions = {}): Promise<Harness> {
		const h = new Harness(opts.dataDir ?? (await fs.mkdtemp(path.join(tmpdir(), 'iot-ota-engine-'))));
		await h.open(opts);
		return h;
	}

	/** (Re)opens the engine over the data dir, as a sandbox restart does. */
	async open(opts: HarnessOptions = {}): Promise<void> {
		const now = (): number => this.clock;
		this.store = await SandboxStore.open(this.dataDir, { now, unregisteredTtlMs: 60 * MINUTE, logger: silentLogger });
		const stateDir = path.join(this.dataDir, 'ota');
		const saved = await loadOtaState(stateDir);
		const spec = saved.fleet?.spec ?? { devices: opts.devices ?? 5, behaviours: opts.behaviours ?? [], initialVersion: '1.0.0' };
		const fleet = new Fleet(this.store.products(), spec, saved.fleet?.seed ?? 'test-seed');
		this.engine = new OtaEngine(
			{
				store: this.store,
				fleet,
				now,
				timeScale: 1,
				stateDir,
				downloadUrl: (f) => `http://oss.invalid/${f.objectKey}?signed`,
				packages: this.packages,
				logger: this.logger,
				autoRun: false,
				onTaskChange: (task, from) => this.transitions.push({ task, from, to: task.status }),
			},
			saved,
		);
		await this.engine.saveFleet();
	}

	/** Moves the clock `ms` ahead, running every event due on the way, in order. */
	advance(ms: number): void {
		const target = this.clock + ms;
		for (;;) {
			this.engine.runDue();
			const next = this.engine.nextDue();
			if (next === undefined || next > target) {
				break;
			}
			this.clock = Math.max(this.clock, next);
		}
		this.clock = target;
		this.engine.runDue();
	}

	async firmware(opts: Partial<FirmwareRecord> = {}): Promise<FirmwareRecord> {
		const n = ++this.firmwareCount;
		const record: FirmwareRecord = {
			firmwareId: `FW${String(n).padStart(24, '0')}`,
			firmwareName: `fw${n}`,
			destVersion: '2.0.0',
			productKey: this.store.products()[0].productKey,
			productName: 'Sandbox Demo Device',
			firmwareUrl: `http://oss.invalid/ota/fw${n}.bin`,
			objectKey: `ota/fw${n}.bin`,
			firmwareSize: 1234,
			firmwareSign: '0123456789abcdef0123456789abcdef',
			signMethod: 'MD5',
			moduleName: 'default',
			type: 0,
			status: -1,
			createdAt: this.clock,
			modifiedAt: this.clock,
			...opts,
		};
		await this.store.addFirmware(record);
		return this.store.getFirmware(record.firmwareId) as FirmwareRecord;
	}

	get productKey(): string {
		return this.store.products()[0].productKey;
	}

	device(name: string) {
		const device = this.engine.fleet.device(this.productKey, name);
		if (!device) {
			throw new Error(`no device ${name}`);
		}
		return device;
	}

	statuses(tasks: readonly TaskRecord[]): Record<string, string> {
		return Object.fromEntries(tasks.map((t) => [t.device.deviceName, t.status]));
	}

	async close(remove = true): Promise<void> {
		await this.engine.stop();
		await this.store.flush();
		if (remove) {
			await fs.rm(this.dataDir, { recursive: true, force: true });
		}
	}
}
