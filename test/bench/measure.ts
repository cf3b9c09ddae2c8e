import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Measurement {
	wallMs: number;
	/** Peak RSS of the measured Node process in MB (undefined for non-Node commands). */
	peakRssMb?: number;
	stdout: string;
}

const RSS_PRELOAD = path.join(__dirname, 'rss-report.cjs');

/** Runs a command to completion, timing it from spawn to exit; Node commands also report their peak RSS. */
export async function measure(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measurement> {
	const scratch = mkdtempSync(path.join(tmpdir(), 'iot-ota-bench-'));
	const rssFile = path.join(scratch, 'rss');
	const isNode = command === process.execPath;
	const fullArgs = isNode ? ['--require', RSS_PRELOAD, ...args] : args;
	const started = process.hrtime.bigint();
	try {
		const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
			const child = spawn(command, fullArgs, { env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile }, stdio: ['ignore', 'pipe', 'pipe'] });
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
		const peakRssMb = isNode ? Number(readFileSync(rssFile, 'utf8')) : undefined;
		return { wallMs, peakRssMb, stdout };
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
}

/** Last JSON line a measured child printed. */
export function lastJson<T>(stdout: string): T {
	const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
	if (!line) {
		throw new Error(`expected a JSON line, got: ${stdout.slice(0, 200)}`);
	}
	return JSON.parse(line) as T;
}
