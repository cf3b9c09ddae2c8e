// The lifecycle commands as users run them (`node cli.js …`) against a scripted local IoT responder: argument
// validation before any call, exit codes 0/2/3/4 and the watch codes 0/5/6/130, dry runs that write nothing.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { MAX_CURRENT_PAGE, type ListAction } from '../../../src/core/iot/actions';
import { listPage } from '../../../src/core/iot/paging';
import { okBody, type StubReply } from '../core-api/stubServer';
import { cleanEnv, parseJsonOutput, runCli, startCli, waitFor, type CliRun } from './cliHarness';
import { actions, FIRMWARE, useLifecycleStub } from './lifecycleStub';

const t = useLifecycleStub('iot-ota-lifecycle-cli-');
const { handlers, env, run, scriptJob } = t;

void describe('arguments are checked against the documented limits before any call (exit 2)', () => {
	const soon = new Date(Date.now() + 60_000).toISOString();
	const far = new Date(Date.now() + 8 * 86_400_000).toISOString();
	const start = new Date(Date.now() + 3_600_000).toISOString();
	const tooEarlyFinish = new Date(Date.now() + 3_600_000 + 30 * 60_000).toISOString();
	const eleven = Array.from({ length: 11 }, (_, i) => `d${i}`).join(',');
	const cases: Array<[string[], RegExp]> = [
		[['verify', 'F1'], /needs --devices/],
		[['verify', 'F1', '--devices', eleven], /--devices: .*1 to 10 are allowed \(got 11\)/],
		[['verify', 'F1', '--devices', 'a,a'], /listed twice/],
		[['verify', 'F1', '--devices', 'a', '--timeout', '0'], /--timeout: .*1 to 1440/],
		[['verify', 'F1', '--devices', 'a', '--timeout', '1441'], /--timeout/],
		[['rollout', 'F1'], /Say which devices/],
		[['rollout', 'F1', '--all', '--gray', '5'], /Choose one target, not --all and --gray/],
		[['rollout', 'F1', '--all', '--retry', '7:2'], /--retry must be MIN:COUNT/],
		[['rollout', 'F1', '--all', '--retry', '10:3'], /--retry must be MIN:COUNT/],
		[['rollout', 'F1', '--all', '--retry', '60:1', '--timeout', '60'], /--retry: .*shorter than the timeout/],
		[['rollout', 'F1', '--all', '--rate', '9'], /--rate: .*10 to 10000/],
		[['rollout', 'F1', '--gray', '1.2345'], /--gray: .*up to 3 decimals/],
		[['rollout', 'F1', '--gray', '0'], /--gray/],
		[
			['rollout', 'F1', '--all', '--schedule', soon],
			/^Error: --schedule: The start time must be between 5 minutes and 7 days from now/,
		],
		[['rollout', 'F1', '--all', '--schedule', far], /^Error: --schedule: /],
		[
			['rollout', 'F1', '--all', '--schedule', start, '--finish', tooEarlyFinish],
			/^Error: --finish: .*1 hour and 30 days after the start time/,
		],
		[
			['rollout', 'F1', '--all', '--src-version', '1.0.0', '--dynamic', '--schedule', start],
			/^Error: --dynamic: .*cannot be scheduled/,
		],
		[['rollout', 'F1', '--all', '--schedule', '2025-01-01 10:00'], /ISO 8601/],
		[['rollout', 'F1', '--devices', 'a', '--src-version', '1.0.0'], /--src-version: .*not to chosen devices/],
		[['rollout', 'F1', '--gray', '5', '--dynamic'], /--dynamic/],
		[['rollout', 'F1', '--all', '--dynamic'], /--dynamic: .*exactly one/],
		[['rollout', 'F1', '--all', '--halt-at', '0'], /--halt-at/],
		[['rollout', 'F1', '--device-file', '/nonexistent/list.txt'], /--device-file: cannot read/],
		[['rollout', 'F1', '--group', ' '], /--group: .*group id/],
		[['rollout', 'F1', '--group', '', '--dynamic'], /--group: .*group id/],
		[['watch', 'J1', '--halt-at', '5:x'], /--halt-at/],
		[['cancel', 'J1'], /^Error: Say what to cancel/],
		[['cancel', 'J1', '--devices', 'a,a'], /--devices: .*listed twice/],
		[['doctor', 'J1', '--device', 'a b'], /--device: /],
		[['retry', 'J1', '--tasks', 'a,a'], /--tasks: .*listed twice/],
		[['confirm', 'J1', '--tasks', 'a b'], /--tasks: /],
		[['list', '--page-size', '0'], /--page-size: The page size must be a whole number from 1 to 100 \(got 0\)/],
		[['firmware', 'list', '--page', '0'], /--page: The page number must be a whole number from 1 to/],
		[['list', '--page', '2x'], /--page must be a whole number \(got "2x"\)/],
		[['products', '--page-size', '201'], /--page-size: The page size must be a whole number from 1 to 200 \(got 201\)/],
		[['retry', 'J1', '--failed', '--tasks', 't1'], /not both/],
		[['devices'], /needs --product-key/],
		[['firmware'], /needs a subcommand: list, show, delete/],
		[['firmware', 'show'], /Missing argument/],
		[['jobs', 'F 1'], /FirmwareId must be one word/],
	];
	for (const [args, message] of cases) {
		void test(`iot-ota ${args.join(' ')}`, async () => {
			const result = await run(args);
			assert.equal(result.code, 2, result.stderr);
			assert.match(result.stderr, message);
			assert.deepEqual(result.requests, [], 'no call was made');
		});
	}

	void test('usage errors come before the credential lookup: exit 2 even without credentials', async () => {
		for (const args of [
			['retry', 'J1', '--tasks', 'a,a'],
			['confirm', 'J1', '--tasks', 'a,a'],
			['list', '--page-size', '0'],
			['products', '--page', '0'],
			['doctor', 'J1', '--device', 'a b'],
			['cancel', 'J1', '--devices', 'a,a'],
			['rollout', 'F1', '--group', ' '],
		]) {
			const result = await runCli(t.cli.cliPath, [...args, '--endpoint', t.stub.url], { env: cleanEnv(t.home) });
			assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
		}
	});

	void test('--json reports the usage error as one JSON object', async () => {
		const result = await run(['rollout', 'F1', '--all', '--rate', '20000', '--json']);
		assert.equal(result.code, 2);
		assert.equal((parseJsonOutput(result).error as { code: string }).code, 'UsageError');
	});
});

