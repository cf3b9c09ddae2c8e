// What the per-folder connection suites (multiRoot/folderConnection.test.ts, multiRoot/folderVerifyWatch.test.ts) start
// from: the harness's multi-root workspace (test/harness/workspace.mjs createMultiRootWorkspace) with product-a naming the
// sandbox's Enterprise instance and product-b another region, a firmware file in each, and product-a's file uploaded
// and registered through the commands.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../../src/vscode/constants';
import type { HistoryEntry } from '../../../src/vscode/model';
import type { SeamAnswer } from '../../extension/seam';
import { errorTexts, type SuiteContext } from './ota';
import { setFolderSetting, workspaceFolder } from './workspaceFolders';

/** Call inside `describe`, after `useSuite`: sets the two folders' connections before the suite and removes them after. */
export function useFolderConnections(ctx: SuiteContext) {
	const productA = () => workspaceFolder('product-a');
	const productB = () => workspaceFolder('product-b');
	const fileA = () => vscode.Uri.joinPath(productA().uri, 'fw-a.bin');
	const fileB = () => vscode.Uri.joinPath(productB().uri, 'fw-b.bin');
	const upload = (uri: vscode.Uri) => vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFirmware, uri);

	before(async () => {
		assert.ok(vscode.workspace.workspaceFile, 'a multi-root workspace');
		writeFileSync(fileA().fsPath, randomBytes(4096));
		writeFileSync(fileB().fsPath, randomBytes(6144));
		// The profile is in cn-shanghai on the public instance (helpers/ota.ts signIn): product-a names the sandbox's
		// Enterprise instance, product-b another region.
		await setFolderSetting(productA(), 'iotInstanceId', ctx.sandbox.enterpriseInstanceId);
		await setFolderSetting(productB(), 'region', 'ap-southeast-1');
	});

	after(async () => {
		await setFolderSetting(productA(), 'iotInstanceId', undefined);
		await setFolderSetting(productB(), 'region', undefined);
	});

	/** Uploads product-a's file: its Uploads row, uploaded. */
	async function uploadFileA(): Promise<HistoryEntry> {
		const { api } = ctx;
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const entry = await upload(fileA());
		assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		return entry;
	}

	/** Registers an Uploads row of product-a's file as `version` (then the `next` answers), from a clear request log. */
	async function registerRowA(entry: HistoryEntry, version: string, ...next: SeamAnswer[]): Promise<HistoryEntry> {
		const { api, sandbox } = ctx;
		sandbox.requests.clear();
		api.testSeam.queue(
			{ id: 'create.product', pick: (item) => (item as { description?: string }).description === sandbox.productKey },
			{ id: 'create.destVersion', input: version },
			{ id: 'create.firmwareName', input: `product-a-${version.replaceAll('.', '_')}` },
			{ id: 'create.signMethod', pick: 'MD5' },
			...next,
		);
		const registered = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, { entry });
		assert.equal(registered?.status, 'registered', JSON.stringify(errorTexts(api)));
		return registered;
	}

	/** Uploads product-a's file and registers its Uploads row as `version` (then the `next` answers), from a clear request log. */
	async function registerFileA(version: string, ...next: SeamAnswer[]): Promise<HistoryEntry> {
		return registerRowA(await uploadFileA(), version, ...next);
	}

	return { productA, productB, fileA, fileB, upload, uploadFileA, registerRowA, registerFileA };
}
