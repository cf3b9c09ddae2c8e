// Verify… and Watch Job after a registration in a folder's instance, in a multi-root workspace (set up by
// helpers/folderConnection.ts: product-a names the sandbox's Enterprise instance): the verification offered on the
// registration's notification, the watch offered after it, and a saved watch resumed after a reload all go to
// product-a's instance; a saved watch whose folder is no longer open ends, saying so. The sandbox runs fast (time
// scale 60) so a watch ends.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, StateKeys } from '../../../src/vscode/constants';
import { placeAt } from '../../../src/vscode/ota/access';
import type { VerifyResult } from '../../../src/vscode/ota/actions/verify';
import type { WatchedJob } from '../../../src/vscode/ota/contract';
import { useFolderConnections } from '../helpers/folderConnection';
import { errorTexts, MemoryMemento, setSetting, useSuite, waitFor } from '../helpers/ota';
import { watchEvent } from '../helpers/otaFleet';
import { jobRequests, testWatchService } from '../helpers/otaWatch';

describe('IoT OTA Verify… and Watch Job with per-folder connection settings (multi-root workspace)', () => {
	const ctx = useSuite({ timeScale: 60 });
	const { productA, fileA, registerFileA } = useFolderConnections(ctx);

	it("offers Verify… after a registration in a folder's instance, and the verification goes to that instance too", async () => {
		const { sandbox } = ctx;
		const registered = await registerFileA(
			'1.3.0',
			{ id: 'info', button: 'Verify…' },
			{ id: 'verify.devices', picks: ['dev-00001'] },
			{ id: 'verify.timeout', input: '' },
		);
		const verifyJob = await waitFor(
			() => sandbox.requests.entries.find((e) => e.action === 'CreateOTAVerifyJob'),
			'the verification started from the notification',
		);
		assert.equal(verifyJob.params.FirmwareId, registered.firmwareId);
		const elsewhere = sandbox.requests.entries.filter((e) => e.params.IotInstanceId !== sandbox.enterpriseInstanceId);
		assert.deepEqual(
			elsewhere.map((e) => e.action),
			[],
			"every call of the registration and of its verification went to product-a's instance",
		);
	});

	it("watches the job of that Verify… (Watch Job on its notification) in the folder's instance until it ends", async () => {
		const { api, sandbox } = ctx;
		await setSetting('watch.pauseWhenUnfocusedMinutes', 0);
		const started = watchEvent(api, (e) => e.type === 'started', 'the watch offered after the verification');
		const ended = watchEvent(api, (e) => e.type === 'ended', 'the end of the watched verification');
		const registered = await registerFileA(
			'1.4.0',
			{ id: 'info', button: 'Verify…' },
			{ id: 'verify.devices', picks: ['dev-00002'] }, // dev-00001 may still be busy with the verification above
			{ id: 'verify.timeout', input: '' },
			{ id: 'verify.started', button: 'Watch Job' },
		);
		const { jobId, scope, folder } = (await started).snapshot.watched;
		assert.equal(scope, fileA().toString(), 'the watch keeps the place (saved with it, so a reload resumes it there)');
		assert.equal(folder, productA().uri.toString());
		const end = await ended;
		assert.equal(end.jobId, jobId);
		assert.equal(end.snapshot.outcome, 'succeeded', JSON.stringify([end.snapshot.error, errorTexts(api)]));
		assert.equal(end.snapshot.job?.firmwareId, registered.firmwareId);
		const watchCalls = sandbox.requests.entries.filter((e) => e.params.JobId === jobId && e.action !== 'CreateOTAVerifyJob');
		assert.ok(
			watchCalls.some((e) => e.action === 'QueryOTAJob'),
			JSON.stringify(watchCalls.map((e) => e.action)),
		);
		assert.deepEqual(
			watchCalls.filter((e) => e.params.IotInstanceId !== sandbox.enterpriseInstanceId).map((e) => e.action),
			[],
			"every call of the watch went to product-a's instance",
		);
	});

	it('resumes a saved watch with a place there after a reload, and ends one whose folder is no longer open, saying so', async () => {
		const { api, sandbox } = ctx;
		const registered = await registerFileA('1.5.0');
		const place = placeAt('sandbox-user', fileA());
		api.testSeam.queue({ id: 'verify.devices', picks: ['dev-00003'] }, { id: 'verify.timeout', input: '' });
		const verified = await vscode.commands.executeCommand<VerifyResult>(Commands.verifyOnDevices, {
			firmwareId: registered.firmwareId,
			place,
		});
		assert.ok(verified?.jobId, JSON.stringify(errorTexts(api)));
		const { jobId } = verified;
		const state = new MemoryMemento();
		const removed = 'file:///work/removed-folder';
		await state.update(StateKeys.watchedJobs, [
			{ jobId, profile: place.profile, scope: place.scope, folder: place.folder, since: 1 },
			{ jobId: 'job-of-a-removed-folder', profile: place.profile, scope: `${removed}/fw.bin`, folder: removed, since: 2 },
		] satisfies WatchedJob[]);
		const test = testWatchService(ctx, { state });
		try {
			const ended = test.events((e) => e.jobId === jobId && e.type === 'ended');
			const refused = test.events((e) => e.jobId === 'job-of-a-removed-folder' && e.type === 'ended');
			await test.service.restore();
			const end = await ended;
			assert.equal(end.snapshot.outcome, 'succeeded', JSON.stringify([end.snapshot.error, test.lines]));
			const watchCalls = jobRequests(ctx, jobId).filter((e) => e.action !== 'CreateOTAVerifyJob');
			assert.ok(watchCalls.length > 0);
			assert.deepEqual(
				watchCalls.filter((e) => e.params.IotInstanceId !== sandbox.enterpriseInstanceId).map((e) => e.action),
				[],
				"the resumed watch polled product-a's instance",
			);
			assert.match(
				(await refused).snapshot.error ?? '',
				/^Folder removed-folder is no longer open in this window: .* \(FolderNotOpen\)$/,
			);
			assert.deepEqual(jobRequests(ctx, 'job-of-a-removed-folder'), [], "not sent with the window's settings");
		} finally {
			test.service.dispose();
		}
	});
});
