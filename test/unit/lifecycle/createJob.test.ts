// A job-creating call is never aborted once sent (docs/protocols.md §12.5): the platform may accept it whatever the
// client does, so a cancel that lands meanwhile must not hide the JobId. Both shells call these core functions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cancelledError, isCancelled } from '../../../src/core/errors';
import { promote, startRollout, startVerification, type FirmwareDetail, type JobRef, type RolloutPlan } from '../../../src/core/lifecycle';
import { FakeOta, job, tasks } from './fakeOta';

/** A create call that answers only when released, and like the real client gives up when a signal it got fires. */
function pendingCreate(jobId: string): {
	create: (req: unknown, signal?: AbortSignal) => Promise<JobRef>;
	sent: Promise<void>;
	release(): void;
} {
	let release = (): void => undefined;
	let markSent = (): void => undefined;
	const sent = new Promise<void>((resolve) => (markSent = resolve));
	const answered = new Promise<void>((resolve) => (release = resolve));
	const create = (_req: unknown, signal?: AbortSignal): Promise<JobRef> =>
		new Promise((resolve, reject) => {
			signal?.addEventListener('abort', () => reject(cancelledError('the request')), { once: true });
			markSent();
			void answered.then(() => resolve({ jobId }));
		});
	return { create, sent, release: () => release() };
}

const firmware: FirmwareDetail = { firmwareId: 'F', firmwareName: 'fw', destVersion: '1.2.0', productKey: 'pk1', status: 0 };

function plan(kind: 'static' | 'dynamic'): RolloutPlan {
	return {
		spec: { firmwareId: 'F', target: { kind: 'all' }, dynamic: kind === 'dynamic' || undefined, srcVersions: ['1.0.0'] },
		firmware,
		job:
			kind === 'static'
				? { kind, request: { firmwareId: 'F', productKey: 'pk1', target: { kind: 'all' } } }
				: { kind, request: { firmwareId: 'F', productKey: 'pk1', srcVersions: ['1.0.0'] } },
		calls: [],
	};
}

void describe('a cancel while a job is being created', () => {
	for (const kind of ['static', 'dynamic'] as const) {
		void test(`startRollout (${kind}): the call is not aborted and the JobId comes back; the late cancel is logged`, async () => {
			const pending = pendingCreate(`J-${kind}`);
			const api = {
				createStaticJob: pending.create,
				createDynamicJob: pending.create,
				uploadDeviceList: async () => 'unused',
				batchQueryDeviceDetail: async () => assert.fail('a batch of all devices names none to look up'),
			};
			const controller = new AbortController();
			const logged: string[] = [];
			const started = startRollout(api, plan(kind), controller.signal, {
				info: (m: string) => void logged.push(m),
				warn: () => undefined,
			});
			await pending.sent;
			controller.abort();
			pending.release();
			assert.deepEqual(await started, { jobId: `J-${kind}` });
			assert.match(logged.join('\n'), /Cancel requested while CreateOTA(Static|Dynamic)UpgradeJob is in flight/);
		});
	}

	void test('startVerification: the call is not aborted and the JobId comes back', async () => {
		const pending = pendingCreate('JV');
		const api = { queryFirmware: async () => firmware, createVerifyJob: pending.create };
		const controller = new AbortController();
		const started = startVerification(api, { firmwareId: 'F', deviceNames: ['d1'] }, controller.signal);
		await pending.sent;
		controller.abort();
		pending.release();
		assert.equal((await started).job.jobId, 'JV');
	});

	void test('promote: the all-devices batch is not aborted once sent', async () => {
		const fake = new FakeOta().add(job('G', { targetSelection: 'GRAY', jobStatus: 'COMPLETED' }), tasks('G', { SUCCEEDED: 5 }));
		const pending = pendingCreate('JALL');
		const controller = new AbortController();
		const api = Object.assign(fake, { createStaticJob: pending.create });
		const started = promote(api, 'G', undefined, controller.signal);
		await pending.sent;
		controller.abort();
		pending.release();
		const result = await started;
		assert.ok(result.promoted && result.job.jobId === 'JALL');
	});

	void test('a cancel before the call is sent stops the rollout: nothing is created', async () => {
		const pending = pendingCreate('never');
		let calls = 0;
		const api = {
			createStaticJob: (req: unknown, signal?: AbortSignal) => (calls++, pending.create(req, signal)),
			createDynamicJob: pending.create,
			uploadDeviceList: async () => 'unused',
			batchQueryDeviceDetail: async () => assert.fail('a batch of all devices names none to look up'),
		};
		const controller = new AbortController();
		controller.abort();
		const error = await startRollout(api, plan('static'), controller.signal).catch((e: unknown) => e);
		assert.ok(isCancelled(error), String(error));
		assert.equal(calls, 0);
	});
});
