// `npm test`: build, the unit tier (node:test) and the integration tier (mocha in a real VS Code extension host +
// UI checks; test/harness/run-vscode.mjs picks the route). A tier that cannot run counts as failed.
// It also runs the mocha suite on the oldest VS Code engines.vscode claims (IOT_OTA_VSCODE_TARGET=minimum; ≈ +1 min,
// plus ≈ 2–3 min for its first set-up) and the harness self-test (≈ +40 s, counted as one test).
// Final line: `N passed, N failed` (plus `, N skipped` when any were) summed over all tiers. A filter variable in the
// environment (test/harness/filters.mjs, e.g. IOT_OTA_MINIMUM_VSCODE_IN_TEST=0) narrows the run; a banner says so at
// the start and just above the final line.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_TARGETS, serverTarget, vscodeTierFile } from './harness/config.mjs';
import { activeFilters, countsLine, partialRunBanner } from './harness/filters.mjs';
import { runHarnessSelfTest } from './harness/selftest.mjs';
import { runUnitTests } from './run-unit.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const tiers = [];
const banner = partialRunBanner(activeFilters());

function record(name, counts, note = '') {
	tiers.push(counts);
	console.log(`${name}: ${countsLine(counts)}${note}`);
}

function build() {
	const result = spawnSync(process.execPath, ['esbuild.js'], { cwd: root, stdio: 'inherit' });
	return result.status === 0;
}

/** Runs run-vscode.mjs for a target; resolves with its counts (`mochaOnly`: the suite's, without the UI checks'). */
async function runVscodeTier(skipBuild, target = serverTarget(), { mochaOnly = false } = {}) {
	const tierFile = vscodeTierFile(target);
	rmSync(tierFile, { force: true });
	const env = { ...process.env, IOT_OTA_VSCODE_TARGET: target.name, ...(skipBuild ? { IOT_OTA_SKIP_BUILD: '1' } : {}) };
	const code = await new Promise((resolve) => {
		const child = spawn(process.execPath, [path.join(root, 'test', 'harness', 'run-vscode.mjs')], { cwd: root, stdio: 'inherit', env });
		child.on('exit', (c, signal) => resolve(c ?? signal));
	});
	try {
		const summary = JSON.parse(readFileSync(tierFile, 'utf8'));
		const counts = mochaOnly && summary.mocha ? { ...summary.mocha, skipped: summary.mocha.pending } : summary;
		const failed = counts.failed === 0 && code !== 0 ? 1 : counts.failed;
		return { passed: counts.passed, failed, skipped: counts.skipped ?? 0 };
	} catch {
		console.error(`vscode: the launcher exited with ${code} and wrote no ${path.relative(root, tierFile)}`);
		return { passed: 0, failed: 1, skipped: 0 };
	}
}

if (banner) {
	console.log(banner);
}

console.log('── build (node esbuild.js) ──');
const built = build();
if (!built) {
	record('build', { passed: 0, failed: 1 }, ' (esbuild.js failed; see above)');
}

console.log('── unit tier ──');
record('unit', await runUnitTests());

console.log('── integration tier (VS Code) ──');
record('integration tier (mocha + UI checks)', await runVscodeTier(built));

if (process.env.IOT_OTA_MINIMUM_VSCODE_IN_TEST !== '0' && serverTarget().name !== 'minimum') {
	const { minimum } = SERVER_TARGETS;
	console.log(`── integration tier on the oldest supported VS Code (${minimum.vscode}, mocha) ──`);
	record(`integration tier on VS Code ${minimum.vscode} (mocha)`, await runVscodeTier(built, minimum, { mochaOnly: true }));
}

if (process.env.IOT_OTA_HARNESS_SELFTEST_IN_TEST !== '0') {
	console.log('── harness self-test ──');
	const { ok, detail } = await runHarnessSelfTest();
	record('harness self-test', { passed: ok ? 1 : 0, failed: ok ? 0 : 1 }, ` — ${detail}`);
}

const total = (key) => tiers.reduce((sum, t) => sum + (t[key] ?? 0), 0);
if (banner) {
	console.log(banner);
}
console.log(countsLine({ passed: total('passed'), failed: total('failed'), skipped: total('skipped') }));
process.exit(total('failed') > 0 ? 1 : 0);
