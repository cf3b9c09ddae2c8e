import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { planUpload, prepareFlow, runFlow, type FlowStep } from '../../../src/core/flow';
import { silentLogger } from '../../../src/core/logger';
import { IotClient } from '../../../src/core/iotClient';
import { LifecycleClient } from '../../../src/core/lifecycle/client';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { tempDir } from './cliHarness';

void describe('core flow: upload → create → insert', () => {
	let sandbox: Sandbox;
	let work: string;
	let client: IotClient;
	let firmware: string;

	before(async () => {
		work = tempDir('iot-ota-flow-');
		sandbox = await startSandbox({ dataDir: path.join(work, 'sandbox') });
		client = new IotClient({ region: 'cn-shanghai', endpoint: sandbox.endpoint, credentials: sandbox });
		firmware = path.join(work, 'app.bin');
		writeFileSync(firmware, randomBytes(20_000));
	});

	after(async () => {
		await sandbox?.stop();
		rmSync(work, { recursive: true, force: true });
	});

	void test('runs the steps in order and reports each with the results so far', async () => {
		const config = path.join(work, 'ota.toml');
		writeFileSync(config, '# comment\n[ota]\nurl = ""\n');
		const prepared = await prepareFlow({
			filePath: firmware,
			create: { productKey: sandbox.productKey, destVersion: '1.0.0', signMethod: 'SHA256' },
			insert: { file: config, keyPath: 'ota.url' },
		});
		assert.equal(prepared.create?.firmwareName, `app-1_0_0-${prepared.digests?.sha256.slice(0, 8)}`);
		const steps: string[] = [];
		const result = await runFlow(client, prepared, {
			onStep: (step: FlowStep, state, soFar) => steps.push(`${step}:${state}:${Object.keys(soFar).join('+')}`),
		});
		const { upload } = result;
		assert.ok(upload);
		assert.deepEqual(steps, [
			'upload:start:',
			'upload:done:upload+record',
			'create:start:upload+record',
			'create:done:upload+record+created',
			'insert:start:upload+record+created',
			'insert:done:upload+record+created+inserted',
		]);
		assert.deepEqual(
			{ ...result.record, startedAt: 0, finishedAt: 0 },
			{
				fileName: 'app.bin',
				size: 20_000,
				suffix: 'bin',
				startedAt: 0,
				finishedAt: 0,
				status: 'registered',
				firmwareUrl: upload.firmwareUrl,
				key: upload.key,
				md5: upload.md5,
				sha256: upload.sha256,
				requestId: upload.requestId,
				error: undefined,
				firmwareId: result.created?.firmwareId,
				firmwareName: prepared.create?.firmwareName,
				destVersion: '1.0.0',
				productKey: sandbox.productKey,
				// A full package in the default module: the kind is cleared (a row registered again may have had another).
				moduleName: undefined,
				type: undefined,
				srcVersion: undefined,
				deletedAt: undefined, // a row registered again after its package was deleted is no longer deleted
				signMethod: 'SHA256',
				image: { format: 'unknown' },
			},
		);
		const info = await client.queryOtaFirmware(result.created?.firmwareId ?? '');
		assert.equal(info.signMethod, 'SHA256');
		assert.equal(info.firmwareSign, upload.sha256);
		assert.equal(readFileSync(config, 'utf8'), `# comment\n[ota]\nurl = ${JSON.stringify(upload.firmwareUrl)}\n`);
	});

	void test('an insert target that cannot take the key is refused before anything is sent', async () => {
		const config = path.join(work, 'bad.json');
		writeFileSync(config, '{ "ota": "not an object" }\n');
		const calls = Object.values(sandbox.stats.apiCalls).reduce((a, b) => a + b, 0);
		await assert.rejects(
			prepareFlow({ filePath: firmware, insert: { file: config, keyPath: 'ota.url' } }),
			(error: unknown) => error instanceof OtaError,
		);
		await assert.rejects(prepareFlow({ filePath: firmware, insert: { file: config, keyPath: '  ' } }), /No key path/);
		assert.equal(
			Object.values(sandbox.stats.apiCalls).reduce((a, b) => a + b, 0),
			calls,
		);
	});

	void test('a chosen suffix silences the "uploaded as .bin" warning; other checks still apply', async () => {
		const odd = path.join(work, 'firmware.img');
		writeFileSync(odd, randomBytes(100));
		await assert.rejects(prepareFlow({ filePath: odd }), (e: unknown) => e instanceof OtaError && e.code === 'InvalidFileSuffix');
		const prepared = await prepareFlow({ filePath: odd, suffix: '.BIN' });
		assert.equal(prepared.suffix, 'bin');
		assert.deepEqual(prepared.warnings, []);
	});

	void test('a failed CreateOTAFirmware leaves the config untouched; an abort after the upload stops before create', async () => {
		const config = path.join(work, 'keep.yaml');
		writeFileSync(config, 'ota:\n  url: ""\n');
		const failing = await prepareFlow({
			filePath: firmware,
			create: { productKey: sandbox.productKey, destVersion: '1.5.0' },
			insert: { file: config, keyPath: 'ota.url' },
		});
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 400, code: 'InvalidParameter' });
		await assert.rejects(runFlow(client, failing), (e: unknown) => e instanceof OtaError && e.source === 'api');
		assert.equal(readFileSync(config, 'utf8'), 'ota:\n  url: ""\n');

		const controller = new AbortController();
		const creates = sandbox.stats.apiCalls.CreateOTAFirmware ?? 0;
		const prepared = await prepareFlow({
			filePath: firmware,
			create: { productKey: sandbox.productKey, destVersion: '3.0' },
			insert: { file: config, keyPath: 'ota.url' },
		});
		await assert.rejects(
			runFlow(client, prepared, {
				signal: controller.signal,
				onStep: (step, state) => step === 'upload' && state === 'done' && controller.abort(),
			}),
			(e: unknown) => e instanceof OtaError && e.source === 'cancelled',
		);
		assert.equal(sandbox.stats.apiCalls.CreateOTAFirmware ?? 0, creates);
		assert.equal(readFileSync(config, 'utf8'), 'ota:\n  url: ""\n');
	});

	void test('a ProductKey the platform does not know, or a module the product lacks: refused before any ticket or upload', async () => {
		const config = path.join(work, 'untouched.json');
		writeFileSync(config, '{ "ota": { "url": "" } }\n');
		const module = 'modem';
		await new LifecycleClient(client).createOtaModule({ productKey: sandbox.productKey, moduleName: module });
		const cases = [
			{ create: { productKey: 'a1NoSuchPK9', destVersion: '2.0.0' }, code: 'iot.prod.NotExistedProduct', read: 'QueryProduct' },
			{
				create: { productKey: 'a1NoSuchPK9', destVersion: '2.0.0', moduleName: module },
				code: 'iot.prod.NotExistedProduct',
				read: 'ListOTAModuleByProduct',
			},
			{
				create: { productKey: sandbox.productKey, destVersion: '2.0.0', moduleName: 'nosuchmod' },
				code: 'iot.ota.OtaModuleNotExisted',
				read: 'ListOTAModuleByProduct',
			},
		];
		for (const { create, code, read } of cases) {
			const before = { ...sandbox.stats.apiCalls };
			const uploads = sandbox.stats.ossUploads;
			const prepared = await prepareFlow({ filePath: firmware, create, insert: { file: config, keyPath: 'ota.url' } });
			await assert.rejects(runFlow(client, prepared), (e: unknown) => {
				assert.ok(e instanceof OtaError);
				assert.deepEqual([e.code, e.source], [code, 'validation'], e.message);
				assert.match(e.message, /Nothing was uploaded\.$/);
				assert.match(e.hint ?? '', code === 'iot.prod.NotExistedProduct' ? /Check the ProductKey/ : /--module/);
				return true;
			});
			const sent = Object.entries(sandbox.stats.apiCalls).filter(([action, count]) => count !== (before[action] ?? 0));
			assert.deepEqual(sent.map(([action]) => action).sort(), ['ListOTAFirmware', read].sort(), `${code}: only the reads`);
			assert.equal(sandbox.stats.ossUploads, uploads, 'nothing was uploaded');
		}
		assert.equal(readFileSync(config, 'utf8'), '{ "ota": { "url": "" } }\n');

		// The module the product has: the same check passes, and the package is registered in it.
		const prepared = await prepareFlow({
			filePath: firmware,
			create: { productKey: sandbox.productKey, destVersion: '2.0.0', moduleName: module },
		});
		const result = await runFlow(client, prepared);
		assert.equal((await client.queryOtaFirmware(result.created?.firmwareId ?? '')).moduleName, module);
	});

	void test('a check that itself fails (no permission for QueryProduct): the run warns and goes on, its dry run fails', async () => {
		const denied = { target: 'api', action: 'QueryProduct', kind: 'status', status: 403, code: 'Forbidden.RAM' } as const;
		const prepared = await prepareFlow({ filePath: firmware, create: { productKey: sandbox.productKey, destVersion: '3.0.0' } });
		sandbox.faults.add(denied);
		await assert.rejects(planUpload(client, prepared), (e: unknown) => e instanceof OtaError && e.code === 'Forbidden.RAM');
		const warnings: string[] = [];
		const logger = { ...silentLogger, warn: (message: string) => warnings.push(message) };
		const uploads = sandbox.stats.ossUploads;
		sandbox.faults.add(denied);
		const result = await runFlow(client, prepared, { logger });
		assert.equal(warnings.length, 1, warnings.join('\n'));
		assert.match(
			warnings[0],
			new RegExp(
				`^Checking product ${sandbox.productKey} failed \\(continuing; CreateOTAFirmware judges them\\): QueryProduct failed: .* \\(Forbidden\\.RAM\\)$`,
			),
		);
		assert.equal(sandbox.stats.ossUploads, uploads + 1, 'uploaded after the warning');
		assert.equal((await client.queryOtaFirmware(result.created?.firmwareId ?? '')).destVersion, '3.0.0');
	});

	void test('an earlier registration of the same FirmwareUrl is adopted, and a cancel before the insert leaves it registered', async () => {
		const firmware = path.join(work, 'adopt.bin');
		writeFileSync(firmware, randomBytes(10_000));
		const config = path.join(work, 'adopt.json');
		writeFileSync(config, '{ "ota": { "url": "" } }\n');
		const prepared = await prepareFlow({
			filePath: firmware,
			create: { productKey: sandbox.productKey, destVersion: '4.0.0', firmwareName: 'adopter' },
			insert: { file: config, keyPath: 'ota.url' },
		});
		// The duplicate check before registering waits while "an earlier attempt" registers the uploaded URL under
		// another name (the first ListOTAFirmware, the content lookup before the upload, passes).
		sandbox.faults.add({ target: 'api', action: 'ListOTAFirmware', kind: 'delay', ms: 0 });
		sandbox.faults.add({ target: 'api', action: 'ListOTAFirmware', kind: 'hold' });
		let earlier: Promise<{ firmwareId: string }> | undefined;
		const controller = new AbortController();
		const run = runFlow(client, prepared, {
			signal: controller.signal,
			onStep: (step, state, soFar) => {
				if (step === 'create' && state === 'start' && soFar.upload) {
					const { firmwareUrl, md5, size } = soFar.upload;
					earlier = client.createOtaFirmware({
						firmwareUrl,
						firmwareName: 'earlier-attempt',
						destVersion: '4.0.0',
						productKey: sandbox.productKey,
						firmwareSign: md5,
						signMethod: 'MD5',
						firmwareSize: size,
					});
				}
				if (step === 'create' && state === 'done') {
					controller.abort();
				}
			},
		});
		await sandbox.faults.whenHeld('api', 'ListOTAFirmware');
		const { firmwareId } = await (earlier as Promise<{ firmwareId: string }>);
		const creates = sandbox.stats.apiCalls.CreateOTAFirmware;
		const deletes = sandbox.stats.apiCalls.DeleteOTAFirmware ?? 0;
		sandbox.faults.release();
		await assert.rejects(run, (e: unknown) => e instanceof OtaError && e.code === 'Cancelled');
		assert.equal(sandbox.stats.apiCalls.CreateOTAFirmware, creates, 'no second CreateOTAFirmware');
		assert.equal(sandbox.stats.apiCalls.DeleteOTAFirmware ?? 0, deletes, 'an adopted registration is never deleted');
		assert.equal((await client.queryOtaFirmware(firmwareId)).firmwareName, 'earlier-attempt');
		assert.equal(readFileSync(config, 'utf8'), '{ "ota": { "url": "" } }\n');
	});

	void test('a file rewritten between its checks and its upload is not registered or inserted (FileChanged)', async () => {
		const rewritten = path.join(work, 'rewritten.bin');
		writeFileSync(rewritten, randomBytes(30_000));
		const config = path.join(work, 'rewritten.json');
		writeFileSync(config, '{ "ota": { "url": "" } }\n');
		const prepared = await prepareFlow({
			filePath: rewritten,
			create: { productKey: sandbox.productKey, destVersion: '5.0.0' },
			insert: { file: config, keyPath: 'ota.url' },
		});
		// The version guard, the same-content lookup and the default name described the bytes read here; the build
		// rewrites the file (same size) before the upload reads it.
		writeFileSync(rewritten, randomBytes(30_000));
		const creates = sandbox.stats.apiCalls.CreateOTAFirmware ?? 0;
		await assert.rejects(runFlow(client, prepared), (e: unknown) => e instanceof OtaError && e.code === 'FileChanged');
		assert.equal(sandbox.stats.apiCalls.CreateOTAFirmware ?? 0, creates, 'nothing registered');
		assert.equal(readFileSync(config, 'utf8'), '{ "ota": { "url": "" } }\n');
	});
});
