import { DEVICE_TIMING, TASK_DESC, wrongVersionOf } from './assumptions';
import type { Behaviour, TaskRecord } from './model';
import type { PushMessage, Verdict } from './packages';
import type { Runtime } from './runtime';

/**
 * What a simulated device does with a push, by behaviour (docs/protocols.md §10.2): report
 * progress, download the package through the push's signed URL and check it (once per package, the
 * verdict shared), flash, reboot and report the version read from the image. Each step is one event of
 * the shared scheduler carrying (task, attempt·8 + step) to one shared handler: no closure per device,
 * so a 100,000-device rollout makes little garbage. A step of an older push (retry, reconnect, cancel)
 * does nothing.
 */

const enum Step {
	/** The push arrived: first progress report. */
	Ack = 0,
	/** Download and check done. */
	Downloaded = 1,
	/** Image written. */
	Flashed = 2,
	/** Rebooted into the new image: version report. */
	Booted = 3,
	/** Pushed the version it already runs: it just reports it. */
	ReportCurrent = 4,
}

/** Behaviours that fail before downloading anything, with their progress step and TaskDesc. */
const FAIL_WITHOUT_DOWNLOAD: Partial<Record<Behaviour, readonly [number, string]>> = {
	fail: [-1, TASK_DESC.upgradeFailed],
	'fail-download': [-2, TASK_DESC.downloadFailed],
	'fail-checksum': [-3, TASK_DESC.checkFailed],
};

export interface PushSource {
	/** The job's current push and the object behind it, or undefined when the package was deleted. */
	pushOf(task: TaskRecord): { push: PushMessage; objectKey: string } | undefined;
}

export class DeviceSim {
	/** The version a device is installing: the one read from the downloaded image, else the pushed one. */
	private readonly installing = new WeakMap<TaskRecord, string>();

	constructor(
		private readonly rt: Runtime,
		private readonly pushes: PushSource,
	) {}

	/** The device received the push of `task` (task.attempt is this push's number). */
	start(task: TaskRecord, push: PushMessage): void {
		const device = task.device;
		if (device.behaviour === 'never-reports' || device.behaviour === 'offline') {
			return;
		}
		this.after(task, device.versions[task.job.moduleName] === push.version ? Step.ReportCurrent : Step.Ack, DEVICE_TIMING.ack);
	}

	private after(task: TaskRecord, step: Step, nominalMs: number): void {
		const factor = task.device.behaviour === 'slow' ? DEVICE_TIMING.slowFactor : 1;
		this.rt.deps.scheduler.at(this.rt.later(nominalMs * factor), this.onStep, task, task.attempt * 8 + step);
	}

	private readonly onStep = (task: TaskRecord, code: number): void => {
		if (task.attempt !== Math.floor(code / 8) || !task.device.online) {
			return;
		}
		const step = (code % 8) as Step;
		switch (step) {
			case Step.ReportCurrent:
				this.rt.inform(task.device, task.job.moduleName, task.job.destVersion);
				return;
			case Step.Ack:
				this.rt.progress(task, 0, '');
				this.after(task, Step.Downloaded, DEVICE_TIMING.download);
				return;
			case Step.Downloaded: {
				const early = FAIL_WITHOUT_DOWNLOAD[task.device.behaviour];
				if (early) {
					this.rt.progress(task, early[0], early[1]);
					return;
				}
				// Only the download needs the package: one deleted meanwhile is a failed download (A27); a device
				// that already has the image goes on installing it.
				const current = this.pushes.pushOf(task);
				if (!current) {
					this.rt.progress(task, -2, TASK_DESC.packageDeleted);
					return;
				}
				const { push, objectKey } = current;
				const known = this.rt.deps.packages.known(push, objectKey);
				if (known) {
					this.downloaded(task, known);
					return;
				}
				const attempt = task.attempt;
				void this.rt.deps.packages.check(push, objectKey).then((verdict) => {
					if (task.attempt === attempt && task.device.online) {
						this.downloaded(task, verdict);
					}
				});
				return;
			}
			case Step.Flashed:
				if (task.device.behaviour === 'fail-flash') {
					this.rt.progress(task, -4, TASK_DESC.burnFailed);
					return;
				}
				this.rt.progress(task, 100, '');
				this.after(task, Step.Booted, DEVICE_TIMING.reboot);
				return;
			case Step.Booted:
				this.booted(task, this.installing.get(task) ?? task.job.destVersion);
		}
	};

	private downloaded(task: TaskRecord, verdict: Verdict): void {
		if (!verdict.ok) {
			this.rt.progress(task, verdict.step, verdict.desc);
			return;
		}
		this.installing.set(task, verdict.version ?? task.job.destVersion);
		this.rt.progress(task, 70, '');
		this.after(task, Step.Flashed, DEVICE_TIMING.flash);
	}

	private booted(task: TaskRecord, installed: string): void {
		this.installing.delete(task);
		const device = task.device;
		const moduleName = task.job.moduleName;
		const reported = device.behaviour === 'wrong-version' ? wrongVersionOf(installed) : installed;
		const previous = device.versions[moduleName] ?? '';
		this.rt.inform(device, moduleName, reported);
		if (device.behaviour === 'crash-loop') {
			// The new image crashes and the bootloader falls back to the old one, which reports itself.
			this.rt.deps.scheduler.at(this.rt.later(DEVICE_TIMING.crashRevert), () => {
				if (device.online && device.versions[moduleName] === reported) {
					this.rt.inform(device, moduleName, previous);
				}
			});
		}
	}
}
