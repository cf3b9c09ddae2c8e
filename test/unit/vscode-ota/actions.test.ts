// The pure parts of the OTA actions: the multi-step runner, Roll Out's draft → core spec, the summary rows of a core
// plan, the diagnosis report with its fixes, the typed-input parsers and the cancel flags (the sandbox fleet settings:
// sandboxFleet.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCancelled } from '../../../src/core/errors';
import {
	cancelFlagsFor,
	diagnosisValues,
	planRollout,
	refuseUnreachable,
	type DoctorReport,
	type FirmwareDetail,
	type TargetPreview,
	type TargetScope,
} from '../../../src/core/lifecycle';
import { Commands } from '../../../src/vscode/constants';
import { fixesFor, renderReport } from '../../../src/vscode/ota/actions/diagnosisReport';
import { localTimeText, parseList, parseMinutes, parseTime } from '../../../src/vscode/ota/actions/inputs';
import { newDraft, specOf, type RolloutDraft } from '../../../src/vscode/ota/actions/rolloutDraft';
import { paramRows, refusalText, summaryRows } from '../../../src/vscode/ota/actions/rolloutSummary';
import { runWizard, type StepOutcome, type WizardStep } from '../../../src/vscode/ota/actions/wizard';
import { plainL10n } from '../../../src/vscode/upload/progressFormat';

const FIRMWARE: FirmwareDetail = {
	firmwareId: 'fw1',
	firmwareName: 'app-1_2_0',
	destVersion: '1.2.0',
	productKey: 'pk1',
	status: 1,
};

void describe('runWizard', () => {
	interface State {
		kind?: string;
		detail?: string;
		log: string[];
	}
	/** Steps answering from a script of outcomes; each records "<name> <step>/<total> back:<canGoBack>". */
	function steps(script: Array<[string, StepOutcome]>): Array<WizardStep<State>> {
		const answer = (name: string) => async (state: State, frame: { step?: number; totalSteps?: number; canGoBack?: boolean }) => {
			state.log.push(`${name} ${frame.step}/${frame.totalSteps} back:${frame.canGoBack}`);
			const next = script.shift();
			assert.equal(next?.[0], name, `asked ${name}`);
			if (next?.[1] === 'next' && name === 'kind') {
				state.kind = state.kind === undefined ? 'simple' : 'detailed';
			}
			return next?.[1];
		};
		return [{ ask: answer('kind') }, { applies: (s) => s.kind === 'detailed', ask: answer('detail') }, { ask: answer('last') }];
	}

	void test('skips steps that do not apply, counts only those that do, and goes back to the step asked before', async () => {
		const state: State = { log: [] };
		const script: Array<[string, StepOutcome]> = [
			['kind', 'next'],
			['last', 'back'],
			['kind', 'next'],
			['detail', 'next'],
			['last', 'next'],
		];
		await runWizard('t', steps(script), state, 'the test');
		assert.deepEqual(state.log, [
			'kind 1/2 back:false',
			'last 2/2 back:true',
			'kind 1/2 back:false',
			'detail 2/3 back:true',
			'last 3/3 back:true',
		]);
	});

	void test('a dismissed step cancels the whole input', async () => {
		const state: State = { log: [] };
		await assert.rejects(runWizard('t', steps([['kind', undefined]]), state, 'the test'), (error) => isCancelled(error));
	});
});

void describe('Roll Out draft → core spec', () => {
	const draft = (change: Partial<RolloutDraft>): RolloutDraft => ({ ...newDraft(FIRMWARE), ...change });

	void test('answers of another target are left out', () => {
		const spec = specOf(
			draft({ target: 'devices', deviceNames: ['d1'], grayPercent: '10', srcVersions: ['1.0.0'], needConfirm: true }),
		);
		assert.deepEqual(spec.target, { kind: 'devices', deviceNames: ['d1'] });
		assert.equal(spec.srcVersions, undefined);
		assert.equal(spec.needConfirm, true);
	});

	void test('more chosen devices than TargetDeviceName takes go up as a device list', () => {
		const names = Array.from({ length: 201 }, (_, i) => `d${i}`);
		assert.equal(specOf(draft({ target: 'devices', deviceNames: names })).target.kind, 'deviceList');
		assert.equal(specOf(draft({ target: 'devices', deviceNames: names.slice(1) })).target.kind, 'devices');
	});

	void test('a dynamic group or "now and later" makes a dynamic spec without a schedule', () => {
		const group = specOf(draft({ target: 'group', group: { groupId: 'g1', groupName: 'G', dynamic: true }, scheduleTime: 1 }));
		assert.deepEqual([group.dynamic, group.target, group.scheduleTime], [true, { kind: 'group', groupId: 'g1' }, undefined]);
		const later = specOf(
			draft({ target: 'dynamic', srcVersions: ['1.0.0'], overwrite: true, retry: { retryInterval: 10, retryCount: 2 } }),
		);
		assert.deepEqual(
			[later.dynamic, later.target, later.srcVersions, later.overwriteMode, later.retryInterval, later.retryCount],
			[true, { kind: 'all' }, ['1.0.0'], 2, 10, 2],
		);
	});
});

