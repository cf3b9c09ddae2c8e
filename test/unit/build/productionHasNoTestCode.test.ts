// Production code holds no test machinery: the scripted prompter and the test API live in test/extension/ and only the
// extension's test build (out/test-extension, made from test/extension/main.ts) contains them. This builds both, the
// way esbuild.js and test/harness/build-tests.mjs do, and looks for every string literal of test/extension/*.ts in each:
// all absent from the production files, present in the test build (so the search can find them when they leak).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { build, type BuildOptions } from 'esbuild';
import ts from 'typescript';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script is CommonJS and has no types
const buildConfig = require('../../../esbuild.js') as {
	common: BuildOptions;
	extensionBuilds: (outdir: string, options: BuildOptions, entry?: string) => BuildOptions[];
};

const root = path.resolve(__dirname, '..', '..', '..');
const testExtensionDir = path.join(root, 'test', 'extension');
const MIN_LENGTH = 12;

/** String literals and the literal parts of template strings in a TypeScript file (imports excluded). */
function stringLiterals(file: string): string[] {
	const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
	const found: string[] = [];
	const visit = (node: ts.Node): void => {
		if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
			return;
		}
		if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) {
			found.push(node.text);
		}
		ts.forEachChild(node, visit);
	};
	visit(source);
	return found;
}

function bundleText(dir: string): string {
	const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));
	return files.map((file) => readFileSync(path.join(dir, file), 'utf8')).join('\n');
}

let production: string;
let testBuild: string;
let productionDir: string;
let testBuildDir: string;

before(async () => {
	productionDir = mkdtempSync(path.join(tmpdir(), 'iot-ota-prod-'));
	testBuildDir = mkdtempSync(path.join(tmpdir(), 'iot-ota-testbuild-'));
	// Not minified, so that every literal would appear as written if the code were included.
	const options: BuildOptions = { ...buildConfig.common, absWorkingDir: root, minify: false, sourcemap: false, plugins: [] };
	await Promise.all([
		...buildConfig.extensionBuilds(productionDir, options).map((entry) => build(entry)),
		...buildConfig.extensionBuilds(testBuildDir, options, 'test/extension/main.ts').map((entry) => build(entry)),
	]);
	production = bundleText(productionDir);
	testBuild = bundleText(testBuildDir);
});

after(() => {
	rmSync(productionDir, { recursive: true, force: true });
	rmSync(testBuildDir, { recursive: true, force: true });
});

void test('no string of test/extension/*.ts is in the production bundles; each is in the test build', () => {
	const files = readdirSync(testExtensionDir).filter((file) => file.endsWith('.ts'));
	const literals = [...new Set(files.flatMap((file) => stringLiterals(path.join(testExtensionDir, file))))]
		.map((text) => text.trim())
		.filter((text) => text.length >= MIN_LENGTH);
	assert.ok(literals.length >= 4, `only ${literals.length} literals found: ${literals.join(' | ')}`);
	assert.deepEqual(
		literals.filter((text) => production.includes(text)),
		[],
		'test-only strings in dist/',
	);
	assert.deepEqual(
		literals.filter((text) => !testBuild.includes(text)),
		[],
		'the test build lacks these, so the check above could not see them',
	);
});

void test('the production bundles name no test switch, hidden command or seam', () => {
	for (const marker of ['IOT_OTA_TEST', 'iotOta.test.', 'SeamPrompter', 'testSeam', 'testApiFor']) {
		assert.equal(production.includes(marker), false, `dist/ contains "${marker}"`);
	}
	assert.ok(testBuild.includes('SeamPrompter') && testBuild.includes('testSeam'), 'the test build is the one with the seam');
});

void test('activate() of the production bundle returns nothing; the test build returns the test API', () => {
	const activate = (bundle: string) => {
		const run = spawnSync(process.execPath, [path.join(root, 'test', 'bench', 'activation.cjs'), bundle], {
			encoding: 'utf8',
			env: { ...process.env, NODE_OPTIONS: '' },
		});
		assert.equal(run.status, 0, run.stderr);
		return (JSON.parse(run.stdout.trim().split('\n').pop()!) as { returned: string }).returned;
	};
	assert.equal(activate(path.join(productionDir, 'extension.js')), 'undefined');
	assert.equal(activate(path.join(testBuildDir, 'extension.js')), 'object');
});
