// The multi-file package step (core/flow/multiFilePrepare.ts, multiFileRun.ts) against the sandbox: one ticket per
// file, one CreateOTAFirmware with MultiFiles.N, and every refusal before any request.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import {
	findSameContent,
	prepareMultiFile,
	runMultiFile,
	uploadedBeforeStop,
	uploadedBeforeStopText,
	type MultiFileRequest,
	type PackageFileStart,
} from '../../../src/core/flow';
import { IotClient } from '../../../src/core/iotClient';
import { LifecycleClient } from '../../../src/core/lifecycle/client';
import { PACKAGE_FILE_NAME_MAX, PACKAGE_FILES_MAX } from '../../../src/core/otaFacts';
import { RateLimiter } from '../../../src/core/rateLimiter';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { espImage, FixtureDir, flipByte, mcubootImage, pattern } from '../../support/firmware';

const dir = new FixtureDir();
const otherDir = new FixtureDir();
const digest = (file: string, algorithm: 'md5' | 'sha256') => createHash(algorithm).update(readFileSync(file)).digest('hex');

void describe('multi-file packages', () => {
	let sandbox: Sandbox;
	let client: IotClient;
	let app: string;
	let spiffs: string;
	let modem: string;
	const actions = () => sandbox.requests.entries.map((entry) => `${entry.target}:${entry.action}`);

	before(async () => {
		sandbox = await startSandbox({ dataDir: `${dir.dir}/sandbox`, qps: 1000 });
		client = new IotClient({
			region: 'cn-shanghai',
			endpoint: sandbox.endpoint,
			credentials: sandbox,
			limiter: new RateLimiter({ perSecond: 1000 }),
		});
		app = dir.write('app.bin', espImage({ app: { version: '1.2.0' } }));
		spiffs = dir.write('spiffs.bin', pattern(30_000, 3));
		modem = dir.write('modem.bin', pattern(5_000, 7));
	});
	beforeEach(() => sandbox.requests.clear());
	after(async () => {
		await sandbox.stop();
		dir.dispose();
		otherDir.dispose();
	});

	const request = (files: string[], create: Partial<MultiFileRequest['create']> = {}): MultiFileRequest => ({
		files: files.map((filePath) => ({ filePath })),
		create: { productKey: sandbox.productKey, ...create },
	});

	void test('uploads each file with its own ticket, then registers one package with exactly MultiFiles.N', async () => {
		const prepared = await prepareMultiFile(request([app, spiffs, modem], { signMethod: 'SHA256' }));
		assert.equal(prepared.create.destVersion, '1.2.0', 'the version the one declaring image gives');
		assert.match(prepared.create.firmwareName, /^app-1_2_0-[0-9a-f]{8}$/);
		assert.deepEqual(actions(), [], 'the pre-flight sends nothing');
		const started: PackageFileStart[] = [];
		const result = await runMultiFile(client, prepared, { onFile: (file) => started.push(file) });
		assert.deepEqual(
			started.map((f) => `${f.index}/${f.count} ${f.name}`),
			['1/3 app.bin', '2/3 spiffs.bin', '3/3 modem.bin'],
		);
		assert.deepEqual(actions(), [
			'api:GenerateOTAUploadURL',
			'oss:PostObject',
			'api:GenerateOTAUploadURL',
			'oss:PostObject',
			'api:GenerateOTAUploadURL',
			'oss:PostObject',
			'api:CreateOTAFirmware',
		]);
		const create = sandbox.requests.entries.at(-1)?.params ?? {};
		const expected: Record<string, string> = {
			FirmwareName: prepared.create.firmwareName,
			DestVersion: '1.2.0',
			ProductKey: sandbox.productKey,
			RegionId: 'cn-shanghai',
			SignMethod: 'SHA256',
		};
		[app, spiffs, modem].forEach((file, index) => {
			const n = index + 1;
			expected[`MultiFiles.${n}.Name`] = ['app.bin', 'spiffs.bin', 'modem.bin'][index];
			expected[`MultiFiles.${n}.Url`] = result.files[index].upload.firmwareUrl;
			expected[`MultiFiles.${n}.Size`] = String(readFileSync(file).length);
			expected[`MultiFiles.${n}.SignValue`] = digest(file, 'sha256');
			expected[`MultiFiles.${n}.FileMd5`] = digest(file, 'md5');
		});
		assert.deepEqual(create, expected, 'no FirmwareUrl, FirmwareSign or FirmwareSize');
		assert.equal(new Set(result.files.map((f) => f.upload.firmwareUrl)).size, 3, 'one object per file');

		const detail = await new LifecycleClient(client).queryFirmware(result.created.firmwareId);
		assert.deepEqual(detail.multiFiles, [
			{ name: 'app.bin', size: readFileSync(app).length, signValue: digest(app, 'sha256'), fileMd5: digest(app, 'md5') },
			{ name: 'spiffs.bin', size: 30_000, signValue: digest(spiffs, 'sha256'), fileMd5: digest(spiffs, 'md5') },
			{ name: 'modem.bin', size: 5_000, signValue: digest(modem, 'sha256'), fileMd5: digest(modem, 'md5') },
		]);
		assert.equal(detail.destVersion, '1.2.0');
		const single = await findSameContent(client, '1.2.0', prepared.files[0].digests, { productKey: sandbox.productKey });
		assert.deepEqual(single, [], 'one of its files alone is not the same content as the package');
	});

	void test('MD5 packages send the MD5 as SignValue; an explicit DestVersion wins over images that declare none', async () => {
		const prepared = await prepareMultiFile(request([spiffs, modem], { destVersion: '3.0.0', firmwareName: 'fs-and-modem' }));
		const result = await runMultiFile(client, prepared);
		const create = sandbox.requests.entries.at(-1)?.params ?? {};
		assert.equal(create.DestVersion, '3.0.0');
		assert.equal(create.SignMethod, 'MD5');
		assert.equal(create['MultiFiles.2.SignValue'], digest(modem, 'md5'));
		assert.equal(create['MultiFiles.2.FileMd5'], digest(modem, 'md5'));
		assert.equal(result.created.firmwareName, 'fs-and-modem');
	});

	const refused = (code: string, message: RegExp) => (error: unknown) =>
		error instanceof OtaError && error.source === 'validation' && error.code === code && message.test(error.message);

	void test('is refused before any request: too many files, a duplicate name, a name too long', async () => {
		const many = Array.from({ length: PACKAGE_FILES_MAX + 1 }, (_, i) => dir.write(`part${i}.bin`, pattern(10, i + 1)));
		await assert.rejects(
			prepareMultiFile(request(many, { destVersion: '1.0' })),
			refused('InvalidMultiFiles', /^A multi-file package is made of 2 to 20 files; 21 were given/),
		);
		await assert.rejects(prepareMultiFile(request([spiffs], { destVersion: '1.0' })), refused('InvalidMultiFiles', /1 were given/));
		const twin = otherDir.write('spiffs.bin', pattern(10));
		await assert.rejects(
			prepareMultiFile(request([spiffs, twin], { destVersion: '1.0' })),
			refused(
				'InvalidPackageFileName',
				/spiffs\.bin: the name "spiffs\.bin" is used by another file of the package \(.*\/spiffs\.bin\); each file of a package needs its own name of 1–32 characters\.$/,
			),
		);
		const long = dir.write(`${'n'.repeat(PACKAGE_FILE_NAME_MAX - 3)}.bin`, pattern(10));
		await assert.rejects(
			prepareMultiFile(request([spiffs, long], { destVersion: '1.0' })),
			refused(
				'InvalidPackageFileName',
				/: the name "n{29}\.bin" has 33 characters; each file of a package needs its own name of 1–32/,
			),
		);
		assert.deepEqual(actions(), []);
	});

	void test('the same file given twice is refused before any request, once; a copy of the same contents is its own upload', async () => {
		const sameFile = (error: unknown) =>
			refused('InvalidMultiFiles', /^.*spiffs\.bin is given twice; a package holds each file once\.$/)(error) &&
			(error as OtaError).hint === 'Give each file once.';
		await assert.rejects(prepareMultiFile(request([spiffs, modem, spiffs], { destVersion: '1.0' })), sameFile);
		await assert.rejects(prepareMultiFile(request([spiffs, `${dir.dir}/./spiffs.bin`], { destVersion: '1.0' })), sameFile);
		assert.deepEqual(actions(), []);
		const copy = dir.write('spiffs-copy.bin', readFileSync(spiffs));
		const result = await runMultiFile(client, await prepareMultiFile(request([spiffs, copy], { destVersion: '8.0.0' })));
		const create = sandbox.requests.entries.at(-1)?.params ?? {};
		assert.notEqual(create['MultiFiles.1.Url'], create['MultiFiles.2.Url'], 'the core never sends one Url twice');
		assert.deepEqual(
			[create['MultiFiles.1.Url'], create['MultiFiles.2.Url']],
			result.files.map((file) => file.upload.firmwareUrl),
		);
	});

	void test('is refused before any request: a damaged image among the files, named', async () => {
		const broken = dir.write('broken.bin', flipByte(espImage(), -1));
		await assert.rejects(
			prepareMultiFile(request([spiffs, broken], { destVersion: '1.2.0' })),
			refused('DamagedImage', /^broken\.bin: The image is damaged/),
		);
		assert.deepEqual(actions(), []);
	});

	void test('disagreeing versions are refused, named; an explicit DestVersion is held to each image by the guard', async () => {
		const mcu = dir.write('mcu.bin', mcubootImage());
		await assert.rejects(
			prepareMultiFile(request([app, mcu, spiffs])),
			refused(
				'VersionMismatch',
				/^The files declare different versions \(app\.bin 1\.2\.0, mcu\.bin 1\.4\.2\.7\); a package has one DestVersion\.$/,
			),
		);
		await assert.rejects(
			prepareMultiFile(request([app, mcu], { destVersion: '1.2.0' })),
			refused('VersionMismatch', /^mcu\.bin: The image declares version 1\.4\.2\+7 .* but DestVersion is 1\.2\.0/),
		);
		await assert.rejects(
			prepareMultiFile(request([spiffs, modem])),
			refused('DestVersionRequired', /none of the 2 files declares a version/),
		);
		const allowed = await prepareMultiFile(request([app, mcu], { destVersion: '1.2.0', allowVersionMismatch: true }));
		assert.deepEqual(
			allowed.warnings.filter((w) => w.includes('DestVersion')).map((w) => w.slice(0, w.indexOf(':'))),
			['mcu.bin'],
		);
		assert.deepEqual(actions(), []);
	});

	void test('a cancel during the second upload registers nothing and says what was uploaded', async () => {
		const controller = new AbortController();
		const prepared = await prepareMultiFile(request([spiffs, modem], { destVersion: '4.0.0' }));
		await assert.rejects(
			runMultiFile(client, prepared, { signal: controller.signal, onFile: (file) => file.index === 2 && controller.abort() }),
			(error: unknown) =>
				error instanceof OtaError &&
				error.source === 'cancelled' &&
				/^Cancelled during the upload of modem\.bin \(file 2 of 2\)\. Nothing was registered\. Uploaded and left unregistered \(OSS deletes it after 60 minutes\): spiffs\.bin\.$/.test(
					error.message,
				),
		);
		assert.ok(!actions().includes('api:CreateOTAFirmware'));
		assert.equal(actions().filter((a) => a === 'oss:PostObject').length, 1);
	});

	void test('the error of a stopped package carries the files it uploaded, and the words that list them for the shells', async () => {
		const prepared = await prepareMultiFile(request([spiffs, modem], { destVersion: '4.1.0' }));
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 400, code: 'InvalidParameter' });
		const error = await runMultiFile(client, prepared).then(
			() => assert.fail('the registration was refused'),
			(failure: unknown) => failure,
		);
		const uploaded = uploadedBeforeStop(error);
		assert.deepEqual(
			uploaded.map((file) => [file.name, file.upload.md5]),
			[
				['spiffs.bin', digest(spiffs, 'md5')],
				['modem.bin', digest(modem, 'md5')],
			],
		);
		assert.equal(
			uploadedBeforeStopText(uploaded),
			'The uploads themselves succeeded; a FirmwareUrl can be registered within 60 minutes of its upload:\n' +
				`  spiffs.bin: FirmwareUrl ${uploaded[0].upload.firmwareUrl}\n  modem.bin: FirmwareUrl ${uploaded[1].upload.firmwareUrl}`,
		);
		assert.match(uploadedBeforeStopText(uploaded.slice(0, 1)), /^The upload itself succeeded; /);
		assert.deepEqual(uploadedBeforeStop(new OtaError({ code: 'X', source: 'api', message: 'another failure' })), []);
	});

	void test('a refused registration (the FirmwareName is taken) says the files were uploaded and left unregistered', async () => {
		const prepared = await prepareMultiFile(request([spiffs, modem], { destVersion: '3.1.0', firmwareName: 'named-twice' }));
		await runMultiFile(client, prepared);
		await assert.rejects(
			runMultiFile(client, prepared),
			(error: unknown) =>
				error instanceof OtaError &&
				error.source === 'api' &&
				/\. Nothing was registered\. Uploaded and left unregistered \(OSS deletes them after 60 minutes\): spiffs\.bin, modem\.bin\.$/.test(
					error.message,
				),
		);
	});

	void test('a CreateOTAFirmware whose answer is lost does not claim that nothing was registered: it names the package to check', async () => {
		const prepared = await prepareMultiFile(request([spiffs, modem], { destVersion: '5.1.0', firmwareName: 'answer-lost' }));
		const impatient = new IotClient({
			region: 'cn-shanghai',
			endpoint: sandbox.endpoint,
			credentials: sandbox,
			limiter: new RateLimiter({ perSecond: 1000 }),
			timeoutMs: 2_000, // the held answer never comes; long enough that no ticket call on a loaded machine meets it
		});
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'hold', answer: true });
		const run = runMultiFile(impatient, prepared);
		const held = sandbox.faults.whenHeld('api', 'CreateOTAFirmware'); // the package is registered, only the answer waits
		try {
			await assert.rejects(run, (error: unknown) => {
				assert.ok(error instanceof OtaError);
				assert.equal(error.source, 'network');
				assert.doesNotMatch(error.message, /Nothing was registered/);
				assert.match(
					error.message,
					/CreateOTAFirmware got no definite answer: "answer-lost" \(product \w+, DestVersion 5\.1\.0\) may be registered all the same, with spiffs\.bin, modem\.bin\. Check the package list/,
				);
				return true;
			});
			await held;
		} finally {
			sandbox.faults.release();
		}
		const listed = await client.listOtaFirmware({ productKey: sandbox.productKey, destVersion: '5.1.0' });
		assert.deepEqual(
			listed.items.map((item) => item.firmwareName),
			['answer-lost'],
			'it was registered: the message had to say so',
		);
	});

	void test('a 5xx answer may have registered the package; a throttled request (even a 503) did not', async () => {
		const once = new IotClient({
			region: 'cn-shanghai',
			endpoint: sandbox.endpoint,
			credentials: sandbox,
			limiter: new RateLimiter({ perSecond: 1000 }),
			retry: { maxAttempts: 1 },
		});
		const outcome = async (fault: { status: number; code: string }, version: string) => {
			const prepared = await prepareMultiFile(request([spiffs, modem], { destVersion: version }));
			sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', ...fault });
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
		const prepared = await prepareMultiFile(request([spiffs, modem], { destVersion: '5.0.0' }));
		const controller = new AbortController();
		sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'hold' });
		const run = runMultiFile(client, prepared, { signal: controller.signal });
		await sandbox.faults.whenHeld('api', 'CreateOTAFirmware');
		controller.abort();
		sandbox.faults.release();
		await assert.rejects(
			run,
			(error: unknown) =>
				error instanceof OtaError &&
				error.source === 'cancelled' &&
				/^Cancelled during the firmware registration\. Nothing was registered\. Uploaded and left unregistered/.test(error.message),
		);
		assert.deepEqual(actions().slice(-2), ['api:CreateOTAFirmware', 'api:DeleteOTAFirmware']);
		const listed = await client.listOtaFirmware({ productKey: sandbox.productKey, destVersion: '5.0.0' });
		assert.deepEqual(listed.items, []);
	});
});
