// node --import tsx test/bench/watch.ts [--devices 100000] [--time-scale 6000] [--json]
// A whole-fleet rollout watched to the end: the sandbox (a child process, `iot-ota sandbox --devices N`) runs the
// fleet; this process registers a package, verifies it, rolls it out to every device at the highest push rate and
// watches the job with the core monitor. Prints calls per refresh, the time to the first full count, the watch's
// duration and the peak RSS of the watcher and of the sandbox. Figures, not assertions (docs/performance.md).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { IotClient } from '../../src/core/iotClient';
import { LifecycleClient, startVerification, watchJob, type JobProgress } from '../../src/core/lifecycle';
import { uploadFirmware } from '../../src/core/uploader';

const { values } = parseArgs({ options: { devices: { type: 'string' }, 'time-scale': { type: 'string' }, json: { type: 'boolean' } } });
const devices = Number(values.devices ?? 100_000);
const timeScale = Number(values['time-scale'] ?? 6000);

interface SandboxInfo {
	endpoint: string;
	accessKeyId: string;
	accessKeySecret: string;
	fleet: { productKey: string };
}

/** VmHWM of a child on Linux; undefined elsewhere. */
function peakRssMb(pid: number | undefined): number | undefined {
	try {
		const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
		return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
	} catch {
		return undefined;
	}
}

async function main(): Promise<void> {
	const cli = path.resolve(__dirname, '..', '..', 'dist', 'cli.js'); // run `node esbuild.js --production` first
	const work = mkdtempSync(path.join(tmpdir(), 'iot-ota-watch-bench-'));
	const started = Date.now();
	const child = spawn(
		process.execPath,
		[cli, 'sandbox', '--devices', String(devices), '--time-scale', String(timeScale), '--data', path.join(work, 'data')],
		{
			stdio: ['ignore', 'pipe', 'ignore'],
		},
	);
	try {
		const info = await new Promise<SandboxInfo>((resolve, reject) => {
			let text = '';
			child.stdout.on('data', (chunk: Buffer) => {
				text += chunk.toString();
				const line = text.split('\n').find((l) => l.startsWith('{'));
				if (line) {
					resolve(JSON.parse(line) as SandboxInfo);
				}
			});
			child.on('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
		});
		const sandboxReadyMs = Date.now() - started;
		const iot = new IotClient({
			region: 'cn-shanghai',
			endpoint: info.endpoint,
			credentials: { accessKeyId: info.accessKeyId, accessKeySecret: info.accessKeySecret },
		});
		const api = new LifecycleClient(iot);
		const file = path.join(work, 'fw.bin');
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
		});
		const firstDevice = `dev-${'1'.padStart(Math.max(5, String(devices).length), '0')}`;
		const { job: verify } = await startVerification(api, { firmwareId, deviceNames: [firstDevice] });
		await watchJob(api, verify.jobId);
		const job = await api.createStaticJob({
			firmwareId,
			productKey: info.fleet.productKey,
			target: { kind: 'all' },
			maximumPerMinute: 10_000,
		});
		const watchStart = Date.now();
		const refreshes: JobProgress[] = [];
		let firstFullCountMs: number | undefined;
		const result = await watchJob(api, job.jobId, {
			onProgress: (p) => {
				refreshes.push(p);
				firstFullCountMs ??= Date.now() - watchStart;
			},
		});
		const watchMs = Date.now() - watchStart;
		const calls = refreshes.map((p) => p.calls);
		const figures = {
			devices,
			timeScale,
			sandboxReadyMs,
			outcome: result.outcome,
			tasks: result.progress.summary.total,
			refreshes: refreshes.length,
			callsPerRefresh: {
				min: Math.min(...calls),
				max: Math.max(...calls),
				mean: Math.round((calls.reduce((a, b) => a + b, 0) / calls.length) * 10) / 10,
			},
			firstFullCountMs,
			watchMs,
			watcherPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
			sandboxPeakRssMb: peakRssMb(child.pid),
		};
		console.log(values.json ? JSON.stringify(figures) : figures);
	} finally {
		child.kill('SIGINT');
		rmSync(work, { recursive: true, force: true });
	}
}

void main();
