// The folders of the harness's multi-root workspace (test/harness/workspace.mjs createMultiRootWorkspace) and their own settings.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CONFIG_SECTION } from '../../../src/vscode/constants';

export function workspaceFolder(name: string): vscode.WorkspaceFolder {
	const found = vscode.workspace.workspaceFolders?.find((folder) => folder.name === name);
	assert.ok(found, `no workspace folder ${name}: the suite needs the harness's multi-root workspace`);
	return found;
}

/** Sets (undefined: removes) one of a folder's own iotOta settings. */
export async function setFolderSetting(folder: vscode.WorkspaceFolder, key: string, value: unknown): Promise<void> {
	await vscode.workspace.getConfiguration(CONFIG_SECTION, folder.uri).update(key, value, vscode.ConfigurationTarget.WorkspaceFolder);
}
