// Cancel at every stage of upload → CreateOTAFirmware → insert, through flow.ts and through the CLI (SIGINT).
// The invariant is all-or-nothing: a run that reports "Cancelled" registered nothing, inserted nothing and
// left no temp file (sandbox data dir, next to the config file); a run that completes did everything.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { isCancelled, OtaError } from '../../../src/core/errors';
import { prepareFlow, runFlow, type FlowResult, type FlowStep } from '../../../src/core/flow';
import type { IotClient } from '../../../src/core/iotClient';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { buildCli, cleanEnv, parseJsonOutput, startCli } from '../cli/cliHarness';
import {
	apiCalls,
	delay,
	installTripwire,
	leftoverTempFiles,
	removeDir,
	sandboxClient,
	tempDir,
	waitFor,
	withDeadline,
} from '../../support/reliability';

const tripwire = installTripwire();
const ORIGINAL_CONFIG = '{\n  // kept as is when cancelled\n  "ota": { "url": "" }\n}\n';

void describe('reliability: cancel at every stage leaves nothing half done', () => {
	let work: string;
	let sandbox: Sandbox;
	let client: IotClient;
	let cli: Awaited<ReturnType<typeof buildCli>>;
	let caseDir: string;
	let caseNo = 0;

	before(async () => {
		work = tempDir('iot-ota-rel-cancel-');
		[sandbox, cli] = await Promise.all([startSandbox({ dataDir: path.join(work, 'sandbox'), qps: 1000 }), buildCli()]);
		client = sandboxClient(sandbox);
	});

	beforeEach(() => {
		sandbox.faults.clear();
		sandbox.stats.reset();
		caseDir = mkdtempSync(path.join(work, `case-${++caseNo}-`));
	});

	afterEach(() => tripwire.assertClean());

	after(async () => {
		await withDeadline(sandbox?.stop() ?? Promise.resolve(), 10_000, 'sandbox.stop()');
		cli?.dispose();
		removeDir(work);
	});

	/** A firmware (2 MiB, so a stalled upload is surely still in flight) and a JSONC config in a fresh folder. */
	function fixture(name: string): { firmware: string; config: string } {
		const firmware = path.join(caseDir, `${name}.bin`);
		writeFileSync(firmware, randomBytes(2 * 1024 * 1024));
		const config = path.join(caseDir, 'device.jsonc');
		writeFileSync(config, ORIGINAL_CONFIG);
		return { firmware, config };
	}

	async function registered(name: string): Promise<string[]> {
		const page = await client.listOtaFirmware({ pageSize: 100 });
		return page.items.filter((f) => f.firmwareName === name).map((f) => f.firmwareId);
	}

	/** The all-or-nothing check, after the server had time to finish anything it received. */
	async function assertAllOrNothing(outcome: { result?: FlowResult; error?: unknown }, name: string, config: string): Promise<void> {
		await delay(900);
		const ids = await registered(name);
		const text = readFileSync(config, 'utf8');
		if (outcome.error !== undefined) {
			assert.ok(isCancelled(outcome.error), `expected a cancellation, got ${String(outcome.error)}`);
			assert.equal((outcome.error as OtaError).code, 'Cancelled');
			assert.deepEqual(ids, [], 'cancelled, but the firmware stayed registered');
			assert.equal(text, ORIGINAL_CONFIG, 'cancelled, but the config file was changed');
		} else {
			const result = outcome.result as FlowResult;
			assert.deepEqual(ids, [result.created?.firmwareId], 'completed, but not registered exactly once');
			assert.ok(text.includes(result.upload.firmwareUrl), 'completed, but the URL was not inserted');
		}
		assert.deepEqual(leftoverTempFiles(caseDir), [], 'temp file left next to the config');
		assert.deepEqual(leftoverTempFiles(sandbox.dataDir), [], 'temp file left in the sandbox data dir');
	}

	async function runCancelled(
		name: string,
		arm: (controller: AbortController) => void,
		onStep?: (step: FlowStep, state: 'start' | 'done') => void,
	): Promise<{ result?: FlowResult; error?: unknown; config: string }> {
		const { firmware, config } = fixture(name);
		const prepared = await prepareFlow({
			filePath: firmware,
			create: { productKey: sandbox.productKey, destVersion: '1.0.0', firmwareName: name },
			insert: { file: config, keyPath: 'ota.url' },
		});
		const controller = new AbortController();
		arm(controller);
		try {
			const result = await withDeadline(
				runFlow(client, prepared, { signal: controller.signal, onStep }),
				15_000,
				'runFlow after cancel',
			);
			return { result, config };
		} catch (error) {
			return { error, config };
		}
	}

	void test('flow: aborted before it starts → no API call at all', async () => {
		const outcome = await runCancelled('cancel-early', (c) => c.abort());
		assert.ok(outcome.error instanceof OtaError && outcome.error.code === 'Cancelled', String(outcome.error));
		assert.deepEqual(sandbox.stats.apiCalls, {});
		await assertAllOrNothing(outcome, 'cancel-early', outcome.config);
	});

	void test('flow: cancelled while GenerateOTAUploadURL is in flight → nothing uploaded, registered or inserted', async () => {
		sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'stall' });
		const outcome = await runCancelled('cancel-ticket', (c) => {
			void waitFor(() => apiCalls(sandbox, 'GenerateOTAUploadURL') === 1, 5000, 'ticket request')
				.then(() => delay(50))
				.then(() => c.abort());
		});
		assert.ok(outcome.error !== undefined, 'the flow completed although it was cancelled before the ticket');
		assert.equal(sandbox.stats.ossUploads, 0);
		assert.equal(apiCalls(sandbox, 'GenerateOTAUploadURL'), 1, 'the cancelled ticket request was retried');
		await assertAllOrNothing(outcome, 'cancel-ticket', outcome.config);
	});

	void test('flow: cancelled during the upload → no object stored, nothing registered or inserted, no partial file', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'stall' });
		const outcome = await runCancelled('cancel-upload', (c) => {
			void waitFor(() => apiCalls(sandbox, 'GenerateOTAUploadURL') === 1, 5000, 'ticket')
				.then(() => delay(200))
				.then(() => c.abort());
		});
		assert.ok(outcome.error !== undefined);
		assert.equal(sandbox.stats.ossUploads, 0);
		assert.equal(apiCalls(sandbox, 'CreateOTAFirmware'), 0);
		await assertAllOrNothing(outcome, 'cancel-upload', outcome.config);
	});

	void test('flow: cancelled while CreateOTAFirmware is in flight → not left registered, config untouched', async () => {
		// The sandbox has the whole request when the client gives up, so it registers it 400 ms later anyway —
		// exactly what the real platform does. Cancelling must therefore not leave that registration behind.
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'delay', ms: 400 });
		const outcome = await runCancelled('cancel-create', (c) => {
			void waitFor(() => apiCalls(sandbox, 'CreateOTAFirmware') === 1, 10_000, 'create')
				.then(() => delay(50))
				.then(() => c.abort());
		});
		await assertAllOrNothing(outcome, 'cancel-create', outcome.config);
	});

	void test('flow: cancelled right after CreateOTAFirmware answered (before the insert) → all or nothing', async () => {
		let controller: AbortController | undefined;
		const outcome = await runCancelled(
			'cancel-before-insert',
			(c) => (controller = c),
			(step, state) => {
				if (step === 'create' && state === 'done') {
					controller?.abort();
				}
			},
		);
		await assertAllOrNothing(outcome, 'cancel-before-insert', outcome.config);
	});

	/** The CLI with --create and --insert, SIGINT once `ready()` holds; returns the run and the config path. */
	async function cliCancelled(
		name: string,
		ready: () => boolean,
	): Promise<{ code: number | null; stdout: string; stderr: string; config: string }> {
		const { firmware, config } = fixture(name);
		const env = cleanEnv(path.join(work, 'home'), {
			ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
			ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret,
		});
		const args = [
			'upload',
			firmware,
			'--endpoint',
			sandbox.endpoint,
			'--json',
			'--create',
			'--product-key',
			sandbox.productKey,
			'--dest-version',
			'1.0.0',
			'--name',
			name,
			'--insert',
			`${config}#ota.url`,
		];
		const { child, done } = startCli(cli.cliPath, args, { env, cwd: caseDir });
		try {
			await waitFor(ready, 10_000, `the stage to cancel in (${name})`);
			await delay(50);
		} finally {
			child.kill('SIGINT');
		}
		const run = await withDeadline(done, 15_000, 'the CLI after SIGINT');
		return { ...run, config };
	}

	void test('CLI: SIGINT while the ticket request is in flight → exit 130, {"error":{"code":"Cancelled"}}, nothing done', async () => {
		sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'stall' });
		const run = await cliCancelled('cli-cancel-ticket', () => apiCalls(sandbox, 'GenerateOTAUploadURL') === 1);
		assert.equal(run.code, 130, run.stderr);
		assert.deepEqual(parseJsonOutput({ ...run, signal: null }), {
			error: { code: 'Cancelled', message: 'Cancelled during GenerateOTAUploadURL.' },
		});
		assert.equal(run.stderr, 'Cancelled\n');
		assert.equal(sandbox.stats.ossUploads, 0);
		await assertAllOrNothing(
			{ error: new OtaError({ code: 'Cancelled', message: 'x', source: 'cancelled' }) },
			'cli-cancel-ticket',
			run.config,
		);
	});

	void test('CLI: SIGINT while CreateOTAFirmware is in flight → exit 130 and not left registered, or exit 0 with everything done', async () => {
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'delay', ms: 400 });
		const run = await cliCancelled('cli-cancel-create', () => apiCalls(sandbox, 'CreateOTAFirmware') === 1);
		const body = parseJsonOutput({ ...run, signal: null }) as { error?: { code: string }; firmwareId?: string; firmwareUrl?: string };
		if (run.code === 130) {
			assert.equal(body.error?.code, 'Cancelled');
			await assertAllOrNothing(
				{ error: new OtaError({ code: 'Cancelled', message: 'x', source: 'cancelled' }) },
				'cli-cancel-create',
				run.config,
			);
		} else {
			assert.equal(run.code, 0, run.stderr);
			await assertAllOrNothing(
				{
					result: {
						upload: { firmwareUrl: body.firmwareUrl } as FlowResult['upload'],
						created: { firmwareId: body.firmwareId ?? '', firmwareName: 'cli-cancel-create' },
					},
				},
				'cli-cancel-create',
				run.config,
			);
		}
	});
});
