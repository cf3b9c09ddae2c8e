// A watch with a place (a file of product-b) whose folder is removed from the workspace, and whose connection is then
// made anew, polls on at another open folder whose settings choose the same connection (the Local Sandbox's profile:
// every folder does), instead of ending with FolderNotOpen: the extension's own watch service, wired to VS Code's
// onDidChangeWorkspaceFolders (src/vscode/ota/index.ts). Where no folder chooses that connection the watch ends and polls
// again when the folder comes back (unit: test/unit/vscode-ota/watchService.test.ts, folderPlace.test.ts). product-b is
// the workspace's second folder: removing and adding it back does not restart the extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startVerification } from '../../../src/core/lifecycle';
import { CONFIG_SECTION, Commands } from '../../../src/vscode/constants';
import { placeAt } from '../../../src/vscode/ota/access';
import type { WatchStart } from '../../../src/vscode/ota/contract';
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

	it('a watch whose folder was removed polls on at another open folder of the same connection', async () => {
		const { api, sandbox } = ctx;
		const folders = vscode.workspace.workspaceFolders ?? [];
		const index = folders.findIndex((folder) => folder.name === 'product-b');
		assert.ok(index > 0, 'product-b is open, and not the first folder');
		const productB = folders[index];
		const place = placeAt('sandbox-user', vscode.Uri.joinPath(productB.uri, 'fw-b.bin'));
		assert.equal(place.folder, productB.uri.toString());
		// A verification that stays in progress: its device never reports.
		sandbox.ota.setDevices({ deviceNames: [DEVICE] }, { behaviour: 'never-reports' });
		const pkg = await registerPackage(sandbox, { needToVerify: true });
		const { job } = await startVerification(lifecycle(sandbox), { firmwareId: pkg.firmwareId, deviceNames: [DEVICE] });
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
			if (!vscode.workspace.workspaceFolders?.some((folder) => folder.name === 'product-b')) {
				await changeFolders(index, 0, { uri: productB.uri, name: productB.name });
			}
			await vscode.workspace.getConfiguration(CONFIG_SECTION).update('region', undefined, vscode.ConfigurationTarget.Workspace);
			if (api.ota.watches.isWatched(job.jobId)) {
				await api.ota.watches.unwatch(job.jobId);
			}
			sandbox.ota.setDevices({ deviceNames: [DEVICE] }, { behaviour: 'ok' });
		}
	});
});
