// The environment variables that narrow a test run, and the banner `npm test` and `npm run test:vscode` print when one
// is set: a green run that skipped most tests must not pass for a full one.

const FILTERS = [
	{ name: 'IOT_OTA_TEST_FILES', active: (v) => Boolean(v?.trim()), means: 'only these integration test files run' },
	{ name: 'IOT_OTA_TEST_GREP', active: (v) => Boolean(v), means: 'only integration tests whose title matches run' },
	{ name: 'IOT_OTA_UI_CHECKS', active: (v) => v === '0', means: 'no UI checks run' },
	{ name: 'IOT_OTA_UI_CHECK', active: (v) => Boolean(v?.trim()), means: 'only these UI checks run' },
	{ name: 'IOT_OTA_MINIMUM_VSCODE_IN_TEST', active: (v) => v === '0', means: 'the suite does not run on the oldest supported VS Code' },
	{ name: 'IOT_OTA_HARNESS_SELFTEST_IN_TEST', active: (v) => v === '0', means: 'the harness self-test does not run' },
	// Any non-empty value: the golden tests (test/unit/lifecycle/watchOutput.test.ts) then write what they compare with.
	{
		name: 'UPDATE_GOLDEN',
		active: (v) => Boolean(v),
		means: 'golden files are rewritten from the output, so golden tests pass trivially',
	},
];

export const FILTER_VARIABLES = FILTERS.map((f) => f.name);

/** "IOT_OTA_TEST_FILES=upload (only these integration test files run)" for each narrowing variable that is set. */
export function activeFilters(env = process.env) {
	return FILTERS.filter((f) => f.active(env[f.name])).map((f) => `${f.name}=${env[f.name]} (${f.means})`);
}

/** A banner naming the active filters; empty when the run is complete. */
export function partialRunBanner(filters) {
	if (filters.length === 0) {
		return '';
	}
	const rule = '!'.repeat(100);
	return [rule, '!! PARTIAL RUN: not every test runs. Set by the environment:', ...filters.map((f) => `!!   ${f}`), rule].join('\n');
}

/** "N passed, N failed" plus ", N skipped" when any were skipped: the summary every tier prints. */
export function countsLine({ passed, failed, skipped = 0 }) {
	return `${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}