void describe("--page is held to the core's paging depth (MAX_CURRENT_PAGE)", () => {
	const coreMessage = (action: ListAction, currentPage: number): string => {
		try {
			listPage(action, { currentPage });
		} catch (error) {
			return (error as Error).message;
		}
		throw new Error(`the core accepts page ${currentPage}`);
	};
	for (const [command, action] of [
		[['list'], 'ListOTAFirmware'],
		[['firmware', 'list'], 'ListOTAFirmware'],
		[['products'], 'QueryProductList'],
	] as const) {
		void test(`${command.join(' ')}: the page after the cap is refused with the core's message, the cap itself is asked for`, async () => {
			const refused = await run([...command, '--page', String(MAX_CURRENT_PAGE + 1)]);
			assert.equal(refused.code, 2, refused.stderr);
			assert.ok(refused.stderr.includes(`--page: ${coreMessage(action, MAX_CURRENT_PAGE + 1)}`), refused.stderr);
			assert.deepEqual(refused.requests, [], 'no call was made');

			handlers.ListOTAFirmware = () =>
				okBody({ CurrentPage: MAX_CURRENT_PAGE, PageSize: 20, Total: 0, FirmwareInfo: { SimpleFirmwareInfo: [] } });
			handlers.QueryProductList = () =>
				okBody({ Data: { CurrentPage: MAX_CURRENT_PAGE, PageSize: 20, Total: 0, List: { ProductInfo: [] } } });
			const accepted = await run([...command, '--page', String(MAX_CURRENT_PAGE)]);
			assert.equal(accepted.code, 0, accepted.stderr);
			assert.deepEqual(
				accepted.requests.map((r) => [r.params.Action, r.params.CurrentPage]),
				[[action, String(MAX_CURRENT_PAGE)]],
			);
		});
	}
});

