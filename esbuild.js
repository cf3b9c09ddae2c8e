// Bundles the extension and the CLI (official esbuild-sample style).
const path = require('node:path');
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * Prints errors in the format of the `$esbuild-watch` problem matcher (connor4312.esbuild-problem-matchers), and in
 * watch mode one `[watch] build started` / `[watch] build finished` pair per rebuild: the matcher takes the first
 * "finished" as the end of the build, and every entry below is a context of its own, so the lines count the builds
 * in flight across all of them.
 */
function problemMatcherPlugin({ watching = watch, log = console.log, logError = console.error } = {}) {
	let running = 0;
	return {
		name: 'esbuild-problem-matcher',
		setup(build) {
			build.onStart(() => {
				if (watching && running++ === 0) {
					log('[watch] build started');
				}
			});
			build.onEnd((result) => {
				for (const { text, location } of result.errors) {
					logError(`✘ [ERROR] ${text}`);
					if (location) {
						logError(`    ${location.file}:${location.line}:${location.column}:`);
					}
				}
				if (watching && --running === 0) {
					log('[watch] build finished');
				}
			});
		},
	};
}

/** @type {import('esbuild').BuildOptions} */
const common = {
	bundle: true,
	format: 'cjs',
	platform: 'node',
	target: 'node20',
	minify: production,
	sourcemap: !production,
	sourcesContent: false,
	// jsonc-parser's "main" is a UMD build whose dynamic requires esbuild cannot follow; its ESM build bundles cleanly.
	mainFields: ['module', 'main'],
	// Two of form-data's dependencies it needs nothing of here (each file says why).
	alias: { 'mime-types': './src/build/mimeTypesStub.js', 'es-set-tostringtag': './src/build/setToStringTagStub.js' },
	logLevel: 'silent',
	plugins: [problemMatcherPlugin()],
};

/**
 * Third-party packages the extension needs only once a command runs. src/core/vendor.ts require()s each on first
 * use; in the extension bundle those calls load `dist/vendor/<name>.js` instead of inlining the package, so
 * activation parses ~170 KB (with LAZY_CHUNKS) instead of ~460 KB. The CLI bundles them inline (it uses them at once).
 */
const LAZY_VENDORS = [
	'yaml',
	'jsonc-parser',
	'smol-toml',
	'form-data',
	'@alicloud/pop-core/lib/rpc',
	'https-proxy-agent',
	'busboy',
	'yauzl',
	'tar-stream',
];
const vendorFile = (name) => `vendor/${name.replace(/^@/, '').replace(/\//g, '-')}.js`;
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Resolves a lazy vendor's require() to its file next to the bundle; an `import` of one is a build error. */
function lazyVendorPlugin(vendors = LAZY_VENDORS) {
	return {
		name: 'lazy-vendor',
		setup(build) {
			const filter = new RegExp(`^(${vendors.map(escapeRegExp).join('|')})$`);
			build.onResolve({ filter }, (args) => {
				if (args.kind !== 'require-call') {
					return {
						errors: [
							{
								text: `"${args.path}" is loaded on first use: call its accessor in src/core/vendor.ts instead of importing it`,
							},
						],
					};
				}
				return { path: `./${vendorFile(args.path)}`, external: true };
			});
		},
	};
}

/**
 * Every `import * as vscode from 'vscode'` of the external CommonJS module gets its own `__toESM(require('vscode'))`,
 * which copies all ~190 API names: 30 files meant ~6,000 property definitions at activation (~10 ms). Routing
 * them through one ESM re-export copies the API once and every file shares that namespace.
 */
const vscodeOncePlugin = {
	name: 'vscode-once',
	setup(build) {
		build.onResolve({ filter: /^vscode$/ }, (args) =>
			args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' },
		);
		build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
	},
};

/**
 * Our own modules that only one command needs and that share no classes with the rest (so a separate copy of what
 * they import is harmless): the sandbox runs only after "Start Local Sandbox". The extension's dynamic import of
 * the entry becomes a load of `dist/<file>`; a static import of it is a build error.
 */
const LAZY_CHUNKS = [{ entry: 'src/sandbox/index.ts', file: 'sandbox.js' }];

function lazyChunkPlugin() {
	const byPath = new Map(LAZY_CHUNKS.map((chunk) => [path.resolve(__dirname, chunk.entry).replace(/\.ts$/, ''), chunk]));
	return {
		name: 'lazy-chunk',
		setup(build) {
			build.onResolve({ filter: /^\.\.?\// }, (args) => {
				const chunk = byPath.get(path.resolve(args.resolveDir, args.path).replace(/\.(js|ts)$/, ''));
				if (!chunk) {
					return undefined;
				}
				if (args.kind !== 'dynamic-import') {
					return { errors: [{ text: `${chunk.entry} is loaded on first use: import it with await import(), not statically` }] };
				}
				return { path: `./${chunk.file}`, external: true };
			});
		},
	};
}

/** One CommonJS file per lazy vendor, written to `<outdir>/vendor/`. */
function vendorBuilds(outdir, options = common) {
	return LAZY_VENDORS.map((name) => ({
		...options,
		stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: __dirname, sourcefile: `${name}.vendor.js` },
		outfile: `${outdir}/${vendorFile(name)}`,
	}));
}

/**
 * The extension: its bundle (vendors and lazy chunks left to load on first use) and those files beside it. `entry` is
 * src/extension.ts; the integration tests build the same layout from their own entry (test/harness/build-tests.mjs).
 */
function extensionBuilds(outdir, options = common, entry = 'src/extension.ts') {
	return [
		{
			...options,
			entryPoints: [entry],
			outfile: `${outdir}/extension.js`,
			external: ['vscode'],
			// A chunk's import() becomes require(): the extension host's CommonJS loader, not Node's ESM loader, loads it.
			supported: { 'dynamic-import': false },
			plugins: [...(options.plugins ?? []), lazyVendorPlugin(), lazyChunkPlugin(), vscodeOncePlugin],
		},
		...LAZY_CHUNKS.map((chunk) => ({
			...options,
			entryPoints: [chunk.entry],
			outfile: `${outdir}/${chunk.file}`,
			plugins: [...(options.plugins ?? []), lazyVendorPlugin()],
		})),
		...vendorBuilds(outdir, options),
	];
}

/** The `iot-ota` executable (`cli.js`: turns on Node's compile cache) and the CLI bundle it loads (`cli-main.js`). */
function cliBuilds(outdir, options = common) {
	return [
		{
			...options,
			entryPoints: ['src/cliLauncher.ts'],
			outfile: `${outdir}/cli.js`,
			banner: { js: '#!/usr/bin/env node' },
			external: ['./cli-main.js'],
		},
		{ ...options, entryPoints: ['src/cli.ts'], outfile: `${outdir}/cli-main.js` },
	];
}

const entries = [...extensionBuilds('dist'), ...cliBuilds('dist')];

module.exports = { common, entries, extensionBuilds, cliBuilds, problemMatcherPlugin, LAZY_VENDORS, LAZY_CHUNKS };

async function main() {
	const contexts = await Promise.all(entries.map((options) => esbuild.context(options)));
	if (watch) {
		await Promise.all(contexts.map((ctx) => ctx.watch()));
		return;
	}
	await Promise.all(contexts.map((ctx) => ctx.rebuild()));
	await Promise.all(contexts.map((ctx) => ctx.dispose()));
}

if (require.main === module) {
	main().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
