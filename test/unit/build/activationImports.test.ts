// What activation evaluates: the modules src/extension.ts reaches through static imports. The OTA lifecycle (the core
// client, monitor, guard…), IotClient and the sandbox are loaded by a dynamic import on first use, so a view that
// merely registers (OTA Packages, the watch status item) costs nothing at start-up. esbuild's metafile gives the graph.
// Activation runs in every window once VS Code has started (onStartupFinished), to resume the window's watches.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { build, type Metafile } from 'esbuild';

const root = path.resolve(__dirname, '..', '..', '..');

/** Files reached from `entry` by static imports only (import statements and require calls, not import()). */
function staticallyReached(metafile: Metafile, entry: string): Set<string> {
	const reached = new Set<string>();
	const visit = (file: string): void => {
		if (reached.has(file)) {
			return;
		}
		reached.add(file);
		for (const imported of metafile.inputs[file]?.imports ?? []) {
			if (imported.kind !== 'dynamic-import' && !imported.external) {
				visit(imported.path);
			}
		}
	};
	visit(entry);
	return reached;
}

void test('activation reaches neither the OTA lifecycle nor IotClient nor the sandbox by static imports', async () => {
	const result = await build({
		absWorkingDir: root,
		entryPoints: ['src/extension.ts'],
		bundle: true,
		write: false,
		metafile: true,
		platform: 'node',
		format: 'cjs',
		outdir: 'out/activation-graph',
		packages: 'external',
		external: ['vscode'],
		logLevel: 'silent',
	});
	const reached = staticallyReached(result.metafile, 'src/extension.ts');
	assert.ok(reached.has('src/vscode/ota/index.ts'), 'the OTA views are not composed at activation');
	assert.ok(
		[...Object.keys(result.metafile.inputs)].some((file) => file.startsWith('src/core/lifecycle/')),
		'the lifecycle is not in the bundle at all (the dynamic imports are gone?)',
	);
	const eager = [...reached].filter(
		(file) =>
			file.startsWith('src/core/lifecycle/') ||
			file === 'src/core/iotClient.ts' ||
			file.startsWith('src/core/iot/') ||
			file.startsWith('src/sandbox/'),
	);
	assert.deepEqual(eager, [], 'these are evaluated at activation; import them with await import() where they are used');
});

void test('the extension activates once VS Code has started, so the watches a window saved resume after a reload', () => {
	const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { activationEvents?: string[] };
	assert.deepEqual(manifest.activationEvents, ['onStartupFinished'], 'activation must stay cheap: see test/bench/activation.cjs');
});
