// Bundles the extension and the CLI (official esbuild-sample style).
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the format the `$esbuild-watch` problem matcher understands. */
const esbuildProblemMatcherPlugin = {
	name: 'esbuild-problem-matcher',
	setup(build) {
		build.onStart(() => {
			if (watch) {
				console.log('[watch] build started');
			}
		});
		build.onEnd((result) => {
			for (const { text, location } of result.errors) {
				console.error(`✘ [ERROR] ${text}`);
				if (location) {
					console.error(`    ${location.file}:${location.line}:${location.column}:`);
				}
			}
			if (watch) {
				console.log('[watch] build finished');
			}
		});
	},
};

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
	alias: { 'mime-types': './src/build/mimeTypesStub.js' },
	logLevel: 'silent',
	plugins: [esbuildProblemMatcherPlugin],
};

/**
 * Third-party packages the extension needs only once a command runs. src/core/vendor.ts require()s each on first
 * use; in the extension bundle those calls load `dist/vendor/<name>.js` instead of inlining the package, so
 * activation parses ~200 KB instead of ~460 KB. The CLI bundles them inline (it uses them at once).
 */
const LAZY_VENDORS = ['yaml', 'jsonc-parser', 'smol-toml', 'form-data', '@alicloud/pop-core/lib/rpc', 'https-proxy-agent', 'busboy'];
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
					return { errors: [{ text: `"${args.path}" is loaded on first use: call its accessor in src/core/vendor.ts instead of importing it` }] };
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
			args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' });
		build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
	},
};

/** One CommonJS file per lazy vendor, written to `<outdir>/vendor/`. */
function vendorBuilds(outdir, options = common) {
	return LAZY_VENDORS.map((name) => ({
		...options,
		stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: __dirname, sourcefile: `${name}.vendor.js` },
		outfile: `${outdir}/${vendorFile(name)}`,
	}));
}

/** The extension: its bundle (vendors left to load lazily) and the vendor files beside it. */
function extensionBuilds(outdir, options = common) {
	return [
		{ ...options, entryPoints: ['src/extension.ts'], outfile: `${outdir}/extension.js`, external: ['vscode'], plugins: [...(options.plugins ?? []), lazyVendorPlugin(), vscodeOncePlugin] },
		...vendorBuilds(outdir, options),
	];
}

const entries = [
	...extensionBuilds('dist'),
	{ ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

module.exports = { common, entries, extensionBuilds, LAZY_VENDORS };

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
