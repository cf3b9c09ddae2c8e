// node --import tsx test/bench/fleet.ts [--devices 100000] [--time-scale 600] [--behaviour NAME=PCT]... [--json]
// The virtual fleet at scale: sandbox start time and RSS with N devices (in this process), then a full
// rollout (CreateOTAStaticUpgradeJob ALL at the default 10,000 pushes per minute) simulated with a time
// scale, then a restart over the saved state in a fresh process (as `iot-ota sandbox --data` would).
// Prints figures; asserts nothing.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseBehaviourShare, startSandbox } from '../../src/sandbox';
import type { JobRecord } from '../../src/sandbox/ota/model';
import { call, popClient, upload } from '../unit/sandbox/support';

const { values } = parseArgs({
	options: {
		devices: { type: 'string', default: '100000' },
		'time-scale': { type: 'string', default: '600' },
		behaviour: { type: 'string', multiple: true, default: ['fail-flash=1%', 'slow=1%'] },
		json: { type: 'boolean', default: false },
		'restart-from': { type: 'string' },
		job: { type: 'string' },
	},
});
const devices = Number(values.devices);
const timeScale = Number(values['time-scale']);
const behaviours = (values.behaviour ?? []).map(parseBehaviourShare);

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);

async function timed<T>(run: () => Promise<T>): Promise<[T, number]> {
	const started = performance.now();
	const result = await run();
	return [result, Math.round(performance.now() - started)];
}

function completed(job: JobRecord): Promise<void> {
	return new Promise((resolve) => {
		const poll = setInterval(() => {
			if (job.status === 'COMPLETED') {
				clearInterval(poll);
				resolve();
			}
		}, 20);
	});
}

async function main(): Promise<void> {
	const dataDir = await fs.mkdtemp(path.join(tmpdir(), 'iot-ota-bench-fleet-'));
	const rssBefore = process.memoryUsage.rss();
	const [sandbox, startMs] = await timed(() => startSandbox({ dataDir, devices, timeScale, behaviours }));
	const rssAfterStart = process.memoryUsage.rss();

	const { t } = await upload(sandbox, Buffer.alloc(1024 * 1024, 0x42));
	const created = await call(popClient(sandbox), 'CreateOTAFirmware', {
		FirmwareUrl: t.FirmwareUrl,
		FirmwareName: 'bench',
		DestVersion: '2.0.0',
		ProductKey: sandbox.productKey,
		NeedToVerify: false,
	});
	const firmware = sandbox.ota.firmware(created.Data.FirmwareId as string);
	if (!firmware) {
		throw new Error('the firmware record is missing');
	}
	const rolloutStarted = performance.now();
	const [job, createMs] = await timed(async () =>
		sandbox.ota.createStaticJob(firmware, { productKey: sandbox.productKey, targetSelection: 'ALL' }),
	);
	// What an API call waiting during the rollout would feel (job creation, one call, is timed on its own).
	const loop = monitorEventLoopDelay({ resolution: 10 });
	loop.enable();
	await completed(job);
	const rolloutMs = Math.round(performance.now() - rolloutStarted);
	loop.disable();
	const rssAfterRollout = process.memoryUsage.rss();
	const [, flushMs] = await timed(() => sandbox.ota.flush());
	const jobFileBytes = (await fs.stat(path.join(dataDir, 'ota', 'jobs', `${job.jobId}.json`))).size;
	const counts = { ...job.counts };
	await sandbox.stop();
	clearInterval(sampler);

	const restart = JSON.parse(
		execFileSync(process.execPath, ['--import', 'tsx', __filename, '--restart-from', dataDir, '--job', job.jobId], {
			encoding: 'utf8',
		}),
	) as { restartMs: number; restoredTasks: number; rssAfterRestartMb: number };
	await fs.rm(dataDir, { recursive: true, force: true });

	const figures = {
		devices,
		timeScale,
		behaviours: values.behaviour,
		startMs,
		rssAfterStartMb: mb(rssAfterStart),
		fleetRssMb: mb(rssAfterStart - rssBefore),
		createJobMs: createMs,
		tasks: job.tasks.length,
		rolloutWallMs: rolloutMs,
		lifecycleMinutes: Math.round((rolloutMs / 60_000) * timeScale),
		eventLoopDelayP99Ms: Math.round(loop.percentile(99) / 1e6),
		eventLoopDelayMaxMs: Math.round(loop.max / 1e6),
		counts,
		flushMs,
		jobFileMb: Math.round((jobFileBytes / 1024 / 1024) * 10) / 10,
		rssAfterRolloutMb: mb(rssAfterRollout),
		peakRssMb: mb(peakRss),
		...restart,
	};
	if (values.json) {
		process.stdout.write(`${JSON.stringify(figures)}\n`);
		return;
	}
	for (const [name, value] of Object.entries(figures)) {
		process.stdout.write(`${name.padEnd(22)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}\n`);
	}
}

/** The child of the restart measurement: start over the saved state, report, stop. */
async function restartFrom(dataDir: string, jobId: string): Promise<void> {
	const [sandbox, restartMs] = await timed(() => startSandbox({ dataDir, timeScale }));
	const figures = {
		restartMs,
		restoredTasks: sandbox.ota.queryJob(jobId).tasks.length,
		rssAfterRestartMb: mb(process.memoryUsage.rss()),
	};
	await sandbox.stop();
	clearInterval(sampler);
	process.stdout.write(`${JSON.stringify(figures)}\n`);
}

(values['restart-from'] ? restartFrom(values['restart-from'], values.job ?? '') : main()).catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exitCode = 1;
});
