// One-off comparison for docs/performance.md (not part of `npm run bench`): the extension built as shipped (vendors
// and the sandbox loaded on first use) against one bundle with everything inlined: activation, and the cost of the
// first upload's module loads (pop-core, form-data) that the lazy build pays at the first command instead.
//   node --import tsx test/bench/oneBundle.ts [rounds]
import { mkdtempSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';
import { lastJson, measure } from './measure';
import { median, round } from './stats';

const root = path.resolve(__dirname, '..', '..');
const requireFromRoot = createRequire(path.join(root, 'package.json'));

async function main(): Promise<void> {
	const rounds = Number(process.argv[2] ?? 9);
	const esbuild = requireFromRoot('esbuild') as typeof import('esbuild');
	const { common, extensionBuilds } = requireFromRoot('./esbuild.js') as {
		common: BuildOptions;
		extensionBuilds: (outdir: string, options: BuildOptions) => BuildOptions[];
	};
	const base: BuildOptions = { ...common, minify: true, sourcemap: false, plugins: [], logLevel: 'error', absWorkingDir: root };
	const scratch = mkdtempSync(path.join(tmpdir(), 'iot-ota-onebundle-'));
	const lazyDir = path.join(scratch, 'lazy');
	const oneDir = path.join(scratch, 'one');
	await Promise.all(extensionBuilds(lazyDir, base).map((options) => esbuild.build(options)));
	await esbuild.build({
		...base,
		entryPoints: ['src/extension.ts'],
		outfile: path.join(oneDir, 'extension.js'),
		external: ['vscode'],
		supported: { 'dynamic-import': false },
	});
	const activation = path.join(__dirname, 'activation.cjs');
	const firstUse = path.join(lazyDir, 'vendor');
	const runs: Record<string, number[]> = { lazy: [], one: [], vendorLoad: [] };
	for (let i = 0; i < rounds; i++) {
		runs.lazy.push(
			lastJson<{ ms: number }>((await measure(process.execPath, [activation, path.join(lazyDir, 'extension.js')])).stdout).ms,
		);
		runs.one.push(
			lastJson<{ ms: number }>((await measure(process.execPath, [activation, path.join(oneDir, 'extension.js')])).stdout).ms,
		);
		// What the lazy build pays at the first upload: loading the vendor files an upload needs.
		const load = `const t=process.hrtime.bigint();for(const f of ['alicloud-pop-core-lib-rpc.js','form-data.js'])require(${JSON.stringify(firstUse)}+'/'+f);console.log(JSON.stringify({ms:Number(process.hrtime.bigint()-t)/1e6}))`;
		runs.vendorLoad.push(lastJson<{ ms: number }>((await measure(process.execPath, ['-e', load])).stdout).ms);
	}
	const kb = (file: string) => round(statSync(file).size / 1024, 1);
	process.stdout.write(
		`${JSON.stringify({
			lazy: { activationMs: round(median(runs.lazy), 1), bundleKb: kb(path.join(lazyDir, 'extension.js')) },
			one: { activationMs: round(median(runs.one), 1), bundleKb: kb(path.join(oneDir, 'extension.js')) },
			firstUploadVendorLoadMs: round(median(runs.vendorLoad), 1),
			rounds,
			loadAvg: loadavg()[0],
		})}\n`,
	);
}

void main();
