// The Watch Job that Retry Failed and Confirm offer in their notice watches the job as one after a re-run (afterRerun:
// a COMPLETED job is watched until its re-run tasks end, docs/protocols.md §12.5); a watch already running goes on as one.
// The vscode stub records the command the notice's button runs; a fake account stands for the platform.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Services } from '../../../src/vscode/commands/services';
import { Commands } from '../../../src/vscode/constants';
import type { OtaConnection } from '../../../src/vscode/ota/contract';
import { installVscodeStub } from '../../support/vscodeStub';
import { FakeOta, job, tasks } from '../lifecycle/fakeOta';

const vscodeStub = installVscodeStub();
Object.assign(vscodeStub, { env: { language: 'en' } });

/** Runs `command` on job J (one FAILED, one CONFIRM task) and presses the notice's Watch Job; the command it ran. */
async function watchOffered(command: 'retryFailed' | 'confirmTasks', watched = false) {
	const fake = new FakeOta().add(job('J', { jobStatus: 'COMPLETED' }), tasks('J', { FAILED: 1, CONFIRM: 1 }));
	const connection = { profile: { name: 'p' }, lifecycle: fake } as unknown as OtaConnection;
	let offered: (choice: string | undefined) => void = () => undefined;
	const notice = new Promise<string | undefined>((resolve) => (offered = resolve));
	const asked: unknown[] = [];
	const s = {
		log: { info: () => undefined },
		ota: {
			access: { connect: async () => connection },
			view: { refresh: () => undefined },
			watches: { isWatched: () => watched, watch: async (request: unknown) => asked.push(request) },
		},
		prompter: {
			progress: (_id: string, _title: string, run: (signal: AbortSignal) => Promise<unknown>) => run(new AbortController().signal),
			message: async (_id: string, _kind: string, _text: string, _opts: unknown, ...actions: string[]) => {
				offered(actions[0]);
				return actions[0];
			},
		},
	} as unknown as Services;
	const control = await import('../../../src/vscode/ota/actions/control.js');
	vscodeStub.commands.executed.length = 0;
	await control[command](s, { jobId: 'J' });
	const choice = await notice;
	await new Promise<void>((resolve) => setImmediate(resolve)); // the notice's choice is handled after it resolves
	return { choice, asked, watch: vscodeStub.commands.executed.find((c) => c.command === Commands.watchJob) };
}

void describe('the Watch Job offered after a re-run', () => {
	for (const command of ['retryFailed', 'confirmTasks'] as const) {
		void test(`${command}: watches the job as one after a re-run`, async () => {
			const { choice, watch } = await watchOffered(command);
			assert.equal(choice, 'Watch Job');
			assert.deepEqual(watch?.args, [{ jobId: 'J', afterRerun: true }]);
		});

		void test(`${command} of a watched job: its watch goes on as one after a re-run`, async () => {
			const { choice, asked, watch } = await watchOffered(command, true);
			assert.deepEqual([choice, watch], ['Copy JobId', undefined]);
			assert.deepEqual(asked, [{ jobId: 'J', productKey: undefined, firmwareId: undefined, place: undefined, afterRerun: true }]);
		});
	}
});
