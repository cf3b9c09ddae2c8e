// The extension words a diagnosis by its code (zh-cn through vscode.l10n); in English it must say exactly what the
// core says to the CLI, for every cause the core knows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diagnose, diagnosisValues, KNOWN_CAUSES, type DiagnosisInput, type DoctorReport } from '../../../src/core/lifecycle';
import { renderReport } from '../../../src/vscode/ota/actions/diagnosisReport';
import type { OtaTask } from '../../../src/core/lifecycle/types';
import { diagnosisText, WORDED_CODES } from '../../../src/vscode/ota/diagnosisText';
import { plainL10n, type Translator } from '../../../src/vscode/upload/progressFormat';
import { job, task } from '../lifecycle/fakeOta';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const stale = { utcModified: '2025-01-01T11:00:00.000Z' };
const at = (status: OtaTask['status'], extra: Partial<OtaTask> = {}) => task('J1', 7, status, extra);

/** Inputs for each cause, some in two shapes (the optional parts of the wording). */
const CASES: Array<[string, DiagnosisInput]> = [
	['version-mismatch', { task: at('FAILED', { taskDesc: 'x' }), device: { version: '9.9.9' } }],
	['version-mismatch', { task: at('FAILED', { taskDesc: 'report version is not conform' }) }],
	['timeout', { task: at('FAILED', { taskDesc: 'timeout', timeout: '30' }), device: { version: '1.0.0' } }],
	['timeout', { task: at('FAILED', { taskDesc: 'timeout' }), job: job('J1', { timeoutInMinutes: 45 }) }],
	['download-failed', { task: at('FAILED', { taskDesc: 'download failed' }) }],
	['checksum-failed', { task: at('FAILED', { taskDesc: 'md5 check failed' }) }],
	['flash-failed', { task: at('FAILED', { taskDesc: 'flash write error' }) }],
	['busy-elsewhere', { task: at('FAILED'), unfinished: [task('J0', 7, 'IN_PROGRESS')] }],
	['cancelled', { task: at('CANCELED') }],
	['cancelled', { task: at('CANCELED', { taskDesc: 'cancelled by user' }) }],
	['rolled-back', { task: at('SUCCEEDED'), device: { version: '1.0.0' } }],
	['waiting-confirm', { task: at('CONFIRM') }],
	['offline', { task: at('QUEUED'), device: { status: 'OFFLINE' } }],
	['not-pulled', { task: at('QUEUED'), job: job('J1', { needPush: false }) }],
	['never-reports', { task: at('NOTIFIED', stale), now: NOW }],
	['no-version-after-100', { task: at('IN_PROGRESS', { ...stale, progress: '100' }), now: NOW }],
	['no-version-after-100', { task: at('IN_PROGRESS', { ...stale, progress: '100' }), device: { version: '1.0.0' }, now: NOW }],
	['no-timeout', { task: at('IN_PROGRESS', { ...stale, progress: '40' }), now: NOW }],
	['queued', { task: at('QUEUED', stale), now: NOW }],
	['device-failed', { task: at('FAILED', { taskDesc: 'unknown error 17' }) }],
];

void test('in English, the extension words every cause exactly as the core does', () => {
	for (const [code, input] of CASES) {
		const diagnosis = diagnose(input);
		assert.equal(diagnosis?.code, code, JSON.stringify(input));
		assert.deepEqual(diagnosisText(diagnosis, diagnosisValues(input), plainL10n), { cause: diagnosis.cause, fix: diagnosis.fix }, code);
	}
	assert.deepEqual(new Set(CASES.map(([code]) => code)), new Set(KNOWN_CAUSES.map((cause) => cause.code)), 'every cause is tried');
	assert.deepEqual([...WORDED_CODES].sort(), KNOWN_CAUSES.map((cause) => cause.code).sort(), 'every cause is worded');
});

void test('the words come from the translator, with the values in their places', () => {
	const input: DiagnosisInput = { task: at('FAILED', { taskDesc: 'timeout', timeout: '30' }) };
	const diagnosis = diagnose(input);
	assert.ok(diagnosis);
	// A translator that shouts: the message is looked up, the values are not.
	const upper = { t: (message: string, ...args: string[]) => plainL10n.t(message.toUpperCase(), ...args) } as Translator;
	assert.match(
		diagnosisText(diagnosis, diagnosisValues(input), upper).cause,
		/^NO DESTVERSION 1\.2\.0 REPORT WITHIN THE 30-MINUTE TIMEOUT/,
	);
});

void test("the Diagnose report words busy-elsewhere in the user's language: its finding carries the device's unfinished tasks", () => {
	const failed = at('FAILED');
	const unfinished = [task('J0', 7, 'IN_PROGRESS')];
	const diagnosis = diagnose({ task: failed, unfinished });
	assert.equal(diagnosis?.code, 'busy-elsewhere');
	const upper = { t: (message: string, ...args: string[]) => plainL10n.t(message.toUpperCase(), ...args) } as Translator;
	const report: DoctorReport = { job: job('J1'), findings: [{ task: failed, diagnosis, unfinished }], notExamined: 0 };
	const { markdown } = renderReport(report, undefined, upper, diagnosisValues);
	assert.match(markdown, /THE DEVICE ALREADY HAD AN UNFINISHED TASK IN JOB J0/, markdown);
});

void test('busy-elsewhere without the other job keeps the core English', () => {
	const input: DiagnosisInput = { task: at('FAILED'), unfinished: [task('J0', 7, 'IN_PROGRESS')] };
	const diagnosis = diagnose(input);
	assert.ok(diagnosis);
	const values = diagnosisValues({ task: input.task });
	assert.deepEqual(diagnosisText(diagnosis, values, { t: () => 'translated' }), { cause: diagnosis.cause, fix: diagnosis.fix });
});

void test('the Diagnose report shows a hostile task description printable, each lens still on its finding’s heading', () => {
	const failed = at('FAILED', { taskDesc: 'md5 check failed\rforged\u202Eline\u2028x\u009b', deviceName: 'dev1' });
	const diagnosis = diagnose({ task: failed });
	assert.equal(diagnosis?.code, 'checksum-failed');
	const report: DoctorReport = { job: job('J1'), findings: [{ task: failed, diagnosis }], notExamined: 0 };
	const { markdown, lenses } = renderReport(report, undefined, plainL10n, diagnosisValues);
	assert.doesNotMatch(markdown, /[\r\u202E\u2028\u009b]/u);
	assert.match(markdown, /md5 check failed\?forged\?line\?x\?/);
	assert.ok(lenses.length > 0, 'the finding has a fix');
	assert.match(markdown.split(/\r\n|\r|\n|\u2028|\u2029/)[lenses[0].line], /^## dev1 /, 'as an editor splits lines');
});
