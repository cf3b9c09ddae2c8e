// Proves the offline launcher fails when a test fails: runs `run-vscode.mjs` with IOT_OTA_HARNESS_SELFTEST=fail
// (index.ts then adds a deliberately broken assertion) and no UI session, and expects a non-zero exit code with the
// deliberate failure counted. Usage: node test/harness/selftest.mjs   (exit 0 = the harness reports failures correctly)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const DELIBERATE_FAILURE = 'harness self-test deliberately broken assertion';
const launcher = path.join(path.dirname(fileURLToPath(import.meta.url)), 'run-vscode.mjs');

/** Resolves with { ok, detail }. */
export async function runHarnessSelfTest() {
	const results = mkdtempSync(path.join(tmpdir(), 'iot-ota-selftest-'));
	try {
		// Only the activation smoke test runs besides the deliberate failure, to keep this quick.
		const env = {
			...process.env,
			IOT_OTA_HARNESS_SELFTEST: 'fail',
			IOT_OTA_TEST_FILES: 'activation',
			IOT_OTA_UI_CHECKS: '0',
			IOT_OTA_RESULTS_DIR: results,
		};
		const exitCode = await new Promise((resolve) => {
			const child = spawn(process.execPath, [launcher], { env, stdio: ['ignore', 'pipe', 'pipe'] });
			createInterface({ input: child.stdout }).on('line', (line) => console.log(`  [selftest] ${line}`));
			createInterface({ input: child.stderr }).on('line', (line) => console.error(`  [selftest] ${line}`));
			child.on('exit', (code, signal) => resolve(code ?? signal));
		});
		let summary;
		try {
			summary = JSON.parse(readFileSync(path.join(results, 'vscode-tier.json'), 'utf8'));
		} catch {
			return { ok: false, detail: `the launcher exited with ${exitCode} but wrote no vscode-tier.json` };
		}
		const deliberate = summary.mocha?.tests?.find((t) => t.title === DELIBERATE_FAILURE);
		if (exitCode === 0) {
			return { ok: false, detail: 'the launcher exited 0 although a test failed' };
		}
		if (deliberate?.state !== 'failed') {
			return {
				ok: false,
				detail: `the launcher exited ${exitCode}, but not because of the deliberate failure (${summary.error ?? 'not in the results'})`,
			};
		}
		return {
			ok: true,
			detail: `the launcher exited ${exitCode} and reported "${DELIBERATE_FAILURE}" as failed (${summary.passed} passed, ${summary.failed} failed)`,
		};
	} finally {
		rmSync(results, { recursive: true, force: true });
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const { ok, detail } = await runHarnessSelfTest();
	console.log(`harness self-test: ${ok ? 'PASS' : 'FAIL'} — ${detail}`);
	process.exit(ok ? 0 : 1);
}
