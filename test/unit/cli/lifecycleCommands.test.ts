// The lifecycle commands as users run them (`node cli.js …`) against a scripted local IoT responder: exit codes
// 0/2/3/4 of the commands, rollout and its dry runs that write nothing. Argument checks: lifecycleArguments.test.ts;
// Ctrl+C and the watch codes 0/5/6/130: lifecycleCancelAndWatch.test.ts.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { deletePackageCommand } from '../../../src/cli/io';
import { okBody } from '../core-api/stubServer';
import { cleanEnv, parseJsonOutput, runCli } from './cliHarness';
import { actions, FIRMWARE, useLifecycleStub } from './lifecycleStub';

const t = useLifecycleStub('iot-ota-lifecycle-cli-');
const { handlers, run } = t;

/** BatchQueryDeviceDetail of a product whose devices report these versions (names it does not know are left out). */
const detailsOf =
	(versions: Record<string, string>) =>
	(p: Record<string, string>): ReturnType<typeof okBody> =>
		okBody({
			Data: {
				Data: Object.entries(p)
					.filter(([key, name]) => key.startsWith('DeviceName.') && Object.hasOwn(versions, name))
					.map(([, DeviceName]) => ({ DeviceName, FirmwareVersion: versions[DeviceName] })),
			},
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

	void test('firmware delete without --yes deletes nothing (exit 2); the line it suggests, with the run’s connection flags, deletes', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(1);
		handlers.DeleteOTAFirmware = () => okBody();
		const refused = await run(['firmware', 'delete', 'F1', '--instance', 'iot-cn-x1', '--region', 'cn-beijing']);
		assert.equal(refused.code, 2);
		assert.match(refused.stderr, /would delete package F1 "app" version 1\.2\.0; nothing was deleted/);
		assert.deepEqual(actions(refused.requests), ['QueryOTAFirmware']);
		// The command line it suggests (also the hint of a cancel that left a package registered) is the one that deletes,
		// in the same place: the instance, region and endpoint of the run.
		const suggested = /Run again with --yes to delete it: (.+) \(UsageError\)$/m.exec(refused.stderr)?.[1];
		const connection = ['--region', 'cn-beijing', '--instance', 'iot-cn-x1', '--endpoint', t.stub.url];
		assert.equal(suggested, deletePackageCommand('F1', connection), refused.stderr);
		const [program, ...line] = (suggested ?? '').split(' ');
		assert.equal(program, 'iot-ota');
		const start = t.stub.requests.length;
		const deleted = await runCli(t.cli.cliPath, [...line, '--json'], { env: t.env() });
		assert.equal(deleted.code, 0, deleted.stderr);
		assert.deepEqual(parseJsonOutput(deleted), { firmwareId: 'F1', deleted: true });
		const requests = t.stub.requests.slice(start);
		assert.deepEqual(actions(requests), ['QueryOTAFirmware', 'DeleteOTAFirmware']);
		assert.deepEqual(
			requests.map((r) => [r.params.IotInstanceId, r.params.RegionId]),
			[
				['iot-cn-x1', 'cn-beijing'],
				['iot-cn-x1', 'cn-beijing'],
			],
		);
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

	void test('named devices the product lacks, or none left to upgrade: the dry run and the real run refuse alike (exit 2), nothing created', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(1);
		handlers.BatchQueryDeviceDetail = detailsOf({ 'dev-00001': '1.2.0', 'dev-00002': '1.0.0' });
		handlers.CreateOTAStaticUpgradeJob = () => assert.fail('no job may be created');
		const file = `${t.home}/stale.txt`;
		writeFileSync(file, 'dev-00001\ndev-99999\n');
		const cases: Array<[string[], RegExp]> = [
			[
				['--devices', 'dev-00002,dev-99999'],
				/^Error: Not in product pk1: dev-99999\. Nothing was created\. Check the device names .*\(iot\.device\.NotExistedDevice\)$/m,
			],
			[
				['--device-file', file],
				/^Error: The batch would upgrade no device: of the devices named, 1 are not in product pk1 and 1 are already on 1\.2\.0\. Nothing was created\. Name devices .*\(NoDeviceReached\)$/m,
			],
		];
		for (const [target, message] of cases) {
			for (const dryRun of [['--dry-run'], ['--dry-run', '--json'], []]) {
				const result = await run(['rollout', 'F1', ...target, ...dryRun]);
				assert.equal(result.code, 2, result.stderr);
				if (dryRun.includes('--json')) {
					assert.match(String((parseJsonOutput(result).error as { message: string }).message), /Nothing was created\./);
				} else {
					assert.equal(result.stdout, '');
					assert.equal(result.stderr.trimEnd().split('\n').length, 1, `one message: ${result.stderr}`);
					assert.match(result.stderr, message);
				}
				assert.deepEqual(
					actions(result.requests),
					['QueryOTAFirmware', 'BatchQueryDeviceDetail'],
					'no GenerateDeviceNameListURL, no job',
				);
			}
		}
	});

	void test('a lookup of the named devices that itself fails: the real run warns and creates the batch, the dry run fails', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(1);
		handlers.BatchQueryDeviceDetail = () => ({
			status: 403,
			json: {
				RequestId: 'R2',
				Success: false,
				Code: 'Forbidden.RAM',
				ErrorMessage: 'User not authorized to operate on the specified resource.',
			},
		});
		handlers.CreateOTAStaticUpgradeJob = () => okBody({ Data: { JobId: 'J8' } });
		const dry = await run(['rollout', 'F1', '--devices', 'd1,d2', '--dry-run']);
		assert.notEqual(dry.code, 0, dry.stderr);
		assert.match(dry.stderr, /Forbidden\.RAM/);
		assert.deepEqual(actions(dry.requests), ['QueryOTAFirmware', 'BatchQueryDeviceDetail']);
		const result = await run(['rollout', 'F1', '--devices', 'd1,d2']);
		assert.equal(result.code, 0, result.stderr);
		assert.match(
			result.stderr,
			/^\[warn\] Looking up the named devices failed \(continuing; the platform judges them\): .*\(Forbidden\.RAM\)$/m,
		);
		assert.deepEqual(actions(result.requests), ['QueryOTAFirmware', 'BatchQueryDeviceDetail', 'CreateOTAStaticUpgradeJob']);
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
		handlers.BatchQueryDeviceDetail = detailsOf({ d1: '1.0.0', d2: '1.0.0' });
		handlers.CreateOTAStaticUpgradeJob = () => okBody({ Data: { JobId: 'J9' } });
		const result = await run(['rollout', 'F1', '--devices', 'd1,d2', '--overwrite', '--need-confirm', '--rate', '100', '--json']);
		assert.equal(result.code, 0, result.stderr);
		assert.deepEqual(actions(result.requests), ['QueryOTAFirmware', 'BatchQueryDeviceDetail', 'CreateOTAStaticUpgradeJob']);
		assert.equal(parseJsonOutput(result).jobId, 'J9');
		const create = result.requests.find((r) => r.params.Action === 'CreateOTAStaticUpgradeJob')?.params ?? {};
		assert.deepEqual(
			[create.TargetSelection, create['TargetDeviceName.2'], create.OverwriteMode, create.NeedConfirm, create.MaximumPerMinute],
			['SPECIFIC', 'd2', '2', 'true', '100'],
		);
	});
});
