// The one text of an upload's plan (core/flow/uploadPlanText.ts): the CLI's dry run and the extension's Show Upload
// Commands both show it. The CLI's tests check it end to end; these check what the shells pass in.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { planUpload, type DuplicateClient, type UploadPlan } from '../../../src/core/flow';
import { checkFirmware, prepareUpload } from '../../../src/core/flow/preflight';
import type { RpcCaller } from '../../../src/core/lifecycle/client';
import { uploadPlansText, uploadPlanText } from '../../../src/core/flow/uploadPlanText';

/** A client whose every call fails the test: a plan without a registration sends nothing. */
const noCalls = new Proxy({} as DuplicateClient & RpcCaller, {
	get: (_target, name) => (name === 'endpointTrust' ? undefined : () => assert.fail(`a request was made: ${String(name)}`)),
});

void describe('uploadPlanText', () => {
	let dir = '';
	let firmwarePath = '';
	before(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'plan-text-'));
		firmwarePath = path.join(dir, 'app.bin');
		writeFileSync(firmwarePath, Buffer.alloc(2048, 7));
	});
	after(() => rmSync(dir, { recursive: true, force: true }));

	void test("one file without a registration: the calls with the shell's connection in the aliyun lines, the file last in curl", async () => {
		const checked = await checkFirmware(firmwarePath, { digests: false });
		const plan = await planUpload(noCalls, prepareUpload(checked, 'bin'));
		const text = uploadPlanText(plan, { region: 'cn-beijing', endpoint: 'https://iot.example.com', iotInstanceId: 'iot-060a0x2' });
		const lines = text.split('\n');
		assert.equal(lines[0], 'Dry run: nothing is changed.');
		assert.equal(lines[1], 'File app.bin (2.0 KB, 2048 bytes, suffix bin); its MD5 and SHA-256 are measured during the upload');
		assert.ok(lines.includes('  1. POST GenerateOTAUploadURL  FileSuffix=bin'), text);
		assert.ok(
			lines.includes(
				'     aliyun iot GenerateOTAUploadURL --region cn-beijing --endpoint iot.example.com --IotInstanceId iot-060a0x2 --FileSuffix bin',
			),
			text,
		);
		assert.ok(
			lines.some(
				(line) =>
					line.startsWith('     curl ') && line.endsWith(`-F 'file=@"${firmwarePath}";type=application/octet-stream' "$Host"`),
			),
			text,
		);
		assert.equal(text.includes('Same-content lookup'), false, 'no lookup without a registration');
		assert.equal(text.includes('CreateOTAFirmware'), false);
		assert.ok(text.endsWith('  register it within 60 minutes of the upload.\n'), text);
	});

	void test('a reused package: no calls, the package named, the config edit with its URL', () => {
		const plan: UploadPlan = {
			files: [
				{ filePath: firmwarePath, suffix: 'bin', size: 2048, digests: { md5: 'a'.repeat(32), sha256: 'b'.repeat(64), size: 2048 } },
			],
			lookup: { destVersion: '1.0.0', wanted: { productKey: 'pk' }, match: 'reuse' },
			reused: {
				firmwareId: 'fw-1',
				firmwareName: 'app-1_0_0',
				destVersion: '1.0.0',
				signMethod: 'MD5',
				firmwareUrl: 'https://o/k.bin',
			},
			calls: [],
			insert: { file: '/p/c.json', keyPath: 'ota.url', format: 'json', value: 'https://o/k.bin' },
		};
		const text = uploadPlanText(plan, { region: 'cn-shanghai' });
		assert.match(text, /^ {2}MD5 a{32}, SHA-256 b{64} \(read now: a registering run measures them before the upload\)$/m);
		assert.match(text, /^Same product, version and content already registered: "app-1_0_0" \(FirmwareId fw-1, version 1\.0\.0\)\.$/m);
		assert.equal(text.includes('Calls it would make'), false);
		assert.ok(
			text.endsWith('Config edit it would make: /p/c.json at ota.url (json) set to https://o/k.bin, the key is added.\n'),
			text,
		);
	});
	const plainPlan = (): UploadPlan => ({
		files: [{ filePath: firmwarePath, suffix: 'bin', size: 2048 }],
		calls: [{ action: 'GenerateOTAUploadURL', method: 'POST', params: { FileSuffix: 'bin' } }],
	});

	void test('packages offered (a shell that asks): each named with its product, and the calls that Upload Anyway makes', () => {
		const found = { signMethod: 'MD5', destVersion: '2.4.0', firmwareUrl: 'https://o/k.bin' } as const;
		const plan: UploadPlan = {
			...plainPlan(),
			lookup: { destVersion: '2.4.0', match: 'offer' },
			offered: [
				{ ...found, firmwareId: 'fw-a', firmwareName: 'app-a', productKey: 'pkA', productName: 'Lamp' },
				{ ...found, firmwareId: 'fw-b', firmwareName: 'app-b', productKey: 'pkB' },
			],
		};
		const lines = uploadPlanText(plan, { region: 'cn-shanghai' }).split('\n');
		const at = lines.findIndex((line) =>
			line.startsWith('Same version and content already registered (version 2.4.0); Upload asks first'),
		);
		assert.ok(at > 0, lines.join('\n'));
		assert.deepEqual(lines.slice(at + 1, at + 4), [
			'  "app-a" (FirmwareId fw-a, product Lamp (pkA))',
			'  "app-b" (FirmwareId fw-b, product pkB)',
			'  Use Existing Package: nothing would be uploaded. Upload Anyway: the calls below.',
		]);
		assert.ok(lines.includes('  1. POST GenerateOTAUploadURL  FileSuffix=bin'));
	});

	void test('digests read without a registration are said to come from reading the image whole, not from registering', () => {
		const digests = { md5: 'a'.repeat(32), sha256: 'b'.repeat(64), size: 2048 };
		const plan: UploadPlan = {
			...plainPlan(),
			files: [{ ...plainPlan().files[0], digests }],
			lookup: { destVersion: '2.4.0', match: 'offer' },
		};
		assert.match(
			uploadPlanText(plan, { region: 'cn-shanghai' }),
			/^ {2}MD5 a{32}, SHA-256 b{64} \(read now: the image was read whole for the version it declares\)$/m,
		);
	});

	void test('an offer lookup that found nothing says so, for any product', () => {
		const text = uploadPlanText(
			{ ...plainPlan(), lookup: { destVersion: '2.4.0', match: 'offer' }, offered: [] },
			{ region: 'cn-shanghai' },
		);
		assert.match(
			text,
			/^Same-content lookup \(ListOTAFirmware\): no package of version 2\.4\.0 with the same content was found \(any product\)\.$/m,
		);
	});

	void test('files uploaded one by one: each plan under its number with its own connection, the ticket note once at the end', () => {
		const text = uploadPlansText([
			[plainPlan(), { region: 'cn-shanghai' }],
			[plainPlan(), { region: 'cn-beijing' }],
		]);
		const lines = text.split('\n');
		assert.equal(lines[0], 'Dry run: nothing is changed.');
		assert.equal(
			lines[1],
			'2 files, each uploaded on its own, one after the other (a package per file).',
			'as chosen: they fit one package',
		);
		assert.deepEqual(
			lines.filter((line) => line.startsWith('Upload ')),
			['Upload 1 of 2:', 'Upload 2 of 2:'],
		);
		const aliyun = lines.filter((line) => line.startsWith('     aliyun '));
		assert.deepEqual(
			aliyun.map((line) => /--region (\S+)/.exec(line)?.[1]),
			['cn-shanghai', 'cn-beijing'],
		);
		assert.equal(lines.filter((line) => line.startsWith('<Host>, <Key>')).length, 1);
		assert.ok(text.endsWith('  register it within 60 minutes of the upload.\n'), text);
	});

	void test('more files than one package holds: the plans say that is why each is uploaded on its own', () => {
		const planned = Array.from({ length: 21 }, () => [plainPlan(), { region: 'cn-shanghai' }] as const);
		const lines = uploadPlansText(planned).split('\n');
		assert.equal(lines[1], '21 files, each uploaded on its own, one after the other (a multi-file package holds at most 20 files).');
		assert.equal(lines.filter((line) => /^Upload \d+ of 21:$/.test(line)).length, 21);
	});
});
