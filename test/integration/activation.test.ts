// Smoke test: the development extension loads and activates inside a real extension host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/vscode/constants';
import { waitFor } from './helpers/ota';

function ourExtension(): vscode.Extension<unknown> {
	const extension = vscode.extensions.getExtension(EXTENSION_ID);
	assert.ok(extension, `extension ${EXTENSION_ID} is not loaded from the development path`);
	return extension;
}

describe('extension activation', () => {
	// First, before any test activates it: with no command run and no view of it shown, the extension activates once
	// VS Code has started (onStartupFinished), so the watches a window saved resume after a reload (issue 14).
	it('activates by itself once VS Code has started', async () => {
		const extension = ourExtension();
		await waitFor(() => extension.isActive, 'activation without a command or a view', 30_000);
	});

	it('is loaded from the development path', () => {
		const extension = ourExtension();
		assert.equal(extension.packageJSON.name, 'alibaba-iot-ota');
	});

	it('activates without throwing', async () => {
		const extension = ourExtension();
		await extension.activate();
		assert.equal(extension.isActive, true);
	});

	it('registers every command it contributes', async () => {
		const extension = ourExtension();
		await extension.activate();
		const contributed: Array<{ command: string }> = extension.packageJSON.contributes?.commands ?? [];
		const registered = new Set(await vscode.commands.getCommands(true));
		const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
		assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
	});

	it('is the test build from out/test-extension, whose activate() returns the test API', async () => {
		const extension = ourExtension();
		assert.equal(path.basename(extension.extensionPath), 'test-extension', extension.extensionPath);
		const api = (await extension.activate()) as { testSeam?: unknown } | undefined;
		assert.ok(api?.testSeam, 'activate() returned no test API');
	});

	it('opens the fixture workspace', () => {
		const folder = vscode.workspace.workspaceFolders?.[0];
		assert.ok(folder, 'no workspace folder is open');
		assert.ok(fs.existsSync(path.join(folder.uri.fsPath, 'firmware.bin')), `firmware.bin missing in ${folder.uri.fsPath}`);
		assert.ok(fs.existsSync(path.join(folder.uri.fsPath, 'build', 'app.tar.gz')), 'build/app.tar.gz missing');
	});
});
