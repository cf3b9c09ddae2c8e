// A watch started right after a retry or confirm (docs/protocols.md §10.7 A8), against both ways the platform may
// treat a COMPLETED job whose tasks run again, which its documents leave open: the sandbox reopens the job (its
// default) or keeps it COMPLETED (rerunKeepsJobCompleted). The re-run device is kept offline until the watch has
// seen the re-run task open, so a watch that ended on the COMPLETED job alone would end before the task did.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cancelJob, confirmJobTasks, retryTasks, watchJob, type JobProgress, type LifecycleClient } from '../../../src/core/lifecycle';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { buildCli, cleanEnv, startCli, tempDir, waitFor } from '../cli/cliHarness';
import { FAST, Fleet } from './fleetFixtures';

for (const keep of [false, true]) {
	const rerunStatus = keep ? 'COMPLETED' : 'IN_PROGRESS';

	void describe(`a watch after a re-run, the job ${keep ? 'kept COMPLETED' : 'reopened'}`, () => {
		let sandbox: Sandbox;
		let work: string;
		let fleet: Fleet;
		let api: LifecycleClient;
		let firmwareId: string;

		before(async () => {
			work = tempDir('iot-ota-rerun-watch-');
			sandbox = await startSandbox({ dataDir: path.join(work, 'sandbox'), devices: 12, timeScale: 60, rerunKeepsJobCompleted: keep });
			fleet = new Fleet(sandbox, work);
			api = fleet.client().api;
			firmwareId = (await fleet.verified()).firmwareId;
		});

		after(async () => {
			await sandbox?.stop();
			rmSync(work, { recursive: true, force: true });
		});

		const setDevice = (deviceName: string, change: Parameters<Sandbox['ota']['setDevices']>[1]): void => {
			assert.equal(sandbox.ota.setDevices({ deviceNames: [deviceName] }, change), 1);
		};

		/** A finished job on `flaky` (fails to flash) and `fine`; `flaky` is then fixed but offline. */
		async function jobWithFailedTask(flaky: string, fine: string): Promise<string> {
			setDevice(flaky, { behaviour: 'fail-flash' });
			const job = await api.createStaticJob({
				firmwareId,
				productKey: sandbox.productKey,
				target: { kind: 'devices', deviceNames: [flaky, fine] },
			});
			assert.equal((await watchJob(api, job.jobId, { interval: FAST })).outcome, 'failed');
			setDevice(flaky, { behaviour: 'ok', online: false });
			return job.jobId;
		}

		/** Watches as after a re-run; `offline` comes online once the first refresh was reported. */
		async function watchRerun(jobId: string, offline: string[]): Promise<{ first: JobProgress; outcome: string; succeeded: number }> {
			let first: JobProgress | undefined;
			const result = await watchJob(api, jobId, {
				interval: FAST,
				afterRerun: true,
				onProgress(progress) {
					if (!first) {
						first = progress;
						offline.forEach((deviceName) => setDevice(deviceName, { online: true }));
					}
				},
			});
			assert.ok(first);
			return { first, outcome: result.outcome, succeeded: result.progress.counts.SUCCEEDED };
		}

		void test('retry: the watch waits for the re-run task and ends succeeded', async () => {
			const jobId = await jobWithFailedTask('dev-00002', 'dev-00003');
			assert.equal((await retryTasks(api, jobId, undefined)).done.length, 1);
			assert.equal((await api.queryJob(jobId)).jobStatus, rerunStatus);
			if (keep) {
				const plain = await watchJob(api, jobId, { interval: FAST });
				assert.deepEqual(
					[plain.outcome, plain.progress.counts.QUEUED],
					['failed', 1],
					'a watch not started after a re-run keeps the old rule',
				);
			}
			const watched = await watchRerun(jobId, ['dev-00002']);
			assert.deepEqual(
				[watched.first.jobStatus, watched.first.counts.QUEUED],
				[rerunStatus, 1],
				'the watch saw the re-run task open',
			);
			assert.deepEqual([watched.outcome, watched.succeeded], ['succeeded', 2]);
			assert.equal((await api.queryJob(jobId)).jobStatus, 'COMPLETED');
		});

		void test('confirm: the confirmed tasks hold the watch until they end', async () => {
			const job = await api.createStaticJob({
				firmwareId,
				productKey: sandbox.productKey,
				target: { kind: 'devices', deviceNames: ['dev-00004', 'dev-00005'] },
				needConfirm: true,
			});
			await cancelJob(api, job.jobId, { flags: { unconfirmed: true } });
			assert.equal((await watchJob(api, job.jobId, { interval: FAST })).progress.counts.CANCELED, 2);
			const cancelled = (await api.listTasksByJob({ jobId: job.jobId, status: 'CANCELED' })).items.map((task) => task.taskId);
			assert.equal((await retryTasks(api, job.jobId, cancelled)).done.length, 2);
			assert.equal((await api.listTasksByJob({ jobId: job.jobId, status: 'CONFIRM' })).total, 2);
			if (keep) {
				// Nothing ends a task waiting for a confirm that may never come: it does not hold a COMPLETED job's watch.
				const unconfirmed = await watchJob(api, job.jobId, { interval: FAST, afterRerun: true });
				assert.deepEqual([unconfirmed.outcome, unconfirmed.progress.counts.CONFIRM], ['failed', 2]);
			}
			setDevice('dev-00004', { online: false });
			setDevice('dev-00005', { online: false });
			assert.equal((await confirmJobTasks(api, job.jobId, undefined)).done.length, 2);
			const watched = await watchRerun(job.jobId, ['dev-00004', 'dev-00005']);
			assert.deepEqual(
				[watched.first.jobStatus, watched.first.counts.QUEUED],
				[rerunStatus, 2],
				'the watch saw the confirmed tasks open',
			);
			assert.deepEqual([watched.outcome, watched.succeeded], ['succeeded', 2]);
		});

		if (keep) {
			void test('iot-ota retry --watch exits 0 once the re-run task succeeded', async (t) => {
				const cli = await buildCli();
				t.after(() => cli.dispose());
				const jobId = await jobWithFailedTask('dev-00006', 'dev-00007');
				const env = cleanEnv(path.join(work, 'home'), {
					ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
					ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret,
				});
				const { child, done } = startCli(cli.cliPath, ['retry', jobId, '--watch', '--json', '--endpoint', sandbox.endpoint], {
					env,
				});
				let stdout = '';
				child.stdout?.on('data', (chunk: string) => (stdout += chunk));
				await waitFor(() => stdout.includes('"type":"progress"'), 60_000, 'the first progress line');
				const firstLine = JSON.parse(stdout.split('\n')[0]) as { jobStatus: string; counts: { QUEUED: number } };
				assert.deepEqual([firstLine.jobStatus, firstLine.counts.QUEUED], ['COMPLETED', 1]);
				setDevice('dev-00006', { online: true });
				const run = await done;
				assert.equal(run.code, 0, run.stderr);
				const last = JSON.parse(run.stdout.trimEnd().split('\n').at(-1) ?? '') as { type: string; outcome: string };
				assert.deepEqual([last.type, last.outcome], ['result', 'succeeded']);
			});
		}
	});
}
