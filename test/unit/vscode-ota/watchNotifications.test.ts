// The buttons of a watch's end notice: the watch is forgotten once its job ended, so Show Failures / Diagnose / Retry
// Failed / Show Job carry what their commands need (ProductKey, FirmwareId and the place the watch polled at: its
// connection row of the OTA Packages view). Which buttons are offered follows the core's watchNextSteps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WatchEvent } from '../../../src/vscode/ota/contract';
import { installVscodeStub } from '../../support/vscodeStub';
import { progress, snapshot } from './fixtures';

const stub = installVscodeStub();
// What the notices' texts read.
(stub as unknown as Record<string, unknown>).env ??= { language: 'en' };

/** Fires `event` at the notices, with `message` standing for the prompter's; resolves with what `until` waits for. */
async function fired<T>(event: WatchEvent, message: (...args: unknown[]) => Promise<string | undefined>, until: Promise<T>): Promise<T> {
	const { notifyWatchOutcomes } = await import('../../../src/vscode/ota/watchNotifications.js');
	const emitter = new stub.EventEmitter<WatchEvent>();
	const watches = { onDidChange: emitter.event, onDidGiveUp: () => ({ dispose: () => undefined }) };
	const disposable = notifyWatchOutcomes(watches as never, { message } as never);
	emitter.fire(event);
	const result = await until;
	disposable.dispose();
	return result;
}

/** The buttons the notice of `event` offers (answering none). */
async function offered(event: WatchEvent): Promise<string[]> {
	let answer = (_buttons: string[]): void => undefined;
	const shown = new Promise<string[]>((resolve) => (answer = resolve));
	return fired(event, async (...args) => (answer(args.slice(4) as string[]), undefined), shown);
}

/** Answers the notice of `event` with `choice`; resolves with the command run and its argument. */
async function pressed(event: WatchEvent, choice: string): Promise<{ command: string; args: unknown[] }> {
	const { Commands } = await import('../../../src/vscode/constants.js');
	const run = new Promise<{ command: string; args: unknown[] }>((resolve) => {
		stub.commands.executeCommand = async (command, ...args) => (resolve({ command, args }), undefined);
	});
	const done = await fired(event, async () => choice, run);
	assert.ok(
		([Commands.revealJob, Commands.showJobFailures, Commands.diagnose, Commands.retryFailed] as string[]).includes(done.command),
		done.command,
	);
	return done;
}

const place = { profile: 'dev', scope: 'file:///w/b', folder: 'file:///w/b' };
const ended = (
	watched: Partial<WatchEvent['snapshot']['watched']>,
	end: Pick<WatchEvent['snapshot'], 'outcome' | 'progress' | 'job' | 'halt'> = {
		outcome: 'failed',
		progress: progress({ SUCCEEDED: 1, FAILED: 2 }),
	},
	type: 'ended' | 'halted' = 'ended',
): WatchEvent => {
	const base = snapshot('j1');
	return {
		type,
		jobId: 'j1',
		snapshot: { ...base, phase: 'ended', ...end, watched: { ...base.watched, productKey: 'pk1', firmwareId: 'fw1', ...watched } },
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

void test('Diagnose and Retry Failed of an ended watch run on its job, at the place it polled at', async () => {
	const diagnose = await pressed(ended({ scope: place.scope, folder: place.folder }), 'Diagnose');
	assert.equal(diagnose.command, 'iotOta.diagnose');
	assert.deepEqual(diagnose.args, [{ jobId: 'j1', productKey: 'pk1', firmwareId: 'fw1', place }]);
	const retry = await pressed(ended({ scope: place.scope, folder: place.folder }), 'Retry Failed');
	assert.equal(retry.command, 'iotOta.retryFailed');
	assert.deepEqual(retry.args, [{ jobId: 'j1', productKey: 'pk1', firmwareId: 'fw1', place }]);
});

void test('the buttons follow the core rule: failures → all four; halted without failures → no Retry; success or only cancellations → Show Job', async () => {
	assert.deepEqual(await offered(ended({})), ['Show Failures', 'Diagnose', 'Retry Failed', 'Show Job']);
	assert.deepEqual(await offered(ended({}, { progress: progress({ SUCCEEDED: 1, CANCELED: 3 }) }, 'halted')), [
		'Show Failures',
		'Diagnose',
		'Show Job',
	]);
	assert.deepEqual(await offered(ended({}, { outcome: 'succeeded', progress: progress({ SUCCEEDED: 3 }) })), ['Show Job']);
	assert.deepEqual(await offered(ended({}, { outcome: 'failed', progress: progress({ SUCCEEDED: 1, CANCELED: 2 }) })), ['Show Job']);
});

void test('a cancelled job offers no Retry Failed (the platform refuses its tasks): ended CANCELED, or a dynamic job the guard halted', async () => {
	const failedThenCancelled = {
		outcome: 'failed' as const,
		progress: progress({ SUCCEEDED: 1, FAILED: 2 }),
		job: { jobStatus: 'CANCELED' },
	};
	assert.deepEqual(await offered(ended({}, failedThenCancelled as never)), ['Show Failures', 'Diagnose', 'Show Job']);
	const halt = { plan: { cancelStrategy: true, cancelTasks: { jobId: 'j1', queued: true } } };
	const halted = { progress: progress({ SUCCEEDED: 1, FAILED: 2 }), job: { jobStatus: 'IN_PROGRESS' }, halt };
	assert.deepEqual(await offered(ended({}, halted as never, 'halted')), ['Show Failures', 'Diagnose', 'Show Job']);
});
