import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface SandboxInfo {
	endpoint: string;
	ossHost: string;
	accessKeyId: string;
	accessKeySecret: string;
	dataDir: string;
	fleet: { productKey: string; devices: number; firstDevice: string };
}

export interface SandboxProcess {
	info: SandboxInfo;
	child: ChildProcess;
	/** Spawn to the JSON line that says it is ready (Node start-up included). */
	readyMs: number;
	stop(): Promise<void>;
}

/** `node cli.js sandbox --data DIR [extra…]` as a child process, resolved once it printed its JSON line. */
export async function startSandboxProcess(cli: string, dataDir: string, extra: string[] = []): Promise<SandboxProcess> {
	const started = process.hrtime.bigint();
	const child = spawn(process.execPath, [cli, 'sandbox', '--data', dataDir, ...extra], { stdio: ['ignore', 'pipe', 'ignore'] });
	const info = await new Promise<SandboxInfo>((resolve, reject) => {
		let buffered = '';
		child.stdout!.on('data', (d: Buffer) => {
			buffered += d.toString();
			const line = buffered.split('\n').find((l) => l.startsWith('{'));
			if (line) {
				resolve(JSON.parse(line) as SandboxInfo);
			}
		});
		child.on('exit', (code) => reject(new Error(`sandbox exited early (${code})`)));
	});
	const readyMs = Number(process.hrtime.bigint() - started) / 1e6;
	child.stdout!.resume();
	const stop = async (): Promise<void> => {
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
	};
	return { info, child, readyMs, stop };
}

/** Removes the stored object files (never registered, so nothing refers to them) so large runs don't pile up on disk. */
export function clearObjects(dataDir: string): void {
	const objects = path.join(dataDir, 'objects');
	for (const name of readdirSync(objects)) {
		rmSync(path.join(objects, name), { force: true });
	}
}

/** Current (VmRSS) and peak (VmHWM) resident memory of a process in MB, from /proc (undefined elsewhere). */
export function processRssMb(pid: number | undefined): { rssMb?: number; peakMb?: number } {
	try {
		const status = readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
		return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
	} catch {
		return {};
	}
}
