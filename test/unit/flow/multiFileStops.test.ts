// A multi-file package that stops (core/flow/multiFileRun.ts) against the sandbox: a cancel or a failure before or
// during its CreateOTAFirmware, what it says was uploaded or may be registered, and the files its error carries.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OtaError, packageInDoubt } from '../../../src/core/errors';
import { packageMayBeRegistered, prepareMultiFile, runMultiFile, uploadedBeforeStop, uploadedBeforeStopText } from '../../../src/core/flow';
import { IotClient } from '../../../src/core/iotClient';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { digest, useMultiFileSuite } from './multiFileSuite';

void describe('multi-file packages that stop', () => {
	const suite = useMultiFileSuite();

	void test('a cancel during the second upload registers nothing and says what was uploaded', async () => {
		const controller = new AbortController();
		const prepared = await prepareMultiFile(suite.request([suite.spiffs, suite.modem], { destVersion: '4.0.0' }));
		await assert.rejects(
			runMultiFile(suite.client, prepared, { signal: controller.signal, onFile: (file) => file.index === 2 && controller.abort() }),
			(error: unknown) =>
				error instanceof OtaError &&
				error.source === 'cancelled' &&
				/^Cancelled during the upload of modem\.bin \(file 2 of 2\)\. Nothing was registered\. Uploaded and left unregistered \(OSS deletes it after 60 minutes\): spiffs\.bin\.$/.test(
					error.message,
				),
		);
		assert.ok(!suite.actions().includes('api:CreateOTAFirmware'));
		assert.equal(suite.actions().filter((a) => a === 'oss:PostObject').length, 1);
	});

	void test('the error of a stopped package carries the files it uploaded, and the words that list them for the shells', async () => {
		const prepared = await prepareMultiFile(suite.request([suite.spiffs, suite.modem], { destVersion: '4.1.0' }));
		suite.sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 400, code: 'InvalidParameter' });
		const error = await runMultiFile(suite.client, prepared).then(
			() => assert.fail('the registration was refused'),
			(failure: unknown) => failure,
		);
		const uploaded = uploadedBeforeStop(error);
		assert.deepEqual(
			uploaded.map((file) => [file.name, file.upload.md5]),
			[
				['spiffs.bin', digest(suite.spiffs, 'md5')],
				['modem.bin', digest(suite.modem, 'md5')],
			],
		);
		assert.equal(
			uploadedBeforeStopText(uploaded),
			'The uploads themselves succeeded; a FirmwareUrl can be registered within 60 minutes of its upload:\n' +
				`  spiffs.bin: FirmwareUrl ${uploaded[0].upload.firmwareUrl}\n  modem.bin: FirmwareUrl ${uploaded[1].upload.firmwareUrl}`,
		);
		assert.match(uploadedBeforeStopText(uploaded.slice(0, 1)), /^The upload itself succeeded; /);
		assert.equal(packageMayBeRegistered(error), false, 'a refusal the platform answered registered nothing');
		assert.equal(packageInDoubt(error), undefined);
		assert.deepEqual(uploadedBeforeStop(new OtaError({ code: 'X', source: 'api', message: 'another failure' })), []);
	});

	void test('a refused registration (the FirmwareName is taken) says the files were uploaded and left unregistered', async () => {
		const prepared = await prepareMultiFile(
			suite.request([suite.spiffs, suite.modem], { destVersion: '3.1.0', firmwareName: 'named-twice' }),
		);
		await runMultiFile(suite.client, prepared);
		await assert.rejects(
			runMultiFile(suite.client, prepared),
			(error: unknown) =>
				error instanceof OtaError &&
				error.source === 'api' &&
				/\. Nothing was registered\. Uploaded and left unregistered \(OSS deletes them after 60 minutes\): spiffs\.bin, modem\.bin\.$/.test(
					error.message,
				),
		);
	});

	void test('a CreateOTAFirmware whose answer is lost does not claim that nothing was registered: it names the package to check', async () => {
		const prepared = await prepareMultiFile(
			suite.request([suite.spiffs, suite.modem], { destVersion: '5.1.0', firmwareName: 'answer-lost' }),
		);
		const impatient = new IotClient({
			region: 'cn-shanghai',
			endpoint: suite.sandbox.endpoint,
			credentials: suite.sandbox,
			limiter: new RateLimiter({ perSecond: 1000 }),
			timeoutMs: 2_000, // the held answer never comes; long enough that no ticket call on a loaded machine meets it
		});
		suite.sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'hold', answer: true });
		const run = runMultiFile(impatient, prepared);
		const held = suite.sandbox.faults.whenHeld('api', 'CreateOTAFirmware'); // the package is registered, only the answer waits
		try {
			await assert.rejects(run, (error: unknown) => {
				assert.ok(error instanceof OtaError);
				assert.equal(error.source, 'network');
				assert.doesNotMatch(error.message, /Nothing was registered/);
				assert.match(
					error.message,
					/CreateOTAFirmware got no definite answer: "answer-lost" \(product \w+, DestVersion 5\.1\.0\) may be registered all the same, with spiffs\.bin, modem\.bin\.$/,
				);
				assert.equal(packageMayBeRegistered(error), true);
				// Which package, for each shell to say where it looks for it.
				assert.deepEqual(packageInDoubt(error), {
					firmwareName: 'answer-lost',
					productKey: suite.sandbox.productKey,
					destVersion: '5.1.0',
				});
				// The FirmwareUrls are offered only after the package list: registering them now could make a second package.
				assert.match(
					uploadedBeforeStopText(uploadedBeforeStop(error), { mayBeRegistered: true }),
					/^The uploads themselves succeeded, and the package may be registered with them: check the package list first; only if the package is not there, a FirmwareUrl can be registered within 60 minutes of its upload:\n {2}spiffs\.bin: FirmwareUrl \S+\n {2}modem\.bin: FirmwareUrl \S+$/,
				);
				return true;
			});
			await held;
		} finally {
			suite.sandbox.faults.release();
		}
		const listed = await suite.client.listOtaFirmware({ productKey: suite.sandbox.productKey, destVersion: '5.1.0' });
		assert.deepEqual(
			listed.items.map((item) => item.firmwareName),
			['answer-lost'],
			'it was registered: the message had to say so',
		);
	});

	void test('a 5xx answer may have registered the package; a throttled request (even a 503) did not', async () => {
		const once = new IotClient({
			region: 'cn-shanghai',
			endpoint: suite.sandbox.endpoint,
			credentials: suite.sandbox,
			limiter: new RateLimiter({ perSecond: 1000 }),
			retry: { maxAttempts: 1 },
		});
		const outcome = async (fault: { status: number; code: string }, version: string) => {
			const prepared = await prepareMultiFile(suite.request([suite.spiffs, suite.modem], { destVersion: version }));
			suite.sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', ...fault });
			const error = await runMultiFile(once, prepared).then(
				() => assert.fail('the registration was answered with an error'),
				(failure: unknown) => failure,
			);
			assert.ok(error instanceof OtaError);
			return error.message;
		};
		assert.match(await outcome({ status: 500, code: 'InternalError' }, '5.2.0'), /may be registered all the same/);
		assert.match(await outcome({ status: 503, code: 'Throttling' }, '5.3.0'), /Nothing was registered\./);
	});

	void test('a cancel while CreateOTAFirmware is in flight deletes the package again', async () => {
		const prepared = await prepareMultiFile(suite.request([suite.spiffs, suite.modem], { destVersion: '5.0.0' }));
		const controller = new AbortController();
		suite.sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'hold' });
		const run = runMultiFile(suite.client, prepared, { signal: controller.signal });
		await suite.sandbox.faults.whenHeld('api', 'CreateOTAFirmware');
		controller.abort();
		suite.sandbox.faults.release();
		await assert.rejects(
			run,
			(error: unknown) =>
				error instanceof OtaError &&
				error.source === 'cancelled' &&
				/^Cancelled during the firmware registration\. Nothing was registered\. Uploaded and left unregistered/.test(error.message),
		);
		assert.deepEqual(suite.actions().slice(-2), ['api:CreateOTAFirmware', 'api:DeleteOTAFirmware']);
		const listed = await suite.client.listOtaFirmware({ productKey: suite.sandbox.productKey, destVersion: '5.0.0' });
		assert.deepEqual(listed.items, []);
	});
});
