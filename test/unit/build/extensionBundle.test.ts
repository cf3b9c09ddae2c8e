// The shipped extension: activation parses only what it needs (third-party packages stay in dist/vendor/, the
// sandbox in dist/sandbox.js), every lazily loaded file works on its own, and the VSIX allow-list ships them
// (without source maps or the CLI).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build, type BuildOptions } from 'esbuild';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script is CommonJS and has no types
const buildConfig = require('../../../esbuild.js') as {
	common: BuildOptions;
	extensionBuilds: (outdir: string, options: BuildOptions) => BuildOptions[];
	LAZY_VENDORS: string[];
	LAZY_CHUNKS: Array<{ entry: string; file: string }>;
};

const root = path.resolve(__dirname, '..', '..', '..');
const vendorFileOf = (name: string): string => `${name.replace(/^@/, '').replace(/\//g, '-')}.js`;

void describe('extension bundle: lazily loaded vendor packages and chunks', () => {
	let dir: string;

	before(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-ext-build-'));
		const options: BuildOptions = { ...buildConfig.common, absWorkingDir: root, minify: true, sourcemap: false, plugins: [] };
		await Promise.all(buildConfig.extensionBuilds(dir, options).map((entry) => build(entry)));
	});

	after(() => rmSync(dir, { recursive: true, force: true }));

	void test('activate() against a stub vscode loads none of dist/vendor/ or dist/sandbox.js, nor on the idle turns after it', () => {
		const run = spawnSync(process.execPath, [path.join(root, 'test', 'bench', 'activation.cjs'), path.join(dir, 'extension.js')], {
			encoding: 'utf8',
			env: { ...process.env, NODE_OPTIONS: '' },
		});
		assert.equal(run.status, 0, run.stderr);
		const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as { lazyLoaded: string[] };
		assert.deepEqual(report.lazyLoaded, []);
	});

	void test('the bundles name each vendor file, extension.js requires vscode once and inlines none of the vendor packages', () => {
		const bundle = readFileSync(path.join(dir, 'extension.js'), 'utf8');
		// The image reader's archive packages (yauzl, tar-stream) too: the Firmware Files view and the upload read images.
		assert.ok(bundle.includes('require("./vendor/yauzl.js")') && bundle.includes('require("./vendor/tar-stream.js")'));
		const everything = [bundle, ...buildConfig.LAZY_CHUNKS.map((chunk) => readFileSync(path.join(dir, chunk.file), 'utf8'))].join('\n');
		for (const name of buildConfig.LAZY_VENDORS) {
			assert.ok(
				everything.includes(`require("./vendor/${vendorFileOf(name)}")`),
				`neither extension.js nor a chunk loads ./vendor/${vendorFileOf(name)}`,
			);
		}
		assert.equal(bundle.match(/require\("vscode"\)/g)?.length, 1);
		assert.ok(!bundle.includes('YAMLParseError'), 'yaml is inlined in extension.js');
	});

	void test('form-data is bundled without its polyfills and still names its prototype', () => {
		const file = path.join(dir, 'vendor', 'form-data.js');
		const source = readFileSync(file, 'utf8');
		// get-intrinsic's table of intrinsics and mime-db's types: neither may come back through another path.
		assert.ok(!source.includes('%AsyncGeneratorFunction%'), 'get-intrinsic is bundled into vendor/form-data.js');
		assert.ok(!source.includes('application/vnd.'), 'mime-db is bundled into vendor/form-data.js');
		const probe = `const FormData = require(${JSON.stringify(file)}); process.stdout.write(Object.prototype.toString.call(new FormData()));`;
		const run = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
		assert.equal(run.status, 0, run.stderr);
		assert.equal(run.stdout, '[object FormData]');
	});

	void test('the sandbox is its own file: required on first use, not inlined, and it starts on its own', async () => {
		const bundle = readFileSync(path.join(dir, 'extension.js'), 'utf8');
		for (const chunk of buildConfig.LAZY_CHUNKS) {
			assert.ok(bundle.includes(`require("./${chunk.file}")`), `extension.js does not require ./${chunk.file}`);
		}
		assert.ok(!bundle.includes('AliyunOSS'), 'the sandbox (its OSS server header) is inlined in extension.js');
		const probe = `
			const { startSandbox } = require(${JSON.stringify(path.join(dir, 'sandbox.js'))});
			startSandbox({ dataDir: require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'iot-ota-chunk-')) })
				.then(async (sandbox) => { const ok = sandbox.endpoint.startsWith('http://127.0.0.1:'); await sandbox.stop(); require('node:fs').rmSync(sandbox.dataDir, { recursive: true, force: true }); process.stdout.write(String(ok)); });`;
		const run = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', timeout: 30_000 });
		assert.equal(run.status, 0, run.stderr);
		assert.equal(run.stdout, 'true');
	});

	void test('each vendor file loads on its own and exports what src/core/vendor.ts uses', () => {
		const probe = `
			const v = (name) => require(${JSON.stringify(dir)} + '/vendor/' + name);
			const checks = {
				yaml: typeof v('yaml.js').parseDocument,
				jsonc: typeof v('jsonc-parser.js').modify,
				toml: typeof v('smol-toml.js').parse,
				formData: typeof v('form-data.js'),
				pop: typeof v('alicloud-pop-core-lib-rpc.js'),
				proxy: typeof v('https-proxy-agent.js').HttpsProxyAgent,
				busboy: typeof v('busboy.js'),
				yauzl: typeof v('yauzl.js').openPromise,
				tarStream: typeof v('tar-stream.js').extract,
			};
			process.stdout.write(JSON.stringify(checks));`;
		const run = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
		assert.equal(run.status, 0, run.stderr);
		const checks = JSON.parse(run.stdout) as Record<string, string>;
		assert.deepEqual(checks, {
			yaml: 'function',
			jsonc: 'function',
			toml: 'function',
			formData: 'function',
			pop: 'function',
			proxy: 'function',
			busboy: 'function',
			yauzl: 'function',
			tarStream: 'function',
		});
	});
});

