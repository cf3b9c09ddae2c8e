// What the Create OTA Firmware suites (createModule.test.ts, createOptions.test.ts) start from: a file uploaded but
// not registered, and the pick of the sandbox's product.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../../src/vscode/constants';
import type { HistoryEntry } from '../../../src/vscode/model';
import { errorTexts, fileUri, type SuiteContext } from './ota';

/** Call inside `describe`: writes `name` before the suite; `uploaded()` uploads it (not registered) and clears the seam. */
export function useCreateFile(ctx: SuiteContext, name: string) {
	before(() => writeFileSync(fileUri(name).fsPath, Buffer.from(`${name} firmware\n`)));

	const ofProduct = (item: vscode.QuickPickItem) => item.description === ctx.sandbox.productKey;

	async function uploaded(): Promise<HistoryEntry> {
		ctx.api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const entry = await vscode.commands.executeCommand<HistoryEntry>(Commands.uploadFirmware, fileUri(name));
		assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(ctx.api)));
		ctx.api.testSeam.reset();
		return entry;
	}

	return { ofProduct, uploaded };
}
