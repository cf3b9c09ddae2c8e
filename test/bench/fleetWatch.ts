// The 100,000-device fleet: the sandbox's start (spawn to ready) and memory, then a full rollout watched by the core
// monitor in a process of its own (child-watch.ts): calls per refresh, time to the first complete count, the watcher's
// peak RSS and event-loop delay. The sandbox runs its lifecycle on a fast clock so the rollout lasts ~half a minute.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { childEnv, sandboxClient } from './benchClient';
import { LifecycleClient } from '../../src/core/lifecycle/client';
import { uploadFirmware } from '../../src/core/uploader';
import type { BenchBundles } from './build';
import { lastJson, measure } from './measure';
import { processRssMb, startSandboxProcess } from './sandboxProcess';
import { round } from './stats';

export interface FleetFigures {
	devices: number;
	timeScale: number;
	/** Spawn of `iot-ota sandbox --devices N` to its ready line (Node start-up included). */
	startMs: number;
	/** The sandbox's RSS once ready. */
	rssMb?: number;
	/** Its peak RSS by the end of the rollout. */
	sandboxPeakRssMb?: number;
	tasks: number;
	/** The most API calls one refresh made (the first included), and the mean. */
	callsPerRefresh: number;
	callsPerRefreshMean: number;
	refreshes: number;
	firstCountMs: number;
	watchMs: number;
	outcome: string;
	watcherRssMb: number;
	watchLoop: { p99Ms: number; maxMs: number; meanMs: number };
}

interface WatchRun {
	outcome: string;
	tasks: number;
	refreshes: number;
	calls: number[];
	firstCountMs: number;
	watchMs: number;
	loop: { p99Ms: number; maxMs: number; meanMs: number };
	peakRssMb: number;
}

export async function runFleet(bundles: BenchBundles, scratch: string, devices: number, timeScale: number): Promise<FleetFigures> {
	const dataDir = mkdtempSync(path.join(scratch, 'fleet-'));
	const sandbox = await startSandboxProcess(bundles.cli, path.join(dataDir, 'data'), [
		'--devices',
		String(devices),
		'--time-scale',
		String(timeScale),
	]);
	try {
		const rssMb = processRssMb(sandbox.child.pid).rssMb;
		const { info } = sandbox;
		const iot = sandboxClient(info);
		const file = path.join(dataDir, 'fw.bin');
		writeFileSync(file, randomBytes(64 * 1024));
		const upload = await uploadFirmware(iot, file);
		const { firmwareId } = await iot.createOtaFirmware({
			firmwareUrl: upload.firmwareUrl,
			firmwareName: 'bench',
			destVersion: '9.0.0',
			productKey: info.fleet.productKey,
			firmwareSign: upload.md5,
			signMethod: 'MD5',
			firmwareSize: upload.size,
			needToVerify: false,
		});
		const job = await new LifecycleClient(iot).createStaticJob({
			firmwareId,
			productKey: info.fleet.productKey,
			target: { kind: 'all' },
			maximumPerMinute: 10_000,
		});
		const watch = lastJson<WatchRun>((await measure(process.execPath, [bundles.childWatch, job.jobId], childEnv(info))).stdout);
		return {
			devices,
			timeScale,
			startMs: round(sandbox.readyMs, 0),
			rssMb,
			sandboxPeakRssMb: processRssMb(sandbox.child.pid).peakMb,
			tasks: watch.tasks,
			callsPerRefresh: Math.max(...watch.calls),
			callsPerRefreshMean: round(watch.calls.reduce((a, b) => a + b, 0) / watch.calls.length, 1),
			refreshes: watch.refreshes,
			firstCountMs: round(watch.firstCountMs, 0),
			watchMs: round(watch.watchMs, 0),
			outcome: watch.outcome,
			watcherRssMb: round(watch.peakRssMb, 1),
			watchLoop: { p99Ms: round(watch.loop.p99Ms, 1), maxMs: round(watch.loop.maxMs, 1), meanMs: round(watch.loop.meanMs, 2) },
		};
	} finally {
		await sandbox.stop();
	}
}
