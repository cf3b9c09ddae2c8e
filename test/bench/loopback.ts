// 10, 100 and 1,000 MB over loopback: ours (in-process core uploader, with and without hashing), curl, the CLI as a
// user runs it, and the naive whole-file-in-memory approach, in alternating rounds, with what each costs in CPU and
// memory. On 2 cores MD5 on one core is the wall here (docs/performance.md); the user's cases are in small.ts and link.ts.
import { createHash } from 'node:crypto';
import { createWriteStream, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { busyPercent, machineCpu, processCpuMs } from './cpu';
import { cliEnv } from './benchClient';
import { curlWithTicket } from './curl';
import { checkDigests, pause, type BenchContext, type OursRun } from './context';
import { ensureTestFile, fileDigests } from './files';
import { lastJson, measure, type Measurement } from './measure';
import { clearObjects } from './sandboxProcess';
import { median, round } from './stats';

type Kind = 'ours' | 'oursNoHash' | 'curl' | 'cli' | 'naive';

/** One measured run: the time the MB/s figure uses, plus what it cost. */
interface Run {
	ms: number;
	rssMb?: number;
	/** CPU of the uploading process (all threads). */
	clientCpuMs?: number;
	/** CPU the sandbox process used during the run. */
	sandboxCpuMs?: number;
	/** Share of both cores busy during the run (whole machine). */
	busyPct?: number;
}

/** Medians over the rounds of one kind of run. */
export interface CpuCost {
	clientCpuS?: number;
	sandboxCpuS?: number;
	busyPct?: number;
}

export interface LoopbackRow {
	sizeMb: number;
	oursMBps: number;
	curlMBps: number;
	ratio: number;
	naiveMBps: number;
	peakRssMb: number;
	cliMBps: number;
	cliRatio: number;
	cliPeakRssMb: number;
	naivePeakRssMb: number;
	curlPeakRssMb: number;
	noHashMBps: number;
	noHashRatio: number;
	hashOverheadPct: number;
}

export interface CpuDetail {
	sizeMb: number;
	ours: CpuCost;
	noHash: CpuCost;
	curl: CpuCost;
	cpuBoundRatio: number;
}

export async function runLoopback(
	ctx: BenchContext,
	sizes: number[],
	pairs: number,
	quick: boolean,
): Promise<{ results: LoopbackRow[]; cpu: CpuDetail[] }> {
	const { bundles, sandbox } = ctx;
	const envOfCli = cliEnv(sandbox.info);

	/** Runs one measurement with the sandbox's and the machine's CPU counters around it, then empties the bucket. */
	const observed = async (run: () => Promise<{ ms: number; m: Measurement }>): Promise<Run> => {
		const cpu0 = machineCpu();
		const sandbox0 = processCpuMs(sandbox.child.pid);
		// A short pause between runs: earlier writes settle, and no burst of tickets meets the sandbox's 10 QPS limit.
		await pause(250);
		const { ms, m } = await run();
		const sandbox1 = processCpuMs(sandbox.child.pid);
		const busyPct = busyPercent(cpu0, machineCpu());
		clearObjects(sandbox.info.dataDir);
		return {
			ms,
			rssMb: m.peakRssMb,
			clientCpuMs: m.cpuMs,
			sandboxCpuMs: sandbox0 !== undefined && sandbox1 !== undefined ? sandbox1 - sandbox0 : undefined,
			busyPct,
		};
	};

	const measureOne: Record<Kind, (file: string) => Promise<Run>> = {
		// In-process core uploader, timed inside the child (no process start-up; API client warmed by one untimed call).
		ours: (file) =>
			observed(async () => {
				const m = await measure(process.execPath, [bundles.childOurs, file], { ...ctx.childEnv, BENCH_HASH: '1' });
				const out = lastJson<OursRun>(m.stdout);
				await checkDigests(file, out);
				return { ms: out.ms, m };
			}),
		// The same with MD5/SHA-256 off (hash: false): the transport alone, for the hashing overhead.
		oursNoHash: (file) =>
			observed(async () => {
				const m = await measure(process.execPath, [bundles.childOurs, file], { ...ctx.childEnv, BENCH_HASH: '0' });
				return { ms: lastJson<OursRun>(m.stdout).ms, m };
			}),
		// The same request from curl: a fresh ticket (timed in the bench, same API call) + curl's own time_total.
		curl: (file) =>
			observed(async () => {
				const post = await curlWithTicket(ctx.client, file);
				return { ms: post.ticketMs + post.totalMs, m: post.m };
			}),
		// The CLI's full flow, as a user runs it: process start-up, bundle load, ticket, upload, hashes, JSON out.
		cli: (file) =>
			observed(async () => {
				const m = await measure(
					process.execPath,
					[bundles.cli, 'upload', file, '--endpoint', sandbox.info.endpoint, '--json'],
					envOfCli,
				);
				await checkDigests(file, lastJson<{ md5?: string; sha256?: string }>(m.stdout));
				return { ms: m.wallMs, m };
			}),
		naive: (file) =>
			observed(async () => {
				const m = await measure(process.execPath, [bundles.childNaive, file], ctx.childEnv);
				return { ms: lastJson<{ ms: number }>(m.stdout).ms, m };
			}),
	};

	const kinds: Kind[] = quick ? ['ours', 'oursNoHash', 'curl'] : ['ours', 'oursNoHash', 'curl', 'cli', 'naive'];
	const results: LoopbackRow[] = [];
	const cpu: CpuDetail[] = [];
	for (const sizeMb of sizes) {
		ctx.say(`preparing ${sizeMb} MB test file…`);
		const file = await ensureTestFile(ctx.cacheDir, sizeMb);
		await fileDigests(file);
		const runs: Record<Kind, Run[]> = { ours: [], oursNoHash: [], curl: [], cli: [], naive: [] };
		for (let i = 0; i < pairs; i++) {
			for (const kind of kinds) {
				runs[kind].push(await measureOne[kind](file));
			}
			const last = (kind: Kind) => round(sizeMb / (runs[kind][i].ms / 1000));
			ctx.say(`  ${sizeMb} MB round ${i + 1}/${pairs}: ${kinds.map((k) => `${k} ${last(k)}`).join(', ')} MB/s`);
		}
		const medianMs = (kind: Kind) => median(runs[kind].map((r) => r.ms));
		const mbps = (kind: Kind) => (runs[kind].length ? round(sizeMb / (medianMs(kind) / 1000)) : 0);
		const peak = (kind: Kind) => round(Math.max(0, ...runs[kind].map((r) => r.rssMb ?? 0)), 1);
		const med = (kind: Kind, pick: (r: Run) => number | undefined, digits = 2) => {
			const xs = runs[kind].map(pick).filter((x): x is number => x !== undefined);
			return xs.length ? round(median(xs), digits) : undefined;
		};
		results.push({
			sizeMb,
			oursMBps: mbps('ours'),
			curlMBps: mbps('curl'),
			ratio: round(mbps('ours') / mbps('curl'), 3),
			naiveMBps: mbps('naive'),
			peakRssMb: peak('ours'),
			cliMBps: mbps('cli'),
			cliRatio: round(mbps('cli') / mbps('curl'), 3),
			cliPeakRssMb: peak('cli'),
			naivePeakRssMb: peak('naive'),
			curlPeakRssMb: peak('curl'),
			noHashMBps: mbps('oursNoHash'),
			noHashRatio: round(mbps('oursNoHash') / mbps('curl'), 3),
			hashOverheadPct: round(((medianMs('ours') - medianMs('oursNoHash')) / medianMs('oursNoHash')) * 100, 1),
		});
		const cost = (kind: Kind): CpuCost => ({
			clientCpuS: med(kind, (r) => (r.clientCpuMs === undefined ? undefined : r.clientCpuMs / 1000)),
			sandboxCpuS: med(kind, (r) => (r.sandboxCpuMs === undefined ? undefined : r.sandboxCpuMs / 1000)),
			busyPct: med(kind, (r) => r.busyPct, 0),
		});
		const ours = cost('ours');
		const curl = cost('curl');
		const total = (c: CpuCost) => (c.clientCpuS ?? 0) + (c.sandboxCpuS ?? 0);
		// On a machine whose cores are all busy, wall time follows total CPU: the best ratio it allows.
		cpu.push({ sizeMb, ours, noHash: cost('oursNoHash'), curl, cpuBoundRatio: round(total(curl) / total(ours), 3) });
	}
	return { results, cpu };
}

/** MB/s one core hashes with MD5 and with SHA-256 here (256 MB from memory, after a warm-up). */
export function hashSpeed(): { md5: number; sha256: number } {
	const data = Buffer.alloc(1024 * 1024, 0x5a);
	const rate = (algorithm: string) => {
		createHash(algorithm).update(data).digest();
		const started = process.hrtime.bigint();
		const hash = createHash(algorithm);
		for (let i = 0; i < 256; i++) {
			hash.update(data);
		}
		hash.digest();
		return round(256 / (Number(process.hrtime.bigint() - started) / 1e9));
	};
	return { md5: rate('md5'), sha256: rate('sha256') };
}

export interface IngestFigures {
	sandboxIngestRatio: number;
	catMBps: number;
	catPipeMBps: number;
	sandboxIngestPipeRatio: number;
	bareSinkMBps: number;
	bareSinkRatio: number;
}

/**
 * The sandbox's ingest (curl → sandbox → disk, the cheapest client, from `curlMBps`) against writing the same bytes
 * with cat: `cat f > out` copies inside the kernel (copy_file_range); `cat f | cat > out` goes through user space like
 * any server; a bare Node HTTP server piping the body to a file is the floor of any HTTP ingest in Node here.
 */
export async function measureIngest(ctx: BenchContext, sizeMb: number, curlMBps: number, pairs: number): Promise<IngestFigures> {
	const file = await ensureTestFile(ctx.cacheDir, sizeMb);
	const target = path.join(ctx.scratch, 'cat-copy.bin');
	const catRuns: number[] = [];
	const catPipeRuns: number[] = [];
	for (let i = 0; i < pairs; i++) {
		catRuns.push((await measure('sh', ['-c', 'cat "$0" > "$1"', file, target])).wallMs);
		rmSync(target, { force: true });
		catPipeRuns.push((await measure('sh', ['-c', 'cat "$0" | cat > "$1"', file, target])).wallMs);
		rmSync(target, { force: true });
	}
	const sink = http.createServer((req, res) => {
		req.pipe(createWriteStream(target, { highWaterMark: 4 * 1024 * 1024 })).on('finish', () => res.end());
	});
	await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
	const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`;
	const sinkRuns: number[] = [];
	// One warm-up run first (the server's JIT), not counted.
	for (let i = -1; i < pairs; i++) {
		const m = await measure('curl', [
			'-sS',
			'--fail',
			'-o',
			'/dev/null',
			'-w',
			'%{time_total}\n',
			'-H',
			'Expect:',
			'-F',
			'key=sink',
			'-F',
			`file=@${file};type=application/octet-stream`,
			sinkUrl,
		]);
		if (i >= 0) {
			sinkRuns.push(Number(m.stdout.trim().split('\n').pop()) * 1000);
		}
		rmSync(target, { force: true });
	}
	sink.close();
	const rate = (runs: number[]) => sizeMb / (median(runs) / 1000);
	const catMBps = rate(catRuns);
	return {
		sandboxIngestRatio: round(curlMBps / catMBps, 3),
		catMBps: round(catMBps),
		catPipeMBps: round(rate(catPipeRuns)),
		sandboxIngestPipeRatio: round(curlMBps / rate(catPipeRuns), 3),
		bareSinkMBps: round(rate(sinkRuns)),
		bareSinkRatio: round(rate(sinkRuns) / catMBps, 3),
	};
}
