import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { escapeMarkdown } from '../../../src/core/format';
import { signedUrl } from '../../support/ossDownload';
import { parseJsonOutput, runCli, startCli, type CliRun } from './cliHarness';
import { hex, useUploadSuite } from './uploadSuite';

void describe('iot-ota upload of several files as one multi-file package against the sandbox', () => {
	const suite = useUploadSuite('iot-ota-cli-upload-package-');

	void test('two files with --create register one multi-file package; --json lists each file; firmware show lists them', async () => {
		const fsImage = path.join(suite.work, 'spiffs.bin');
		writeFileSync(fsImage, randomBytes(40_000));
		suite.sandbox.requests.clear();
		const both = ['upload', suite.firmwarePath, fsImage, '--endpoint', suite.sandbox.endpoint, '--json'];
		const stepSummary = path.join(suite.work, 'step-summary.md');
		writeFileSync(stepSummary, '');
		const run = await runCli(
			suite.cli.cliPath,
			[...both, '--create', '--product-key', suite.sandbox.productKey, '--dest-version', '7.0.0'],
			{
				env: { ...suite.env(), GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: stepSummary },
				cwd: suite.work,
			},
		);
		assert.equal(run.code, 0, run.stderr);
		suite.assertNoSecret(run);
		const result = parseJsonOutput(run);
		const files = result.files as Array<Record<string, unknown>>;
		assert.deepEqual(
			files.map(({ name, file, size, md5, sha256 }) => ({ name, file, size, md5, sha256 })),
			[suite.firmware, readFileSync(fsImage)].map((bytes, i) => ({
				name: ['app.bin', 'spiffs.bin'][i],
				file: [suite.firmwarePath, fsImage][i],
				size: bytes.length,
				md5: hex(bytes, 'md5'),
				sha256: hex(bytes, 'sha256'),
			})),
		);
		assert.equal(result.destVersion, '7.0.0');
		assert.deepEqual(Object.keys(result).sort(), ['destVersion', 'files', 'firmwareId', 'firmwareName', 'productKey', 'signMethod']);
		const summary = readFileSync(stepSummary, 'utf8');
		assert.equal(summary.match(/^### iot-ota upload$/gm)?.length, 2, summary);
		// File names and URLs are Markdown-escaped text in the summary; the FirmwareId is a code span.
		for (const name of [...['app.bin', 'spiffs.bin', String(files[1].firmwareUrl)].map(escapeMarkdown), String(result.firmwareId)]) {
			assert.ok(summary.includes(name), `the step summary names ${name}`);
		}
		const sent = suite.sandbox.requests.entries.filter((e) => e.target === 'api').map((e) => e.action);
		assert.deepEqual(sent, ['QueryProduct', 'GenerateOTAUploadURL', 'GenerateOTAUploadURL', 'CreateOTAFirmware']);
		const create = suite.sandbox.requests.entries.at(-1)?.params ?? {};
		assert.equal(create['MultiFiles.2.Url'], files[1].firmwareUrl);
		assert.equal(create.FirmwareUrl, undefined);

		const show = await runCli(
			suite.cli.cliPath,
			['firmware', 'show', String(result.firmwareId), '--endpoint', suite.sandbox.endpoint],
			{
				env: suite.env(),
				cwd: suite.work,
			},
		);
		assert.equal(show.code, 0, show.stderr);
		assert.match(show.stdout, /File: {10}app\.bin \(300 KB\)\n {2}File: {10}spiffs\.bin \(39\.1 KB\)/);
	});

	void test('a package without --json: which file is uploading on stderr, each file and the package on stdout', async () => {
		writeFileSync(path.join(suite.work, 'spiffs.bin'), randomBytes(40_000));
		const args = ['upload', suite.firmwarePath, path.join(suite.work, 'spiffs.bin'), '--endpoint', suite.sandbox.endpoint, '--create'];
		const run = await runCli(
			suite.cli.cliPath,
			[...args, '--product-key', suite.sandbox.productKey, '--dest-version', '7.1.0', '--name', 'pair'],
			{
				env: suite.env(),
				cwd: suite.work,
			},
		);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.stderr, 'Uploading file 1 of 2: app.bin\nUploading file 2 of 2: spiffs.bin\n');
		assert.match(run.stdout, /^Uploaded 2 files in .*\n {2}app\.bin \(300 KB\)\n {4}FirmwareUrl: http/);
		assert.match(run.stdout, /\n {2}spiffs\.bin \(39\.1 KB\)\n/);
		assert.match(run.stdout, /\nRegistered "pair" \(FirmwareId \S+\), version 7\.1\.0, one package of 2 files\n$/);
	});

	/** The pair app.bin + spiffs.bin as a package, with --json or not. */
	const packageRun = (spiffs: string, version: string, ...flags: string[]) =>
		startCli(
			suite.cli.cliPath,
			[
				'upload',
				suite.firmwarePath,
				spiffs,
				'--endpoint',
				suite.sandbox.endpoint,
				'--create',
				'--product-key',
				suite.sandbox.productKey,
				'--dest-version',
				version,
				...flags,
			],
			{ env: suite.env(), cwd: suite.work },
		);
	const storedAt = async (url: unknown) => (await fetch(signedUrl(suite.sandbox, String(url)))).status;

	void test('a package refused at its registration lists what it uploaded: --json one object, text each FirmwareUrl and the window', async () => {
		const spiffs = path.join(suite.work, 'spiffs.bin');
		writeFileSync(spiffs, randomBytes(40_000));
		assert.equal((await packageRun(spiffs, '7.2.0', '--name', 'taken', '--json').done).code, 0);
		const json = await packageRun(spiffs, '7.2.1', '--name', 'taken', '--json').done;
		assert.equal(json.code, 4, json.stderr);
		const error = parseJsonOutput(json).error as Record<string, unknown>;
		assert.equal(error.code, 'iot.firmware.AlreadyExistedFirmwareName');
		assert.match(
			String(error.message),
			/Nothing was registered\. Uploaded and left unregistered \(OSS deletes them after 60 minutes\): app\.bin, spiffs\.bin\./,
		);
		const files = error.files as Array<Record<string, unknown>>;
		assert.deepEqual(
			files.map(({ name, size, md5, sha256 }) => ({ name, size, md5, sha256 })),
			[suite.firmware, readFileSync(spiffs)].map((bytes, i) => ({
				name: ['app.bin', 'spiffs.bin'][i],
				size: bytes.length,
				md5: hex(bytes, 'md5'),
				sha256: hex(bytes, 'sha256'),
			})),
		);
		assert.deepEqual(
			await Promise.all(files.map((file) => storedAt(file.firmwareUrl))),
			[200, 200],
			'each FirmwareUrl is an uploaded object',
		);

		const text = await packageRun(spiffs, '7.2.2', '--name', 'taken').done;
		assert.equal(text.code, 4, text.stderr);
		assert.equal(text.stdout, '');
		const listed =
			/\nThe uploads themselves succeeded; a FirmwareUrl can be registered within 60 minutes of its upload:\n {2}app\.bin: FirmwareUrl (\S+)\n {2}spiffs\.bin: FirmwareUrl (\S+)\nRegister the package with:\n {2}iot-ota firmware create .*\n$/.exec(
				text.stderr,
			);
		assert.ok(listed, text.stderr);
		assert.match(text.stderr, /^Error: .*Nothing was registered\. .*\(iot\.firmware\.AlreadyExistedFirmwareName, RequestId: \S+\)\n/m);
		assert.deepEqual(await Promise.all(listed.slice(1).map(storedAt)), [200, 200]);
	});

	void test('a package whose CreateOTAFirmware got no definite answer (a 5xx) says to check the package list before registering any FirmwareUrl', async () => {
		const spiffs = path.join(suite.work, 'spiffs.bin');
		writeFileSync(spiffs, randomBytes(40_000));
		suite.sandbox.faults.add({ target: 'api', action: 'CreateOTAFirmware', kind: 'status', status: 500, code: 'InternalError' });
		const text = await packageRun(spiffs, '7.4.0', '--name', 'answer-lost').done;
		assert.equal(text.code, 4, text.stderr);
		assert.match(
			text.stderr,
			/^Error: .*"answer-lost" \(product \w+, DestVersion 7\.4\.0\) may be registered all the same, with app\.bin, spiffs\.bin\. Check the package list before registering again: /m,
		);
		// The CLI's own way to look, where the run looked: the product, version and connection flags of the run.
		const look = `Check the package list before registering again: iot-ota firmware list --product-key ${suite.sandbox.productKey} --dest-version 7.4.0 --endpoint ${suite.sandbox.endpoint} (InternalError`;
		assert.ok(text.stderr.includes(look), text.stderr);
		assert.doesNotMatch(text.stderr, /console|OTA Packages view/, 'no other shell’s way');
		assert.match(
			text.stderr,
			/\nThe uploads themselves succeeded, and the package may be registered with them: check the package list first; only if the package is not there, a FirmwareUrl can be registered within 60 minutes of its upload:\n {2}app\.bin: FirmwareUrl (\S+)\n {2}spiffs\.bin: FirmwareUrl (\S+)\nOnly if the package is not in that list, register it with:\n {2}iot-ota firmware create \1 \2 --file \S+app\.bin --file \S+spiffs\.bin --product-key \w+ --dest-version 7\.4\.0 --name answer-lost --endpoint \S+\n$/,
		);
		assert.doesNotMatch(text.stderr, /Nothing was registered/);
	});

	void test('a package cancelled during its second upload lists the first: --json with the Cancelled code, text with its FirmwareUrl; exit 130', async () => {
		const spiffs = path.join(suite.work, 'spiffs.bin');
		writeFileSync(spiffs, randomBytes(40_000));
		// Each file's PostObject is held: the first is let go, the second is where Ctrl+C lands.
		const cancelSecond = async (...flags: string[]): Promise<CliRun> => {
			suite.sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'hold', times: 2 });
			const { child, done } = packageRun(spiffs, '7.3.0', ...flags);
			await suite.sandbox.faults.whenHeld('oss', 'PostObject');
			suite.sandbox.faults.release();
			await suite.sandbox.faults.whenHeld('oss', 'PostObject');
			child.kill('SIGINT');
			const run = await done;
			suite.sandbox.faults.release();
			return run;
		};
		const json = await cancelSecond('--json');
		assert.equal(json.code, 130, json.stderr);
		const error = parseJsonOutput(json).error as Record<string, unknown>;
		assert.equal(error.code, 'Cancelled');
		const files = error.files as Array<Record<string, unknown>>;
		assert.deepEqual(
			files.map(({ name, size }) => ({ name, size })),
			[{ name: 'app.bin', size: suite.firmware.length }],
		);
		assert.equal(await storedAt(files[0].firmwareUrl), 200);

		const text = await cancelSecond();
		assert.equal(text.code, 130, text.stderr);
		assert.match(
			text.stderr,
			/\nCancelled during the upload of spiffs\.bin \(file 2 of 2\)\. Nothing was registered\. Uploaded and left unregistered \(OSS deletes it after 60 minutes\): app\.bin\.\nThe upload itself succeeded; a FirmwareUrl can be registered within 60 minutes of its upload:\n {2}app\.bin: FirmwareUrl http\S+\n$/,
		);
	});
});
