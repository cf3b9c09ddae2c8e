// Secret leak audit of the CLI. Every CLI flow (success, each failure, cancel; quiet, --json and --verbose) runs with
// unique marker credentials; then stdout/stderr and every file under HOME, the working folder and the sandbox data dir
// are searched for the markers in every spelling (raw, URL/POP-encoded, doubly encoded, base64, JSON-escaped) and for
// signed URLs (`Signature=<value>`). The sandbox may keep its OWN copy of the STS key in its identity.json (it is the
// issuer); nothing else may. The core's error objects and log lines are audited in secretLeakCore.test.ts.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Sandbox } from '../../../src/sandbox';
import { cleanEnv, startCli, type CliRun } from '../cli/cliHarness';
import { apiCalls, findLeaks, SIGNED_URL_VALUE, waitFor, withDeadline } from '../../support/reliability';
import { uploadCreateArgs } from '../../support/reliabilitySuite';
import { ALL_MARKERS, assertNoLeak, assertNoLeakInFiles, MARKER, useLeakSuite } from './secretLeakSupport';

void describe('reliability: secret leak audit (CLI flows and the files they leave)', () => {
	const suite = useLeakSuite('iot-ota-rel-leak-cli-', { cli: true });
	let home: string;
	let project: string;
	let sandbox: Sandbox;
	const outputs: Array<{ name: string; run: CliRun }> = [];

	before(() => ({ home, project, sandbox } = suite));

	const mainEnv = (): NodeJS.ProcessEnv => ({
		ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
		ALIBABA_CLOUD_ACCESS_KEY_SECRET: MARKER.secret,
	});
	const stsEnv = (token = MARKER.token): NodeJS.ProcessEnv => ({
		ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.sts.accessKeyId,
		ALIBABA_CLOUD_ACCESS_KEY_SECRET: MARKER.stsSecret,
		ALIBABA_CLOUD_SECURITY_TOKEN: token,
	});

	async function cliRun(
		name: string,
		args: string[],
		env: NodeJS.ProcessEnv,
		opts: { cancelWhen?: () => boolean } = {},
	): Promise<CliRun> {
		const { child, done } = startCli(suite.cli.cliPath, args, { env: cleanEnv(home, env), cwd: project });
		if (opts.cancelWhen) {
			try {
				await waitFor(opts.cancelWhen, 10_000, `${name}: the moment to cancel`);
			} finally {
				child.kill('SIGINT');
			}
		}
		const run = await withDeadline(done, 20_000, name);
		outputs.push({ name, run });
		return run;
	}

	const upload = (...extra: string[]): string[] => ['upload', 'fw.bin', '--endpoint', sandbox.endpoint, ...extra];

	void test('success flows: --json with create + insert, human --verbose, STS keys --verbose', async () => {
		const a = await cliRun(
			'success --json',
			uploadCreateArgs(sandbox, 'fw.bin', { json: true, insert: 'device.jsonc#ota.url' }),
			mainEnv(),
		);
		assert.equal(a.code, 0, a.stderr);
		const b = await cliRun(
			'success --verbose',
			[...uploadCreateArgs(sandbox, 'fw.bin', { destVersion: '1.0.1', insert: 'app.yaml#ota.url' }), '--verbose'],
			mainEnv(),
		);
		assert.equal(b.code, 0, b.stderr);
		assert.match(b.stderr, /\[info\]/, '--verbose logged nothing: the audit would prove little');
		const c = await cliRun('success STS --verbose', upload('--verbose', '--json'), stsEnv());
		assert.equal(c.code, 0, c.stderr);
	});

	void test('failure flows: wrong secret, unknown key, wrong STS token, OSS 503, API 500 on create, endless throttling, expired policies, credentials in the endpoint URL, missing file', async () => {
		const failures: Array<[string, string[], NodeJS.ProcessEnv, (() => void)?]> = [
			['wrong secret', upload('--verbose'), { ...mainEnv(), ALIBABA_CLOUD_ACCESS_KEY_SECRET: MARKER.wrongSecret }],
			['wrong secret --json', upload('--json', '--verbose'), { ...mainEnv(), ALIBABA_CLOUD_ACCESS_KEY_SECRET: MARKER.wrongSecret }],
			['unknown key', upload('--verbose'), { ...mainEnv(), ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tUnknownMarkerKey' }],
			['wrong STS token', upload('--verbose', '--json'), stsEnv(MARKER.wrongToken)],
			[
				'OSS 503 every attempt',
				upload('--verbose'),
				stsEnv(),
				() => sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'status', status: 503, times: 8 }),
			],
			[
				'API 500 on create',
				[...uploadCreateArgs(sandbox, 'fw.bin', { json: true, destVersion: '2.0.0' }), '--verbose'],
				stsEnv(),
				() => sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 500 }),
			],
			[
				'endless throttling',
				upload('--verbose'),
				mainEnv(),
				() => sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'throttle', times: 8 }),
			],
			[
				'expired policies',
				upload('--verbose', '--json'),
				stsEnv(),
				() => sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'expirePolicy', times: 8 }),
			],
			[
				'secret in the endpoint URL',
				['upload', 'fw.bin', '--json', '--endpoint', `https://LTAI5tX:${MARKER.urlPassword}@iot.example.com`],
				mainEnv(),
			],
			['missing file', ['upload', 'nope.bin', '--verbose', '--endpoint', sandbox.endpoint], mainEnv()],
		];
		for (const [name, args, env, arm] of failures) {
			sandbox.faults.clear();
			arm?.();
			const run = await cliRun(name, args, env);
			assert.notEqual(run.code, 0, `${name} unexpectedly succeeded`);
		}
		sandbox.faults.clear();
	});

	void test('cancel flows: SIGINT during the ticket request and during the upload (--verbose)', async () => {
		sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'stall' });
		let before = apiCalls(sandbox, 'GenerateOTAUploadURL');
		const a = await cliRun('cancel at ticket', upload('--verbose'), stsEnv(), {
			cancelWhen: () => apiCalls(sandbox, 'GenerateOTAUploadURL') > before,
		});
		assert.equal(a.code, 130);
		sandbox.faults.clear();
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'stall' });
		before = apiCalls(sandbox, 'GenerateOTAUploadURL');
		const b = await cliRun('cancel during upload', upload('--verbose', '--json'), mainEnv(), {
			cancelWhen: () => apiCalls(sandbox, 'GenerateOTAUploadURL') > before,
		});
		assert.equal(b.code, 130);
		sandbox.faults.clear();
	});

	void test('audit: no marker in any stdout/stderr, no signed URL, and no marker in any file the runs left', () => {
		assert.ok(outputs.length >= 15, `only ${outputs.length} CLI runs were audited`);
		for (const { name, run } of outputs) {
			assertNoLeak(findLeaks(`${name} stdout`, run.stdout, ALL_MARKERS), `the output of "${name}"`);
			assertNoLeak(findLeaks(`${name} stderr`, run.stderr, ALL_MARKERS), `the output of "${name}"`);
			assert.doesNotMatch(run.stdout + run.stderr, SIGNED_URL_VALUE, `"${name}" printed a signature value`);
		}
		assertNoLeakInFiles({ home, project, sandbox });
	});
});
