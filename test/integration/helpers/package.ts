// The two files of the multi-file package tests (package.test.ts, packageStopped.test.ts), their upload as one
// selection, and the rows it added to the Uploads view.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../../src/vscode/constants';
import type { HistoryEntry } from '../../../src/vscode/model';
import { espImage } from '../../support/firmware';
import { fileUri, type SuiteContext } from './ota';

/** Call inside `describe`: writes pkg-app.bin (an ESP image of version 5.1.0) and pkg-spiffs.bin (20 KiB) before the suite. */
export function usePackageFiles(ctx: SuiteContext) {
	const app = () => fileUri('pkg-app.bin');
	const spiffs = () => fileUri('pkg-spiffs.bin');
	const upload = (uris: vscode.Uri[]) => vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFirmware, uris[0], uris);

	before(() => {
		writeFileSync(app().fsPath, espImage({ app: { version: '5.1.0' } }));
		writeFileSync(spiffs().fsPath, randomBytes(20 * 1024));
	});

	after(() => vscode.commands.executeCommand('workbench.view.explorer'));

	/** The rows the Uploads view shows for entries added since `before` (history is newest first). */
	const newRows = (before: number) => {
		const { api } = ctx;
		const added = api.history.all().slice(0, api.history.all().length - before);
		const shown = api.views.uploads.getChildren().flatMap((node) => (node.type === 'upload' ? [node.entry.id] : []));
		assert.ok(
			added.every((entry) => shown.includes(entry.id)),
			'each row is in the Uploads view',
		);
		return added.map((entry) => ({
			fileName: entry.fileName,
			status: entry.status,
			firmwareUrl: entry.firmwareUrl,
			firmwareId: entry.firmwareId,
		}));
	};

	return { app, spiffs, upload, newRows };
}