void test('the VSIX allow-list (.vscodeignore) ships extension.js, sandbox.js, dist/vendor/*.js and the icons, not maps, the CLI, sources or the source drawing of the icon', async () => {
	const { listFiles, PackageManager } = await import('@vscode/vsce');
	const fake = mkdtempSync(path.join(tmpdir(), 'iot-ota-vsix-list-'));
	try {
		for (const file of ['package.json', '.vscodeignore', 'README.md', 'LICENSE']) {
			copyFileSync(path.join(root, file), path.join(fake, file));
		}
		const placeholders = [
			'dist/extension.js',
			'dist/extension.js.map',
			'dist/sandbox.js',
			'dist/sandbox.js.map',
			'dist/vendor/yaml.js',
			'dist/vendor/yaml.js.map',
			'dist/cli.js',
			'dist/cli-main.js',
			'src/extension.ts',
			'media/icon.png',
			'media/icon.svg',
			'media/walkthrough/upload.md',
			'media/logo.svg',
		];
		for (const file of placeholders) {
			mkdirSync(path.dirname(path.join(fake, file)), { recursive: true });
			writeFileSync(path.join(fake, file), '');
		}
		const files = (await listFiles({ cwd: fake, packageManager: PackageManager.None })).map((f) => f.split(path.sep).join('/')).sort();
		assert.ok(
			[
				'dist/extension.js',
				'dist/sandbox.js',
				'dist/vendor/yaml.js',
				'media/icon.png',
				'media/icon.svg',
				'media/walkthrough/upload.md',
			].every((file) => files.includes(file)),
			files.join(', '),
		);
		for (const excluded of [
			'dist/extension.js.map',
			'dist/sandbox.js.map',
			'dist/vendor/yaml.js.map',
			'dist/cli.js',
			'dist/cli-main.js',
			'src/extension.ts',
			'media/logo.svg',
		]) {
			assert.ok(!files.includes(excluded), `${excluded} would be packaged`);
		}
	} finally {
		rmSync(fake, { recursive: true, force: true });
	}
});
