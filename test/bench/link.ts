// Link mode: the sandbox and both clients in a private network namespace whose loopback is shaped to a real link's
// rate (child-link.ts does the work in there). Needs root, `unshare -n`, `ip` and `tc` with the tbf qdisc; otherwise
// the part is skipped and the reason reported.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { BenchContext } from './context';
import type { LinkOptions, LinkRow } from './child-link';
import { lastJson } from './measure';

export type { LinkRow } from './child-link';

/** Why link mode cannot run here, or undefined when it can. */
export function linkUnavailable(): string | undefined {
	if (process.platform !== 'linux') {
		return `network namespaces are Linux only (this is ${process.platform})`;
	}
	if (process.getuid?.() !== 0) {
		return 'needs root for a network namespace and tc';
	}
	const probe = spawnSync(
		'unshare',
		['-n', 'sh', '-c', 'ip link set lo up && tc qdisc add dev lo root tbf rate 100mbit burst 256kb latency 20ms'],
		{ encoding: 'utf8' },
	);
	if (probe.error || probe.status !== 0) {
		return `unshare -n / ip / tc tbf failed: ${(probe.error?.message ?? probe.stderr).trim() || `exit ${probe.status}`}`;
	}
	return undefined;
}

export async function runLink(ctx: BenchContext, sizes: number[], rates: number[], pairs: number): Promise<LinkRow[]> {
	const options: LinkOptions = {
		cli: ctx.bundles.cli,
		childOurs: ctx.bundles.childOurs,
		cacheDir: ctx.cacheDir,
		scratch: ctx.scratch,
		sizes,
		rates,
		pairs,
	};
	const child = spawn(
		'unshare',
		['-n', process.execPath, '--import', 'tsx', path.join(__dirname, 'child-link.ts'), JSON.stringify(options)],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
		},
	);
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
	child.stderr.on('data', (d: Buffer) => {
		stderr += d.toString();
		for (const line of d.toString().split('\n').filter(Boolean)) {
			ctx.say(line);
		}
	});
	const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
	if (code !== 0) {
		throw new Error(`link mode failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`);
	}
	return lastJson<{ rows: LinkRow[] }>(stdout).rows;
}
