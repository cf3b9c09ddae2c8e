// The success paths of the control commands (cancel, retry, confirm, doctor) as users run them, against a scripted
// local IoT responder: the exact calls made, and what is printed. The read commands are in lifecycleReads.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { okBody } from '../core-api/stubServer';
import { parseJsonOutput } from './cliHarness';
import { actions, called, JOB, repeated, taskItems, useLifecycleStub } from './lifecycleStub';

const t = useLifecycleStub('iot-ota-lifecycle-control-');
const { handlers, run, scriptJob } = t;
/** The follow-up line a run suggests: with the run's connection flag (its --endpoint). */
const watchLine = (jobId: string): string => `iot-ota watch ${jobId} --endpoint ${t.stub.url}`;

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `T${from + i}`);

void describe('cancel', () => {
	void test('--queued alone cancels QUEUED tasks only: CancelUnconfirmedTask=false is sent', async () => {
		scriptJob('IN_PROGRESS', { QUEUED: 2, CONFIRM: 1 });
		const result = await run(['cancel', 'J1', '--queued']);
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual(actions(result.requests), ['CancelOTATaskByJob']);
		const { JobId, CancelQueuedTask, CancelUnconfirmedTask, CancelNotifiedTask, CancelInProgressTask } = result.requests[0].params;
		assert.deepEqual(
			{ JobId, CancelQueuedTask, CancelUnconfirmedTask, CancelNotifiedTask, CancelInProgressTask },
			{
				JobId: 'J1',
				CancelQueuedTask: 'true',
				CancelUnconfirmedTask: 'false',
				CancelNotifiedTask: undefined,
				CancelInProgressTask: undefined,
			},
		);
		assert.equal(result.stdout, `Cancelled in job J1 (CancelOTATaskByJob). See the result: ${watchLine('J1')}\n`);
	});

	void test('--strategy --in-progress --devices --json: strategy first, then states, then the devices of the job', async () => {
		scriptJob('IN_PROGRESS', { IN_PROGRESS: 2 });
		handlers.CancelOTAStrategyByJob = () => okBody();
		handlers.CancelOTATaskByDevice = () => okBody();
		const result = await run(['cancel', 'J1', '--strategy', '--in-progress', '--devices', 'dev-1,dev-2', '--json']);
		assert.equal(result.code, 0, result.stderr);
		const calls = ['CancelOTAStrategyByJob', 'CancelOTATaskByJob', 'CancelOTATaskByDevice'];
		assert.deepEqual(parseJsonOutput(result), { jobId: 'J1', cancelled: true, calls });
		assert.deepEqual(actions(result.requests), [
			'CancelOTAStrategyByJob',
			'CancelOTATaskByJob',
			'QueryOTAJob',
			'CancelOTATaskByDevice',
		]);
		assert.equal(called(result.requests, 'CancelOTATaskByJob')[0].CancelInProgressTask, 'true');
		const [byDevice] = called(result.requests, 'CancelOTATaskByDevice');
		assert.deepEqual(
			[byDevice.JobId, byDevice.FirmwareId, byDevice.ProductKey, repeated(byDevice, 'DeviceName')],
			['J1', 'F1', 'pk1', ['dev-1', 'dev-2']],
		);
	});
});

