import { DEVICE_TIMING, TASK_DESC, wrongVersionOf } from './assumptions';
import type { TaskRecord } from './model';
import type { PushMessage, Verdict } from './packages';
import type { Runtime } from './runtime';

/**
 * What a simulated device does with a push, by behaviour (docs/protocols.md, virtual fleet): report
 * progress, download the package through the push's signed URL and check it (once per package, the
 * verdict shared), flash, reboot and report the version read from the image. Each step is one event
 * of the shared scheduler; a step of an older push (retry, reconnect, cancel) does nothing.
 */

export function runDevice(task: TaskRecord, push: PushMessage, objectKey: string, rt: Runtime): void {
	const device = task.device;
	const moduleName = task.job.moduleName;
	const attempt = task.attempt;
	const factor = device.behaviour === 'slow' ? DEVICE_TIMING.slowFactor : 1;
	const alive = (): boolean => task.attempt === attempt && device.online;
	const after = (nominalMs: number, step: () => void): void =>
		rt.deps.scheduler.at(rt.later(nominalMs * factor), () => {
			if (alive()) {
				step();
			}
		});
	const progress = (step: number, desc = ''): void => rt.progress(task, step, desc);

	if (device.behaviour === 'never-reports' || device.behaviour === 'offline') {
		return;
	}
	if (device.versions[moduleName] === push.version) {
		// Already running it: the device just reports its version.
		after(DEVICE_TIMING.ack, () => rt.inform(device, moduleName, push.version));
		return;
	}
	const failWithoutDownload = {
		fail: [-1, TASK_DESC.upgradeFailed],
		'fail-download': [-2, TASK_DESC.downloadFailed],
		'fail-checksum': [-3, TASK_DESC.checkFailed],
	} as const;
	const early = failWithoutDownload[device.behaviour as keyof typeof failWithoutDownload];
	after(DEVICE_TIMING.ack, () => {
		progress(0);
		if (early) {
			after(DEVICE_TIMING.download, () => progress(early[0], early[1]));
			return;
		}
		after(DEVICE_TIMING.download, () => {
			const known = rt.deps.packages.known(push, objectKey);
			if (known) {
				install(known);
			} else {
				void rt.deps.packages.check(push, objectKey).then((verdict) => alive() && install(verdict));
			}
		});
	});

	function install(verdict: Verdict): void {
		if (!verdict.ok) {
			progress(verdict.step, verdict.desc);
			return;
		}
		progress(70);
		after(DEVICE_TIMING.flash, () => {
			if (device.behaviour === 'fail-flash') {
				progress(-4, TASK_DESC.burnFailed);
				return;
			}
			progress(100);
			const previous = device.versions[moduleName] ?? '';
			const installed = verdict.version ?? push.version;
			const reported = device.behaviour === 'wrong-version' ? wrongVersionOf(installed) : installed;
			after(DEVICE_TIMING.reboot, () => {
				rt.inform(device, moduleName, reported);
				if (device.behaviour === 'crash-loop') {
					revertLater(rt, task, moduleName, reported, previous);
				}
			});
		});
	}
}

/** `crash-loop`: the new image boots, reports, crashes, and the bootloader falls back to the old one. */
function revertLater(rt: Runtime, task: TaskRecord, moduleName: string, installed: string, previous: string): void {
	const device = task.device;
	rt.deps.scheduler.at(rt.later(DEVICE_TIMING.crashRevert), () => {
		if (device.online && device.versions[moduleName] === installed) {
			rt.inform(device, moduleName, previous);
		}
	});
}