void describe('exit codes of the other commands', () => {
	void test('no credentials: exit 3', async () => {
		const result = await runCli(t.cli.cliPath, ['jobs', 'F1', '--endpoint', t.stub.url], { env: cleanEnv(t.home) });
		assert.equal(result.code, 3, result.stderr);
	});

	void test('a remote error: exit 4 with the platform code', async () => {
		handlers.ListOTAJobByFirmware = () => ({
			status: 400,
			json: {
				RequestId: 'R1',
				Success: false,
				Code: 'iot.ota.FirmwareNotFound',
				ErrorMessage: 'The specified firmware does not exist.',
			},
		});
		const result = await run(['jobs', 'F1']);
		assert.equal(result.code, 4);
		assert.match(result.stderr, /iot\.ota\.FirmwareNotFound/);
	});

	void test('firmware delete without --yes deletes nothing (exit 2); with --yes it deletes', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(1);
		handlers.DeleteOTAFirmware = () => okBody();
		const refused = await run(['firmware', 'delete', 'F1']);
		assert.equal(refused.code, 2);
		assert.match(refused.stderr, /would delete package F1 "app" version 1\.2\.0; nothing was deleted/);
		assert.deepEqual(actions(refused.requests), ['QueryOTAFirmware']);
		const deleted = await run(['firmware', 'delete', 'F1', '--yes', '--json']);
		assert.equal(deleted.code, 0);
		assert.deepEqual(parseJsonOutput(deleted), { firmwareId: 'F1', deleted: true });
		assert.deepEqual(actions(deleted.requests), ['QueryOTAFirmware', 'DeleteOTAFirmware']);
	});

	void test('verify on an already verified package is refused before any job is created (exit 4)', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(1);
		const result = await run(['verify', 'F1', '--devices', 'd1']);
		assert.equal(result.code, 4);
		assert.match(result.stderr, /already verified/);
		assert.deepEqual(actions(result.requests), ['QueryOTAFirmware']);
	});

	void test('verify --json: one object with the jobId; the request names the devices', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(0);
		handlers.CreateOTAVerifyJob = () => okBody({ Data: { JobId: 'JV1', UtcCreate: '2025-01-01T00:00:00.000Z' } });
		const result = await run(['verify', 'F1', '--devices', 'd1,d2', '--timeout', '30', '--json']);
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual(parseJsonOutput(result), {
			firmwareId: 'F1',
			jobId: 'JV1',
			productKey: 'pk1',
			deviceNames: ['d1', 'd2'],
			utcCreate: '2025-01-01T00:00:00.000Z',
		});
		const create = result.requests.find((r) => r.params.Action === 'CreateOTAVerifyJob');
		assert.deepEqual(
			[create?.params['TargetDeviceName.1'], create?.params['TargetDeviceName.2'], create?.params.TimeoutInMinutes],
			['d1', 'd2', '30'],
		);
	});
});

