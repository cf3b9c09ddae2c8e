// Run by link.ts inside a private network namespace (`unshare -n`): brings its loopback up, starts the sandbox there,
// shapes the loopback with tc's token bucket (tbf) to each rate in turn, and uploads each size with ours (hash on and
// off) and curl in alternating rounds. Nothing leaves the namespace: it has no other interface. Prints one JSON line.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { checkDigests, pause, type OursRun } from './context';
import { childEnv, sandboxClient } from './benchClient';
import { curlWithTicket } from './curl';
import { ensureTestFile, fileDigests } from './files';
import { lastJson, measure } from './measure';
import { clearObjects, startSandboxProcess } from './sandboxProcess';
import { median, round } from './stats';

export interface LinkOptions {
	cli: string;
	childOurs: string;
	cacheDir: string;
	scratch: string;
	sizes: number[];
	rates: number[];
	pairs: number;
}

export interface LinkRow {
	rateMbit: number;
	sizeMb: number;
	oursMBps: number;
	curlMBps: number;
	noHashMBps: number;
	/** ours MB/s ÷ curl MB/s (medians). */
	ratio: number;
	/** ours against ours without hashing, same rounds. */
	hashOverheadPct: number;
	/**
	 * Sizes up to WARM_MAX_MB: ours in a process that uploaded the file once before (the extension host from its second
	 * upload of a session on) ÷ curl.
	 */
	warmMBps?: number;
	warmRatio?: number;
}

/** Larger uploads are decided by the transfer, not by a process's first-use work; their warm-up would double the run. */
const WARM_MAX_MB = 64;

/**
 * The link: a token bucket at `rateMbit` on the loopback, which carries both directions. The bucket holds 256 KB (one
 * 64 KB loopback packet always fits; ~2 ms at 1 Gbit/s) and queues up to 20 ms of traffic, like a router's buffer.
 */
function shape(rateMbit: number): void {
	execFileSync('tc', ['qdisc', 'replace', 'dev', 'lo', 'root', 'tbf', 'rate', `${rateMbit}mbit`, 'burst', '256kb', 'latency', '20ms']);
}

async function main(): Promise<void> {
	const opts = JSON.parse(process.argv[2]) as LinkOptions;
	const say = (message: string) => process.stderr.write(`${message}\n`);
	execFileSync('ip', ['link', 'set', 'lo', 'up']);
	const sandbox = await startSandboxProcess(opts.cli, path.join(opts.scratch, 'link-sandbox'));
	const { info } = sandbox;
	const client = sandboxClient(info);
	const env = childEnv(info);
	const ours = async (file: string, hash: boolean, warm = false): Promise<number> => {
		const childEnv = { ...env, BENCH_HASH: hash ? '1' : '0', BENCH_WARM: warm ? '1' : '0' };
		const out = lastJson<OursRun>((await measure(process.execPath, [opts.childOurs, file], childEnv)).stdout);
		if (hash) {
			await checkDigests(file, out);
		}
		return out.ms;
	};
	const curl = async (file: string): Promise<number> => {
		const post = await curlWithTicket(client, file);
		return post.ticketMs + post.totalMs;
	};
	const rows: LinkRow[] = [];
	try {
		for (const rateMbit of opts.rates) {
			shape(rateMbit);
			for (const sizeMb of opts.sizes) {
				const file = await ensureTestFile(opts.cacheDir, sizeMb);
				await fileDigests(file);
				const runs = { ours: [] as number[], noHash: [] as number[], curl: [] as number[], warm: [] as number[] };
				const withWarm = sizeMb <= WARM_MAX_MB;
				for (let i = 0; i < opts.pairs; i++) {
					for (const [kind, run] of [
						['ours', () => ours(file, true)],
						['noHash', () => ours(file, false)],
						['curl', () => curl(file)],
						...(withWarm ? ([['warm', () => ours(file, true, true)]] as const) : []),
					] as const) {
						await pause(250);
						runs[kind].push(await run());
						clearObjects(info.dataDir);
					}
					const last = (kind: keyof typeof runs) => round(sizeMb / (runs[kind][i] / 1000), 1);
					const warm = withWarm ? `, warm ${last('warm')}` : '';
					say(
						`  ${rateMbit} Mbit/s, ${sizeMb} MB round ${i + 1}/${opts.pairs}: ours ${last('ours')}, no-hash ${last('noHash')}, curl ${last('curl')}${warm} MB/s`,
					);
				}
				const mbps = (kind: keyof typeof runs) => sizeMb / (median(runs[kind]) / 1000);
				rows.push({
					rateMbit,
					sizeMb,
					oursMBps: round(mbps('ours'), 2),
					curlMBps: round(mbps('curl'), 2),
					noHashMBps: round(mbps('noHash'), 2),
					ratio: round(mbps('ours') / mbps('curl'), 3),
					hashOverheadPct: round(((median(runs.ours) - median(runs.noHash)) / median(runs.noHash)) * 100, 1),
					...(withWarm ? { warmMBps: round(mbps('warm'), 2), warmRatio: round(mbps('warm') / mbps('curl'), 3) } : {}),
				});
			}
		}
	} finally {
		await sandbox.stop();
	}
	process.stdout.write(`${JSON.stringify({ rows })}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
