// HTML or other non-JSON answers of the gateway (the 502/503/504 pages of a front proxy, issue #11 §6) are retried like
// any 5xx for the actions that are safe to repeat (src/core/iot/actions.ts), and reported with their HTTP status
// otherwise; CreateOTAFirmware is never sent twice.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, before, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import type { Sandbox } from '../../../src/sandbox';
import { parseJsonOutput, runCli } from '../cli/cliHarness';
import { apiCalls, installTripwire, sandboxClient } from '../../support/reliability';
import { uploadCreateArgs, useSandboxSuite } from '../../support/reliabilitySuite';

const tripwire = installTripwire();
const PAGE = '<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>';

void describe('reliability: a front proxy answers with an HTML page', () => {
	const suite = useSandboxSuite('iot-ota-rel-proxy-page-', { sandbox: { qps: 1000 }, cli: true, caseDir: true });
	let sandbox: Sandbox;

	before(() => ({ sandbox } = suite));

	afterEach(() => tripwire.assertClean());

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
		writeFileSync(path.join(suite.caseDir, 'fw.bin'), randomBytes(64 * 1024));
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 502, body: PAGE });
		const run = await runCli(suite.cli.cliPath, uploadCreateArgs(sandbox, 'fw.bin', { json: true }), {
			env: suite.cliEnv(),
			cwd: suite.caseDir,
		});
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