void describe('rollout', () => {
	void test('--dry-run prints the exact call, its aliyun command line and the devices; makes no write call', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(1);
		// 100 devices: 30 report 1.0.0, the rest 0.9.0; the gray batch takes 10 % of the 30 that report the source version.
		handlers.QueryDevice = (p) => {
			const first = (Number(p.CurrentPage) - 1) * Number(p.PageSize);
			const names = Array.from({ length: Math.max(0, Math.min(Number(p.PageSize), 100 - first)) }, (_, i) => `dev-${first + i + 1}`);
			return okBody({
				Page: Number(p.CurrentPage),
				PageSize: Number(p.PageSize),
				Total: 100,
				Data: { DeviceInfo: names.map((DeviceName) => ({ DeviceName, DeviceSecret: 'never-shown-secret' })) },
			});
		};
		handlers.BatchQueryDeviceDetail = (p) =>
			okBody({
				Data: {
					Data: Object.entries(p)
						.filter(([key]) => key.startsWith('DeviceName.'))
						.map(([, DeviceName]) => ({ DeviceName, FirmwareVersion: Number(DeviceName.slice(4)) <= 30 ? '1.0.0' : '0.9.0' })),
				},
			});
		const result = await run(['rollout', 'F1', '--gray', '10', '--retry', '10:2', '--src-version', '1.0.0', '--dry-run']);
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual(actions(result.requests), ['QueryOTAFirmware', 'QueryDevice', 'QueryDevice', 'BatchQueryDeviceDetail']);
		assert.match(
			result.stdout,
			/1\. POST CreateOTAStaticUpgradeJob {2}FirmwareId=F1 ProductKey=pk1 TargetSelection=GRAY GrayPercent=10 SrcVersion\.1=1\.0\.0 RetryInterval=10 RetryCount=2\n/,
		);
		assert.match(
			result.stdout,
			/aliyun iot CreateOTAStaticUpgradeJob --region cn-shanghai --endpoint 127\.0\.0\.1:\d+ --insecure --FirmwareId F1 --ProductKey pk1 --TargetSelection GRAY --GrayPercent 10 --SrcVersion\.1 1\.0\.0 --RetryInterval 10 --RetryCount 2\n/,
		);
		assert.match(
			result.stdout,
			/Devices it would reach: 3 of 30: 10 % of the 30 devices of pk1 not on 1\.2\.0 that report version 1\.0\.0, rounded down/,
		);
		assert.ok(!result.stdout.includes('never-shown-secret'));
	});

	void test('--dry-run --json, with a device file: GenerateDeviceNameListURL and PostObject are planned, not made', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(1);
		handlers.BatchQueryDeviceDetail = (p) => okBody({ Data: { Data: [{ DeviceName: p['DeviceName.1'], FirmwareVersion: '1.0.0' }] } });
		const file = `${t.home}/devices.txt`;
		writeFileSync(file, 'dev-a\n# comment\ndev-b\n');
		const result = await run(['rollout', 'F1', '--device-file', file, '--dry-run', '--json']);
		assert.equal(result.code, 0, result.stderr);
		const body = parseJsonOutput(result) as {
			calls: Array<{ action: string; params: Record<string, string> }>;
			devices: { unknown: string[] };
		};
		assert.deepEqual(
			body.calls.map((c) => c.action),
			['GenerateDeviceNameListURL', 'PostObject', 'CreateOTAStaticUpgradeJob'],
		);
		assert.equal(body.calls[2].params.DnListFileUrl, '<FileUrl of GenerateDeviceNameListURL>');
		assert.deepEqual(body.devices.unknown, ['dev-b']);
		assert.deepEqual(actions(result.requests), ['QueryOTAFirmware', 'BatchQueryDeviceDetail']);
	});

	void test('an unverified package is refused with the command that verifies it (exit 4, nothing created)', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(0);
		const result = await run(['rollout', 'F1', '--all']);
		assert.equal(result.code, 4);
		assert.match(result.stderr, /not verified: batches need a verified package\. Verify it first: iot-ota verify F1/);
		assert.deepEqual(actions(result.requests), ['QueryOTAFirmware']);
	});

	void test('--devices --overwrite --need-confirm --json: the batch as sent, one JSON object back', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(1);
		handlers.CreateOTAStaticUpgradeJob = () => okBody({ Data: { JobId: 'J9' } });
		const result = await run(['rollout', 'F1', '--devices', 'd1,d2', '--overwrite', '--need-confirm', '--rate', '100', '--json']);
		assert.equal(result.code, 0, result.stderr);
		assert.equal(parseJsonOutput(result).jobId, 'J9');
		const create = result.requests.find((r) => r.params.Action === 'CreateOTAStaticUpgradeJob')?.params ?? {};
		assert.deepEqual(
			[create.TargetSelection, create['TargetDeviceName.2'], create.OverwriteMode, create.NeedConfirm, create.MaximumPerMinute],
			['SPECIFIC', 'd2', '2', 'true', '100'],
		);
	});
});

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
