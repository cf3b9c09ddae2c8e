// What the extension costs before any command runs: the production bundle's size, what it leaves to load on first use,
// and activation (test/bench/activation.cjs: require + activate() against an inert vscode stub, 7 fresh processes).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BenchBundles } from './build';
import { lastJson, measure } from './measure';
import { median, round } from './stats';

export interface BuildFigures {
	bundleKb: number;
	/** dist/vendor/*.js and the lazy chunks (esbuild.js LAZY_VENDORS, LAZY_CHUNKS): loaded on first use. */
	lazyKb: number;
	activationMs: number;
	activation: { requireMs: number; activateMs: number; builtinsMs: number; lazyLoaded: string[] };
}

export async function measureBuild(bundles: BenchBundles): Promise<BuildFigures> {
	const bundleKb = round(statSync(bundles.extension).size / 1024, 1);
	const outDir = path.dirname(bundles.extension);
	const vendorDir = path.join(outDir, 'vendor');
	const lazyFiles = [...readdirSync(vendorDir).map((file) => path.join(vendorDir, file)), path.join(outDir, 'sandbox.js')];
	const lazyKb = round(lazyFiles.reduce((sum, file) => sum + statSync(file).size, 0) / 1024, 1);
	const runs: Array<{ ms: number; requireMs: number; activateMs: number; builtinsMs: number; lazyLoaded: string[] }> = [];
	for (let i = 0; i < 7; i++) {
		const m = await measure(process.execPath, [path.join(__dirname, 'activation.cjs'), bundles.extension]);
		runs.push(lastJson(m.stdout));
	}
	const med = (pick: (r: (typeof runs)[number]) => number) => round(median(runs.map(pick)), 1);
	return {
		bundleKb,
		lazyKb,
		activationMs: med((r) => r.ms),
		activation: {
			requireMs: med((r) => r.requireMs),
			activateMs: med((r) => r.activateMs),
			builtinsMs: med((r) => r.builtinsMs),
			lazyLoaded: [...new Set(runs.flatMap((r) => r.lazyLoaded))],
		},
	};
}
