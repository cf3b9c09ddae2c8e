import { createRequire } from 'node:module';
import path from 'node:path';
import type { BuildOptions } from 'esbuild';

const root = path.resolve(__dirname, '..', '..');
const requireFromRoot = createRequire(path.join(root, 'package.json'));

export interface BenchBundles {
	/** The shipped CLI (runs the sandbox and the "CLI upload" measurement). */
	cli: string;
	/** The shipped extension (bundle size and activation time); the packages it loads on first use are in vendor/. */
	extension: string;
	/** Measured children, bundled like the CLI so no TypeScript loader runs inside the measurement. */
	childOurs: string;
	childNaive: string;
	childWatch: string;
}

/**
 * Production bundles with esbuild.js's own options (minified, no source maps) into `outDir`, so the bench
 * measures exactly what `node esbuild.js --production` ships without touching dist/ (other work may use it).
 */
export async function buildBundles(outDir: string): Promise<BenchBundles> {
	const esbuild = requireFromRoot('esbuild') as typeof import('esbuild');
	const { common, extensionBuilds, cliBuilds } = requireFromRoot('./esbuild.js') as {
		common: BuildOptions;
		extensionBuilds: (outdir: string, options: BuildOptions) => BuildOptions[];
		cliBuilds: (outdir: string, options: BuildOptions) => BuildOptions[];
	};
	const base: BuildOptions = { ...common, minify: true, sourcemap: false, plugins: [], logLevel: 'error', absWorkingDir: root };
	const out: BenchBundles = {
		cli: path.join(outDir, 'cli.js'),
		extension: path.join(outDir, 'extension.js'),
		childOurs: path.join(outDir, 'child-ours.js'),
		childNaive: path.join(outDir, 'child-naive.js'),
		childWatch: path.join(outDir, 'child-watch.js'),
	};
	await Promise.all([
		...extensionBuilds(outDir, base).map((options) => esbuild.build(options)), // extension.js + sandbox.js + vendor/*.js
		...cliBuilds(outDir, base).map((options) => esbuild.build(options)), // cli.js (launcher) + cli-main.js
		esbuild.build({ ...base, entryPoints: [path.join(__dirname, 'child-ours.ts')], outfile: out.childOurs }),
		esbuild.build({ ...base, entryPoints: [path.join(__dirname, 'child-naive.ts')], outfile: out.childNaive }),
		esbuild.build({ ...base, entryPoints: [path.join(__dirname, 'child-watch.ts')], outfile: out.childWatch }),
	]);
	return out;
}
