// Lifecycle scenario end to end over HTTP with the independent client: the sandbox stops mid-rollout and
// starts again on the same data dir; the job, its tasks and the devices' versions carry on from where they were.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { allTasks, clientOf, countByStatus, createPackage, imageWithVersion, jobStatus, waitFor } from './otaFixtures';
import { startSandbox, type Sandbox } from '../../../src/sandbox';

const portOf = (url: string): number => Number(new URL(url).port);

void test('restart mid-rollout: the job resumes on the same data dir and completes; nothing is lost or run twice', async (t) => {
	const dataDir = await mkdtemp(path.join(tmpdir(), 'iot-ota-lifecycle-restart-'));
	// 60 devices at 10 pushes per lifecycle minute, 60× faster: about 6 s of pushes, so the stop lands mid-way.
	const options = { dataDir, devices: 60, timeScale: 60, qps: 10_000 };
	const started: Sandbox[] = [await startSandbox(options)];
	const [first] = started;
	t.after(async () => {
		await Promise.all(started.map((s) => s.stop()));
		await rm(dataDir, { recursive: true, force: true });
	});
	let client = clientOf(first);
	const pk = first.productKey;
	const firmwareId = await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'), { NeedToVerify: false });
	const jobId = (
		await client.ok('CreateOTAStaticUpgradeJob', {
			FirmwareId: firmwareId,
			ProductKey: pk,
			TargetSelection: 'ALL',
			MaximumPerMinute: 10,
		})
	).Data.JobId as string;
	const before = await waitFor(
		'some devices to be upgraded',
		() => allTasks(client, jobId),
		(tasks) => (countByStatus(tasks).SUCCEEDED ?? 0) >= 5,
	);
	await first.stop();
	const upgradedBefore = before.filter((task) => task.TaskStatus === 'SUCCEEDED').map((task) => task.DeviceName);
	assert.ok((countByStatus(before).QUEUED ?? 0) > 0, `stopped before the end: ${JSON.stringify(countByStatus(before))}`);

	started.push(await startSandbox({ ...options, apiPort: portOf(first.endpoint), ossPort: portOf(first.ossHost) }));
	client = clientOf(started[1]);
	const resumed = await allTasks(client, jobId);
	assert.deepEqual(
		resumed.map((task) => task.TaskId),
		before.map((task) => task.TaskId),
		'the same tasks, in the same order',
	);
	for (const name of upgradedBefore) {
		assert.equal(resumed.find((task) => task.DeviceName === name)?.TaskStatus, 'SUCCEEDED', name);
	}
	const detail = await client.ok('QueryDeviceDetail', { ProductKey: pk, DeviceName: upgradedBefore[0] });
	assert.equal(detail.Data.FirmwareVersion, '2.0.0', 'device versions survive the restart');

	await waitFor(
		'the resumed job to complete',
		() => jobStatus(client, jobId),
		(s) => s === 'COMPLETED',
		120_000,
	);
	assert.deepEqual(countByStatus(await allTasks(client, jobId)), { SUCCEEDED: 60 });
	const jobs = await client.ok('ListOTAJobByFirmware', { FirmwareId: firmwareId, CurrentPage: 1, PageSize: 10 });
	assert.equal(jobs.Total, 1, 'no job was created twice');
});
