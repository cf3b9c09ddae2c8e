// Verify on Devices… and Roll Out… against the sandbox fleet: the device pick, refused input, every step of Roll Out
// cancelled, Back, the summary equal to the core's plan, the request log showing no write before Start, and Cancel on
// the progress notification of the device list.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { planRollout, previewTargets } from '../../src/core/lifecycle';
import type { LoggedRequest } from '../../src/sandbox';
import { Commands, StateKeys } from '../../src/vscode/constants';
import type { RolloutResult } from '../../src/vscode/ota/actions/rollout';
import type { VerifyResult } from '../../src/vscode/ota/actions/verify';
import type { SeamAnswer } from '../extension/seam';
import type { IotOtaTestApi } from '../extension/testApi';
import { lifecycle, registerPackage, tasksIn, writes } from './helpers/fleet';
import { assertNoSeamErrors, errorTexts, useSuite, waitFor } from './helpers/ota';
import { watchEvent } from './helpers/otaFleet';

const GRAY_PATH: SeamAnswer[] = [
	{ id: 'rollout.target', pick: 'A gray percentage' },
	{ id: 'rollout.grayPercent', input: '50' },
	{ id: 'rollout.srcVersions', input: '' },
	{ id: 'rollout.scheduleStart', input: '' },
	{ id: 'rollout.scheduleFinish', input: '' },
	{ id: 'rollout.retry', pick: 'No automatic retry' },
	{ id: 'rollout.timeout', input: '' },
	{ id: 'rollout.rate', input: '' },
	{ id: 'rollout.options', picks: [] },
	{ id: 'rollout.haltGuard', input: '' },
	{ id: 'rollout.summary', pick: (item) => item.label.endsWith('Start the rollout') },
];

const isStart = (item: vscode.QuickPickItem) => item.label.endsWith('Start the rollout');

/** Holds the extension's writes of its saved watches until `until` settles; returns the undo. */
function holdWatchSaves(api: IotOtaTestApi, until: Promise<unknown>): () => void {
	const state = api.context.workspaceState;
	const update = state.update;
	const write = (key: string, value: unknown) => update.call(state, key, value);
	state.update = (key, value) => {
		const written = () => write(key, value);
		return key === StateKeys.watchedJobs ? until.then(written, written) : written();
	};
	return () => (state.update = update);
}

