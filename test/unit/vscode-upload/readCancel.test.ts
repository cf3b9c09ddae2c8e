// Cancel on the "Reading {0}…" notification (the prompt `upload.read`, shown once the pre-flight read of the file takes
// a while): the upload ends as cancelled, with the file it opened closed and nothing after the read begun (no account,
// no connection, no lookup, no history row, no registration). A cancel once PostObject is sending is the core's
// (upload/postObjectSend, upload/sandboxUpload).
import assert from 'node:assert/strict';
import { promises as fs, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { mock, test } from 'node:test';
import type * as vscode from 'vscode';
import { isCancelled } from '../../../src/core/errors';
import type { Services } from '../../../src/vscode/commands/services';
import { installVscodeStub } from '../../support/vscodeStub';
import { scratchDir } from '../upload/stubOss';

const scratch = scratchDir();

void test('Cancel while the file is read ends the upload as cancelled: the file closed, nothing after the read begun', async (t) => {
	installVscodeStub();
	const { runUpload } = await import('../../../src/vscode/upload/uploadFlow.js');
	const { PromptIds } = await import('../../../src/vscode/ui/prompter.js');
	const filePath = path.join(scratch.dir, 'fw.bin');
	writeFileSync(filePath, Buffer.alloc(64 * 1024, 1));

	// Every file the pre-flight opens, to see each closed afterwards.
	const opened: FileHandle[] = [];
	const open = fs.open;
	t.mock.method(fs, 'open', async (...args: Parameters<typeof fs.open>) => {
		const handle = await open(...args);
		opened.push(handle);
		return handle;
	});
	// The notification appears once the step has taken NOTIFY_AFTER_MS: played by the mocked clock, not waited for.
	mock.timers.enable({ apis: ['setTimeout'] });
	t.after(() => mock.timers.reset());

	const notifications: Array<{ id: string; title: string }> = [];
	const touched: string[] = [];
	const used = {
		// Read just before the step starts: once it has started (this tick), its notification is due and the user cancels.
		settings: { versionMarker: () => (queueMicrotask(() => mock.timers.tick(500)), undefined) },
		images: { lastRead: () => undefined },
		prompter: {
			slowStep: (id: string, title: string, _running: Promise<unknown>, controller: AbortController) => {
				notifications.push({ id, title });
				controller.abort('user');
			},
		},
	};
	// Anything else the upload would reach for (account, connection, lookup, history, progress, registration) is stray.
	const s = new Proxy(used, {
		get: (target, key: string) => (key in target ? target[key as keyof typeof used] : void touched.push(key)),
	}) as unknown as Services;

	const uri = { scheme: 'file', path: filePath, fsPath: filePath, toString: () => `file://${filePath}` } as unknown as vscode.Uri;
	await assert.rejects(runUpload(s, uri, 'bin'), (error: unknown) => isCancelled(error));
	assert.deepEqual(notifications, [{ id: PromptIds.uploadRead, title: 'Reading fw.bin…' }]);
	assert.ok(opened.length > 0, 'the read had opened the file when it was cancelled');
	assert.deepEqual(
		opened.map((handle) => handle.fd),
		opened.map(() => -1),
		'every file it opened is closed',
	);
	assert.deepEqual(touched, [], 'nothing after the read was begun');
});

test.after(() => scratch.cleanup());
