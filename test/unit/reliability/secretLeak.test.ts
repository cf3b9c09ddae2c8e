// Secret leak audit. Every CLI flow (success, each failure, cancel; quiet, --json and --verbose) runs with
// unique marker credentials; then stdout/stderr, every file under HOME, the working folder and the sandbox
// data dir, and the core's error objects and log lines are searched for the markers in every spelling
// (raw, URL/POP-encoded, doubly encoded, base64, JSON-escaped) and for signed URLs (`Signature=<value>`).
// The sandbox may keep its OWN copy of the STS key in its identity.json (it is the issuer); nothing else may.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { OtaError } from '../../../src/core/errors';
import { prepareFlow, runFlow } from '../../../src/core/flow';
import { IotClient } from '../../../src/core/iotClient';
import type { Logger } from '../../../src/core/logger';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { buildCli, cleanEnv, startCli, type CliRun } from '../cli/cliHarness';
import {
	apiCalls,
	FAST_RETRY,
	findLeaks,
	installTripwire,
	removeDir,
	scanFiles,
	SIGNED_URL_VALUE,
	tempDir,
	waitFor,
	withDeadline,
	type LeakHit,
} from '../../support/reliability';
import { uploadCreateArgs } from '../../support/reliabilitySuite';

const tripwire = installTripwire();
const hex = (n: number): string => randomBytes(n).toString('hex');

// Unique per run, so a hit can only come from this run.
const MARKER = {
	secret: `MkSecret${hex(12)}`,
	stsSecret: `MkStsSecret${hex(10)}`,
	// Tokens carry '/', '+' and '=' like real STS tokens: every encoder gets exercised.
	token: `CAISMkToken/${hex(16)}+${hex(8)}==`,
	wrongSecret: `MkWrong${hex(12)}`,
	wrongToken: `CAISMkWrongTok/${hex(12)}+=`,
	urlPassword: `MkUrlPass${hex(8)}`,
};
const ALL_MARKERS = Object.values(MARKER);

