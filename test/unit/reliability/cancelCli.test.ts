// Cancel at every stage of upload → CreateOTAFirmware → insert through the CLI: SIGINT, SIGHUP, SIGTERM, SIGQUIT, a
// second SIGINT, a terminal gone. The cancel points are deterministic: the sandbox holds the request of that stage (a
// 'hold' fault rule) until the CLI took the cancel. A cancelled run registers nothing (a registration the platform
// accepted is deleted again), inserts nothing and leaves no temp file. The same through the core flow: cancelFlow.test.ts.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import { CANCEL_DURING_CREATE } from '../../../src/core/flow';
import type { FaultRule, Sandbox } from '../../../src/sandbox';
import { parseJsonOutput, startCli, waitFor, type CliRun } from '../cli/cliHarness';
import { apiCalls, leftoverTempFiles, withDeadline } from '../../support/reliability';
import { uploadCreateArgs } from '../../support/reliabilitySuite';
import { ORIGINAL_CONFIG, useCancelSuite } from './cancelSupport';

void describe('reliability: cancel at every stage leaves nothing half done (CLI)', () => {
	const cancelSuite = useCancelSuite('iot-ota-rel-cancel-cli-');
	const { suite, fixture, registered, assertNothingDone } = cancelSuite;
	let sandbox: Sandbox;

	before(() => ({ sandbox } = cancelSuite));

	/**
	 * The CLI with --create and --insert (and --verbose, whose log says when a cancel landed); `signal` once `hold`
	 * holds, release once `landed` says the CLI took the cancel. `closeOutput` then closes the CLI's stdout and stderr
	 * before the release, as a closed terminal or a dropped SSH session does: everything it writes afterwards fails.
	 */
	async function cliCancelledAt(
		name: string,
		hold: FaultRule,
		landed: (cli: { stderr: () => string; exited: Promise<unknown> }) => Promise<unknown>,
		{ signal = 'SIGINT', closeOutput = false }: { signal?: NodeJS.Signals; closeOutput?: boolean } = {},
	): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; config: string }> {
		const { firmware, config } = fixture(name);
		const args = uploadCreateArgs(sandbox, firmware, { json: true, name, insert: `${config}#ota.url` });
		if (hold.action === 'CreateOTAFirmware') {
			args.push('--verbose');
		}
		sandbox.faults.add(hold);
		const { child, done } = startCli(suite.cli.cliPath, args, { env: suite.cliEnv(), cwd: suite.caseDir });
		let stderr = '';
		child.stderr?.on('data', (chunk: string) => (stderr += chunk));
		await withDeadline(sandbox.faults.whenHeld(hold.target, hold.action), 10_000, `${hold.action} held`);
		child.kill(signal);
		await withDeadline(landed({ stderr: () => stderr, exited: done }), 15_000, 'the CLI taking the cancel');
		if (closeOutput) {
			child.stdout?.destroy();
			child.stderr?.destroy();
		}
		sandbox.faults.release();
		const run = await withDeadline(done, 15_000, `the CLI after ${signal}`);
		return { ...run, config };
	}

	void test('CLI: SIGINT while the ticket request is held → exit 130, {"error":{"code":"Cancelled"}}, nothing done', async () => {
		// The ticket request is aborted at once: the CLI exits while the sandbox still holds it.
		const hold: FaultRule = { target: 'api', action: 'GenerateOTAUploadURL', kind: 'hold' };
		const run = await cliCancelledAt('cli-cancel-ticket', hold, ({ exited }) => exited);
		assert.equal(run.code, 130, run.stderr);
		assert.deepEqual(parseJsonOutput({ ...run, signal: null }), {
			error: { code: 'Cancelled', message: 'Cancelled during GenerateOTAUploadURL.' },
		});
		assert.equal(run.stderr, 'Cancelled\n');
		assert.equal(sandbox.stats.ossUploads, 0);
		await assertNothingDone('cli-cancel-ticket', run.config);
	});

	void test('CLI: SIGINT while CreateOTAFirmware is held → exit 130 and the registration deleted again, config untouched', async () => {
		// CreateOTAFirmware is not aborted (the platform may register it anyway): its answer is awaited, then undone.
		const hold: FaultRule = { target: 'api', action: 'CreateOTAFirmware', kind: 'hold' };
		const run = await cliCancelledAt('cli-cancel-create', hold, ({ stderr }) =>
			waitFor(() => stderr().includes(CANCEL_DURING_CREATE), 10_000, 'the CLI acknowledging the cancel'),
		);
		assert.equal(run.code, 130, run.stderr);
		assert.deepEqual(parseJsonOutput({ ...run, signal: null }), {
			error: { code: 'Cancelled', message: 'Cancelled during the firmware registration.' },
		});
		assert.equal(apiCalls(sandbox, 'DeleteOTAFirmware'), 1);
		await assertNothingDone('cli-cancel-create', run.config);
	});

	// Every way a process is asked to end takes the same path; the exit code is 128 + the signal's number.
	for (const [signal, code] of [
		['SIGHUP', 129],
		['SIGTERM', 143],
		['SIGQUIT', 131],
	] as const) {
		void test(`CLI: ${signal} while CreateOTAFirmware is held → exit ${code}, one JSON error, the registration deleted again, config untouched`, async () => {
			const name = `cli-${signal.toLowerCase()}-create`;
			const hold: FaultRule = { target: 'api', action: 'CreateOTAFirmware', kind: 'hold' };
			const run = await cliCancelledAt(
				name,
				hold,
				({ stderr }) => waitFor(() => stderr().includes(CANCEL_DURING_CREATE), 10_000, 'the CLI acknowledging the cancel'),
				{ signal },
			);
			assert.equal(run.signal, null, `the CLI was killed by ${signal} instead of cancelling`);
			assert.equal(run.code, code, run.stderr);
			assert.deepEqual(parseJsonOutput({ ...run, signal: null }), {
				error: { code: 'Cancelled', message: 'Cancelled during the firmware registration.' },
			});
			assert.equal(apiCalls(sandbox, 'DeleteOTAFirmware'), 1);
			await assertNothingDone(name, run.config);
		});
	}

	void test('CLI: SIGHUP, then the terminal gone (output closed) → the registration is still deleted again, exit 129', async () => {
		const hold: FaultRule = { target: 'api', action: 'CreateOTAFirmware', kind: 'hold' };
		const run = await cliCancelledAt(
			'cli-hangup-closed',
			hold,
			({ stderr }) => waitFor(() => stderr().includes(CANCEL_DURING_CREATE), 10_000, 'the CLI acknowledging the cancel'),
			{ signal: 'SIGHUP', closeOutput: true },
		);
		assert.equal(run.code, 129, run.stderr);
		assert.equal(apiCalls(sandbox, 'DeleteOTAFirmware'), 1);
		await assertNothingDone('cli-hangup-closed', run.config);
	});

	/** The CLI with --create and --insert and without --verbose, started with `holds` armed; its stderr as it comes. */
	function startCreate(
		name: string,
		holds: FaultRule[],
	): { child: ChildProcess; done: Promise<CliRun>; stderr: () => string; config: string } {
		const { firmware, config } = fixture(name);
		const args = uploadCreateArgs(sandbox, firmware, { name, insert: `${config}#ota.url` });
		holds.forEach((hold) => sandbox.faults.add(hold));
		const { child, done } = startCli(suite.cli.cliPath, args, { env: suite.cliEnv(), cwd: suite.caseDir });
		let stderr = '';
		child.stderr?.on('data', (chunk: string) => (stderr += chunk));
		return { child, done, stderr: () => stderr, config };
	}

	void test('CLI: the wait for CreateOTAFirmware is shown without --verbose; a second SIGINT exits at once, naming what may be registered', async () => {
		const name = 'cli-second-signal-create';
		const run = startCreate(name, [{ target: 'api', action: 'CreateOTAFirmware', kind: 'hold' }]);
		await withDeadline(sandbox.faults.whenHeld('api', 'CreateOTAFirmware'), 10_000, 'CreateOTAFirmware held');
		run.child.kill('SIGINT');
		await waitFor(() => run.stderr().includes(`[warn] ${CANCEL_DURING_CREATE}`), 10_000, 'the wait notice');
		run.child.kill('SIGINT');
		const exited = await withDeadline(run.done, 10_000, 'the CLI after the second SIGINT, CreateOTAFirmware still held');
		sandbox.faults.release();
		assert.equal(exited.code, 130, exited.stderr);
		const notice =
			`Stopped waiting for CreateOTAFirmware: "${name}" (product ${sandbox.productKey}, DestVersion 1.0.0) may be registered. ` +
			`Look for it with: iot-ota firmware list --product-key ${sandbox.productKey} --dest-version 1.0.0 --endpoint ${sandbox.endpoint}; ` +
			`delete it (iot-ota firmware delete '<FirmwareId>' --yes --endpoint ${sandbox.endpoint}) if it is not wanted.`;
		assert.ok(exited.stderr.endsWith(`${notice}\n`), exited.stderr);
		assert.equal(readFileSync(run.config, 'utf8'), ORIGINAL_CONFIG);
		assert.deepEqual(leftoverTempFiles(suite.caseDir), []);
	});

	void test('CLI: a second SIGINT while the undo (DeleteOTAFirmware) is held names the FirmwareId that may still be registered', async () => {
		const name = 'cli-second-signal-undo';
		const run = startCreate(name, [
			{ target: 'api', action: 'CreateOTAFirmware', kind: 'hold' },
			{ target: 'api', action: 'DeleteOTAFirmware', kind: 'hold' },
		]);
		await withDeadline(sandbox.faults.whenHeld('api', 'CreateOTAFirmware'), 10_000, 'CreateOTAFirmware held');
		run.child.kill('SIGINT');
		await waitFor(() => run.stderr().includes(CANCEL_DURING_CREATE), 10_000, 'the wait notice');
		sandbox.faults.release();
		await withDeadline(sandbox.faults.whenHeld('api', 'DeleteOTAFirmware'), 10_000, 'the undo held');
		const [firmwareId] = await registered(name);
		assert.ok(firmwareId, 'registered, the undo not done yet');
		run.child.kill('SIGINT');
		const exited = await withDeadline(run.done, 10_000, 'the CLI after the second SIGINT, the undo still held');
		sandbox.faults.release();
		assert.equal(exited.code, 130, exited.stderr);
		const notice =
			`Stopped before the OTA firmware ${firmwareId} registered by this run was deleted: it may still be registered. ` +
			`Delete it with: iot-ota firmware delete ${firmwareId} --yes --endpoint ${sandbox.endpoint}`;
		assert.ok(exited.stderr.endsWith(`${notice}\n`), exited.stderr);
		assert.equal(readFileSync(run.config, 'utf8'), ORIGINAL_CONFIG);
	});

	void test('CLI: SIGINT while CreateOTAFirmware is held and the undo refused → exit 130, an Error line naming the FirmwareId to delete', async () => {
		const name = 'cli-cancel-undo-refused';
		const run = startCreate(name, [
			{ target: 'api', action: 'CreateOTAFirmware', kind: 'hold' },
			{ target: 'api', action: 'DeleteOTAFirmware', kind: 'status', status: 400, code: 'InvalidParameter' },
		]);
		await withDeadline(sandbox.faults.whenHeld('api', 'CreateOTAFirmware'), 10_000, 'CreateOTAFirmware held');
		run.child.kill('SIGINT');
		await waitFor(() => run.stderr().includes(CANCEL_DURING_CREATE), 10_000, 'the wait notice');
		sandbox.faults.release();
		const exited = await withDeadline(run.done, 15_000, 'the CLI after the refused undo');
		const [firmwareId] = await registered(name);
		assert.ok(firmwareId, 'the undo was refused: the package stays registered');
		assert.equal(exited.code, 130, exited.stderr);
		assert.match(
			exited.stderr,
			new RegExp(
				`^Error: Cancelled, but the OTA firmware ${firmwareId} registered just before could not be deleted \\(.+\\)\\. Delete it with: iot-ota firmware delete ${firmwareId} --yes --endpoint ${sandbox.endpoint.replace(/[.?]/g, '\\$&')} \\(CancelledButRegistered\\)$`,
				'm',
			),
			'the FirmwareId, and the CLI command that deletes it where the run registered it, not a bare "Cancelled"',
		);
		assert.doesNotMatch(exited.stderr, /^Cancelled$/m);
		assert.equal(readFileSync(run.config, 'utf8'), ORIGINAL_CONFIG);
	});
});
