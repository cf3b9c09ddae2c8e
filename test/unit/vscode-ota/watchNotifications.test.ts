// The buttons of a watch's end notice: the watch is forgotten once its job ended, so Show Failures / Show Job carry what
// the reveal needs (ProductKey, FirmwareId and the place the watch polled at: its connection row of the OTA Packages view).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WatchEvent } from '../../../src/vscode/ota/contract';
import { installVscodeStub } from '../../support/vscodeStub';
import { progress, snapshot } from './fixtures';

const stub = installVscodeStub();
// What the notices' texts read.
(stub as unknown as Record<string, unknown>).env ??= { language: 'en' };

/** Fires `event` at the notices and answers their message with `choice`; resolves with the command run and its argument. */
async function pressed(event: WatchEvent, choice: string): Promise<{ command: string; args: unknown[] }> {
	const { notifyWatchOutcomes } = await import('../../../src/vscode/ota/watchNotifications.js');
	const { Commands } = await import('../../../src/vscode/constants.js');
	const run = new Promise<{ command: string; args: unknown[] }>((resolve) => {
		stub.commands.executeCommand = async (command, ...args) => (resolve({ command, args }), undefined);
	});
	const emitter = new stub.EventEmitter<WatchEvent>();
	const watches = { onDidChange: emitter.event, onDidGiveUp: () => ({ dispose: () => undefined }) };
	const disposable = notifyWatchOutcomes(watches as never, { message: async () => choice } as never);
	emitter.fire(event);
	const done = await run;
	disposable.dispose();
	assert.ok(([Commands.revealJob, Commands.showJobFailures] as string[]).includes(done.command), done.command);
	return done;
}

const place = { profile: 'dev', scope: 'file:///w/b', folder: 'file:///w/b' };
const ended = (watched: Partial<WatchEvent['snapshot']['watched']>): WatchEvent => {
	const base = snapshot('j1');
	return {
		type: 'ended',
		jobId: 'j1',
		snapshot: {
			...base,
			phase: 'ended',
			outcome: 'failed',
			progress: progress({ SUCCEEDED: 1, FAILED: 2 }),
			watched: { ...base.watched, productKey: 'pk1', firmwareId: 'fw1', ...watched },
		},
	} as WatchEvent;
};

void test("Show Failures and Show Job of an ended watch carry its job's ProductKey, FirmwareId and the place it polled at", async () => {
	const failures = await pressed(ended({ scope: place.scope, folder: place.folder }), 'Show Failures');
	assert.equal(failures.command, 'iotOta.showJobFailures');
	assert.deepEqual(failures.args, [{ jobId: 'j1', productKey: 'pk1', firmwareId: 'fw1', place }]);
	const job = await pressed(ended({ scope: place.scope, folder: place.folder }), 'Show Job');
	assert.equal(job.command, 'iotOta.revealJob');
	assert.deepEqual(job.args, [{ jobId: 'j1', productKey: 'pk1', firmwareId: 'fw1', place }]);
});

void test('a watch without a place (the window settings) gives no place', async () => {
	const job = await pressed(ended({}), 'Show Job');
	assert.deepEqual(job.args, [{ jobId: 'j1', productKey: 'pk1', firmwareId: 'fw1' }]);
});
