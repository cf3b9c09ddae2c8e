// The harness's own rules: which environment variables narrow a run (and the banner that says so), the summary line
// every tier prints, and the selection of UI checks (each can run alone; an unknown name is an error, not a no-op).
import assert from 'node:assert/strict';
import { test } from 'node:test';

interface Filters {
	activeFilters(env: Record<string, string | undefined>): string[];
	partialRunBanner(filters: string[]): string;
	countsLine(counts: { passed: number; failed: number; skipped?: number }): string;
	FILTER_VARIABLES: string[];
}
interface UiChecks {
	UI_CHECK_IDS: string[];
	selectUiChecks(filter?: string): Array<{ id: string; name: string; needs?: string[] }>;
}

const load = async <T>(file: string): Promise<T> => (await import(file)) as T;

void test('each filter variable narrows the run and is named in the banner; none set means no banner', async () => {
	const { activeFilters, partialRunBanner, FILTER_VARIABLES } = await load<Filters>('../../harness/filters.mjs');
	assert.deepEqual(FILTER_VARIABLES, [
		'IOT_OTA_TEST_FILES',
		'IOT_OTA_TEST_GREP',
		'IOT_OTA_UI_CHECKS',
		'IOT_OTA_UI_CHECK',
		'IOT_OTA_MINIMUM_VSCODE_IN_TEST',
		'IOT_OTA_HARNESS_SELFTEST_IN_TEST',
		'UPDATE_GOLDEN',
	]);
	assert.deepEqual(activeFilters({}), []);
	assert.deepEqual(
		activeFilters({ IOT_OTA_UI_CHECKS: '1', IOT_OTA_TEST_FILES: ' ', IOT_OTA_MINIMUM_VSCODE_IN_TEST: '1', UPDATE_GOLDEN: '' }),
		[],
		'UI checks on, a blank list, the minimum-version pass on and an empty UPDATE_GOLDEN narrow nothing',
	);
	assert.equal(partialRunBanner([]), '');
	const env = {
		IOT_OTA_TEST_FILES: 'upload,views',
		IOT_OTA_TEST_GREP: 'cancel',
		IOT_OTA_UI_CHECKS: '0',
		IOT_OTA_UI_CHECK: 'upload',
		IOT_OTA_MINIMUM_VSCODE_IN_TEST: '0',
		IOT_OTA_HARNESS_SELFTEST_IN_TEST: '0',
		UPDATE_GOLDEN: '1',
	};
	const active = activeFilters(env);
	assert.equal(active.length, 7);
	const banner = partialRunBanner(active);
	assert.match(banner, /PARTIAL RUN/);
	for (const [name, value] of Object.entries(env)) {
		assert.ok(banner.includes(`${name}=${value}`), `the banner names ${name}`);
	}
	assert.match(partialRunBanner(activeFilters({ UPDATE_GOLDEN: '1' })), /PARTIAL RUN[^]*UPDATE_GOLDEN=1 \(golden files are rewritten/);
});

void test('every tier reports passed and failed, and skipped whenever any were', async () => {
	const { countsLine } = await load<Filters>('../../harness/filters.mjs');
	assert.equal(countsLine({ passed: 3, failed: 0 }), '3 passed, 0 failed');
	assert.equal(countsLine({ passed: 3, failed: 0, skipped: 0 }), '3 passed, 0 failed');
	assert.equal(countsLine({ passed: 3, failed: 1, skipped: 2 }), '3 passed, 1 failed, 2 skipped');
});

void test('UI checks: unique ids, each runnable alone by id, unknown ids refused with the list of known ones', async () => {
	const { UI_CHECK_IDS, selectUiChecks } = await load<UiChecks>('../../harness/uiChecks.mjs');
	assert.equal(new Set(UI_CHECK_IDS).size, UI_CHECK_IDS.length);
	assert.deepEqual(
		selectUiChecks('').map((c) => c.id),
		UI_CHECK_IDS,
	);
	assert.deepEqual(
		selectUiChecks(' cancel, upload ').map((c) => c.id),
		['upload', 'cancel'],
	);
	assert.deepEqual(selectUiChecks('upload')[0].needs, ['sandbox'], 'the upload check starts the sandbox itself when run alone');
	assert.deepEqual(
		selectUiChecks('ota-failed')[0].needs,
		['sandbox', 'otaJob', 'otaWatch'],
		'the job-ended check makes its job and watch',
	);
	assert.deepEqual(
		selectUiChecks('ota-diagnosis')[0].needs,
		['sandbox', 'otaFleet', 'otaFailedTask'],
		'the diagnosis check makes its failed task',
	);
	assert.throws(() => selectUiChecks('upload,nope'), /unknown check\(s\) nope; known: workbench, .*cancel/);
});
