// The success paths of the read commands (devices, jobs, firmware show, firmware list), the help and --verbose logging,
// and the note that a dynamic job never ends by itself, as users run them against a scripted local IoT responder.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { okBody } from '../core-api/stubServer';
import { parseJsonOutput } from './cliHarness';
import { actions, called, FIRMWARE, JOB, repeated, useLifecycleStub } from './lifecycleStub';

const { handlers, run, scriptJob } = useLifecycleStub('iot-ota-lifecycle-reads-');

void describe('devices, jobs, firmware show', () => {
	void test('devices --online: the online devices with their reported version', async () => {
		handlers.ListOTAModuleByProduct = () => okBody({ Data: [{ ModuleName: 'default' }] });
		handlers.QueryDevice = () =>
			okBody({
				Page: 1,
				PageSize: 50,
				Total: 3,
				Data: {
					DeviceInfo: [
						{ DeviceName: 'dev-1', DeviceStatus: 'ONLINE' },
						{ DeviceName: 'dev-2', DeviceStatus: 'OFFLINE' },
						{ DeviceName: 'dev-3', DeviceStatus: 'ONLINE' },
					],
				},
			});
		handlers.BatchQueryDeviceDetail = (p) =>
			okBody({
				Data: {
					Data: repeated(p, 'DeviceName').map((DeviceName) => ({ DeviceName, FirmwareVersion: `1.0.${DeviceName.slice(4)}` })),
				},
			});
		const result = await run(['devices', '--product-key', 'pk1', '--online']);
		assert.equal(result.code, 0, result.stderr);
		assert.equal(result.stdout, 'DEVICE  STATUS  DEFAULT\ndev-1   ONLINE  1.0.1\ndev-3   ONLINE  1.0.3\n2 devices\n');
		assert.deepEqual(repeated(called(result.requests, 'BatchQueryDeviceDetail')[0], 'DeviceName'), ['dev-1', 'dev-3']);
	});

	const JOBS = () =>
		okBody({
			CurrentPage: 1,
			PageSize: 200,
			Total: 2,
			Data: {
				SimpleOTAJobInfo: [
					{
						JobId: 'JV',
						JobType: 'VERIFY_FIRMWARE',
						JobStatus: 'COMPLETED',
						SelectionType: 'STATIC',
						UtcCreate: '2025-01-01T00:00:00.000Z',
					},
					{
						JobId: 'JU',
						JobType: 'UPGRADE_FIRMWARE',
						JobStatus: 'IN_PROGRESS',
						SelectionType: 'STATIC',
						TargetSelection: 'GRAY',
					},
				],
			},
		});

	void test("jobs: the package's jobs as a table, and as JSON", async () => {
		handlers.ListOTAJobByFirmware = JOBS;
		const result = await run(['jobs', 'F1']);
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /^JOB ID +TYPE +STATUS +SELECTION +TARGET +CREATED\n/);
		assert.match(result.stdout, /\nJV +VERIFY_FIRMWARE +COMPLETED +STATIC +2025-01-01T00:00:00\.000Z\n/);
		assert.match(result.stdout, /\nJU +UPGRADE_FIRMWARE +IN_PROGRESS +STATIC +GRAY\n2 jobs\n$/);
		assert.equal(called(result.requests, 'ListOTAJobByFirmware')[0].FirmwareId, 'F1');
		const json = parseJsonOutput(await run(['jobs', 'F1', '--json'])) as { total: number; jobs: Array<{ jobId: string }> };
		assert.deepEqual([json.total, json.jobs.map((job) => job.jobId)], [2, ['JV', 'JU']]);
	});

	void test('firmware show: the package, its verification and its jobs', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(1);
		handlers.ListOTAJobByFirmware = JOBS;
		const result = await run(['firmware', 'show', 'F1']);
		assert.equal(result.code, 0, result.stderr);
		assert.match(result.stdout, /^Package F1 {2}"app" {2}version 1\.2\.0\n {2}Product: {7}pk1\n {2}Module: {8}default\n/);
		assert.match(result.stdout, /\n {2}Verification: {2}verified\n/);
		assert.match(result.stdout, /\nJobs \(2\):\nJOB ID/);
		assert.deepEqual(actions(result.requests), ['QueryOTAFirmware', 'ListOTAJobByFirmware']);
		const json = parseJsonOutput(await run(['firmware', 'show', 'F1', '--json'])) as { verification: string; jobs: unknown[] };
		assert.deepEqual([json.verification, json.jobs.length], ['verified', 2]);
	});
});

