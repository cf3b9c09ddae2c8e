// Secret leak audit of the core: with unique marker credentials, the message, hint, describe(), JSON and inspect
// output (causes included) of every error, and every log line, are searched for the markers in every spelling (raw,
// URL/POP-encoded, doubly encoded, base64, JSON-escaped) and for signed URLs (`Signature=<value>`); and the audit
// itself is shown to find a planted marker. The CLI's flows are audited in secretLeakCli.test.ts.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { OtaError } from '../../../src/core/errors';
import { prepareFlow, runFlow } from '../../../src/core/flow';
import { IotClient } from '../../../src/core/iotClient';
import type { Logger } from '../../../src/core/logger';
import { RateLimiter } from '../../../src/core/rateLimiter';
import type { Sandbox } from '../../../src/sandbox';
import { FAST_RETRY, findLeaks, removeDir, scanFiles, SIGNED_URL_VALUE } from '../../support/reliability';
import { ALL_MARKERS, assertNoLeak, assertNoLeakInFiles, MARKER, useLeakSuite } from './secretLeakSupport';

void describe('reliability: secret leak audit (error objects, logs, the audit itself)', () => {
	const suite = useLeakSuite('iot-ota-rel-leak-core-');
	let work: string;
	let project: string;
	let sandbox: Sandbox;
	const coreTexts: Array<{ name: string; text: string }> = [];

	before(() => ({ work, project, sandbox } = suite));

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
		// And the files those runs left (the core's uploads and registrations land in the sandbox's data dir).
		assertNoLeakInFiles(suite);
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

	void test('the file audit finds a marker in HOME, the project, and the sandbox data dir (the STS key outside identity.json)', () => {
		const plant = (where: 'home' | 'project' | 'sandbox', file: string, marker: string) => {
			const root = path.join(work, 'planted-files');
			const dirs = { home: path.join(root, 'home'), project: path.join(root, 'project'), sandbox: path.join(root, 'sandbox') };
			for (const dir of Object.values(dirs)) {
				mkdirSync(dir, { recursive: true });
			}
			// The sandbox's own identity.json holds the STS key it issued: never a hit.
			writeFileSync(
				path.join(dirs.sandbox, 'identity.json'),
				JSON.stringify({ stsSecret: MARKER.stsSecret, stsToken: MARKER.token }),
			);
			writeFileSync(path.join(dirs[where], file), `x ${marker} y`);
			try {
				assertNoLeakInFiles({ home: dirs.home, project: dirs.project, sandbox: { dataDir: dirs.sandbox } });
				return 'clean';
			} catch (error) {
				return error instanceof assert.AssertionError ? 'leak' : String(error);
			} finally {
				removeDir(root);
			}
		};
		assert.equal(plant('project', 'notes.txt', 'nothing secret'), 'clean');
		assert.equal(plant('home', '.config.json', MARKER.secret), 'leak');
		assert.equal(plant('project', 'app.yaml', MARKER.urlPassword), 'leak');
		assert.equal(plant('sandbox', 'firmware.json', MARKER.token), 'leak');
		assert.equal(plant('sandbox', 'firmware.json', MARKER.stsSecret), 'leak');
		assert.equal(plant('sandbox', 'identity.json', MARKER.secret), 'leak');
	});
});