void describe('retry and confirm', () => {
	void test('retry: every FAILED task, in ReupgradeOTATask calls of at most 10', async () => {
		scriptJob('IN_PROGRESS', { FAILED: 23, SUCCEEDED: 2 });
		handlers.ReupgradeOTATask = () => okBody();
		const result = await run(['retry', 'J1']);
		assert.equal(result.code, 0, result.stderr);
		const calls = called(result.requests, 'ReupgradeOTATask');
		assert.deepEqual(
			calls.map((params) => repeated(params, 'TaskId')),
			[range(1, 10), range(11, 20), range(21, 23)],
		);
		assert.ok(calls.every((params) => params.JobId === 'J1'));
		assert.equal(result.stdout, `Retrying 23 tasks of job J1.\nWatch it: ${watchLine('J1')}\n`);
	});

	void test('retry with no failed task calls nothing and says so', async () => {
		scriptJob('COMPLETED', { SUCCEEDED: 3 });
		const result = await run(['retry', 'J1', '--failed']);
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual(called(result.requests, 'ReupgradeOTATask'), []);
		assert.equal(result.stdout, 'Job J1 has no failed task to retry.\n');
	});

	void test('confirm --tasks --json: the named tasks in ConfirmOTATask calls of at most 10', async () => {
		handlers.ConfirmOTATask = () => okBody();
		const ids = range(1, 12);
		const result = await run(['confirm', 'J1', '--tasks', ids.join(','), '--json']);
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual(
			called(result.requests, 'ConfirmOTATask').map((params) => repeated(params, 'TaskId')),
			[range(1, 10), range(11, 12)],
		);
		assert.deepEqual(parseJsonOutput(result), { jobId: 'J1', confirmed: 12, taskIds: ids });
	});

	void test('confirm: every task of the job in CONFIRM by default', async () => {
		scriptJob('IN_PROGRESS', { CONFIRM: 3, QUEUED: 1 });
		handlers.ConfirmOTATask = () => okBody();
		const result = await run(['confirm', 'J1']);
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual(
			called(result.requests, 'ConfirmOTATask').map((params) => repeated(params, 'TaskId')),
			[range(1, 3)],
		);
		assert.equal(result.stdout, `Confirmed 3 tasks of job J1.\nWatch it: ${watchLine('J1')}\n`);
	});

	void test('a later call failing says how many tasks were already done (exit 4)', async () => {
		scriptJob('IN_PROGRESS', { FAILED: 15 });
		let calls = 0;
		handlers.ReupgradeOTATask = () =>
			++calls === 1
				? okBody()
				: { status: 400, json: { RequestId: 'R2', Success: false, Code: 'iot.ota.Busy', ErrorMessage: 'busy' } };
		const result = await run(['retry', 'J1']);
		assert.equal(result.code, 4, result.stderr);
		assert.match(result.stderr, /iot\.ota\.Busy/);
		assert.match(result.stderr, /\(10 of 15 tasks were done before this failure\.\)/);
		assert.equal(calls, 2);
	});
});

void describe('doctor', () => {
	function scriptFailedTask(): void {
		handlers.QueryOTAJob = () => JOB({ JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE', DestVersion: '1.2.0' });
		handlers.ListOTATaskByJob = (p) => {
			const items =
				p.TaskStatus === 'FAILED'
					? [{ ...taskItems({ FAILED: 1 })[0], ProductKey: 'pk1', TaskDesc: 'report version is not conform' }]
					: [];
			return okBody({ CurrentPage: 1, PageSize: Number(p.PageSize), Total: items.length, Data: { SimpleOTATaskInfo: items } });
		};
		handlers.BatchQueryDeviceDetail = () =>
			okBody({ Data: { Data: [{ DeviceName: 'dev-1', DeviceStatus: 'ONLINE', FirmwareVersion: '1.2.0-dirty' }] } });
		handlers.ListOTAUnfinishedTaskByDevice = () => okBody({ Data: { SimpleOTATaskInfo: [] } });
	}

	void test('names the failed task, what the device reports, the cause and the fix', async () => {
		scriptFailedTask();
		const result = await run(['doctor', 'J1']);
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /^Job J1 \(UPGRADE, IN_PROGRESS\) to version 1\.2\.0: 1 task need attention\.\n/);
		assert.match(
			result.stdout,
			/dev-1 \(task T1\) FAILED "report version is not conform"; device ONLINE, reports 1\.2\.0-dirty\n {2}cause: .+\n {2}fix: {3}.+/,
		);
		assert.deepEqual(called(result.requests, 'ListOTAUnfinishedTaskByDevice')[0]?.DeviceName, 'dev-1');
	});

	void test('--json: one object with the finding and its diagnosis code', async () => {
		scriptFailedTask();
		const result = await run(['doctor', 'J1', '--json']);
		assert.equal(result.code, 0, result.stderr);
		const body = parseJsonOutput(result) as { jobStatus: string; findings: Array<{ deviceName: string; diagnosis: { code: string } }> };
		assert.equal(body.jobStatus, 'IN_PROGRESS');
		assert.deepEqual(
			body.findings.map((f) => [f.deviceName, f.diagnosis.code]),
			[['dev-1', 'version-mismatch']],
		);
	});
});