describe('IoT OTA verify and roll out', () => {
	const ctx = useSuite({ devices: 20, timeScale: 600 });

	const call = (id: string) => ctx.api.testSeam.calls.filter((c) => c.id === id);

	it('verifies a package on devices picked with their online state and version, then offers to watch the job', async () => {
		const { api, sandbox } = ctx;
		const pkg = await registerPackage(sandbox, { needToVerify: true });
		api.testSeam.queue(
			{ id: 'verify.devices', picks: ['dev-00001', 'dev-00002', 'dev-00003'] },
			{ id: 'verify.timeout', input: '30' },
			{ id: 'verify.started', button: 'Watch Job' },
		);
		const result = await vscode.commands.executeCommand<VerifyResult>(Commands.verifyOnDevices, { firmwareId: pkg.firmwareId });
		assert.ok(result?.jobId, JSON.stringify(errorTexts(api)));
		const [devices] = call('verify.devices');
		assert.equal(devices.step, '1/2');
		assert.equal(devices.options?.length, 20, 'every device of the product is offered');
		assert.match(devices.details?.[devices.options?.indexOf('dev-00001') ?? -1] ?? '', /Online · 1\.0\.0/);
		const [created] = sandbox.requests.entries.filter((r) => r.action === 'CreateOTAVerifyJob');
		assert.deepEqual(
			[created.params['TargetDeviceName.1'], created.params['TargetDeviceName.2'], created.params['TargetDeviceName.3']],
			['dev-00001', 'dev-00002', 'dev-00003'],
		);
		assert.equal(created.params.TimeoutInMinutes, '30');
		assert.deepEqual(call('verify.started')[0].options, ['Watch Job', 'Copy JobId']);
		await waitFor(() => api.ota.watches.isWatched(result.jobId), 'the verification job to be watched');
		await tasksIn(sandbox, result.jobId, 'SUCCEEDED', 3);
		await api.ota.watches.unwatch(result.jobId);
	});

	it('refuses 11 verification devices with the core limit and sends nothing', async () => {
		const { api, sandbox } = ctx;
		const pkg = await registerPackage(sandbox, { needToVerify: true });
		const eleven = Array.from({ length: 11 }, (_, i) => `dev-${String(i + 1).padStart(5, '0')}`);
		api.testSeam.queue({ id: 'verify.devices', picks: eleven });
		assert.equal(await vscode.commands.executeCommand(Commands.verifyOnDevices, { firmwareId: pkg.firmwareId }), undefined);
		assert.equal(call('verify.devices')[0].validation, 'Verification devices: 1 to 10 are allowed (got 11).');
		assert.deepEqual(writes(sandbox.requests.entries), []);
	});

	it('rolls out: the summary shows the core plan and devices, and nothing is written before Start', async () => {
		const { api, sandbox } = ctx;
		const pkg = await registerPackage(sandbox, { needToVerify: false });
		let beforeStart: LoggedRequest[] | undefined;
		const summary: SeamAnswer = {
			id: 'rollout.summary',
			pick: (item) => {
				beforeStart ??= [...sandbox.requests.entries];
				return isStart(item);
			},
		};
		api.testSeam.queue(...GRAY_PATH.slice(0, -1), summary);
		const result = await vscode.commands.executeCommand<RolloutResult>(Commands.rollOut, { firmwareId: pkg.firmwareId });
		assert.ok(result?.jobId, JSON.stringify(errorTexts(api)));
		assert.deepEqual(
			api.testSeam.calls.filter((c) => c.kind.startsWith('step')).map((c) => c.step),
			Array.from({ length: 11 }, (_, i) => `${i + 1}/11`),
		);

		const plan = await planRollout(lifecycle(sandbox), { firmwareId: pkg.firmwareId, target: { kind: 'gray', percent: '50' } });
		const preview = await previewTargets(lifecycle(sandbox), plan);
		const [shown] = call('rollout.summary');
		plan.calls.forEach((planned, index) => {
			const row = shown.options?.indexOf(`${index + 1}. ${planned.method} ${planned.action}`) ?? -1;
			assert.ok(row >= 0, `the summary lists call ${planned.action}: ${JSON.stringify(shown.options)}`);
			const params = Object.entries(planned.params);
			const rows = { from: row + 1, to: row + 1 + params.length };
			assert.deepEqual(
				shown.options?.slice(rows.from, rows.to),
				params.map(([name]) => name),
			);
			assert.deepEqual(
				shown.icons?.slice(rows.from, rows.to),
				params.map(() => 'symbol-field'),
			);
			assert.deepEqual(
				shown.details?.slice(rows.from, rows.to),
				params.map(([, value]) => value),
			);
		});
		const devices = shown.options?.indexOf(`${preview.count} of ${preview.of} devices`) ?? -1;
		assert.ok(devices >= 0, JSON.stringify(shown.options));
		assert.equal(shown.icons?.[devices], 'device-camera-video');
		assert.deepEqual([preview.count, preview.of], [10, 20]);

		assert.ok(beforeStart, 'the summary was shown');
		assert.deepEqual(writes(beforeStart), [], 'no write call before Start');
		assert.deepEqual(
			writes(sandbox.requests.entries).map((r) => r.action),
			['CreateOTAStaticUpgradeJob'],
		);
		const [created] = writes(sandbox.requests.entries);
		assert.deepEqual(created.params, { ...plan.calls[0].params, RegionId: created.params.RegionId });
		assert.deepEqual(result.calls, ['CreateOTAStaticUpgradeJob']);
		assert.deepEqual(call('rollout.started')[0].options, ['Watch Job', 'Copy JobId']);
		await tasksIn(sandbox, result.jobId, 'SUCCEEDED', 10);
	});

	it('cancels at every step of Roll Out without sending a write', async () => {
		const { api, sandbox } = ctx;
		const pkg = await registerPackage(sandbox, { needToVerify: false });
		for (let step = 0; step < GRAY_PATH.length; step++) {
			api.testSeam.reset();
			sandbox.requests.clear();
			api.testSeam.queue(...GRAY_PATH.slice(0, step), { id: GRAY_PATH[step].id, cancel: true });
			assert.equal(await vscode.commands.executeCommand(Commands.rollOut, { firmwareId: pkg.firmwareId }), undefined);
			assert.equal(api.testSeam.pending(), 0);
			assert.equal(api.testSeam.calls.at(-1)?.id, GRAY_PATH[step].id, `step ${step + 1} was the last one asked`);
			assert.deepEqual(writes(sandbox.requests.entries), [], `cancelled at step ${step + 1}: nothing written`);
			assert.deepEqual(errorTexts(api), [], 'a cancel is not an error');
		}
		assert.equal(sandbox.ota.listJobsByFirmware(pkg.firmwareId).length, 0);
	});

	it('goes back a step with the earlier answer prefilled, and refuses a bad gray percentage', async () => {
		const { api, sandbox } = ctx;
		const pkg = await registerPackage(sandbox, { needToVerify: false });
		api.testSeam.queue(
			GRAY_PATH[0],
			{ id: 'rollout.grayPercent', input: '10' },
			{ id: 'rollout.srcVersions', back: true },
			{ id: 'rollout.grayPercent', input: '150' },
		);
		assert.equal(await vscode.commands.executeCommand(Commands.rollOut, { firmwareId: pkg.firmwareId }), undefined);
		const gray = call('rollout.grayPercent');
		assert.equal(gray.length, 2);
		assert.equal(gray[1].value, '10', 'the first answer is prefilled');
		assert.equal(gray[1].step, '2/11');
		assert.equal(call('rollout.srcVersions')[0].canGoBack, true);
		assert.match(gray[1].validation ?? '', /^The gray percentage must be more than 0 and at most 100/);
		assert.deepEqual(writes(sandbox.requests.entries), []);
	});

	it('a dynamic group skips the version and schedule steps, and Cancel… stops its strategy', async () => {
		const { api, sandbox } = ctx;
		const pkg = await registerPackage(sandbox, { needToVerify: false });
		api.testSeam.queue(
			{ id: 'rollout.target', pick: 'A device group' },
			{ id: 'rollout.group', pick: 'sandbox-tenth' },
			...GRAY_PATH.slice(5),
		);
		const result = await vscode.commands.executeCommand<RolloutResult>(Commands.rollOut, { firmwareId: pkg.firmwareId });
		assert.deepEqual(result?.calls, ['CreateOTADynamicUpgradeJob'], JSON.stringify(errorTexts(api)));
		assert.deepEqual(
			api.testSeam.calls.filter((c) => c.kind.startsWith('step')).map((c) => `${c.id} ${c.step}`),
			// The total counts the steps that apply to the answers so far: 11 for the preset gray target, 10 for a group
			// (a static one could be scheduled), 8 once the chosen group is dynamic.
			['target 1/11', 'group 2/10', 'retry 3/8', 'timeout 4/8', 'rate 5/8', 'options 6/8', 'haltGuard 7/8', 'summary 8/8'].map(
				(step) => `rollout.${step}`,
			),
		);
		const [created] = writes(sandbox.requests.entries);
		assert.equal(created.params.GroupType, 'LINK_PLATFORM_DYNAMIC');

		api.testSeam.reset();
		sandbox.requests.clear();
		api.testSeam.queue({ id: 'cancel.states', picks: ['Stop matching new devices'] }, { id: 'cancel.confirm', button: 'Cancel Tasks' });
		const cancelled = await vscode.commands.executeCommand<{ calls: string[] }>(Commands.cancelTasks, { jobId: result.jobId });
		assert.deepEqual(cancelled?.calls, ['CancelOTAStrategyByJob'], JSON.stringify(errorTexts(api)));
		assert.equal(call('cancel.confirm')[0].text, `Stop job ${result.jobId} from matching new devices?`);
		assert.deepEqual(
			writes(sandbox.requests.entries).map((r) => r.action),
			['CancelOTAStrategyByJob'],
		);
	});

	it('with a halt guard, starts watching the job with that guard, and says so also when the job ends before Watch Job returns', async function () {
		this.timeout(150_000);
		const { api, sandbox } = ctx;
		const pkg = await registerPackage(sandbox, { needToVerify: false });
		const path = GRAY_PATH.map((answer) => (answer.id === 'rollout.haltGuard' ? { id: answer.id, input: '20:5' } : answer));
		api.testSeam.queue(...path);
		const startedWith: unknown[] = [];
		const listener = api.ota.watches.onDidChange((e) => e.type === 'started' && startedWith.push(e.snapshot.watched.guard));
		// The race: the watch's save, between its start and Watch Job's return, is written only once the job (and with it the
		// watch) has ended.
		const ended = watchEvent(api, (e) => e.type === 'ended', 'the watched job to end', 120_000);
		const released = holdWatchSaves(api, ended);
		let result: RolloutResult | undefined;
		try {
			result = await vscode.commands.executeCommand<RolloutResult>(Commands.rollOut, { firmwareId: pkg.firmwareId });
		} finally {
			released();
			listener.dispose();
		}
		assert.equal((await ended).snapshot.outcome, 'succeeded');
		assert.equal(api.ota.watches.isWatched(result?.jobId ?? ''), false, 'the watch ended before Roll Out returned');
		assert.equal(result?.watched, true, JSON.stringify(errorTexts(api)));
		assert.deepEqual(startedWith, [{ failurePercent: 20, minFinished: 5 }]);
		assert.match(call('rollout.started')[0]?.text ?? '', /halt it once/, 'the guard is claimed: its watch started');
		assert.ok(call('rollout.summary')[0].options?.some((label) => label.includes('halt it once 5 tasks finished and 20 %')));
	});

	it('with a halt guard whose watch fails to start, says the guard is not active and offers Watch Job with it', async () => {
		const { api, sandbox } = ctx;
		const pkg = await registerPackage(sandbox, { needToVerify: false });
		const path = GRAY_PATH.map((answer) => (answer.id === 'rollout.haltGuard' ? { id: answer.id, input: '20:5' } : answer));
		api.testSeam.queue(...path, { id: 'rollout.started', cancel: true });
		sandbox.faults.add({ target: 'api', action: 'QueryOTAJob', kind: 'status', status: 400, code: 'iot.ota.InvalidJobId' });
		try {
			const result = await vscode.commands.executeCommand<RolloutResult>(Commands.rollOut, { firmwareId: pkg.firmwareId });
			assert.equal(result?.watched, false, JSON.stringify(errorTexts(api)));
			const [started] = call('rollout.started');
			assert.ok(started, 'the rollout is announced');
			assert.doesNotMatch(started.text, /halt it once/, 'no guard is claimed');
			assert.match(started.text, /not watched, so the halt guard does not act/);
			assert.deepEqual(started.options, ['Watch Job', 'Copy JobId']);
		} finally {
			sandbox.faults.clear();
		}
	});

	it('Cancel on the device list’s progress notification ends Verify and Roll Out, with no device pick and nothing created', async () => {
		const { api, sandbox } = ctx;
		const unverified = await registerPackage(sandbox, { needToVerify: true });
		const ready = await registerPackage(sandbox, { needToVerify: false });
		const runs = [
			{ command: Commands.verifyOnDevices, firmwareId: unverified.firmwareId, answers: [], pick: 'verify.devices' },
			{
				command: Commands.rollOut,
				firmwareId: ready.firmwareId,
				answers: [{ id: 'rollout.target', pick: 'Chosen devices' }],
				pick: 'rollout.devices',
			},
		];
		for (const run of runs) {
			api.testSeam.reset();
			sandbox.requests.clear();
			api.testSeam.queue(...run.answers, { id: 'ota.deviceList', cancel: true });
			assert.equal(await vscode.commands.executeCommand(run.command, { firmwareId: run.firmwareId }), undefined);
			const reading = call('ota.deviceList');
			assert.equal(reading.length, 1, run.command);
			assert.equal(reading[0].text, `Reading the devices of ${sandbox.productKey}…`);
			assert.deepEqual(reading[0].reports, ['20 read'], 'the notification counts the devices read');
			assert.equal(reading[0].cancelled, true);
			assert.deepEqual(call(run.pick), [], `${run.command}: the device pick came up after Cancel`);
			assert.deepEqual(api.testSeam.messages(), [], `${run.command}: a cancel is silent`);
			assert.deepEqual(writes(sandbox.requests.entries), [], `${run.command}: something was created`);
			assert.equal(api.testSeam.pending(), 0);
			assertNoSeamErrors(api);
		}
	});
});
