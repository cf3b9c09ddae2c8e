// The lifecycle commands as users run them (`node cli.js …`) against a scripted local IoT responder: Ctrl+C while a
// job is being created (the job is kept and reported, exit 130) and the watch exit codes 0/5/6/130.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { okBody, type StubReply } from '../core-api/stubServer';
import { parseJsonOutput, startCli, waitFor, type CliRun } from './cliHarness';
import { actions, FIRMWARE, useLifecycleStub } from './lifecycleStub';

const t = useLifecycleStub('iot-ota-lifecycle-cli-cancel-');
const { handlers, env, run, scriptJob } = t;

void describe('Ctrl+C while a job is being created', () => {
	/** Runs `args` (with --verbose), answers the create call only after the CLI said it saw the cancel, returns the run. */
	async function cancelDuringCreate(action: string, jobId: string, args: string[]): Promise<CliRun> {
		let answer = (): void => undefined;
		handlers[action] = () => new Promise<StubReply>((resolve) => (answer = () => resolve(okBody({ Data: { JobId: jobId } }))));
		const start = t.stub.requests.length;
		const { child, done } = startCli(t.cli.cliPath, [...args, '--verbose', '--endpoint', t.stub.url], { env: env() });
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		await waitFor(() => t.stub.requests.slice(start).some((r) => r.params.Action === action), 20_000, `the ${action} request`);
		child.kill('SIGINT');
		await waitFor(() => stderr.includes(`Cancel requested while ${action} is in flight`), 20_000, 'the CLI to see the cancel');
		answer();
		return done;
	}

	void test('rollout: the create call is not aborted; the JobId is printed and the exit code is 130', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(1);
		const result = await cancelDuringCreate('CreateOTAStaticUpgradeJob', 'J-LATE', ['rollout', 'F1', '--all']);
		assert.equal(result.code, 130, result.stderr);
		assert.match(result.stdout, /Created all rollout job J-LATE/);
		assert.match(result.stderr, /Cancelled after job J-LATE was created: it keeps running/);
		assert.deepEqual(
			actions(t.stub.requests.slice(-2)),
			['QueryOTAFirmware', 'CreateOTAStaticUpgradeJob'],
			'one create call, nothing after it',
		);
	});

	void test('verify --json: one object with the jobId, exit 130', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(0);
		const result = await cancelDuringCreate('CreateOTAVerifyJob', 'JV-LATE', ['verify', 'F1', '--devices', 'd1', '--json']);
		assert.equal(result.code, 130, result.stderr);
		assert.equal(parseJsonOutput(result).jobId, 'JV-LATE');
		assert.match(result.stderr, /Cancelled after job JV-LATE was created/);
	});

	void test('rollout --watch: stops watching the created job (130), which is never cancelled', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(1);
		scriptJob('IN_PROGRESS', { QUEUED: 2 });
		const start = t.stub.requests.length;
		const result = await cancelDuringCreate('CreateOTAStaticUpgradeJob', 'J1', ['rollout', 'F1', '--all', '--watch']);
		assert.equal(result.code, 130, result.stderr);
		assert.match(result.stdout, /Stopped watching job J1; the job keeps running\./);
		assert.deepEqual(
			actions(t.stub.requests.slice(start)).filter((a) => a.startsWith('Cancel')),
			[],
		);
	});
});

void describe('watch exit codes', () => {
	void test('0 when every task succeeded', async () => {
		scriptJob('COMPLETED', { SUCCEEDED: 3 });
		const result = await run(['watch', 'J1']);
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /Job J1 COMPLETED: every task succeeded\. 3 tasks: 3 succeeded/);
	});

	void test('5 when the job ended with a failed task', async () => {
		scriptJob('COMPLETED', { SUCCEEDED: 2, FAILED: 1 });
		const result = await run(['watch', 'J1', '--json']);
		assert.equal(result.code, 5, result.stderr);
		assert.equal(JSON.parse(result.stdout.trimEnd().split('\n').at(-1) ?? '').outcome, 'failed');
	});

	void test('5 when a cancelled job had failed tasks: the doctor line, but no retry line (ReupgradeOTATask refuses a cancelled job)', async () => {
		scriptJob('CANCELED', { SUCCEEDED: 2, FAILED: 1 });
		const result = await run(['watch', 'J1']);
		assert.equal(result.code, 5, result.stderr);
		assert.ok(result.stdout.endsWith(`\nDiagnose it: iot-ota doctor J1 --endpoint ${t.stub.url}\n`), result.stdout);
		assert.doesNotMatch(result.stdout, /Retry the failed tasks/);
	});

	void test('6 when the guard halted it, with exactly the cancel it should make', async () => {
		scriptJob('IN_PROGRESS', { SUCCEEDED: 18, FAILED: 2, IN_PROGRESS: 3, QUEUED: 5 });
		const result = await run(['watch', 'J1', '--halt-at', '10:20']);
		assert.equal(result.code, 6, result.stderr);
		const cancels = result.requests.filter((r) => r.params.Action.startsWith('Cancel'));
		assert.equal(cancels.length, 1);
		const { Action, JobId, CancelQueuedTask, CancelNotifiedTask, CancelUnconfirmedTask, CancelInProgressTask } = cancels[0].params;
		assert.deepEqual(
			{ Action, JobId, CancelQueuedTask, CancelNotifiedTask, CancelUnconfirmedTask, CancelInProgressTask },
			{
				Action: 'CancelOTATaskByJob',
				JobId: 'J1',
				CancelQueuedTask: 'true',
				CancelNotifiedTask: 'true',
				CancelUnconfirmedTask: 'true',
				CancelInProgressTask: undefined,
			},
		);
		assert.match(result.stdout, /guard halted job J1: 2 of 20 finished tasks failed \(10 % ≥ 10 %\)/);
	});

	void test('130 on Ctrl+C: watching stops, the job is never cancelled', async () => {
		scriptJob('IN_PROGRESS', { IN_PROGRESS: 2 });
		const start = t.stub.requests.length;
		const { child, done } = startCli(t.cli.cliPath, ['watch', 'J1', '--endpoint', t.stub.url], { env: env() });
		let stdout = '';
		child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		await waitFor(() => stdout.includes('IN_PROGRESS'), 20_000, 'the first progress line');
		child.kill('SIGINT');
		const result = await done;
		assert.equal(result.code, 130, result.stderr);
		assert.match(result.stdout, /Stopped watching job J1; the job keeps running\./);
		assert.deepEqual(
			actions(t.stub.requests.slice(start)).filter((a) => !['QueryOTAJob', 'ListOTATaskByJob'].includes(a)),
			[],
		);
	});
});
