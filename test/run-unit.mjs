// Runs every test/unit/**/*.test.ts with node's test runner (TypeScript through tsx).
// Usage: node test/run-unit.mjs [file-or-substring …]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureUnitTierPackages } from './harness/systemPackages.mjs';
import { countsLine } from './harness/filters.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

function findTests(dir) {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			return findTests(full);
		}
		return entry.name.endsWith('.test.ts') ? [full] : [];
	});
}

/** Runs the unit tier; resolves with { passed, failed, skipped }. */
export async function runUnitTests(filters = []) {
	let files = findTests(path.join(root, 'test', 'unit')).sort();
	if (filters.length > 0) {
		files = files.filter((f) => filters.some((p) => f.includes(p)));
	}
	if (files.length === 0) {
		console.error('No unit test files matched.');
		return { passed: 0, failed: 1, skipped: 0 };
	}
	const missing = await ensureUnitTierPackages();
	if (missing && filters.length === 0) {
		console.error(missing);
		return { passed: 0, failed: 1, skipped: 0 };
	}
	if (missing) {
		console.warn(`${missing}\n(running the chosen files anyway)`);
	}
	const scratch = mkdtempSync(path.join(tmpdir(), 'iot-ota-unit-'));
	const countsFile = path.join(scratch, 'counts.json');
	const args = [
		'--import',
		'tsx',
		'--test',
		'--test-concurrency=2',
		'--test-reporter=spec',
		'--test-reporter-destination=stdout',
		`--test-reporter=${path.join(root, 'test', 'support', 'count-reporter.mjs')}`,
		`--test-reporter-destination=${countsFile}`,
		...files,
	];
	const code = await new Promise((resolve) => {
		const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '' } });
		child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
	});
	let counts = {};
	try {
		counts = JSON.parse(readFileSync(countsFile, 'utf8'));
	} catch {
		// The runner died before reporting: count it as a failure below.
	}
	rmSync(scratch, { recursive: true, force: true });
	const passed = counts.pass ?? 0;
	let failed = (counts.fail ?? 0) + (counts.cancelled ?? 0);
	if (code !== 0 && failed === 0) {
		failed = 1;
	}
	return { passed, failed, skipped: (counts.skipped ?? 0) + (counts.todo ?? 0) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const { passed, failed, skipped } = await runUnitTests(process.argv.slice(2));
	console.log(`unit: ${countsLine({ passed, failed, skipped })}`);
	process.exit(failed > 0 ? 1 : 0);
}