void describe('reliability: secret leak audit (CLI flows, files, error objects, logs)', () => {
	let work: string;
	let home: string;
	let project: string;
	let sandbox: Sandbox;
	let cli: Awaited<ReturnType<typeof buildCli>>;
	const outputs: Array<{ name: string; run: CliRun }> = [];
	const coreTexts: Array<{ name: string; text: string }> = [];

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
		const { child, done } = startCli(cli.cliPath, args, { env: cleanEnv(home, env), cwd: project });
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

	function assertNoLeak(hits: LeakHit[], where: string): void {
		assert.deepEqual(
			hits.map((h) => `${h.where}: ${h.needle} as ${h.form}`),
			[],
			`secret found in ${where}`,
		);
	}

	before(async () => {
		work = tempDir('iot-ota-rel-leak-');
		home = path.join(work, 'home');
		project = path.join(work, 'project');
		mkdirSync(home);
		mkdirSync(project);
		const dataDir = path.join(work, 'sandbox');
		mkdirSync(dataDir);
		// The sandbox's identity file, written as the sandbox would: it issues the marker STS key.
		writeFileSync(
			path.join(dataDir, 'identity.json'),
			JSON.stringify({
				accessKeySecret: `unused${hex(8)}`,
				stsSecret: MARKER.stsSecret,
				stsToken: MARKER.token,
				ossSecret: `Oss${hex(10)}`,
			}),
		);
		[cli, sandbox] = await Promise.all([buildCli(), startSandbox({ dataDir, accessKeySecret: MARKER.secret, qps: 1000 })]);
		assert.equal(
			sandbox.sts.securityToken,
			MARKER.token,
			'the sandbox did not adopt the marker STS identity (identity.json format changed?)',
		);
		writeFileSync(path.join(project, 'fw.bin'), randomBytes(64 * 1024));
		writeFileSync(path.join(project, 'device.jsonc'), '{\n  // OTA settings\n  "ota": { "url": "" }\n}\n');
		writeFileSync(path.join(project, 'app.yaml'), 'ota:\n  url: ""\n');
	});

	afterEach(() => tripwire.assertClean());

	after(async () => {
		await withDeadline(sandbox?.stop() ?? Promise.resolve(), 10_000, 'sandbox.stop()');
		cli?.dispose();
		removeDir(work);
	});

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

	void test('core: error objects (message, hint, describe, JSON, inspect with causes) and every log line are free of secrets', async () => {
		const lines: string[] = [];
		const capture: Logger = {
			trace: (m) => lines.push(m),
			debug: (m) => lines.push(m),
			info: (m) => lines.push(m),
			warn: (m) => lines.push(m),
			error: (m) => lines.push(m),
		};
		const client = (creds: { accessKeyId: string; accessKeySecret: string; securityToken?: string }) =>
			new IotClient({
				region: 'cn-shanghai',
				endpoint: sandbox.endpoint,
				credentials: creds,
				logger: capture,
				retry: FAST_RETRY,
				limiter: new RateLimiter(),
			});
		const sts = { accessKeyId: sandbox.sts.accessKeyId, accessKeySecret: MARKER.stsSecret, securityToken: MARKER.token };
		const prepared = await prepareFlow({
			filePath: path.join(project, 'fw.bin'),
			create: { productKey: sandbox.productKey, destVersion: '3.0.0' },
		});
		const scenarios: Array<[string, () => Promise<unknown>, (() => void)?]> = [
			[
				'wrong secret',
				() => client({ accessKeyId: sandbox.accessKeyId, accessKeySecret: MARKER.wrongSecret }).generateOtaUploadUrl('bin'),
			],
			['wrong token', () => client({ ...sts, securityToken: MARKER.wrongToken }).generateOtaUploadUrl('bin')],
			[
				'OSS 503',
				() => runFlow(client(sts), prepared, { logger: capture }),
				() => sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'status', status: 503, times: 8 }),
			],
			[
				'policy expired',
				() => runFlow(client(sts), prepared, { logger: capture }),
				() => sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'expirePolicy', times: 8 }),
			],
			[
				'reset',
				() => runFlow(client(sts), prepared, { logger: capture }),
				() => sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'reset', afterBytes: 100, times: 8 }),
			],
			[
				'create 500',
				() => runFlow(client(sts), prepared, { logger: capture }),
				() => sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 500 }),
			],
		];
		for (const [name, action, arm] of scenarios) {
			sandbox.faults.clear();
			arm?.();
			let caught: unknown;
			try {
				await action();
			} catch (error) {
				caught = error;
			}
			assert.ok(caught instanceof OtaError, `${name}: expected an OtaError, got ${String(caught)}`);
			coreTexts.push({
				name,
				text: [
					caught.message,
					caught.hint ?? '',
					caught.describe(),
					JSON.stringify(caught),
					inspect(caught, { depth: 8 }),
					String(caught.stack),
				].join('\n'),
			});
		}
		sandbox.faults.clear();
		await runFlow(client(sts), prepared, { logger: capture });
		coreTexts.push({ name: 'log lines', text: lines.join('\n') });
		assert.ok(lines.length > 10, 'the logger saw almost nothing');
		for (const { name, text } of coreTexts) {
			assertNoLeak(findLeaks(name, text, ALL_MARKERS), `the core's ${name}`);
			assert.doesNotMatch(text, SIGNED_URL_VALUE, `a signed URL / signature value in the core's ${name}`);
		}
	});

	void test('the audit itself finds a planted marker in each spelling, in text and in files', () => {
		const token = MARKER.token;
		const spellings = [
			token,
			encodeURIComponent(token),
			encodeURIComponent(encodeURIComponent(token)),
			Buffer.from(token).toString('base64'),
			JSON.stringify(token).slice(1, -1),
		];
		for (const spelling of spellings) {
			assert.equal(findLeaks('planted', `x ${spelling} y`, [token]).length > 0, true, `missed ${spelling}`);
		}
		const dir = path.join(work, 'planted');
		mkdirSync(dir);
		writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ key: MARKER.secret }));
		assert.equal(scanFiles(dir, [MARKER.secret]).length > 0, true);
		assert.match('https://b.oss.example/k?OSSAccessKeyId=x&Signature=AbCdEf%2B123', SIGNED_URL_VALUE);
		assert.doesNotMatch('https://b.oss.example/k?Signature=***', SIGNED_URL_VALUE);
		removeDir(dir);
	});

	void test('audit: no marker in any stdout/stderr, no signed URL, and no marker in any file the runs left', () => {
		assert.ok(outputs.length >= 15, `only ${outputs.length} CLI runs were audited`);
		for (const { name, run } of outputs) {
			assertNoLeak(findLeaks(`${name} stdout`, run.stdout, ALL_MARKERS), `the output of "${name}"`);
			assertNoLeak(findLeaks(`${name} stderr`, run.stderr, ALL_MARKERS), `the output of "${name}"`);
			assert.doesNotMatch(run.stdout + run.stderr, SIGNED_URL_VALUE, `"${name}" printed a signature value`);
		}
		// HOME and the project folder: config files, caches, anything a run may have written.
		assertNoLeak(scanFiles(home, ALL_MARKERS), 'HOME');
		assertNoLeak(scanFiles(project, ALL_MARKERS), 'the project folder');
		// The sandbox data dir: its own identity.json holds the STS key it issued; the client's main secret (only ever
		// sent as a signature) and everything else must be absent from every file.
		assertNoLeak(
			scanFiles(sandbox.dataDir, [MARKER.secret, MARKER.wrongSecret, MARKER.wrongToken, MARKER.urlPassword]),
			'the sandbox data dir',
		);
		assertNoLeak(
			scanFiles(sandbox.dataDir, [MARKER.stsSecret, MARKER.token], (f) => path.basename(f) === 'identity.json'),
			'the sandbox data dir (outside identity.json)',
		);
	});
});
