// A watch with a place (a file of product-b) whose folder is removed from the workspace, and whose connection is then
// made anew, polls on at another open folder whose settings choose the same connection (the Local Sandbox's profile:
// every folder does), instead of ending with FolderNotOpen: the extension's own watch service, wired to VS Code's
// onDidChangeWorkspaceFolders (src/vscode/ota/index.ts). Where no folder chooses that connection the watch ends and polls
// again when the folder comes back (unit: test/unit/vscode-ota/watchService.test.ts, folderPlace.test.ts). product-b is
// the workspace's second folder: removing and adding it back does not restart the extension host.
// A watch resumed after a reload whose folder is gone does the same, through the connection it saved. The suite runs after
// activation and cannot restart the extension host, so the reload is the extension's own watch service resuming the
// saved list again (JobWatchService.restore, what activation runs), over the window's workspaceState written as a
// session of the window would leave it (unit: test/unit/vscode-ota/watchResume.test.ts).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startVerification } from '../../../src/core/lifecycle';
import { CONFIG_SECTION, Commands, StateKeys } from '../../../src/vscode/constants';
import { placeAt } from '../../../src/vscode/ota/access';
import type { WatchedJob, WatchStart } from '../../../src/vscode/ota/contract';
import { lifecycle, registerPackage } from '../helpers/fleet';
import { errorTexts, useSuite } from '../helpers/ota';
import { watchEvent } from '../helpers/otaFleet';

/** Changes the workspace folders and resolves once VS Code says they changed. */
function changeFolders(start: number, deleteCount: number, ...add: Array<{ uri: vscode.Uri; name?: string }>): Promise<void> {
	return new Promise((resolve, reject) => {
		const subscription = vscode.workspace.onDidChangeWorkspaceFolders(() => {
			subscription.dispose();
			resolve();
		});
		if (!vscode.workspace.updateWorkspaceFolders(start, deleteCount, ...add)) {
			subscription.dispose();
			reject(new Error(`updateWorkspaceFolders(${start}, ${deleteCount}) was refused`));
		}
	});
}

