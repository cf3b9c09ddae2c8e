// npm run bench [-- --json] [--sizes 10,100,1000] [--pairs 3] [--quick]
// --quick: ours and curl only, no hash/ingest/bundle extras (for iterating on the uploader).
// Side by side on this machine against the local sandbox (127.0.0.1): our uploader (in-process core and the CLI),
// curl posting the same multipart form, and the naive whole-file-in-memory approach. See docs/performance.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { IotClient } from '../../src/core/iotClient';
import { buildBundles } from './build';
import { busyPercent, machineCpu, processCpuMs } from './cpu';
import { ensureTestFile, fileDigests } from './files';
import { lastJson, measure, type Measurement } from './measure';
import { median, round, table } from './stats';

const root = path.resolve(__dirname, '..', '..');
const node = process.execPath;

interface SandboxInfo {
	endpoint: string;
	ossHost: string;
	accessKeyId: string;
	accessKeySecret: string;
	dataDir: string;
}

async function startSandboxProcess(cli: string, dataDir: string): Promise<{ info: SandboxInfo; child: ChildProcess }> {
	const child = spawn(node, [cli, 'sandbox', '--data', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
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
	child.stdout!.resume();
	return { info, child };
}

/** Removes the stored object files (never registered, so nothing refers to them) so 1,000 MB runs don't pile up on disk. */
function clearObjects(dataDir: string): void {
	const objects = path.join(dataDir, 'objects');
	for (const name of readdirSync(objects)) {
		rmSync(path.join(objects, name), { force: true });
	}
}

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

/** MB/s one core hashes with MD5 and with SHA-256 here (256 MB from memory, after a warm-up). */
function hashSpeed(): { md5: number; sha256: number } {
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

type Kind = 'ours' | 'oursNoHash' | 'curl' | 'cli' | 'naive';

/** Medians over the rounds of one kind of run. */
interface CpuCost {
	clientCpuS?: number;
	sandboxCpuS?: number;
	busyPct?: number;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { json: { type: 'boolean' }, sizes: { type: 'string' }, pairs: { type: 'string' }, quick: { type: 'boolean' } },
	});
	const sizes = (values.sizes ?? '10,100,1000').split(',').map(Number);
	const pairs = Math.max(3, Number(values.pairs ?? 3));
	const say = (msg: string) => (values.json ? process.stderr : process.stdout).write(`${msg}\n`);
	const loadAtStart = loadavg()[0];
	if (loadAtStart >= 2) {
		say(`warning: load average ${loadAtStart.toFixed(2)}; other work competes for the CPU and these figures are not final.`);
	}
	const cacheDir = path.join(root, '.bench-cache');
	const scratch = mkdtempSync(path.join(tmpdir(), 'iot-ota-bench-'));
	const dataDir = path.join(scratch, 'sandbox');
	say('building production bundles…');
	const bundles = await buildBundles(path.join(scratch, 'build'));
	const { info, child: sandbox } = await startSandboxProcess(bundles.cli, dataDir);
	const env = { BENCH_ENDPOINT: info.endpoint, BENCH_AK_ID: info.accessKeyId, BENCH_AK_SECRET: info.accessKeySecret };
	const cliEnv = { ALIBABA_CLOUD_ACCESS_KEY_ID: info.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: info.accessKeySecret };
	const client = new IotClient({
		region: 'cn-shanghai',
		endpoint: info.endpoint,
		credentials: { accessKeyId: info.accessKeyId, accessKeySecret: info.accessKeySecret },
	});

	/** Runs one measurement with the sandbox's and the machine's CPU counters around it, then empties the bucket. */
	const observed = async (run: () => Promise<{ ms: number; m: Measurement }>): Promise<Run> => {
		const cpu0 = machineCpu();
		const sandbox0 = processCpuMs(sandbox.pid);
		// A short pause between runs: earlier writes settle, and no burst of tickets meets the sandbox's 10 QPS limit.
		await new Promise((resolve) => setTimeout(resolve, 250));
		const { ms, m } = await run();
		const sandbox1 = processCpuMs(sandbox.pid);
		const busyPct = busyPercent(cpu0, machineCpu());
		clearObjects(dataDir);
		return {
			ms,
			rssMb: m.peakRssMb,
			clientCpuMs: m.cpuMs,
			sandboxCpuMs: sandbox0 !== undefined && sandbox1 !== undefined ? sandbox1 - sandbox0 : undefined,
			busyPct,
		};
	};
	const checkDigests = async (file: string, reported: { md5?: string; sha256?: string }) => {
		const expected = await fileDigests(file);
		if (reported.md5 !== expected.md5 || reported.sha256 !== expected.sha256) {
			throw new Error(
				`digests of ${path.basename(file)} differ: got ${reported.md5}/${reported.sha256}, expected ${expected.md5}/${expected.sha256}`,
			);
		}
	};

	const measureOne: Record<Kind, (file: string) => Promise<Run>> = {
		// In-process core uploader: pre-flight check, GenerateOTAUploadURL, PostObject, MD5/SHA-256, timed inside the child
		// (no process start-up; its API client is warmed by one untimed call, like the bench's own for curl).
		ours: (file) =>
			observed(async () => {
				const m = await measure(node, [bundles.childOurs, file], { ...env, BENCH_HASH: '1' });
				const out = lastJson<{ ms: number; md5: string; sha256: string }>(m.stdout);
				await checkDigests(file, out);
				return { ms: out.ms, m };
			}),
		// The same with MD5/SHA-256 off (hash: false): the transport alone, for the hashing overhead.
		oursNoHash: (file) =>
			observed(async () => {
				const m = await measure(node, [bundles.childOurs, file], { ...env, BENCH_HASH: '0' });
				return { ms: lastJson<{ ms: number }>(m.stdout).ms, m };
			}),
		// The same request from curl: a fresh ticket (timed in the bench, same API call) + curl's own time_total.
		curl: (file) =>
			observed(async () => {
				const ticketStarted = process.hrtime.bigint();
				const t = await client.generateOtaUploadUrl('bin');
				const ticketMs = Number(process.hrtime.bigint() - ticketStarted) / 1e6;
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
					`key=${t.key}`,
					'-F',
					`OSSAccessKeyId=${t.ossAccessKeyId}`,
					'-F',
					`policy=${t.policy}`,
					'-F',
					`Signature=${t.signature}`,
					'-F',
					'success_action_status=200',
					'-F',
					`file=@${file};type=application/octet-stream`,
					t.host,
				]);
				return { ms: ticketMs + Number(m.stdout.trim().split('\n').pop()) * 1000, m };
			}),
		// The CLI's full flow, as a user runs it: process start-up, bundle load, ticket, upload, hashes, JSON out.
		cli: (file) =>
			observed(async () => {
				const m = await measure(node, [bundles.cli, 'upload', file, '--endpoint', info.endpoint, '--json'], cliEnv);
				await checkDigests(file, lastJson<{ md5?: string; sha256?: string }>(m.stdout));
				return { ms: m.wallMs, m };
			}),
		naive: (file) =>
			observed(async () => {
				const m = await measure(node, [bundles.childNaive, file], env);
				return { ms: lastJson<{ ms: number }>(m.stdout).ms, m };
			}),
	};

	const cpuTable = () =>
		table(
			['size MB', 'CPU s (client+sandbox): ours', 'no-hash', 'curl', 'busy %: ours', 'no-hash', 'curl', 'CPU-bound ratio'],
			detail.map((d) => [
				d.sizeMb,
				...[d.ours, d.noHash, d.curl].map((c) => `${c.clientCpuS ?? '-'}+${c.sandboxCpuS ?? '-'}`),
				...[d.ours, d.noHash, d.curl].map((c) => c.busyPct ?? '-'),
				d.cpuBoundRatio,
			]),
		);
	const kinds: Kind[] = values.quick ? ['ours', 'oursNoHash', 'curl'] : ['ours', 'oursNoHash', 'curl', 'cli', 'naive'];
	const results = [];
	const detail: Array<{ sizeMb: number; ours: CpuCost; noHash: CpuCost; curl: CpuCost; cpuBoundRatio: number }> = [];
	try {
		for (const sizeMb of sizes) {
			say(`preparing ${sizeMb} MB test file…`);
			const file = await ensureTestFile(cacheDir, sizeMb);
			await fileDigests(file);
			const runs: Record<Kind, Run[]> = { ours: [], oursNoHash: [], curl: [], cli: [], naive: [] };
			for (let i = 0; i < pairs; i++) {
				for (const kind of kinds) {
					runs[kind].push(await measureOne[kind](file));
				}
				const last = (kind: Kind) => round(sizeMb / (runs[kind][i].ms / 1000));
				say(`  ${sizeMb} MB round ${i + 1}/${pairs}: ${kinds.map((k) => `${k} ${last(k)}`).join(', ')} MB/s`);
			}
			const mbps = (kind: Kind) => (runs[kind].length ? round(sizeMb / (median(runs[kind].map((r) => r.ms)) / 1000)) : 0);
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
				hashOverheadPct: round(
					((median(runs.ours.map((r) => r.ms)) - median(runs.oursNoHash.map((r) => r.ms))) /
						median(runs.oursNoHash.map((r) => r.ms))) *
						100,
					1,
				),
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
			detail.push({ sizeMb, ours, noHash: cost('oursNoHash'), curl, cpuBoundRatio: round(total(curl) / total(ours), 3) });
		}
		if (values.quick) {
			say(
				table(
					['size MB', 'ours MB/s', 'no-hash MB/s', 'curl MB/s', 'ratio', 'no-hash ratio', 'hash overhead %', 'peak RSS MB'],
					results.map((r) => [
						r.sizeMb,
						r.oursMBps,
						r.noHashMBps,
						r.curlMBps,
						r.ratio,
						r.noHashRatio,
						r.hashOverheadPct,
						r.peakRssMb,
					]),
				),
			);
			say(cpuTable());
			say(`load average ${round(loadAtStart)} at start, ${round(loadavg()[0])} at end`);
			return;
		}

		// Hashing on vs off (same in-process child, alternating in the rounds above) at the largest size: the steady state.
		const hashSizeMb = Math.max(...sizes);
		const hashOverheadPct = results.find((r) => r.sizeMb === hashSizeMb)!.hashOverheadPct;
		const hashRates = hashSpeed();

		// The sandbox's ingest (curl → sandbox → disk, the cheapest client) against writing the same bytes with cat.
		// `cat f > out` copies inside the kernel (copy_file_range); `cat f | cat > out` goes through user space like any server.
		const ingestSize = Math.max(...sizes);
		const ingestFile = await ensureTestFile(cacheDir, ingestSize);
		const catRuns: number[] = [];
		const catPipeRuns: number[] = [];
		const target = path.join(dataDir, 'cat-copy.bin');
		for (let i = 0; i < pairs; i++) {
			catRuns.push((await measure('sh', ['-c', 'cat "$0" > "$1"', ingestFile, target])).wallMs);
			rmSync(target, { force: true });
			catPipeRuns.push((await measure('sh', ['-c', 'cat "$0" | cat > "$1"', ingestFile, target])).wallMs);
			rmSync(target, { force: true });
		}
		// The floor any HTTP ingest in Node has here: curl → a bare http server piping the body to a file
		// (no multipart parsing, no policy check, no hashing).
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
				`file=@${ingestFile};type=application/octet-stream`,
				sinkUrl,
			]);
			if (i >= 0) {
				sinkRuns.push(Number(m.stdout.trim().split('\n').pop()) * 1000);
			}
			rmSync(target, { force: true });
		}
		sink.close();
		const sinkMBps = ingestSize / (median(sinkRuns) / 1000);
		const catMBps = ingestSize / (median(catRuns) / 1000);
		const catPipeMBps = ingestSize / (median(catPipeRuns) / 1000);
		const biggest = results.find((r) => r.sizeMb === ingestSize)!;
		const sandboxIngestRatio = round(biggest.curlMBps / catMBps, 3);

		const bundleKb = round(statSync(bundles.extension).size / 1024, 1);
		// What the extension loads on first use: dist/vendor/*.js and the lazy chunks (esbuild.js LAZY_VENDORS, LAZY_CHUNKS).
		const outDir = path.dirname(bundles.extension);
		const vendorDir = path.join(outDir, 'vendor');
		const lazyFiles = [...readdirSync(vendorDir).map((file) => path.join(vendorDir, file)), path.join(outDir, 'sandbox.js')];
		const lazyKb = round(lazyFiles.reduce((sum, file) => sum + statSync(file).size, 0) / 1024, 1);
		const activations: Array<{ ms: number; requireMs: number; activateMs: number; builtinsMs: number; lazyLoaded: string[] }> = [];
		for (let i = 0; i < 7; i++) {
			const m = await measure(node, [path.join(__dirname, 'activation.cjs'), bundles.extension]);
			activations.push(lastJson(m.stdout));
		}
		const activationMs = round(median(activations.map((a) => a.ms)), 1);
		const activation = {
			requireMs: round(median(activations.map((a) => a.requireMs)), 1),
			activateMs: round(median(activations.map((a) => a.activateMs)), 1),
			builtinsMs: round(median(activations.map((a) => a.builtinsMs)), 1),
			lazyLoaded: [...new Set(activations.flatMap((a) => a.lazyLoaded))],
		};

		const report = {
			results,
			hashOverheadPct,
			sandboxIngestRatio,
			bundleKb,
			lazyKb,
			activationMs,
			activation,
			hashSizeMb,
			hashMBps: hashRates,
			catMBps: round(catMBps),
			catPipeMBps: round(catPipeMBps),
			sandboxIngestPipeRatio: round(biggest.curlMBps / catPipeMBps, 3),
			bareSinkMBps: round(sinkMBps),
			bareSinkRatio: round(sinkMBps / catMBps, 3),
			cpu: detail,
			pairs,
			node: process.version,
			loadAvg: { start: round(loadAtStart), end: round(loadavg()[0]) },
		};
		if (values.json) {
			process.stdout.write(`${JSON.stringify(report)}\n`);
			return;
		}
		say('');
		say(
			table(
				[
					'size MB',
					'ours MB/s',
					'curl MB/s',
					'ratio',
					'CLI MB/s',
					'CLI ratio',
					'naive MB/s',
					'peak RSS MB',
					'CLI RSS MB',
					'naive RSS MB',
					'curl RSS MB',
				],
				results.map((r) => [
					r.sizeMb,
					r.oursMBps,
					r.curlMBps,
					r.ratio,
					r.cliMBps,
					r.cliRatio,
					r.naiveMBps,
					r.peakRssMb,
					r.cliPeakRssMb,
					r.naivePeakRssMb,
					r.curlPeakRssMb,
				]),
			),
		);
		say('');
		say(
			table(
				['size MB', 'no-hash MB/s', 'no-hash ratio', 'hash overhead %'],
				results.map((r) => [r.sizeMb, r.noHashMBps, r.noHashRatio, r.hashOverheadPct]),
			),
		);
		say('');
		say(cpuTable());
		say('');
		say(
			`hash overhead (MD5+SHA-256 on vs off, ${hashSizeMb} MB): ${hashOverheadPct} %; one core hashes MD5 at ${hashRates.md5} MB/s, SHA-256 at ${hashRates.sha256} MB/s`,
		);
		say(
			`sandbox ingest (curl) vs cat > file (${ingestSize} MB): ${sandboxIngestRatio} (cat ${round(catMBps)} MB/s); vs cat | cat > file: ${report.sandboxIngestPipeRatio} (${round(catPipeMBps)} MB/s)`,
		);
		say(`bare Node HTTP sink (curl → body piped to a file): ${report.bareSinkMBps} MB/s = ${report.bareSinkRatio} of cat > file`);
		say(
			`bundle extension.js (production): ${bundleKb} KB (+ ${lazyKb} KB in vendor/ and sandbox.js, loaded on first use; at activation: ${activation.lazyLoaded.join(', ') || 'none'}); activation (load + activate): ${activationMs} ms = require ${activation.requireMs} + activate() ${activation.activateMs} (Node built-ins, loaded before: ${activation.builtinsMs} ms)`,
		);
		say(
			`medians of ${pairs} alternating rounds; ratio = ours / curl; load average ${report.loadAvg.start} at start, ${report.loadAvg.end} at end`,
		);
	} finally {
		sandbox.kill('SIGTERM');
		await new Promise((resolve) => (sandbox.exitCode === null ? sandbox.once('exit', resolve) : resolve(undefined)));
		rmSync(scratch, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
