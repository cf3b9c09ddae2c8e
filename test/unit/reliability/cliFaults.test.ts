// Fault injection through the CLI as users run it (`iot-ota upload … --json`, spawned against the sandbox):
// transient faults end in exit 0 after retries with fresh tickets; persistent ones in exit 4 with ONE JSON
// error carrying the RequestId; nothing is registered or inserted twice, and no temp file is left.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, before, beforeEach, describe, test } from 'node:test';
import type { Sandbox } from '../../../src/sandbox';
import { parseJsonOutput, runCli, type CliRun } from '../cli/cliHarness';
import { apiCalls, installTripwire, leftoverTempFiles, sandboxTmp } from '../../support/reliability';
import { uploadCreateArgs, useSandboxSuite } from '../../support/reliabilitySuite';

const tripwire = installTripwire();
const CONFIG = '{\n  "ota": { "url": "" }\n}\n';

void describe('reliability: faults through the spawned CLI', () => {
	const suite = useSandboxSuite('iot-ota-rel-clifaults-', { sandbox: { qps: 1000 }, cli: true, caseDir: true });
	let sandbox: Sandbox;

	before(() => ({ sandbox } = suite));

	beforeEach(() => {
		writeFileSync(path.join(suite.caseDir, 'fw.bin'), randomBytes(256 * 1024));
		writeFileSync(path.join(suite.caseDir, 'device.jsonc'), CONFIG);
	});

	afterEach(async () => {
		await tripwire.assertClean();
		await sandbox.uploadsSettled();
		assert.deepEqual(sandboxTmp(sandbox), [], 'partial upload left in the sandbox');
		assert.deepEqual(leftoverTempFiles(suite.caseDir), [], 'temp file left next to the config');
	});

	const run = (name: string, ...extra: string[]): Promise<CliRun> =>
		runCli(
			suite.cli.cliPath,
			[...uploadCreateArgs(sandbox, 'fw.bin', { json: true, name, insert: 'device.jsonc#ota.url' }), ...extra],
			{ env: suite.cliEnv(), cwd: suite.caseDir },
		);
	const config = (): string => readFileSync(path.join(suite.caseDir, 'device.jsonc'), 'utf8');

	function succeeded(result: CliRun): { firmwareUrl: string; firmwareId: string } {
		assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
		const body = parseJsonOutput(result) as { firmwareUrl: string; firmwareId: string };
		assert.ok(config().includes(body.firmwareUrl), 'the URL was not inserted');
		assert.equal(sandbox.stats.ossUploads, 1, 'stored more than once');
		assert.equal(apiCalls(sandbox, 'CreateOTAFirmware'), 1, 'registered more than once');
		return body;
	}

	function failed(result: CliRun, code: string, message: RegExp): void {
		assert.equal(result.code, 4, `${result.stdout}\n${result.stderr}`);
		const body = parseJsonOutput(result) as { error: { code: string; message: string; requestId?: string } };
		assert.deepEqual(Object.keys(body), ['error']);
		assert.equal(body.error.code, code);
		assert.match(body.error.message, message);
		assert.match(body.error.requestId ?? '', /^[0-9A-F-]{24,36}$/, 'no RequestId');
		assert.equal(config(), CONFIG, 'the config was changed by a failed run');
	}

	void test('connection reset after 64 KiB → exit 0 after a retry with a fresh ticket; stored, registered and inserted once', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'reset', afterBytes: 64 * 1024 });
		succeeded(await run('cli-reset'));
		assert.equal(apiCalls(sandbox, 'GenerateOTAUploadURL'), 2);
	});

	void test('OSS 502 twice and a slow API → exit 0, three tickets', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'status', status: 502, times: 2 });
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'delay', ms: 500 });
		succeeded(await run('cli-502'));
		assert.equal(apiCalls(sandbox, 'GenerateOTAUploadURL'), 3);
	});

	void test('OSS "Policy expired" → renewed at once, exit 0', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'expirePolicy' });
		succeeded(await run('cli-expired'));
		assert.equal(apiCalls(sandbox, 'GenerateOTAUploadURL'), 2);
	});

	void test('a Throttling.User burst on GenerateOTAUploadURL and CreateOTAFirmware → exit 0, registered once', async () => {
		sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'throttle', times: 2 });
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'throttle', times: 2 });
		const result = await run('cli-throttled');
		assert.equal(result.code, 0, result.stdout + result.stderr);
		assert.equal(sandbox.stats.ossUploads, 1);
		assert.equal(sandbox.stats.apiErrors['Throttling.User'], 4);
	});

	void test('OSS 503 on every attempt → exit 4, one JSON error with the OSS RequestId, 4 tickets, nothing registered', async () => {
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'status', status: 503, times: 20 });
		failed(
			await run('cli-503'),
			'ServiceUnavailable',
			/^Upload failed after 4 attempts\. Last error: OSS rejected the upload \(HTTP 503 ServiceUnavailable\)/,
		);
		assert.equal(apiCalls(sandbox, 'GenerateOTAUploadURL'), 4);
		assert.equal(apiCalls(sandbox, 'CreateOTAFirmware'), 0);
	});

	void test('CreateOTAFirmware answers 500 → exit 4 with its RequestId, sent once (no duplicate registration), config untouched', async () => {
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 500 });
		failed(await run('cli-create-500'), 'InternalError', /^CreateOTAFirmware failed: /);
		assert.equal(apiCalls(sandbox, 'CreateOTAFirmware'), 1);
	});
});
