// The IoT OTA actions on jobs and tasks: Cancel…, Confirm and Retry Failed (on a job or a selection of tasks) —
// against the sandbox fleet. The package and connection actions are in otaActionsPackages.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/constants';
import type { BulkCommandResult, CancelResult } from '../../src/vscode/ota/actions/control';
import { fleetDevices, lifecycle, registerPackage, tasksIn, writes } from './helpers/fleet';
import { errorTexts, signIn, useSuite } from './helpers/ota';

describe('IoT OTA actions on jobs and tasks', () => {
	const ctx = useSuite({ devices: 40, timeScale: 600 });

	const call = (id: string) => ctx.api.testSeam.calls.filter((c) => c.id === id);

	/** A batch to chosen devices whose tasks wait in CONFIRM. */
	async function confirmJob(deviceNames: string[]): Promise<string> {
		const { sandbox } = ctx;
		const pkg = await registerPackage(sandbox, { needToVerify: false });
		const target = { kind: 'devices' as const, deviceNames };
		const { jobId } = await lifecycle(sandbox).createStaticJob({
			firmwareId: pkg.firmwareId,
			productKey: sandbox.productKey,
			target,
			needConfirm: true,
		});
		await tasksIn(sandbox, jobId, 'CONFIRM', deviceNames.length);
		sandbox.requests.clear();
		return jobId;
	}

	it('Cancel… offers the states with their counts and cancels only the chosen ones', async () => {
		const { api, sandbox } = ctx;
		const jobId = await confirmJob(fleetDevices(1, 5));
		api.testSeam.queue(
			{ id: 'cancel.states', picks: ['Waiting for confirmation (5)'] },
			{ id: 'cancel.confirm', button: 'Cancel Tasks' },
		);
		const result = await vscode.commands.executeCommand<CancelResult>(Commands.cancelTasks, { jobId });
		assert.deepEqual(result?.calls, ['CancelOTATaskByJob'], JSON.stringify(errorTexts(api)));
		assert.deepEqual(call('cancel.states')[0].options, ['Waiting for confirmation (5)']);
		assert.match(call('cancel.confirm')[0].text, new RegExp(`^Cancel 5 tasks of job ${jobId}\\?$`));
		const [sent] = writes(sandbox.requests.entries);
		assert.equal(sent.params.CancelUnconfirmedTask, 'true');
		assert.equal(sent.params.CancelQueuedTask, undefined);
		await tasksIn(sandbox, jobId, 'CANCELED', 5);
	});

	it('Cancel… stops at the modal when it is dismissed', async () => {
		const { api, sandbox } = ctx;
		const jobId = await confirmJob(fleetDevices(6, 2));
		api.testSeam.queue({ id: 'cancel.states', picks: ['Waiting for confirmation (2)'] }, { id: 'cancel.confirm', cancel: true });
		assert.equal(await vscode.commands.executeCommand(Commands.cancelTasks, { jobId }), undefined);
		assert.deepEqual(writes(sandbox.requests.entries), []);
		assert.equal(sandbox.ota.taskCounts(jobId).CONFIRM, 2);
	});

	it('Confirm confirms every waiting task, ten per call', async () => {
		const { api, sandbox } = ctx;
		const jobId = await confirmJob(fleetDevices(8, 12));
		const result = await vscode.commands.executeCommand<BulkCommandResult>(Commands.confirmTasks, { jobId });
		assert.equal(result?.taskIds.length, 12, JSON.stringify(errorTexts(api)));
		assert.deepEqual(
			writes(sandbox.requests.entries).map((r) => r.action),
			['ConfirmOTATask', 'ConfirmOTATask'],
		);
		await tasksIn(sandbox, jobId, 'SUCCEEDED', 12);
	});

	it('Retry Failed retries a chosen failed task, or every failed task of the job', async () => {
		const { api, sandbox } = ctx;
		const failing = fleetDevices(21, 3);
		sandbox.ota.setDevices({ deviceNames: failing }, { behaviour: 'fail' });
		try {
			const pkg = await registerPackage(sandbox, { needToVerify: false });
			const target = { kind: 'devices' as const, deviceNames: failing };
			const { jobId } = await lifecycle(sandbox).createStaticJob({
				firmwareId: pkg.firmwareId,
				productKey: sandbox.productKey,
				target,
			});
			await tasksIn(sandbox, jobId, 'FAILED', 3);
			const [one] = (await lifecycle(sandbox).listTasksByJob({ jobId, status: 'FAILED', pageSize: 1 })).items;
			sandbox.requests.clear();
			const single = await vscode.commands.executeCommand<BulkCommandResult>(Commands.retryFailed, {
				jobId,
				taskId: one.taskId,
				taskStatus: 'FAILED',
			});
			assert.deepEqual(single?.taskIds, [one.taskId], JSON.stringify(errorTexts(api)));
			await tasksIn(sandbox, jobId, 'FAILED', 3);
			const all = await vscode.commands.executeCommand<BulkCommandResult>(Commands.retryFailed, { jobId });
			assert.equal(all?.taskIds.length, 3);
			const sent = writes(sandbox.requests.entries);
			assert.deepEqual(
				sent.map((r) => [r.action, Object.keys(r.params).filter((k) => k.startsWith('TaskId.')).length]),
				[
					['ReupgradeOTATask', 1],
					['ReupgradeOTATask', 3],
				],
			);
		} finally {
			sandbox.ota.setDevices({ deviceNames: failing }, { behaviour: 'ok' });
		}
	});

	it('Retry Failed and Confirm on a multi-selection act only on the chosen rows that qualify, never on the whole job', async () => {
		const { api, sandbox } = ctx;
		const failing = fleetDevices(24, 2);
		const passing = fleetDevices(26, 2);
		sandbox.ota.setDevices({ deviceNames: failing }, { behaviour: 'fail' });
		try {
			const pkg = await registerPackage(sandbox, { needToVerify: false });
			const target = { kind: 'devices' as const, deviceNames: [...failing, ...passing] };
			const { jobId } = await lifecycle(sandbox).createStaticJob({
				firmwareId: pkg.firmwareId,
				productKey: sandbox.productKey,
				target,
			});
			await tasksIn(sandbox, jobId, 'FAILED', 2);
			await tasksIn(sandbox, jobId, 'SUCCEEDED', 2);
			const tasks = async (status: 'FAILED' | 'SUCCEEDED') =>
				(await lifecycle(sandbox).listTasksByJob({ jobId, status, pageSize: 10 })).items.map((t) => ({
					jobId,
					taskId: t.taskId,
					taskStatus: status,
					deviceName: t.deviceName,
				}));
			const [failed] = await tasks('FAILED');
			const [succeeded] = await tasks('SUCCEEDED');
			sandbox.requests.clear();
			const retried = await vscode.commands.executeCommand<BulkCommandResult>(Commands.retryFailed, failed, [failed, succeeded]);
			assert.deepEqual(retried?.taskIds, [failed.taskId], JSON.stringify(errorTexts(api)));
			assert.deepEqual(
				writes(sandbox.requests.entries).map((r) => [r.action, r.params['TaskId.1'], r.params['TaskId.2']]),
				[['ReupgradeOTATask', failed.taskId, undefined]],
			);

			sandbox.requests.clear();
			const confirmed = await vscode.commands.executeCommand<BulkCommandResult>(Commands.confirmTasks, succeeded, [succeeded]);
			assert.equal(confirmed, undefined, 'no task of the selection waits for confirmation');
			assert.match(errorTexts(api).at(-1) ?? '', /None of the chosen tasks waits for confirmation/);
			assert.deepEqual(writes(sandbox.requests.entries), []);

			api.testSeam.reset();
			const other = { ...failed, jobId: 'AnotherJob1', taskId: 'AnotherTask1' };
			assert.equal(await vscode.commands.executeCommand(Commands.retryFailed, failed, [failed, other]), undefined);
			assert.match(errorTexts(api).at(-1) ?? '', /tasks of one job/);
			assert.deepEqual(writes(sandbox.requests.entries), []);
		} finally {
			sandbox.ota.setDevices({ deviceNames: failing }, { behaviour: 'ok' });
		}
	});

	it('Retry Failed and Confirm refuse a mixed or non-qualifying selection before asking for credentials or connecting', async () => {
		const { api, sandbox } = ctx;
		await api.profiles.remove('sandbox-user');
		try {
			const task = (jobId: string, taskId: string, taskStatus: string) => ({ jobId, taskId, taskStatus, deviceName: `d-${taskId}` });
			const failed = task('JobOne1', 'TaskOne1', 'FAILED');
			const ofAnotherJob = task('JobTwo1', 'TaskTwo1', 'FAILED');
			const succeeded = task('JobOne1', 'TaskOne2', 'SUCCEEDED');
			assert.equal(await vscode.commands.executeCommand(Commands.retryFailed, failed, [failed, ofAnotherJob]), undefined);
			assert.equal(await vscode.commands.executeCommand(Commands.confirmTasks, succeeded, [succeeded]), undefined);
			const [mixed, none, ...more] = errorTexts(api);
			assert.match(mixed ?? '', /^Select the tasks of one job, or one job or task group/);
			assert.match(none ?? '', /^None of the chosen tasks waits for confirmation/);
			assert.deepEqual(more, []);
			// Connecting without credentials walks the user through Configure Credentials: its first question must not come.
			assert.deepEqual(
				api.testSeam.calls.filter((c) => c.id.startsWith('credentials.')).map((c) => c.id),
				[],
				'a credential question came before the refusal',
			);
			assert.deepEqual(sandbox.requests.entries, []);
		} finally {
			await signIn(ctx);
		}
	});
});