void describe('the Roll Out summary', () => {
	void test('lists Start first, every planned call with its exact parameters, the devices and the guard', async () => {
		const plan = await planRollout(
			{ queryFirmware: async () => FIRMWARE },
			{ firmwareId: 'fw1', target: { kind: 'gray', percent: '10' }, timeoutInMinutes: 30 },
		);
		const scope: TargetScope = {
			code: 'gray-counted',
			percent: '10',
			counted: 20,
			productKey: 'pk1',
			destVersion: '1.2.0',
			versions: [],
		};
		const preview: TargetPreview = { count: 2, of: 20, sample: [], unknown: [], upToDate: [], scope };
		const rows = summaryRows(plan, preview, { failurePercent: 20, minFinished: 5 }, plainL10n, 'en');
		assert.equal(rows[0].action, 'start');
		const at = rows.findIndex((row) => row.label === '1. POST CreateOTAStaticUpgradeJob');
		assert.deepEqual(
			rows.slice(at + 1, at + 6).map((row) => `$(${row.icon}) ${row.label}=${row.description}`),
			['FirmwareId=fw1', 'ProductKey=pk1', 'TargetSelection=GRAY', 'GrayPercent=10', 'TimeoutInMinutes=30'].map(
				(p) => `$(symbol-field) ${p}`,
			),
		);
		assert.equal(rows[at + 6].separator, true, 'no other parameter');
		assert.deepEqual(
			rows.filter((row) => row.label.includes('devices')).map((row) => [row.icon, row.label, row.detail]),
			[
				[
					'device-camera-video',
					'2 of 20 devices',
					'10 % of the 20 devices of pk1 not on 1.2.0, rounded down (at least 1), chosen by the platform',
				],
			],
		);
		assert.deepEqual(
			[rows.at(-1)?.icon, rows.at(-1)?.label],
			['eye', 'Watch the job and halt it once 5 tasks finished and 20 % or more of them failed'],
		);
	});
});

void test('Roll Out summary: a batch Start would refuse (named devices none of which it would upgrade) shows the refusal, no Start', async () => {
	const spec = { firmwareId: 'fw1', target: { kind: 'devices' as const, deviceNames: ['dev-1', 'dev-2'] } };
	const plan = await planRollout({ queryFirmware: async () => FIRMWARE }, spec);
	const preview: TargetPreview = {
		count: 0,
		sample: [],
		unknown: [],
		upToDate: ['dev-1', 'dev-2'],
		scope: { code: 'named', unchecked: 0, checked: 200 },
	};
	const refused = refusalText(() => refuseUnreachable(plan, preview), plainL10n);
	assert.equal(
		refused,
		'The batch would upgrade no device: of the devices named, 0 are not in product pk1 and 2 are already on 1.2.0. Nothing was created. Name devices of the product that are not on this version yet.',
	);
	const rows = summaryRows(plan, preview, undefined, plainL10n, 'en', refused);
	assert.deepEqual(
		[rows[0].icon, rows[0].label, rows[0].detail, rows[0].action],
		['error', 'This batch cannot start', refused, undefined],
	);
	assert.equal(
		rows.some((row) => row.action === 'start'),
		false,
	);
	const reached = { ...preview, count: 1, upToDate: ['dev-1'] };
	assert.equal(
		refusalText(() => refuseUnreachable(plan, reached), plainL10n),
		undefined,
	);
	assert.equal(summaryRows(plan, reached, undefined, plainL10n, 'en')[0].action, 'start');
});

void test('a numbered list of parameters is one row; a single entry keeps its name', () => {
	const rows = paramRows({
		action: 'A',
		method: 'POST',
		params: { ProductKey: 'pk', 'TargetDeviceName.1': 'a', 'TargetDeviceName.2': 'b', 'SrcVersion.1': '1.0' },
	});
	assert.deepEqual(
		rows.map((row) => `$(${row.icon}) ${row.label}=${row.description}`),
		['$(symbol-field) ProductKey=pk', '$(symbol-field) TargetDeviceName.1–2=a, b', '$(symbol-field) SrcVersion.1=1.0'],
	);
});

