// Cancel at every stage of upload → CreateOTAFirmware → insert, through the core flow. The cancel points are
// deterministic: the sandbox holds the request of that stage (a 'hold' fault rule) until the cancel has landed. A
// cancelled run registers nothing (a registration the platform accepted is deleted again), inserts nothing and leaves
// no temp file (sandbox data dir, next to the config file). The same through the CLI (signals): cancelCli.test.ts.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { before, describe, test } from 'node:test';
import { CANCEL_DURING_CREATE, prepareFlow, runFlow, type FlowHooks } from '../../../src/core/flow';
import type { IotClient } from '../../../src/core/iotClient';
import type { FaultRule, Sandbox } from '../../../src/sandbox';
import { apiCalls, withDeadline } from '../../support/reliability';
import { useCancelSuite } from './cancelSupport';

void describe('reliability: cancel at every stage leaves nothing half done (core flow)', () => {
	const cancelSuite = useCancelSuite('iot-ota-rel-cancel-flow-');
	const { fixture, registered, assertNothingDone, assertCancelled } = cancelSuite;
	let sandbox: Sandbox;
	let client: IotClient;

	before(() => ({ sandbox, client } = cancelSuite));

	/**
	 * Runs the whole flow with the request of one stage held by the sandbox; once it is held, `cancel` aborts the run
	 * and the request is released. Resolves with the run's error (a run that completes fails the test).
	 */
	async function cancelAt(name: string, hold: FaultRule, hooks: FlowHooks = {}): Promise<{ error: unknown; config: string }> {
		const { firmware, config } = fixture(name);
		const prepared = await prepareFlow({
			filePath: firmware,
			create: { productKey: sandbox.productKey, destVersion: '1.0.0', firmwareName: name },
			insert: { file: config, keyPath: 'ota.url' },
		});
		sandbox.faults.add(hold);
		const controller = new AbortController();
		const run = runFlow(client, prepared, { ...hooks, signal: controller.signal });
		await withDeadline(sandbox.faults.whenHeld(hold.target, hold.action), 10_000, `${hold.action} held`);
		controller.abort();
		sandbox.faults.release();
		const error = await withDeadline(
			run.then(
				() => assert.fail('the run completed although it was cancelled'),
				(e: unknown) => e,
			),
			15_000,
			'runFlow after cancel',
		);
		return { error, config };
	}

	void test('flow: aborted before it starts → no API call at all', async () => {
		const { firmware, config } = fixture('cancel-early');
		const prepared = await prepareFlow({ filePath: firmware, insert: { file: config, keyPath: 'ota.url' } });
		const controller = new AbortController();
		controller.abort();
		await assert.rejects(runFlow(client, prepared, { signal: controller.signal }), (e: unknown) => (assertCancelled(e), true));
		assert.deepEqual(sandbox.stats.apiCalls, {});
		await assertNothingDone('cancel-early', config);
	});

	void test('flow: cancelled while GenerateOTAUploadURL is held → nothing uploaded, registered or inserted', async () => {
		const { error, config } = await cancelAt('cancel-ticket', { target: 'api', action: 'GenerateOTAUploadURL', kind: 'hold' });
		assertCancelled(error);
		assert.equal(sandbox.stats.ossUploads, 0);
		assert.equal(apiCalls(sandbox, 'GenerateOTAUploadURL'), 1, 'the cancelled ticket request was retried');
		await assertNothingDone('cancel-ticket', config);
	});

	void test('flow: cancelled while the upload is held → no object stored, nothing registered or inserted, no partial file', async () => {
		const aborted = once(sandbox.events, 'uploadAborted');
		const { error, config } = await cancelAt('cancel-upload', { target: 'oss', action: 'PostObject', kind: 'hold' });
		assertCancelled(error);
		await aborted;
		assert.equal(sandbox.stats.ossUploads, 0);
		assert.equal(apiCalls(sandbox, 'CreateOTAFirmware'), 0);
		await assertNothingDone('cancel-upload', config);
	});

	void test('flow: cancelled while CreateOTAFirmware is held → it still registers, so the run deletes it again', async () => {
		const logged: string[] = [];
		const logger = { trace: () => {}, debug: () => {}, info: () => {}, warn: (m: string) => logged.push(m), error: () => {} };
		const { error, config } = await cancelAt('cancel-create', { target: 'api', action: 'CreateOTAFirmware', kind: 'hold' }, { logger });
		assertCancelled(error);
		assert.equal(apiCalls(sandbox, 'CreateOTAFirmware'), 1);
		assert.equal(apiCalls(sandbox, 'DeleteOTAFirmware'), 1);
		assert.ok(
			logged.includes(CANCEL_DURING_CREATE),
			'the cancel is acknowledged (a warning: every shell shows it) while the answer is awaited',
		);
		await assertNothingDone('cancel-create', config);
	});

	void test('flow: cancelled once the platform accepted CreateOTAFirmware (its answer held) → deleted again, nothing inserted', async () => {
		const hold: FaultRule = { target: 'api', action: 'CreateOTAFirmware', kind: 'hold', answer: true };
		const { firmware, config } = fixture('cancel-accepted');
		const prepared = await prepareFlow({
			filePath: firmware,
			create: { productKey: sandbox.productKey, destVersion: '1.0.0', firmwareName: 'cancel-accepted' },
			insert: { file: config, keyPath: 'ota.url' },
		});
		sandbox.faults.add(hold);
		const controller = new AbortController();
		const run = runFlow(client, prepared, { signal: controller.signal });
		await sandbox.faults.whenHeld('api', 'CreateOTAFirmware');
		assert.equal((await registered('cancel-accepted')).length, 1, 'registered before the cancel lands');
		controller.abort();
		sandbox.faults.release();
		await assert.rejects(run, (e: unknown) => (assertCancelled(e), true));
		assert.equal(apiCalls(sandbox, 'DeleteOTAFirmware'), 1);
		await assertNothingDone('cancel-accepted', config);
	});

	void test('flow: cancelled right after CreateOTAFirmware answered (before the insert) → deleted again, nothing inserted', async () => {
		const { firmware, config } = fixture('cancel-before-insert');
		const prepared = await prepareFlow({
			filePath: firmware,
			create: { productKey: sandbox.productKey, destVersion: '1.0.0', firmwareName: 'cancel-before-insert' },
			insert: { file: config, keyPath: 'ota.url' },
		});
		const controller = new AbortController();
		const run = runFlow(client, prepared, {
			signal: controller.signal,
			onStep: (step, state) => step === 'create' && state === 'done' && controller.abort(),
		});
		await assert.rejects(run, (e: unknown) => (assertCancelled(e), true));
		assert.equal(apiCalls(sandbox, 'DeleteOTAFirmware'), 1);
		await assertNothingDone('cancel-before-insert', config);
	});
});
