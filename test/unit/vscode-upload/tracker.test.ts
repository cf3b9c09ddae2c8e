// Uploads run one at a time: the tracker is the one place that says so, for the command entry and for an upload that
// finished its questions while another one started.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { installVscodeStub } from '../../support/vscodeStub';

const vscode = installVscodeStub();

void test('a second upload is refused with one message naming the file in flight, until that upload ends', async () => {
	const { UploadTracker } = await import('../../../src/vscode/upload/tracker.js');
	const tracker = new UploadTracker();
	assert.equal(tracker.busyMessage(), undefined);
	assert.doesNotThrow(() => tracker.assertIdle());

	tracker.begin({ entryId: 'e1', fileName: 'app.bin', controller: new AbortController() });
	assert.equal(tracker.busyMessage(), 'app.bin is still uploading; uploads run one at a time.');
	assert.throws(
		() => tracker.assertIdle(),
		(error: unknown) =>
			error instanceof OtaError &&
			error.code === 'UploadBusy' &&
			error.message === 'app.bin is still uploading; uploads run one at a time.',
	);
	assert.ok(vscode.commands.executed.some((c) => c.command === 'setContext' && c.args[1] === true));

	tracker.end('e1');
	assert.equal(tracker.busyMessage(), undefined);
	assert.doesNotThrow(() => tracker.assertIdle());
	tracker.dispose();
});
