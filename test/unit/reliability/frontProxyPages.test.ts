// HTML or other non-JSON answers of the gateway (the 502/503/504 pages of a front proxy, issue #11 §6) are retried like
// any 5xx for the actions that are safe to repeat (src/core/iot/actions.ts), and reported with their HTTP status
// otherwise; CreateOTAFirmware is never sent twice.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { buildCli, cleanEnv, parseJsonOutput, runCli } from '../cli/cliHarness';
import { apiCalls, installTripwire, removeDir, sandboxClient, tempDir, withDeadline } from '../../support/reliability';

const tripwire = installTripwire();
const PAGE = '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>';

void describe('reliability: a front proxy answers with an HTML page', () => {
	let work: string;
	let sandbox: Sandbox;
	let cli: Awaited<ReturnType<typeof buildCli>>;

	before(async () => {
		work = tempDir('iot-ota-rel-proxy-page-');
		[cli, sandbox] = await Promise.all([buildCli(), startSandbox({ dataDir: path.join(work, 'sandbox'), qps: 1000 })]);
	});

	beforeEach(() => {
		sandbox.faults.clear();
		sandbox.stats.reset();
	});

	afterEach(() => tripwire.assertClean());

	after(async () => {
		await withDeadline(sandbox?.stop() ?? Promise.resolve(), 10_000, 'sandbox.stop()');
		cli?.dispose();
		removeDir(work);
	});

	void test('a repeatable action (ListOTAFirmware): two 502 pages, then the answer → retried, succeeds', async () => {
		sandbox.faults.add({ target: 'api', action: 'ListOTAFirmware', kind: 'status', status: 502, body: PAGE, times: 2 });
		const page = await sandboxClient(sandbox).listOtaFirmware({ pageSize: 10 });
		assert.ok(Array.isArray(page.items));
		assert.equal(apiCalls(sandbox, 'ListOTAFirmware'), 3);
	});

	void test('a 502 page that never ends → NonJsonResponse with HTTP 502 after the bounded attempts', async () => {
		sandbox.faults.add({ target: 'api', action: 'QueryProductList', kind: 'status', status: 503, body: PAGE, times: 10 });
		const error = await sandboxClient(sandbox)
			.queryProductList()
			.then(
				() => assert.fail('succeeded'),
				(e: unknown) => e,
			);
		assert.ok(error instanceof OtaError);
		assert.equal(error.code, 'NonJsonResponse');
		assert.equal(error.status, 503);
		assert.match(error.message, /returned a non-JSON answer \(HTTP 503\) \("502 Bad Gateway"\)/);
		assert.equal(apiCalls(sandbox, 'QueryProductList'), 4);
	});

	void test('CLI: CreateOTAFirmware answered by a 502 page → sent once, exit 4 with HTTP 502 in the one JSON error', async () => {
		const dir = mkdtempSync(path.join(work, 'cli-'));
		writeFileSync(path.join(dir, 'fw.bin'), randomBytes(64 * 1024));
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 502, body: PAGE });
		const run = await runCli(
			cli.cliPath,
			[
				'upload',
				'fw.bin',
				'--endpoint',
				sandbox.endpoint,
				'--json',
				'--create',
				'--product-key',
				sandbox.productKey,
				'--dest-version',
				'1.0.0',
			],
			{
				env: cleanEnv(path.join(work, 'home'), {
					ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
					ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret,
				}),
				cwd: dir,
			},
		);
		assert.equal(run.code, 4, run.stderr);
		const { error } = parseJsonOutput(run) as { error: { code: string; message: string; firmwareUrl?: string } };
		assert.equal(error.code, 'NonJsonResponse');
		assert.match(
			error.message,
			/^CreateOTAFirmware: http:\/\/127\.0\.0\.1:\d+ returned a non-JSON answer \(HTTP 502\) \("502 Bad Gateway"\)\./,
		);
		assert.ok(error.firmwareUrl, 'the finished upload is still handed over');
		assert.equal(apiCalls(sandbox, 'CreateOTAFirmware'), 1, 'CreateOTAFirmware was repeated');
	});
});
