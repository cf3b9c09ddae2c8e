// Our modules form no import circle: a circle makes load order decide which export is still undefined, and it
// hides which module owns what. The graph comes from esbuild's metafile over every entry the project builds.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';

const root = path.resolve(__dirname, '..', '..', '..');
const ENTRIES = ['src/extension.ts', 'src/cli.ts', 'src/sandbox/index.ts'];

/** Every import circle among src/ files, each as the list of files around it. */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
	const cycles: string[][] = [];
	const state = new Map<string, 'open' | 'done'>();
	const stack: string[] = [];
	const visit = (file: string): void => {
		state.set(file, 'open');
		stack.push(file);
		for (const next of graph.get(file) ?? []) {
			if (state.get(next) === 'open') {
				cycles.push([...stack.slice(stack.indexOf(next)), next]);
			} else if (!state.has(next)) {
				visit(next);
			}
		}
		stack.pop();
		state.set(file, 'done');
	};
	for (const file of graph.keys()) {
		if (!state.has(file)) {
			visit(file);
		}
	}
	return cycles;
}

void test('the cycle finder reports a circle it is given', () => {
	const graph = new Map([
		['a', ['b']],
		['b', ['c']],
		['c', ['a']],
		['d', ['a']],
	]);
	assert.deepEqual(findCycles(graph), [['a', 'b', 'c', 'a']]);
});

void test('src/ has no import circle among its runtime imports', async () => {
	const result = await build({
		absWorkingDir: root,
		entryPoints: ENTRIES,
		bundle: true,
		write: false,
		metafile: true,
		platform: 'node',
		format: 'cjs',
		outdir: 'out/import-graph',
		packages: 'external',
		external: ['vscode'],
		logLevel: 'silent',
	});
	const graph = new Map<string, string[]>();
	for (const [file, input] of Object.entries(result.metafile.inputs)) {
		if (file.startsWith('src/')) {
			graph.set(
				file,
				input.imports.map((i) => i.path).filter((p) => p.startsWith('src/')),
			);
		}
	}
	assert.ok(graph.size > 50, `only ${graph.size} files in the graph`);
	assert.deepEqual(findCycles(graph), []);
});
