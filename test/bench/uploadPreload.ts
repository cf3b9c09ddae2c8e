// One-off comparison for docs/performance.md (not part of `npm run bench`): the extension host's first upload of a
// session (a) as it loads the upload path's vendor files (pop-core's RPC client, form-data) inside the user's wait, and
// (b) after they were loaded on an idle turn while the user was in the pickers (src/core/uploadPreload.ts). Each round is
// one fresh process per variant (child-preload.ts, bundled the way the extension is), interleaved; 1 MB and 4 MB.
//   node --import tsx test/bench/uploadPreload.ts [--rounds 21] [--idle-ms 50]
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BuildOptions } from 'esbuild';
import { childEnv } from './benchClient';
import { buildBundles } from './build';
import { ensureTestFile, fileDigests } from './files';
import { lastJson, measure } from './measure';
import { clearObjects, startSandboxProcess } from './sandboxProcess';
import { median, round, table } from './stats';

const root = path.resolve(__dirname, '..', '..');
const requireFromRoot = createRequire(path.join(root, 'package.json'));

interface ChildFigures {
	ms: number;
	/** User + system CPU of the child (all threads) during the timed upload: less swayed by other load than wall time. */
	cpuMs: number;
	md5: string;
	popRpcMs?: number;
	formDataMs?: number;
}

async function buildChild(outDir: string): Promise<string> {
	const esbuild = requireFromRoot('esbuild') as typeof import('esbuild');
	const { common, extensionBuilds } = requireFromRoot('./esbuild.js') as {
		common: BuildOptions;
		extensionBuilds: (outdir: string, options: BuildOptions, entry?: string) => BuildOptions[];
	};
	const base: BuildOptions = { ...common, minify: true, sourcemap: false, plugins: [], logLevel: 'error', absWorkingDir: root };
	await Promise.all(extensionBuilds(outDir, base, path.join(__dirname, 'child-preload.ts')).map((options) => esbuild.build(options)));
	return path.join(outDir, 'extension.js');
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { rounds: { type: 'string', default: '21' }, 'idle-ms': { type: 'string', default: '50' } },
	});
	const rounds = Number(values.rounds);
	const idleMs = values['idle-ms']!;
	const scratch = mkdtempSync(path.join(tmpdir(), 'iot-ota-upload-preload-'));
	const loadAtStart = loadavg()[0].toFixed(2);
	const bundles = await buildBundles(path.join(scratch, 'dist'));
	const child = await buildChild(path.join(scratch, 'child'));
	const sandbox = await startSandboxProcess(bundles.cli, path.join(scratch, 'sandbox'));
	try {
		const rows: Array<Array<string | number>> = [];
		const loads = { popRpc: [] as number[], formData: [] as number[] };
		for (const sizeMb of [1, 4]) {
			const file = await ensureTestFile(path.join(root, '.bench-cache'), sizeMb);
			const { md5 } = await fileDigests(file);
			const runs = { today: [] as ChildFigures[], preloaded: [] as ChildFigures[] };
			for (let i = 0; i < rounds; i++) {
				for (const variant of i % 2 === 0 ? (['today', 'preloaded'] as const) : (['preloaded', 'today'] as const)) {
					const env = { ...childEnv(sandbox.info), BENCH_PRELOAD: variant === 'preloaded' ? '1' : '0' };
					const figures = lastJson<ChildFigures>((await measure(process.execPath, [child, file, idleMs], env)).stdout);
					if (figures.md5 !== md5) {
						throw new Error(`${variant} ${sizeMb} MB: MD5 ${figures.md5}, expected ${md5}`);
					}
					runs[variant].push(figures);
					if (figures.popRpcMs !== undefined && figures.formDataMs !== undefined) {
						loads.popRpc.push(figures.popRpcMs);
						loads.formData.push(figures.formDataMs);
					}
					clearObjects(sandbox.info.dataDir);
				}
			}
			const row = (figure: 'ms' | 'cpuMs') => {
				const [today, preloaded] = [median(runs.today.map((f) => f[figure])), median(runs.preloaded.map((f) => f[figure]))];
				return [round(today, 1), round(preloaded, 1), round(((preloaded - today) / today) * 100, 1)];
			};
			rows.push([`${sizeMb} MB`, ...row('ms'), ...row('cpuMs')]);
		}
		process.stdout.write(
			`${table(['first upload', 'today ms', 'preloaded ms', 'change %', 'today CPU ms', 'preloaded CPU ms', 'CPU change %'], rows)}\n`,
		);
		process.stdout.write(
			`loading during the idle wait: pop-core RPC ${round(median(loads.popRpc), 1)} ms + form-data ${round(median(loads.formData), 1)} ms (medians of ${loads.popRpc.length})\n`,
		);
		process.stdout.write(
			`medians of ${rounds} interleaved rounds per size, idle wait ${idleMs} ms; load average ${loadAtStart} at start, ${loadavg()[0].toFixed(2)} at end\n`,
		);
	} finally {
		await sandbox.stop();
		rmSync(scratch, { recursive: true, force: true });
	}
}

void main();
