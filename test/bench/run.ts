// npm run bench [-- --json] [--sizes 10,100,1000] [--pairs 3]
// Side by side on this machine against the local sandbox (127.0.0.1): our uploader (in-process core and the CLI),
// curl posting the same multipart form, and the naive whole-file-in-memory approach.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { IotClient } from '../../src/core/iotClient';
import { ensureTestFile } from './files';
import { lastJson, measure } from './measure';
import { median, round, table } from './stats';

const root = path.resolve(__dirname, '..', '..');
const node = process.execPath;
const tsx = ['--import', 'tsx'];

interface SandboxInfo { endpoint: string; ossHost: string; accessKeyId: string; accessKeySecret: string; dataDir: string }

async function startSandboxProcess(dataDir: string): Promise<{ info: SandboxInfo; child: ChildProcess }> {
	const child = spawn(node, [path.join(root, 'dist', 'cli.js'), 'sandbox', '--data', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
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
	return { info, child };
}

/** Removes the stored object files (never registered, so nothing refers to them) so 1,000 MB runs don't pile up on disk. */
function clearObjects(dataDir: string): void {
	const objects = path.join(dataDir, 'objects');
	for (const name of readdirSync(objects)) {
		rmSync(path.join(objects, name), { force: true });
	}
}

async function main(): Promise<void> {
	const { values } = parseArgs({ options: { json: { type: 'boolean' }, sizes: { type: 'string' }, pairs: { type: 'string' } } });
	const sizes = (values.sizes ?? '10,100,1000').split(',').map(Number);
	const pairs = Math.max(3, Number(values.pairs ?? 3));
	const say = (msg: string) => (values.json ? process.stderr : process.stdout).write(`${msg}\n`);
	const cacheDir = path.join(root, '.bench-cache');
	const dataDir = mkdtempSync(path.join(tmpdir(), 'iot-ota-bench-sandbox-'));
	const { info, child: sandbox } = await startSandboxProcess(dataDir);
	const env = { BENCH_ENDPOINT: info.endpoint, BENCH_AK_ID: info.accessKeyId, BENCH_AK_SECRET: info.accessKeySecret };
	const cliEnv = { ALIBABA_CLOUD_ACCESS_KEY_ID: info.accessKeyId, ALIBABA_CLOUD_ACCESS_KEY_SECRET: info.accessKeySecret };
	const client = new IotClient({ region: 'cn-shanghai', endpoint: info.endpoint, credentials: { accessKeyId: info.accessKeyId, accessKeySecret: info.accessKeySecret } });

	const ours = async (file: string, hash = true) => {
		const m = await measure(node, [...tsx, path.join(__dirname, 'child-ours.ts'), file], { ...env, BENCH_HASH: hash ? '1' : '0' });
		return { ms: lastJson<{ ms: number }>(m.stdout).ms, rss: m.peakRssMb! };
	};
	const cli = async (file: string) => {
		const m = await measure(node, [path.join(root, 'dist', 'cli.js'), 'upload', file, '--endpoint', info.endpoint, '--json'], cliEnv);
		return { ms: m.wallMs, rss: m.peakRssMb! };
	};
	const naive = async (file: string) => {
		const m = await measure(node, [...tsx, path.join(__dirname, 'child-naive.ts'), file], env);
		return { ms: lastJson<{ ms: number }>(m.stdout).ms, rss: m.peakRssMb! };
	};
	const curl = async (file: string) => {
		const t = await client.generateOtaUploadUrl('bin');
		const m = await measure('curl', ['-sS', '--fail', '-o', '/dev/null', '-H', 'Expect:',
			'-F', `key=${t.key}`, '-F', `OSSAccessKeyId=${t.ossAccessKeyId}`, '-F', `policy=${t.policy}`, '-F', `Signature=${t.signature}`,
			'-F', 'success_action_status=200', '-F', `file=@${file};type=application/octet-stream`, t.host]);
		return { ms: m.wallMs };
	};

	const results = [];
	try {
		for (const sizeMb of sizes) {
			say(`preparing ${sizeMb} MB test file…`);
			const file = await ensureTestFile(cacheDir, sizeMb);
			const runs = { ours: [] as number[], oursRss: [] as number[], cli: [] as number[], cliRss: [] as number[], curl: [] as number[], naive: [] as number[], naiveRss: [] as number[] };
			for (let i = 0; i < pairs; i++) {
				const a = await ours(file); runs.ours.push(a.ms); runs.oursRss.push(a.rss); clearObjects(dataDir);
				const b = await curl(file); runs.curl.push(b.ms); clearObjects(dataDir);
				const c = await cli(file); runs.cli.push(c.ms); runs.cliRss.push(c.rss); clearObjects(dataDir);
				const d = await naive(file); runs.naive.push(d.ms); runs.naiveRss.push(d.rss); clearObjects(dataDir);
				say(`  ${sizeMb} MB pair ${i + 1}/${pairs}: ours ${round(sizeMb / (a.ms / 1000))} MB/s, curl ${round(sizeMb / (b.ms / 1000))} MB/s`);
			}
			const mbps = (ms: number[]) => round(sizeMb / (median(ms) / 1000));
			results.push({
				sizeMb,
				oursMBps: mbps(runs.ours),
				cliMBps: mbps(runs.cli),
				curlMBps: mbps(runs.curl),
				ratio: round(mbps(runs.ours) / mbps(runs.curl), 3),
				cliRatio: round(mbps(runs.cli) / mbps(runs.curl), 3),
				naiveMBps: mbps(runs.naive),
				peakRssMb: round(Math.max(...runs.oursRss), 1),
				cliPeakRssMb: round(Math.max(...runs.cliRss), 1),
				naivePeakRssMb: round(Math.max(...runs.naiveRss), 1),
			});
		}

		const hashSize = sizes.includes(100) ? 100 : sizes[0];
		const hashFile = await ensureTestFile(cacheDir, hashSize);
		const withHash: number[] = [];
		const withoutHash: number[] = [];
		for (let i = 0; i < pairs; i++) {
			withHash.push((await ours(hashFile, true)).ms); clearObjects(dataDir);
			withoutHash.push((await ours(hashFile, false)).ms); clearObjects(dataDir);
		}
		const hashOverheadPct = round(((median(withHash) - median(withoutHash)) / median(withoutHash)) * 100, 1);

		const ingestSize = Math.max(...sizes);
		const ingestFile = await ensureTestFile(cacheDir, ingestSize);
		const catRuns: number[] = [];
		for (let i = 0; i < pairs; i++) {
			const target = path.join(dataDir, 'cat-copy.bin');
			const m = await measure('sh', ['-c', `cat "$0" > "$1"`, ingestFile, target]);
			catRuns.push(m.wallMs);
			rmSync(target, { force: true });
		}
		const catMBps = ingestSize / (median(catRuns) / 1000);
		const biggest = results.find((r) => r.sizeMb === ingestSize)!;
		const sandboxIngestRatio = round(biggest.curlMBps / catMBps, 3);

		execFileSync(node, [path.join(root, 'esbuild.js'), '--production'], { cwd: root });
		const bundleKb = round(statSync(path.join(root, 'dist', 'extension.js')).size / 1024, 1);
		const activations: number[] = [];
		for (let i = 0; i < 5; i++) {
			const m = await measure(node, [path.join(__dirname, 'activation.cjs'), path.join(root, 'dist', 'extension.js')]);
			activations.push(lastJson<{ ms: number }>(m.stdout).ms);
		}
		const activationMs = round(median(activations), 1);

		const report = { results, hashOverheadPct, sandboxIngestRatio, catMBps: round(catMBps), bundleKb, activationMs, pairs, node: process.version };
		if (values.json) {
			process.stdout.write(`${JSON.stringify(report)}\n`);
			return;
		}
		say('');
		say(table(['size MB', 'ours MB/s', 'CLI MB/s', 'curl MB/s', 'ratio', 'CLI ratio', 'naive MB/s', 'peak RSS MB', 'CLI RSS MB', 'naive RSS MB'],
			results.map((r) => [r.sizeMb, r.oursMBps, r.cliMBps, r.curlMBps, r.ratio, r.cliRatio, r.naiveMBps, r.peakRssMb, r.cliPeakRssMb, r.naivePeakRssMb])));
		say('');
		say(`hash overhead (MD5+SHA-256, ${hashSize} MB): ${hashOverheadPct} %`);
		say(`sandbox ingest vs cat > file (${ingestSize} MB): ${sandboxIngestRatio} (cat ${round(catMBps)} MB/s)`);
		say(`bundle dist/extension.js: ${bundleKb} KB; activation (load + activate): ${activationMs} ms`);
		say(`medians of ${pairs} alternating runs; ratio = ours / curl`);
	} finally {
		sandbox.kill('SIGTERM');
		rmSync(dataDir, { recursive: true, force: true });
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
