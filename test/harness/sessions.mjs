// Which mocha sessions a run needs and how their results add up: the suites of test/integration run in a one-folder
// workspace, those of its MULTI_ROOT_SUITES folder in a multi-root workspace (code-server route only; index.ts picks
// the files of its session).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { MULTI_ROOT_SUITES, repoRoot } from './config.mjs';

/**
 * Which sessions IOT_OTA_TEST_FILES (as index.ts reads it) needs: `folder` for the suites of test/integration, `multiRoot`
 * for those of its MULTI_ROOT_SUITES folder. With nothing selected the folder session runs (and reports that none ran).
 */
export function sessionsToRun(env = process.env, integrationDir = path.join(repoRoot, 'test', 'integration')) {
	const filters = (env.IOT_OTA_TEST_FILES ?? '')
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean);
	const suites = readdirSync(integrationDir, { recursive: true })
		.map((name) => name.split(path.sep).join('/'))
		.filter((name) => name.endsWith('.test.ts'))
		.map((name) => name.replace(/\.ts$/, '.js'))
		.filter((suite) => filters.length === 0 || filters.some((f) => suite.includes(f)));
	const multiRoot = suites.some((suite) => suite.startsWith(`${MULTI_ROOT_SUITES}/`));
	return { folder: !multiRoot || suites.some((suite) => !suite.startsWith(`${MULTI_ROOT_SUITES}/`)), multiRoot };
}

const NOTHING = { exitCode: 0, counts: { passed: 0, failed: 0, pending: 0, tests: [] } };

/**
 * Two mocha sessions' results as one: counts added, tests listed in order, the worse exit code. IOT_OTA_TEST_GREP may
 * match the tests of one session only: a session where it matched none (index.ts `grepMatchedNone`, counted as a
 * failure there) adds nothing when the other session ran tests; when neither did, both failures stay.
 */
export function mergeSessions(first, second) {
	const [a, b] = [
		first.counts.grepMatchedNone && !second.counts.grepMatchedNone ? NOTHING : first,
		second.counts.grepMatchedNone && !first.counts.grepMatchedNone ? NOTHING : second,
	];
	const counts = {
		passed: a.counts.passed + b.counts.passed,
		failed: a.counts.failed + b.counts.failed,
		pending: a.counts.pending + b.counts.pending,
		tests: [...a.counts.tests, ...b.counts.tests],
	};
	return { exitCode: a.exitCode !== 0 ? a.exitCode : b.exitCode, counts };
}

/**
 * The electron route opens one folder: the suites of MULTI_ROOT_SUITES do not run there. When the selection has any, one
 * skipped entry says so (never counted as passed).
 */
export function withMultiRootNotRun(counts, env = process.env) {
	if (!sessionsToRun(env).multiRoot) {
		return counts;
	}
	const title = `test/integration/${MULTI_ROOT_SUITES}/ suites: not run on the electron route (they need a multi-root workspace; the code-server route runs them)`;
	return { ...counts, pending: counts.pending + 1, tests: [...counts.tests, { title, state: 'pending' }] };
}