void describe('the diagnosis report', () => {
	const failed = { taskId: 't1', jobId: 'j1', deviceName: 'dev-00013', status: 'FAILED' as const, taskDesc: 'burn failed' };

	void test('each cause offers the fix that acts on it', () => {
		const diagnosis = (code: string) => ({ code, cause: 'c', fix: 'f' });
		const job = { jobId: 'j1', firmwareId: 'fw1' };
		const retry = fixesFor(failed, diagnosis('flash-failed'), job, undefined, plainL10n);
		assert.deepEqual(retry, [
			{
				title: 'Retry',
				command: Commands.retryFailed,
				arg: { jobId: 'j1', taskId: 't1', taskStatus: 'FAILED', deviceName: 'dev-00013' },
			},
		]);
		const register = fixesFor(failed, diagnosis('version-mismatch'), job, '3.0.0', plainL10n);
		assert.deepEqual(
			register.map((f) => [f.command, f.arg]),
			[[Commands.registerImageVersion, { firmwareId: 'fw1', destVersion: '3.0.0', jobId: 'j1' }]],
		);
		assert.deepEqual(fixesFor(failed, diagnosis('version-mismatch'), job, undefined, plainL10n), [], 'no version, no register fix');
		const stuck = { ...failed, status: 'NOTIFIED' as const };
		assert.deepEqual(fixesFor(stuck, diagnosis('never-reports'), job, undefined, plainL10n)[0].arg, {
			jobId: 'j1',
			deviceName: 'dev-00013',
		});
		assert.equal(
			fixesFor({ ...failed, status: 'CONFIRM' }, diagnosis('waiting-confirm'), job, undefined, plainL10n)[0].command,
			Commands.confirmTasks,
		);
	});

	void test('renders one section per finding, with the lenses on its heading and device text escaped', () => {
		const report: DoctorReport = {
			job: {
				jobId: 'j1',
				firmwareId: 'fw1',
				jobStatus: 'COMPLETED',
				jobType: 'UPGRADE_FIRMWARE',
				tags: [],
				srcVersions: [],
				destVersion: '1.2.0',
			},
			findings: [
				{
					task: { ...failed, taskDesc: 'burn *failed* [x](command:evil)' },
					device: { status: 'ONLINE', version: '1.0.0' },
					diagnosis: { code: 'flash-failed', cause: 'the device could not write the image to flash', fix: 'check the partition' },
				},
			],
			notExamined: 3,
		};
		const { markdown, lenses } = renderReport(report, undefined, plainL10n, diagnosisValues);
		const lines = markdown.split('\n');
		assert.equal(lines[lenses[0].line], '## dev-00013 — Failed');
		assert.deepEqual(
			lenses[0].fixes.map((f) => f.title),
			['Retry'],
		);
		assert.ok(markdown.includes('burn \\*failed\\* \\[x\\](command:evil)'), markdown);
		assert.ok(markdown.includes('- **Cause** the device could not write the image to flash'));
		assert.ok(markdown.includes('3 more failed or open tasks were not examined.'));
	});
});

void describe('typed inputs', () => {
	void test('numbers, lists and local times', () => {
		assert.deepEqual([parseMinutes(''), parseMinutes(' 30 '), parseMinutes('3.5')], [undefined, 30, Number.NaN]);
		assert.deepEqual(parseList(' 1.0.0, 1.0.1  1.0.2,,'), ['1.0.0', '1.0.1', '1.0.2']);
		const local = new Date(2026, 4, 1, 2, 30).getTime();
		assert.equal(parseTime('2026-05-01 02:30'), local);
		assert.equal(localTimeText(local), '2026-05-01 02:30');
		assert.equal(parseTime('2026-05-01T02:30:00Z'), Date.UTC(2026, 4, 1, 2, 30));
		assert.deepEqual([parseTime(''), parseTime('2026-02-30 10:00'), parseTime('tomorrow')], [undefined, Number.NaN, Number.NaN]);
	});
});

void describe('cancelFlagsFor (core)', () => {
	void test('QUEUED alone keeps the CONFIRM tasks; CONFIRM adds CancelUnconfirmedTask', () => {
		assert.deepEqual(cancelFlagsFor(['QUEUED']), {
			queued: true,
			notified: undefined,
			inProgress: undefined,
			unconfirmed: false,
			scheduled: undefined,
		});
		assert.deepEqual(cancelFlagsFor(['CONFIRM', 'IN_PROGRESS'], true), {
			queued: undefined,
			notified: undefined,
			inProgress: true,
			unconfirmed: true,
			scheduled: true,
		});
	});
});
