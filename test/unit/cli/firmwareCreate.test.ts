import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { IotClient } from '../../../src/core/iotClient';
import { REGISTER_WINDOW_MS } from '../../../src/core/otaFacts';
import { firmwareCreateCommand, uploadCreateCommand } from '../../../src/cli/registerLine';
import { espImage } from '../../support/firmware';
import { parseJsonOutput, runCli, type CliRun } from './cliHarness';
import { hex, useUploadSuite } from './uploadSuite';

void describe('iot-ota firmware create: registering a FirmwareUrl uploaded earlier', () => {
	// The sandbox's clock runs `skew` ms ahead of the CLI's: a test moves it past the registration window and back.
	let skew = 0;
	const suite = useUploadSuite('iot-ota-cli-firmware-create-', { now: () => Date.now() + skew });
	const iot = () => new IotClient({ region: 'cn-shanghai', endpoint: suite.sandbox.endpoint, credentials: suite.sandbox });
	const cli = (args: readonly string[]): Promise<CliRun> => runCli(suite.cli.cliPath, args, { env: suite.env(), cwd: suite.work });
	const create = (url: string, ...args: string[]) =>
		cli(['firmware', 'create', url, '--endpoint', suite.sandbox.endpoint, '--product-key', suite.sandbox.productKey, ...args]);
	const refuse = () => suite.refuseNextRegistration();
	/** How many packages of the suite's product are registered under `destVersion`. */
	const packagesOf = async (destVersion: string): Promise<number> => {
		const list = await iot().listOtaFirmware({ currentPage: 1, pageSize: 100, productKey: suite.sandbox.productKey, destVersion });
		return list.items.length;
	};
	const uploadedUrl = async (): Promise<string> => {
		const run = await suite.upload('--json');
		assert.equal(run.code, 0, run.stderr);
		return String(parseJsonOutput(run).firmwareUrl);
	};

	void test('an upload without --create, then firmware create: the package exists with the file as its sign and size; again: adopted', async () => {
		const url = await uploadedUrl();
		const uploads = suite.sandbox.stats.ossUploads;
		const run = await create(url, '--file', 'app.bin', '--dest-version', '3.0.0', '--sign-method', 'SHA256', '--json');
		assert.equal(run.code, 0, run.stderr);
		suite.assertNoSecret(run);
		const result = parseJsonOutput(run);
		assert.deepEqual(Object.keys(result).sort(), ['firmwareId', 'firmwareUrl', 'md5', 'sha256', 'size']);
		assert.equal(result.firmwareUrl, url);
		assert.equal(result.sha256, hex(suite.firmware, 'sha256'));
		assert.equal(result.md5, hex(suite.firmware, 'md5'));
		assert.equal(result.size, suite.firmware.length);
		const info = await iot().queryOtaFirmware(String(result.firmwareId));
		assert.equal(info.destVersion, '3.0.0');
		assert.equal(info.productKey, suite.sandbox.productKey);
		assert.equal(info.signMethod, 'SHA256');
		assert.equal(info.firmwareSign, hex(suite.firmware, 'sha256'));
		assert.equal(info.firmwareSize, suite.firmware.length);
		assert.equal(info.firmwareName, `app-3_0_0-${hex(suite.firmware, 'sha256').slice(0, 8)}`, 'the default name of upload --create');
		assert.equal(suite.sandbox.stats.ossUploads, uploads, 'nothing uploaded');

		const again = await create(url, '--file', 'app.bin', '--dest-version', '3.0.0');
		assert.equal(again.code, 0, again.stderr);
		assert.equal(
			again.stdout,
			`Already registered as "${info.firmwareName}" (FirmwareId ${String(result.firmwareId)}); no second registration was created\n  FirmwareUrl: ${url}\n`,
		);
	});

	void test('the version guard of upload --create: another --dest-version than the image declares is refused before any call; without it, its version', async () => {
		writeFileSync(path.join(suite.work, 'esp.bin'), espImage({ app: { version: '1.2.0', projectName: 'fwcreate' } }));
		const uploaded = await cli(['upload', 'esp.bin', '--endpoint', suite.sandbox.endpoint, '--json']);
		assert.equal(uploaded.code, 0, uploaded.stderr);
		const url = String(parseJsonOutput(uploaded).firmwareUrl);
		const creates = () => suite.sandbox.stats.apiCalls.CreateOTAFirmware ?? 0;
		const refused = await create(url, '--file', 'esp.bin', '--dest-version', '1.3.0', '--json');
		assert.equal(refused.code, 2, refused.stderr);
		const { error } = parseJsonOutput(refused) as { error: { code: string; message: string } };
		assert.equal(error.code, 'VersionMismatch');
		assert.match(error.message, /^The image declares version 1\.2\.0 \(ESP-IDF app description\) but DestVersion is 1\.3\.0/);
		assert.equal(creates(), 0, 'no CreateOTAFirmware');

		const taken = await create(url, '--file', 'esp.bin', '--json');
		assert.equal(taken.code, 0, taken.stderr);
		assert.equal((await iot().queryOtaFirmware(String(parseJsonOutput(taken).firmwareId))).destVersion, '1.2.0');
	});

	void test('an image that declares no version needs --dest-version, and the hint names the version its project states, as upload --create says', async () => {
		const url = await uploadedUrl();
		mkdirSync(path.join(suite.work, 'proj'));
		writeFileSync(path.join(suite.work, 'proj', 'version.txt'), '6.1.0\n');
		writeFileSync(path.join(suite.work, 'proj', 'app.bin'), suite.firmware);
		const run = await create(url, '--file', path.join('proj', 'app.bin'), '--json');
		assert.equal(run.code, 2, run.stderr);
		const { error } = parseJsonOutput(run) as { error: { code: string; message: string } };
		assert.equal(error.code, 'DestVersionRequired');
		const hint = `${path.join(suite.work, 'proj', 'version.txt')} gives 6.1.0: add --dest-version 6.1.0 if that is the version devices report after the update.`;
		assert.ok(error.message.endsWith(` ${hint}`), error.message);
		assert.equal(suite.sandbox.stats.apiCalls.CreateOTAFirmware ?? 0, 0, 'no CreateOTAFirmware');
	});

	void test('the same-content lookup of upload --create: a second upload of the same file takes the package registered; --force-new registers it', async () => {
		const first = await create(await uploadedUrl(), '--file', 'app.bin', '--dest-version', '3.5.0', '--json');
		assert.equal(first.code, 0, first.stderr);
		const second = await uploadedUrl();
		const reused = await create(second, '--file', 'app.bin', '--dest-version', '3.5.0', '--json');
		assert.equal(reused.code, 0, reused.stderr);
		const body = parseJsonOutput(reused);
		assert.equal(body.reused, true);
		assert.equal(body.uploaded, false);
		assert.equal(body.firmwareId, parseJsonOutput(first).firmwareId);

		const forced = await create(
			second,
			'--file',
			'app.bin',
			'--dest-version',
			'3.5.0',
			'--force-new',
			'--name',
			'app-second',
			'--json',
		);
		assert.equal(forced.code, 0, forced.stderr);
		assert.notEqual(parseJsonOutput(forced).firmwareId, parseJsonOutput(first).firmwareId);
		assert.equal((await iot().queryOtaFirmware(String(parseJsonOutput(forced).firmwareId))).firmwareUrl, second);
	});

	void test('another file than the one uploaded is refused by its digest (same size) or its size, with the way out', async () => {
		const url = await uploadedUrl();
		writeFileSync(path.join(suite.work, 'other.bin'), randomBytes(suite.firmware.length));
		writeFileSync(path.join(suite.work, 'shorter.bin'), suite.firmware.subarray(1));
		for (const [file, code] of [
			['other.bin', 'iot.ota.FirmwareSignNotMatch'],
			['shorter.bin', 'iot.ota.FirmwareSizeNotMatch'],
		] as const) {
			const run = await create(url, '--file', file, '--dest-version', '3.1.0', '--json');
			assert.equal(run.code, 4, run.stderr);
			const { error } = parseJsonOutput(run) as { error: { code: string; message: string } };
			assert.equal(error.code, code);
			assert.match(error.message, /--file is not the file that was uploaded to this FirmwareUrl/);
			assert.ok(
				error.message.endsWith(
					`upload this one: iot-ota upload ${file} --create --product-key ${suite.sandbox.productKey} --dest-version 3.1.0 --endpoint ${suite.sandbox.endpoint}`,
				),
				error.message,
			);
		}
		assert.equal(await packagesOf('3.1.0'), 0, 'nothing registered');
	});

	void test('a FirmwareUrl refused by the rule is refused before any call; one with no upload behind it gets the window hint', async () => {
		const calls = () => Object.values(suite.sandbox.stats.apiCalls).reduce((sum, n) => sum + n, 0);
		const before = calls();
		const unsafe = await create('javascript:alert(1)', '--file', 'app.bin', '--dest-version', '3.2.0', '--json');
		assert.equal(unsafe.code, 2, unsafe.stderr);
		assert.equal((parseJsonOutput(unsafe) as { error: { code: string } }).error.code, 'UnsafeFirmwareUrl');
		assert.equal(calls(), before, 'no API call');

		const never = await create(`${suite.sandbox.ossHost}/ota/nothing/there.bin`, '--file', 'app.bin', '--dest-version', '3.2.0');
		assert.equal(never.code, 4, never.stderr);
		assert.match(never.stderr, /No upload is stored at this FirmwareUrl any more .*\(iot\.ota\.InvalidFirmwareUrl, RequestId: /);
	});

	void test('an upload left unregistered past the registration window is refused as the platform refuses it, with the way out', async () => {
		const url = await uploadedUrl();
		try {
			skew = REGISTER_WINDOW_MS + 1;
			// Earlier tests' unregistered uploads go too: only this one is looked at.
			assert.ok((await suite.sandbox.sweep()).includes(new URL(url).pathname.slice(1)), 'OSS deleted the upload');
		} finally {
			skew = 0;
		}
		const late = await create(url, '--file', 'app.bin', '--dest-version', '3.2.0');
		assert.equal(late.code, 4, late.stderr);
		assert.match(
			late.stderr,
			/No upload is stored at this FirmwareUrl any more \(OSS deletes an upload that is not registered within 60 minutes\)/,
		);
		assert.match(
			late.stderr,
			/Upload the file again and register it in one run: iot-ota upload app\.bin --create --product-key \S+ --dest-version 3\.2\.0 --endpoint \S+ \(iot\.ota\.InvalidFirmwareUrl, RequestId: /,
		);
		assert.equal(await packagesOf('3.2.0'), 0, 'nothing registered');
	});

	void test('the URL names the suffix uploaded: contents that cannot be that suffix are refused before any call', async () => {
		const url = await uploadedUrl();
		const zipUrl = url.replace(/\.bin$/, '.zip');
		const calls = suite.sandbox.stats.apiCalls.CreateOTAFirmware ?? 0;
		const run = await create(zipUrl, '--file', 'app.bin', '--dest-version', '3.3.0', '--json');
		assert.equal(run.code, 2, run.stderr);
		assert.match((parseJsonOutput(run) as { error: { message: string } }).error.message, /zip/i);
		assert.equal(suite.sandbox.stats.apiCalls.CreateOTAFirmware ?? 0, calls, 'no CreateOTAFirmware');
	});

	void test('a failed registration of upload --create prints the firmware create line that finishes it (text and --json)', async () => {
		const flags = ['--create', '--product-key', suite.sandbox.productKey, '--dest-version', '4.0.0', '--module', 'default'];
		refuse();
		const text = await suite.upload(...flags);
		assert.equal(text.code, 4, text.stderr);
		const line = /Register it within 60 minutes of the upload with:\n {2}(iot-ota firmware create .*)\n$/.exec(text.stderr)?.[1];
		const url = /The upload itself succeeded: FirmwareUrl (\S+)\n/.exec(text.stderr)?.[1] ?? '';
		assert.equal(
			line,
			`iot-ota firmware create ${url} --file ${suite.firmwarePath} --product-key ${suite.sandbox.productKey} --dest-version 4.0.0 --module default --endpoint ${suite.sandbox.endpoint}`,
		);
		suite.assertNoSecret(text);

		refuse();
		const json = await suite.upload(...flags, '--json');
		assert.equal(json.code, 4, json.stderr);
		const { error } = parseJsonOutput(json) as { error: Record<string, unknown> };
		assert.match(String(error.registerCommand), /^iot-ota firmware create http\S+ --file \S+ --product-key /);

		// The printed line, run as printed (its words need no quoting here), registers the upload.
		const finished = await cli([...(line ?? '').split(' ').slice(1), '--json']);
		assert.equal(finished.code, 0, finished.stderr);
		const info = await iot().queryOtaFirmware(String(parseJsonOutput(finished).firmwareId));
		assert.equal(info.firmwareSign, hex(suite.firmware, 'md5'));
		assert.equal(info.destVersion, '4.0.0');
	});

	void test('firmware create needs --file and --product-key, checked before anything is read or sent', async () => {
		const noFile = await cli(['firmware', 'create', 'https://example.com/a.bin', '--product-key', 'pk']);
		assert.equal(noFile.code, 2);
		assert.match(noFile.stderr, /needs one --file per FirmwareUrl/);
		const noKey = await cli(['firmware', 'create', 'https://example.com/a.bin', '--file', 'app.bin']);
		assert.equal(noKey.code, 2);
		assert.match(noKey.stderr, /iot-ota firmware create needs --product-key/);
	});

	void test('a package whose registration failed prints the firmware create line of all its FirmwareUrls; run, it registers the package', async () => {
		writeFileSync(path.join(suite.work, 'spiffs.bin'), randomBytes(40 * 1024));
		const upload = ['upload', 'app.bin', 'spiffs.bin', '--endpoint', suite.sandbox.endpoint, '--create'];
		const flags = ['--product-key', suite.sandbox.productKey, '--dest-version', '5.0.0'];
		refuse();
		const text = await cli([...upload, ...flags]);
		assert.equal(text.code, 4, text.stderr);
		const urls = [...text.stderr.matchAll(/^ {2}(?:app|spiffs)\.bin: FirmwareUrl (\S+)$/gm)].map((match) => match[1]);
		assert.equal(urls.length, 2, text.stderr);
		const line = `iot-ota firmware create ${urls.join(' ')} --file app.bin --file spiffs.bin ${flags.join(' ')} --endpoint ${suite.sandbox.endpoint}`;
		assert.ok(text.stderr.endsWith(`\nRegister the package with:\n  ${line}\n`), text.stderr);

		refuse();
		const json = await cli([...upload, ...flags, '--json']);
		const { error } = parseJsonOutput(json) as { error: Record<string, unknown> };
		assert.match(
			String(error.registerCommand),
			/^iot-ota firmware create http\S+ http\S+ --file app\.bin --file spiffs\.bin --product-key /,
		);

		const finished = await cli([...line.split(' ').slice(1), '--json']);
		assert.equal(finished.code, 0, finished.stderr);
		const result = parseJsonOutput(finished) as { firmwareId: string; files: Array<Record<string, unknown>> };
		assert.deepEqual(
			result.files.map(({ name, firmwareUrl }) => [name, firmwareUrl]),
			[
				['app.bin', urls[0]],
				['spiffs.bin', urls[1]],
			],
		);
		const show = await cli(['firmware', 'show', result.firmwareId, '--endpoint', suite.sandbox.endpoint, '--json']);
		const info = parseJsonOutput(show) as { destVersion: string; multiFiles?: Array<{ name: string; size?: number }> };
		assert.equal(info.destVersion, '5.0.0');
		assert.deepEqual(
			info.multiFiles?.map((file) => [file.name, file.size]),
			[
				['app.bin', suite.firmware.length],
				['spiffs.bin', 40 * 1024],
			],
		);
	});

	void test('firmware create takes one --file per FirmwareUrl, and --force-new for one only', async () => {
		const two = ['firmware', 'create', 'https://example.com/a.bin', 'https://example.com/b.bin', '--product-key', 'pk'];
		const missing = await cli([...two, '--file', 'app.bin']);
		assert.equal(missing.code, 2);
		assert.match(missing.stderr, /one --file per FirmwareUrl, in the same order: .*\(2 FirmwareUrls, 1 --file\)/);
		const forceNew = await cli([...two, '--file', 'app.bin', '--file', 'app.bin', '--force-new']);
		assert.equal(forceNew.code, 2);
		assert.match(forceNew.stderr, /--force-new applies to one FirmwareUrl/);
	});

	void test('firmware create --help does not say --force-new uploads: nothing is uploaded', async () => {
		const help = await cli(['firmware', 'create', '--help']);
		assert.equal(help.code, 0);
		assert.match(help.stdout, /--force-new +Register a new package even when one of the same product, version and content exists/);
		assert.doesNotMatch(help.stdout, /\(and upload\)/);
	});

	void test('the follow-up lines quote what a shell would split and leave a placeholder for a missing ProductKey', () => {
		const values = { endpoint: 'http://127.0.0.1:1', name: 'my fw', 'allow-insecure-endpoint': true, json: true };
		assert.equal(
			firmwareCreateCommand([{ firmwareUrl: 'https://h/ota/a/b.bin', file: 'build dir/app.bin' }], values),
			"iot-ota firmware create https://h/ota/a/b.bin --file 'build dir/app.bin' --product-key '<ProductKey>' --name 'my fw' --endpoint http://127.0.0.1:1 --allow-insecure-endpoint",
		);
		assert.equal(
			uploadCreateCommand(['app.bin', 'fs.bin'], { 'product-key': 'pk', differential: true, 'src-version': '1.0' }),
			'iot-ota upload app.bin fs.bin --create --product-key pk --src-version 1.0 --differential',
		);
	});
});
