// `node esbuild.js --watch` speaks the `$esbuild-watch` problem matcher's language (.vscode/tasks.json): one
// "[watch] build started" / "[watch] build finished" pair per rebuild, however many esbuild contexts rebuild, and each
// error as "✘ [ERROR] text" followed by "    file:line:column:".
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { context, type Plugin } from 'esbuild';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script is CommonJS and has no types
const { problemMatcherPlugin } = require('../../../esbuild.js') as {
	problemMatcherPlugin: (opts: { watching: boolean; log: (line: string) => void; logError: (line: string) => void }) => Plugin;
};

let dir: string;
before(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-watch-'));
	writeFileSync(path.join(dir, 'a.ts'), 'export const a: number = 1;\n');
	writeFileSync(path.join(dir, 'b.ts'), 'export const b: number = 2;\n');
	writeFileSync(path.join(dir, 'broken.ts'), 'export const c = ;\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function rebuildTogether(entries: string[], watching: boolean): Promise<string[]> {
	const lines: string[] = [];
	const plugin = problemMatcherPlugin({ watching, log: (l) => lines.push(l), logError: (l) => lines.push(l) });
	// The contexts start one after another; this barrier (after the plugin under test) holds each build until all have
	// started, so they overlap as a watch rebuild does even on a loaded machine.
	let started = 0;
	let allStarted: () => void = () => undefined;
	const everyoneStarted = new Promise<void>((resolve) => (allStarted = resolve));
	const barrier: Plugin = {
		name: 'overlap-barrier',
		setup(build) {
			build.onStart(() => {
				started += 1;
				if (started === entries.length) {
					allStarted();
				}
				return everyoneStarted.then(() => undefined);
			});
		},
	};
	const contexts = await Promise.all(
		entries.map((entry) =>
			context({ entryPoints: [path.join(dir, entry)], bundle: true, write: false, logLevel: 'silent', plugins: [plugin, barrier] }),
		),
	);
	try {
		await Promise.all(contexts.map((ctx) => ctx.rebuild().catch(() => undefined)));
	} finally {
		await Promise.all(contexts.map((ctx) => ctx.dispose()));
	}
	return lines;
}

void test('three contexts rebuilding at once print one started line first and one finished line last', async () => {
	const lines = await rebuildTogether(['a.ts', 'b.ts', 'a.ts'], true);
	assert.deepEqual(lines, ['[watch] build started', '[watch] build finished']);
});

void test('an error is printed between the two lines in the matcher format', async () => {
	const lines = await rebuildTogether(['a.ts', 'broken.ts'], true);
	assert.equal(lines[0], '[watch] build started');
	assert.equal(lines.at(-1), '[watch] build finished');
	assert.equal(lines.length, 4, lines.join('\n'));
	assert.match(lines[1], /^✘ \[ERROR\] Unexpected ";"$/);
	assert.match(lines[2], /^ {4}.*broken\.ts:1:17:$/);
});

void test('a one-off build prints errors only', async () => {
	assert.deepEqual(await rebuildTogether(['a.ts', 'b.ts'], false), []);
});
