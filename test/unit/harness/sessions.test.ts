// The two mocha sessions of the VS Code tier (test/harness/sessions.mjs): which run for a file selection, how their
// counts add up (a grep that matches one session's tests only is no failure of the other), and the electron route's
// honest entry for the multi-root suites it cannot run.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

interface Counts {
	passed: number;
	failed: number;
	pending: number;
	tests: Array<{ title: string; state: string }>;
	grepMatchedNone?: boolean;
}
interface Session {
	exitCode: number;
	counts: Counts;
}
interface Sessions {
	sessionsToRun(env: Record<string, string | undefined>, integrationDir?: string): { folder: boolean; multiRoot: boolean };
	mergeSessions(first: Session, second: Session): Session;
	withMultiRootNotRun(counts: Counts, env: Record<string, string | undefined>): Counts;
}

const SESSIONS = '../../harness/sessions.mjs';
const load = async (): Promise<Sessions> => (await import(SESSIONS)) as Sessions;

function integrationTree(): { dir: string; dispose: () => void } {
	const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-sessions-'));
	mkdirSync(path.join(dir, 'multiRoot'));
	mkdirSync(path.join(dir, 'helpers'));
	writeFileSync(path.join(dir, 'upload.test.ts'), '');
	writeFileSync(path.join(dir, 'helpers', 'ota.ts'), '');
	writeFileSync(path.join(dir, 'multiRoot', 'folderConnection.test.ts'), '');
	return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

void test('the sessions follow IOT_OTA_TEST_FILES: both with no selection, the multi-root one only for its files', async () => {
	const { sessionsToRun } = await load();
	const tree = integrationTree();
	try {
		const run = (files?: string) => sessionsToRun({ IOT_OTA_TEST_FILES: files }, tree.dir);
		assert.deepEqual(run(), { folder: true, multiRoot: true });
		assert.deepEqual(run('upload'), { folder: true, multiRoot: false });
		assert.deepEqual(run('multiRoot'), { folder: false, multiRoot: true });
		assert.deepEqual(run('folderConnection, upload'), { folder: true, multiRoot: true });
		assert.deepEqual(run('nothing-matches'), { folder: true, multiRoot: false }, 'the folder session reports that none ran');
	} finally {
		tree.dispose();
	}
});

const session = (passed: number, failed: number, extra: Partial<Counts> = {}): Session => ({
	exitCode: failed > 0 ? 1 : 0,
	counts: {
		passed,
		failed,
		pending: 0,
		tests: [
			...Array.from({ length: passed }, (_, i) => ({ title: `p${i}`, state: 'passed' })),
			...Array.from({ length: failed }, (_, i) => ({ title: `f${i}`, state: 'failed' })),
		],
		...extra,
	},
});

void test('two sessions add up: counts, tests in order, the failing exit code', async () => {
	const { mergeSessions } = await load();
	const merged = mergeSessions(session(3, 0, { pending: 1 }), session(2, 1));
	assert.equal(merged.counts.passed, 5);
	assert.equal(merged.counts.failed, 1);
	assert.equal(merged.counts.pending, 1);
	assert.deepEqual(
		merged.counts.tests.map((t) => t.title),
		['p0', 'p1', 'p2', 'p0', 'p1', 'f0'],
	);
	assert.equal(merged.exitCode, 1);
	assert.equal(mergeSessions(session(1, 1), session(1, 0)).exitCode, 1);
});

void test('a grep that matches the tests of one session only fails neither; one that matches none fails the run', async () => {
	const { mergeSessions } = await load();
	const none = () => session(0, 1, { grepMatchedNone: true });
	const oneSided = mergeSessions(session(2, 0), none());
	assert.deepEqual([oneSided.counts.passed, oneSided.counts.failed, oneSided.exitCode], [2, 0, 0]);
	const otherSide = mergeSessions(none(), session(1, 1));
	assert.deepEqual([otherSide.counts.passed, otherSide.counts.failed, otherSide.exitCode], [1, 1, 1]);
	const neither = mergeSessions(none(), none());
	assert.deepEqual([neither.counts.passed, neither.counts.failed, neither.exitCode], [0, 2, 1]);
	const withoutGrep = mergeSessions(session(2, 0), session(0, 1));
	assert.equal(withoutGrep.counts.failed, 1, 'a session where no test ran without a grep still fails');
});

void test('the electron route lists the multi-root suites as one skipped entry, never as passed', async () => {
	const { withMultiRootNotRun } = await load();
	const counts = session(4, 0).counts;
	const all = withMultiRootNotRun(counts, {});
	assert.deepEqual([all.passed, all.failed, all.pending], [4, 0, 1]);
	const entry = all.tests.at(-1);
	assert.equal(entry?.state, 'pending');
	assert.match(entry?.title ?? '', /multiRoot\/ suites: not run on the electron route/);
	assert.deepEqual(withMultiRootNotRun(counts, { IOT_OTA_TEST_FILES: 'upload' }), counts, 'none selected: nothing to say');
});
