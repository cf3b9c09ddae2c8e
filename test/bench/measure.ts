import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Measurement {
	/** Spawn to exit, as seen by the bench. */
	wallMs: number;
	/** Peak RSS of the measured process in MB (Node children, or any child when /usr/bin/time exists). */
	peakRssMb?: number;
	/** User + system CPU of the measured process, all threads. */
	cpuMs?: number;
	stdout: string;
	stderr: string;
}

const RSS_PRELOAD = path.join(__dirname, 'rss-report.cjs');
const GNU_TIME = '/usr/bin/time';

/** Runs a command to completion, timing it from spawn to exit; also reports its peak RSS and CPU time where it can. */
export async function measure(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measurement> {
	const scratch = mkdtempSync(path.join(tmpdir(), 'iot-ota-bench-'));
	const usageFile = path.join(scratch, 'usage');
	const isNode = command === process.execPath;
	const timed = !isNode && existsSync(GNU_TIME);
	const [file, fullArgs] = isNode
		? [command, ['--require', RSS_PRELOAD, ...args]]
		: timed
			? [GNU_TIME, ['-f', '%U %S %M', '-o', usageFile, command, ...args]]
			: [command, args];
	const started = process.hrtime.bigint();
	try {
		const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
			const child = spawn(file, fullArgs, {
				env: { ...process.env, ...env, BENCH_RSS_FILE: usageFile },
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let out = '';
			let err = '';
			child.stdout.on('data', (d: Buffer) => (out += d.toString()));
			child.stderr.on('data', (d: Buffer) => (err += d.toString()));
			child.on('error', reject);
			child.on('close', (c) => resolve({ code: c ?? 1, stdout: out, stderr: err }));
		});
		const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
		if (code !== 0) {
			throw new Error(`${path.basename(command)} ${args.slice(0, 3).join(' ')} … exited ${code}: ${stderr.trim() || stdout.trim()}`);
		}
		if (isNode) {
			const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { rssMb: number; cpuMs: number };
			return { wallMs, peakRssMb: usage.rssMb, cpuMs: usage.cpuMs, stdout, stderr };
		}
		if (timed) {
			const [user, system, maxRssKb] = readFileSync(usageFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
			return { wallMs, peakRssMb: maxRssKb / 1024, cpuMs: (user + system) * 1000, stdout, stderr };
		}
		return { wallMs, stdout, stderr };
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
}

/** Last JSON line a measured child printed. */
export function lastJson<T>(stdout: string): T {
	const line = stdout
		.trim()
		.split('\n')
		.filter((l) => l.startsWith('{'))
		.pop();
	if (!line) {
		throw new Error(`expected a JSON line, got: ${stdout.slice(0, 200)}`);
	}
	return JSON.parse(line) as T;
}