void describe('help and logging', () => {
	void test('--json help: one object per line where a job is watched, exactly one object elsewhere', async () => {
		const jsonLine = (help: string) => help.split('\n').find((line) => line.trimStart().startsWith('--json')) ?? '';
		for (const command of [['watch'], ['verify'], ['rollout']]) {
			const result = await run([...command, '--help']);
			assert.equal(result.code, 0, result.stderr);
			assert.match(jsonLine(result.stdout), /one object per line while a job is watched, else exactly one object/, command.join(' '));
		}
		for (const command of [['jobs'], ['firmware', 'show'], ['upload']]) {
			const result = await run([...command, '--help']);
			assert.match(jsonLine(result.stdout), /exactly one JSON object/, command.join(' '));
		}
	});

	void test('list, firmware list and products log their calls with --verbose, and only then', async () => {
		handlers.ListOTAFirmware = () => okBody({ CurrentPage: 1, PageSize: 20, Total: 0, FirmwareInfo: { SimpleFirmwareInfo: [] } });
		handlers.QueryProductList = () => okBody({ Data: { CurrentPage: 1, PageSize: 20, Total: 0, List: { ProductInfo: [] } } });
		for (const [command, action] of [
			[['list'], 'ListOTAFirmware'],
			[['firmware', 'list'], 'ListOTAFirmware'],
			[['products'], 'QueryProductList'],
		] as const) {
			const verbose = await run([...command, '--verbose']);
			assert.equal(verbose.code, 0, verbose.stderr);
			assert.match(verbose.stderr, new RegExp(`\\[info\\] IoT ${action} ok in \\d+ ms`), command.join(' '));
			const quiet = await run([...command]);
			assert.equal(quiet.code, 0, quiet.stderr);
			assert.equal(quiet.stderr, '', command.join(' '));
		}
	});
});

void test('firmware list --json shows a signed FirmwareUrl without its signature, as firmware show does', async () => {
	const signed =
		'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/pk1/fw.bin?Expires=1700000000&OSSAccessKeyId=LTAIx&Signature=c2lnbmF0dXJl';
	handlers.ListOTAFirmware = () =>
		okBody({
			CurrentPage: 1,
			PageSize: 20,
			Total: 1,
			FirmwareInfo: { SimpleFirmwareInfo: [{ FirmwareId: 'F1', FirmwareName: 'app', DestVersion: '1.2.0', FirmwareUrl: signed }] },
		});
	const result = await run(['firmware', 'list', '--json']);
	assert.equal(result.code, 0, result.stderr);
	assert.equal((parseJsonOutput(result) as { items: Array<{ firmwareUrl: string }> }).items[0].firmwareUrl, signed.split('?')[0]);
	assert.ok(!result.stdout.includes('Signature'));
});

void describe('a dynamic job never ends by itself', () => {
	void test('rollout and watch help say how watching it stops', async () => {
		for (const command of ['rollout', 'watch']) {
			const result = await run([command, '--help']);
			assert.match(
				result.stdout.replace(/\s+/g, ' '),
				/A dynamic job never ends by itself: watching it stops once its strategy is cancelled \(iot-ota cancel JOB --strategy\)/,
				command,
			);
		}
	});

	void test('rollout --dynamic --watch says so on stderr, then watches until the strategy is cancelled', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(1);
		handlers.CreateOTADynamicUpgradeJob = () => okBody({ Data: { JobId: 'J1' } });
		scriptJob('CANCELED', { SUCCEEDED: 2 });
		handlers.QueryOTAJob = () => JOB({ JobStatus: 'CANCELED', SelectionType: 'DYNAMIC' });
		const result = await run(['rollout', 'F1', '--all', '--src-version', '1.0.0', '--dynamic', '--watch']);
		assert.equal(result.code, 0, result.stdout + result.stderr);
		assert.match(result.stderr, /A dynamic job never ends by itself/);
		assert.match(result.stdout, /Created dynamic rollout job J1/);
	});

	void test('a static rollout --watch prints no such note', async () => {
		handlers.QueryOTAFirmware = () => FIRMWARE(1);
		handlers.CreateOTAStaticUpgradeJob = () => okBody({ Data: { JobId: 'J1' } });
		scriptJob('COMPLETED', { SUCCEEDED: 2 });
		const result = await run(['rollout', 'F1', '--all', '--watch']);
		assert.equal(result.code, 0, result.stdout + result.stderr);
		assert.doesNotMatch(result.stderr, /dynamic job/);
	});
});
