// Outside text reaches the user printable in every sink of a real flow (src/vscode/ui/printablePrompter.ts, the tree
// item pass, the status item): a file name with a right-to-left override, an isolate and a C1 control cannot reorder
// or hide what a prompt, a notification, the Uploads view or the status bar says; the upload itself is unchanged.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import { errorTexts, fileUri, useSuite } from './helpers/ota';

/** U+202E (right-to-left override), U+2066…U+2069 (an isolate), U+009B (C1 CSI). */
const HOSTILE_NAME = 'fw-\u202Egnp\u2066x\u2069\u009b.bin';
const SHOWN_NAME = 'fw-?gnp?x??.bin';
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

describe('IoT OTA hostile text: what the user sees is printable', () => {
	const ctx = useSuite();

	it('uploads a file with a bidi override and a C1 control in its name: prompt, result, Uploads row and status bar show "?"', async () => {
		const { api, sandbox } = ctx;
		const firmware = fileUri(HOSTILE_NAME);
		writeFileSync(firmware.fsPath, randomBytes(8 * 1024));
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const entry = await vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFirmware, firmware);
		assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		assert.equal(entry.fileName, HOSTILE_NAME, 'the history keeps the real name (the file is found by it)');
		assert.equal(sandbox.stats.ossUploads, 1);

		const suffix = api.testSeam.calls.find((c) => c.id === 'upload.suffix');
		assert.equal(suffix?.text, `OTA file suffix for ${SHOWN_NAME}`);
		const result = api.testSeam.messages('info').find((c) => c.id === 'upload.result');
		assert.ok(result?.text.startsWith(`Uploaded ${SHOWN_NAME} (`), result?.text);

		const node = api.views.uploads.getChildren().find((n) => n.type === 'upload' && n.entry.id === entry.id);
		assert.ok(node, 'the upload has its row');
		const row = api.views.uploads.getTreeItem(node);
		assert.equal(row.label, SHOWN_NAME);
		const tooltip = row.tooltip instanceof vscode.MarkdownString ? row.tooltip.value : String(row.tooltip);
		assert.doesNotMatch(tooltip.replace(/\n/g, ''), UNSAFE, tooltip);

		assert.equal(api.statusBar().text, `$(check) ${SHOWN_NAME}`);
		const shown = [...api.testSeam.calls.flatMap((c) => [c.text, c.detail ?? '', ...(c.options ?? [])]), api.statusBar().tooltip];
		for (const text of shown) {
			assert.doesNotMatch(text.replace(/\n/g, ''), UNSAFE, JSON.stringify(text));
		}
		assert.equal(errorTexts(api).length, 0);
	});

	it("shows the server's own error text printable and inert: the notification, the Uploads row and the status bar", async () => {
		const { api, sandbox } = ctx;
		// What a hostile endpoint answers: a right-to-left override, a line break, a command link and a C1 control.
		const message = 'Bad \u202Etxt.exe\n[Open](command:workbench.action.terminal.new)\u009b';
		const action = 'GenerateOTAUploadURL';
		sandbox.faults.add({ target: 'api', action, kind: 'status', status: 400, code: 'InvalidParameter', message, times: 10 });
		const firmware = fileUri('server-text.bin');
		writeFileSync(firmware.fsPath, randomBytes(8 * 1024));
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		await vscode.commands.executeCommand(Commands.uploadFirmware, firmware);
		const entry = api.history.all().find((e) => e.fileUri === firmware.toString());
		assert.equal(entry?.status, 'failed');
		assert.ok(entry.error?.includes('\u202Etxt.exe'), `the history keeps the server's text: ${entry.error}`);

		const [error, ...others] = errorTexts(api);
		assert.equal(others.length, 0);
		assert.ok(error.includes('Bad ?txt.exe [Open] (command:workbench.action.terminal.new)?'), error);
		const node = api.views.uploads.getChildren().find((n) => n.type === 'upload' && n.entry.id === entry.id);
		assert.ok(node, 'the failed upload has its row');
		const row = api.views.uploads.getTreeItem(node);
		const tooltip = row.tooltip instanceof vscode.MarkdownString ? row.tooltip.value : String(row.tooltip);
		assert.ok(tooltip.includes('?txt'), tooltip);
		const shown = [
			...api.testSeam.calls.flatMap((c) => [c.text, c.detail ?? '', ...(c.options ?? [])]),
			tooltip,
			api.statusBar().tooltip,
		];
		for (const text of [...shown, api.statusBar().text, String(row.label), String(row.description ?? '')]) {
			assert.doesNotMatch(text.replace(/\n/g, ''), UNSAFE, JSON.stringify(text));
			assert.ok(!text.includes('](command:workbench'), `a link in ${JSON.stringify(text)}`);
		}
	});
});