describe('IoT OTA watches and workspace folders (multi-root workspace)', () => {
	const ctx = useSuite({ timeScale: 60 });
	const DEVICE = 'dev-00002';

	/** product-b (open, not the first folder), a place of a file in it, and a verification that stays in progress (its device never reports). */
	async function verifyingAtProductB() {
		const { sandbox } = ctx;
		const folders = vscode.workspace.workspaceFolders ?? [];
		const index = folders.findIndex((folder) => folder.name === 'product-b');
		assert.ok(index > 0, 'product-b is open, and not the first folder');
		const productB = folders[index];
		const place = placeAt('sandbox-user', vscode.Uri.joinPath(productB.uri, 'fw-b.bin'));
		assert.equal(place.folder, productB.uri.toString());
		sandbox.ota.setDevices({ deviceNames: [DEVICE] }, { behaviour: 'never-reports' });
		const pkg = await registerPackage(sandbox, { needToVerify: true });
		const { job } = await startVerification(lifecycle(sandbox), { firmwareId: pkg.firmwareId, deviceNames: [DEVICE] });
		return { index, productB, place, job };
	}

	/** product-b open again at `index`, the job no longer watched, the device reporting again. */
	async function putBack(index: number, productB: vscode.WorkspaceFolder, jobId: string): Promise<void> {
		if (!vscode.workspace.workspaceFolders?.some((folder) => folder.name === 'product-b')) {
			await changeFolders(index, 0, { uri: productB.uri, name: productB.name });
		}
		if (ctx.api.ota.watches.isWatched(jobId)) {
			await ctx.api.ota.watches.unwatch(jobId);
		}
		ctx.sandbox.ota.setDevices({ deviceNames: [DEVICE] }, { behaviour: 'ok' });
	}

	it('a watch whose folder was removed polls on at another open folder of the same connection', async () => {
		const { api, sandbox } = ctx;
		const { index, productB, place, job } = await verifyingAtProductB();
		try {
			const started = await vscode.commands.executeCommand<WatchStart>(Commands.watchJob, { jobId: job.jobId, place });
			assert.equal(started?.started, true, JSON.stringify(errorTexts(api)));

			const replaced = watchEvent(
				api,
				(e) => e.jobId === job.jobId && e.type === 'progress' && e.snapshot.watched.folder !== place.folder,
				'the watch polling at another folder',
			);
			await changeFolders(index, 1);
			// The connection is made anew (a change of the connection settings): the place's folder is gone.
			sandbox.requests.clear();
			await vscode.workspace.getConfiguration(CONFIG_SECTION).update('region', 'cn-shanghai', vscode.ConfigurationTarget.Workspace);
			const { watched } = (await replaced).snapshot;
			const open = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString());
			assert.ok(watched.folder !== undefined && open.includes(watched.folder), `re-placed at an open folder: ${watched.folder}`);
			assert.equal(api.ota.watches.isWatched(job.jobId), true, 'still watched');
			const polled = watchEvent(api, (e) => e.jobId === job.jobId && e.type === 'progress', 'a poll at the new folder', 30_000);
			await polled;
			assert.ok(sandbox.requests.entries.some((e) => e.action === 'QueryOTAJob' && e.params.JobId === job.jobId));
		} finally {
			await vscode.workspace.getConfiguration(CONFIG_SECTION).update('region', undefined, vscode.ConfigurationTarget.Workspace);
			await putBack(index, productB, job.jobId);
		}
	});

	it('a watch resumed after a reload whose folder is gone polls on at another open folder of the connection it saved', async () => {
		const { api, sandbox } = ctx;
		const { index, productB, place, job } = await verifyingAtProductB();
		const state = api.context.workspaceState;
		const savedList = () => state.get<WatchedJob[]>(StateKeys.watchedJobs) ?? [];
		try {
			const started = await vscode.commands.executeCommand<WatchStart>(Commands.watchJob, { jobId: job.jobId, place });
			assert.equal(started?.started, true, JSON.stringify(errorTexts(api)));
			// The record this session leaves for the next one: its place, and the connection it polls with.
			const saved = savedList().find((watched) => watched.jobId === job.jobId);
			assert.equal(saved?.folder, productB.uri.toString());
			assert.equal(saved?.connection?.endpoint, sandbox.endpoint, `the connection it polls with: ${JSON.stringify(saved)}`);
			// The window closes (the watch stops polling, its record stays), and product-b is gone when it opens again.
			await api.ota.watches.unwatch(job.jobId);
			await changeFolders(index, 1);
			await state.update(StateKeys.watchedJobs, [...savedList(), saved]);

			sandbox.requests.clear();
			// Its first word after resuming: polling at another folder, or its end.
			const outcome = watchEvent(
				api,
				(e) =>
					e.jobId === job.jobId && (e.type === 'ended' || (e.type === 'progress' && e.snapshot.watched.folder !== place.folder)),
				'the resumed watch polling at another folder, or ending',
			);
			await api.ota.watchService.restore();
			const first = await outcome;
			assert.equal(first.type, 'progress', `ended instead: ${first.snapshot.error}`);
			const { watched } = first.snapshot;
			const open = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString());
			assert.ok(watched.folder !== undefined && open.includes(watched.folder), `re-placed at an open folder: ${watched.folder}`);
			assert.deepEqual(watched.connection, saved?.connection, 'the same connection');
			assert.equal(api.ota.watches.isWatched(job.jobId), true, 'still watched');
			await watchEvent(api, (e) => e.jobId === job.jobId && e.type === 'progress', 'a poll at the new folder', 30_000);
			assert.ok(sandbox.requests.entries.some((e) => e.action === 'QueryOTAJob' && e.params.JobId === job.jobId));
			assert.equal(savedList().find((w) => w.jobId === job.jobId)?.folder, watched.folder, 'saved at its new place');
		} finally {
			await putBack(index, productB, job.jobId);
			await state.update(
				StateKeys.watchedJobs,
				savedList().filter((w) => w.jobId !== job.jobId),
			);
		}
	});
});
