// Upload's own progress notification is shown around the Prompter (it reports increments), so the printable decorator
// does not see it: its title and messages are made printable and inert where it is shown (uploadProgress.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as vscode from 'vscode';
import type { Services } from '../../../src/vscode/commands/services';
import type { UploadProgress } from '../../../src/core/types';
import { installVscodeStub } from '../../support/vscodeStub';

interface Shown {
	title?: string;
	cancellable?: boolean;
}

/** window.withProgress as far as the upload uses it: records the notification's title. */
function stubWindow(): Shown[] {
	const shown: Shown[] = [];
	const stub = installVscodeStub() as unknown as { window?: unknown; ProgressLocation?: unknown };
	stub.ProgressLocation = { Notification: 15 };
	stub.window = {
		withProgress: <T>(
			options: vscode.ProgressOptions,
			task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<T>,
		) => {
			shown.push({ title: options.title, cancellable: options.cancellable });
			const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
			return task({ report: () => undefined }, token as unknown as vscode.CancellationToken);
		},
	};
	return shown;
}

/** The parts of Services the notification feeds besides itself: the Uploads view, the history row, the status bar. */
const services = {
	uploads: { report: () => undefined },
	history: { setProgress: () => undefined },
	statusBar: { update: () => undefined },
} as unknown as Services;

void test('a file name with a bidi control, an icon and a link shows as one inert line in the progress title', async () => {
	const shown = stubWindow();
	const { withUploadProgress } = await import('../../../src/vscode/upload/uploadProgress.js');
	const fileName = 'fw\u202Egnp$(check)[Open](command:workbench.action.terminal.new)\n.bin';
	const progress: UploadProgress = { phase: 'uploading', bytesSent: 512, totalBytes: 1024, bytesPerSecond: 256, attempt: 1 };
	const result = await withUploadProgress(services, 'entry', fileName, new AbortController(), async (onProgress) => {
		onProgress(progress);
		return { firmwareUrl: 'https://x.example/fw.bin' } as never;
	});
	assert.deepEqual(result, { firmwareUrl: 'https://x.example/fw.bin' }, "the work's result comes back");
	assert.equal(shown.length, 1);
	// A notification renders links but not `$(name)` icons: the icon syntax stays as the name has it, the link is broken.
	assert.equal(shown[0].title, 'Uploading fw?gnp$(check)[Open] (command:workbench.action.terminal.new) .bin');
	assert.equal(shown[0].cancellable, true);
});
