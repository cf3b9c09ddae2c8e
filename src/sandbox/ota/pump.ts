import type { FirmwareRecord } from '../storeRecords';
import { DEVICE_TIMING, TASK_DESC } from './assumptions';
import { DeviceSim, type PushSource } from './deviceSim';
import { DEFAULT_MODULE, type JobRecord, type TaskRecord } from './model';
import type { PushMessage } from './packages';
import type { Runtime } from './runtime';
import { moveTask } from './taskMachine';

/**
 * Delivery of QUEUED tasks: per job, a queue drained at MaximumPerMinute (at most that many pushes in
 * every lifecycle minute of the job, spread over the minute's seconds), skipping offline devices
 * (they stay QUEUED until they come online). NeedPush=false: the device pulls instead, unthrottled.
 */

const PUSH_REUSE_MS = 60_000;

interface JobQueue {
	tasks: Set<TaskRecord>;
	windowStart: number;
	pushedInWindow: number;
	pumpArmed: boolean;
}

export class Pumps implements PushSource {
	private readonly queues = new WeakMap<JobRecord, JobQueue>();
	private readonly pushes = new WeakMap<JobRecord, { push: PushMessage; firmware: FirmwareRecord; until: number }>();

	private readonly devices: DeviceSim;

	constructor(private readonly rt: Runtime) {
		this.devices = new DeviceSim(rt, this);
	}

	/** Queues a QUEUED task for delivery once its job runs. */
	enqueue(task: TaskRecord): void {
		const queue = this.queueOf(task.job);
		queue.tasks.add(task);
		if (this.rt.delivers(task.job)) {
			this.arm(task.job, queue, this.rt.now());
		}
	}

	/** Sends the push (again, for a retry or a reconnect): the device starts over; the timeout clock does not. */
	deliver(task: TaskRecord): void {
		const firmware = this.rt.deps.store.getFirmware(task.job.firmwareId);
		if (task.status === 'QUEUED') {
			moveTask(task, 'NOTIFIED', this.rt);
		}
		task.attempt += 1;
		if (!firmware) {
			this.rt.fail(task, TASK_DESC.packageDeleted, false);
			return;
		}
		this.devices.start(task, this.pushFor(task.job, firmware));
	}

	pushOf(task: TaskRecord): { push: PushMessage; objectKey: string } | undefined {
		const firmware = this.rt.deps.store.getFirmware(task.job.firmwareId);
		return firmware && { push: this.pushFor(task.job, firmware), objectKey: firmware.objectKey };
	}

	/**
	 * The job's push, with a freshly signed URL. Pushes within PUSH_REUSE_MS of each other share one
	 * (indistinguishable for a device: the URL is valid for an hour), so 10,000 pushes a minute do not
	 * sign 10,000 URLs.
	 */
	private pushFor(job: JobRecord, firmware: FirmwareRecord): PushMessage {
		const now = this.rt.now();
		const cached = this.pushes.get(job);
		if (cached && cached.until > now && cached.firmware === firmware) {
			return cached.push;
		}
		const push = pushMessage(job, firmware, this.rt.deps.downloadUrl(firmware));
		this.pushes.set(job, { push, firmware, until: now + PUSH_REUSE_MS });
		return push;
	}

	private queueOf(job: JobRecord): JobQueue {
		let queue = this.queues.get(job);
		if (!queue) {
			queue = { tasks: new Set(), windowStart: Number.NEGATIVE_INFINITY, pushedInWindow: 0, pumpArmed: false };
			this.queues.set(job, queue);
		}
		return queue;
	}

	private arm(job: JobRecord, queue: JobQueue, at: number): void {
		if (!queue.pumpArmed) {
			queue.pumpArmed = true;
			this.rt.deps.scheduler.at(at, () => this.pump(job, queue));
		}
	}

	private pump(job: JobRecord, queue: JobQueue): void {
		queue.pumpArmed = false;
		if (!this.rt.delivers(job)) {
			return;
		}
		const now = this.rt.now();
		const minute = 60_000 / this.rt.deps.timeScale;
		const second = minute / 60;
		if (now >= queue.windowStart + minute) {
			queue.windowStart = now;
			queue.pushedInWindow = 0;
		}
		const elapsedSeconds = Math.min(59, Math.floor((now - queue.windowStart) / second));
		let allowed = Math.ceil((job.options.maximumPerMinute * (elapsedSeconds + 1)) / 60) - queue.pushedInWindow;
		for (const task of queue.tasks) {
			if (allowed <= 0) {
				break;
			}
			queue.tasks.delete(task);
			if (task.status !== 'QUEUED' || !task.device.online) {
				continue;
			}
			if (job.options.needPush) {
				this.deliver(task);
				queue.pushedInWindow += 1;
				allowed -= 1;
			} else {
				this.pullLater(task);
			}
		}
		if (queue.tasks.size > 0) {
			const next =
				allowed > 0 ? now : elapsedSeconds < 59 ? queue.windowStart + (elapsedSeconds + 1) * second : queue.windowStart + minute;
			this.arm(job, queue, next);
		}
	}

	/** NeedPush=false: the device asks for its pending package (thing/ota/firmware/get) at its next poll. */
	private pullLater(task: TaskRecord): void {
		const attempt = task.attempt;
		this.rt.deps.scheduler.at(this.rt.later(DEVICE_TIMING.pullInterval), () => {
			if (task.attempt === attempt && task.status === 'QUEUED' && task.device.online && this.rt.delivers(task.job)) {
				this.deliver(task);
			} else if (task.status === 'QUEUED') {
				this.enqueue(task);
			}
		});
	}
}

/** The push of docs/protocols.md §10.2: `Md5`/`SHA256` spelling, no `module` for default, the tags and the Udi in `extData`. */
export function pushMessage(job: JobRecord, firmware: FirmwareRecord, url: string): PushMessage {
	const md5 = firmware.signMethod === 'MD5' ? firmware.firmwareSign : undefined;
	const extData: Record<string, string> = Object.fromEntries(job.options.tags.map((t) => [t.key, t.value]));
	if (firmware.udi) {
		extData._package_udi = firmware.udi;
	}
	return {
		size: firmware.firmwareSize,
		version: job.destVersion,
		url,
		...(md5 ? { md5 } : {}),
		sign: firmware.firmwareSign,
		signMethod: firmware.signMethod === 'MD5' ? 'Md5' : 'SHA256',
		...(job.moduleName === DEFAULT_MODULE ? {} : { module: job.moduleName }),
		...(job.deltaFrom === undefined ? {} : { isDiff: 1 as const }),
		...(Object.keys(extData).length > 0 ? { extData } : {}),
	};
}
