// `npm test`: build, the unit tier (node:test) and the integration tier (mocha in a real VS Code extension host +
// UI checks, offline via the VS Code server; test/harness/run-vscode.mjs). A tier that cannot run counts as failed.
// Final line: `N passed, N failed` summed over both tiers.
// Env: IOT_OTA_HARNESS_SELFTEST_IN_TEST=1 also runs the harness self-test (≈ +40 s) and counts it as one test.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { vscodeTierFile } from './harness/config.mjs';
import { runHarnessSelfTest } from './harness/selftest.mjs';
import { runUnitTests } from './run-unit.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tiers = [];

function record(name, passed, failed, note = '') {
	tiers.push({ name, passed, failed });
	console.log(`${name}: ${passed} passed, ${failed} failed${note}`);
}

function build() {
	const result = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'inherit' });
	return result.status === 0;
}

async function runVscodeTier(skipBuild) {
	rmSync(vscodeTierFile, { force: true });
	const env = { ...process.env, ...(skipBuild ? { IOT_OTA_SKIP_BUILD: '1' } : {}) };
	const code = await new Promise((resolve) => {
		const child = spawn(process.execPath, [path.join(root, 'test', 'harness', 'run-vscode.mjs')], { cwd: root, stdio: 'inherit', env });
		child.on('exit', (c, signal) => resolve(c ?? signal));
	});
	try {
		const summary = JSON.parse(readFileSync(vscodeTierFile, 'utf8'));
		const failed = summary.failed === 0 && code !== 0 ? 1 : summary.failed;
		return { passed: summary.passed, failed };
	} catch {
		console.error(`vscode: the launcher exited with ${code} and wrote no ${path.relative(root, vscodeTierFile)}`);
		return { passed: 0, failed: 1 };
	}
}

console.log('── build (node esbuild.js) ──');
const built = build();
if (!built) {
	record('build', 0, 1, ' (esbuild.js failed; see above)');
}

console.log('── unit tier ──');
const unit = await runUnitTests();
record('unit', unit.passed, unit.failed, unit.skipped ? `, ${unit.skipped} skipped` : '');

console.log('── integration tier (VS Code server + Chromium) ──');
const vscode = await runVscodeTier(built);
record('integration tier (mocha + UI checks)', vscode.passed, vscode.failed);

if (process.env.IOT_OTA_HARNESS_SELFTEST_IN_TEST === '1') {
	console.log('── harness self-test ──');
	const { ok, detail } = await runHarnessSelfTest();
	record('harness self-test', ok ? 1 : 0, ok ? 0 : 1, ` — ${detail}`);
}

const passed = tiers.reduce((sum, t) => sum + t.passed, 0);
const failed = tiers.reduce((sum, t) => sum + t.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
