import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { IotClient } from '../../../src/core/iotClient';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { buildCli, cleanEnv, parseJsonOutput, runCli, startCli, tempDir, type CliRun } from './cliHarness';
import { signedUrl } from '../../support/ossDownload';

void describe('iot-ota upload against the sandbox', () => {
	let cli: Awaited<ReturnType<typeof buildCli>>;
	let sandbox: Sandbox;
	let work: string;
	let firmware: Buffer;
	let firmwarePath: string;

	const env = () =>
		cleanEnv(path.join(work, 'home'), {
			ALIBABA_CLOUD_ACCESS_KEY_ID: sandbox.accessKeyId,
			ALIBABA_CLOUD_ACCESS_KEY_SECRET: sandbox.accessKeySecret,
		});
	const upload = (...args: string[]) =>
		runCli(cli.cliPath, ['upload', firmwarePath, '--endpoint', sandbox.endpoint, ...args], { env: env(), cwd: work });
	const assertNoSecret = (run: CliRun) => {
		assert.equal(run.stdout.includes(sandbox.accessKeySecret), false, 'secret on stdout');
		assert.equal(run.stderr.includes(sandbox.accessKeySecret), false, 'secret on stderr');
	};

	before(async () => {
		work = tempDir('iot-ota-cli-upload-');
		[cli, sandbox] = await Promise.all([buildCli(), startSandbox({ dataDir: path.join(work, 'sandbox') })]);
		firmware = randomBytes(300 * 1024 + 7);
		firmwarePath = path.join(work, 'app.bin');
		writeFileSync(firmwarePath, firmware);
	});

	after(async () => {
		await sandbox?.stop();
		cli?.dispose();
		rmSync(work, { recursive: true, force: true });
	});

	void test('--json prints one object and the stored object has the same bytes and MD5', async () => {
		const run = await upload('--json');
		assert.equal(run.code, 0, run.stderr);
		assertNoSecret(run);
		const result = parseJsonOutput(run);
		const md5 = createHash('md5').update(firmware).digest('hex');
		assert.equal(result.md5, md5);
		assert.equal(result.sha256, createHash('sha256').update(firmware).digest('hex'));
		assert.equal(result.size, firmware.length);
		assert.equal(result.suffix, 'bin');
		assert.equal(typeof result.key, 'string');
		assert.equal(result.firmwareUrl, `${result.host}/${result.key}`);
		assert.deepEqual(Object.keys(result).sort(), ['firmwareUrl', 'host', 'key', 'md5', 'sha256', 'size', 'suffix', 'utcCreate']);

		const response = await fetch(signedUrl(sandbox, `${sandbox.ossHost}/${result.key}`));
		assert.equal(response.status, 200);
		const stored = Buffer.from(await response.arrayBuffer());
		assert.equal(createHash('md5').update(stored).digest('hex'), md5);
		assert.ok(stored.equals(firmware));
	});

	void test('--create registers the package and --insert edits a JSONC file keeping its comments', async () => {
		const config = path.join(work, 'device.jsonc');
		writeFileSync(config, '// device settings\n{\n  "ota": {\n    /* filled by iot-ota */\n    "url": "" // keep me\n  }\n}\n');
		const run = await upload(
			'--json',
			'--create',
			'--product-key',
			sandbox.productKey,
			'--dest-version',
			'2.1.0',
			'--insert',
			'device.jsonc#ota.url',
		);
		assert.equal(run.code, 0, run.stderr);
		assertNoSecret(run);
		const result = parseJsonOutput(run);
		assert.equal(typeof result.firmwareId, 'string');
		assert.deepEqual(result.inserted, { file: config, path: 'ota.url' });

		const client = new IotClient({ region: 'cn-shanghai', endpoint: sandbox.endpoint, credentials: sandbox });
		const info = await client.queryOtaFirmware(result.firmwareId as string);
		assert.equal(info.firmwareName, `app-2_1_0-${String(result.sha256).slice(0, 8)}`, 'file stem, version and content tag');
		assert.equal(info.destVersion, '2.1.0');
		assert.equal(info.firmwareSize, firmware.length);
		assert.equal(info.firmwareSign, result.md5);

		const text = readFileSync(config, 'utf8');
		assert.equal(
			text,
			`// device settings\n{\n  "ota": {\n    /* filled by iot-ota */\n    "url": ${JSON.stringify(result.firmwareUrl)} // keep me\n  }\n}\n`,
		);
	});

	void test('--version-marker gives unknown contents their version, as inspect does; without it they declare none', async () => {
		const vendor = path.join(work, 'vendor.bin');
		writeFileSync(vendor, Buffer.concat([randomBytes(4000), Buffer.from('FW_VERSION=2.5.1;')]));
		const create = ['upload', vendor, '--endpoint', sandbox.endpoint, '--json', '--create', '--product-key', sandbox.productKey];
		const unmarked = await runCli(cli.cliPath, create, { env: env(), cwd: work });
		assert.equal(unmarked.code, 2, unmarked.stderr);
		assert.match(String((parseJsonOutput(unmarked).error as { message: string }).message), /declares no version/);
		const run = await runCli(cli.cliPath, [...create, '--version-marker', 'FW_VERSION=([0-9.]+)'], { env: env(), cwd: work });
		assert.equal(run.code, 0, run.stderr);
		const client = new IotClient({ region: 'cn-shanghai', endpoint: sandbox.endpoint, credentials: sandbox });
		assert.equal((await client.queryOtaFirmware(String(parseJsonOutput(run).firmwareId))).destVersion, '2.5.1');
	});

	void test('--version-marker that backtracks catastrophically is stopped: exit 2 with one message, nothing sent', async () => {
		const slow = path.join(work, 'slow.bin');
		writeFileSync(slow, Buffer.concat([Buffer.alloc(1024 * 1024 - 1, 'a'), Buffer.from('b')]));
		sandbox.requests.clear();
		const args = ['upload', slow, '--endpoint', sandbox.endpoint, '--version-marker', '(a+)+$'];
		const json = await runCli(cli.cliPath, [...args, '--json'], { env: env(), cwd: work });
		assert.equal(json.code, 2, json.stderr);
		const message = `The version marker took longer than 200 milliseconds to search a MB of ${slow} and was stopped. Give a pattern that runs in linear time: start it with literal text, e.g. FW_VERSION=([0-9.]+), and avoid nested or overlapping quantifiers such as (a+)+ or (x|x)*.`;
		assert.deepEqual(parseJsonOutput(json).error, { code: 'VersionMarkerTooSlow', message });
		const human = await runCli(cli.cliPath, args, { env: env(), cwd: work });
		assert.equal(human.code, 2);
		assert.equal(human.stderr, `Error: ${message} (VersionMarkerTooSlow)\n`);
		assert.deepEqual(sandbox.requests.entries, []);
	});

	void test('a reused package followed by a failed insert says nothing was uploaded and names the package (text and --json)', async () => {
		const create = ['--create', '--product-key', sandbox.productKey, '--dest-version', '6.0.0'];
		const registered = parseJsonOutput(await upload('--json', ...create));
		const config = path.join(work, 'vanishing.json');
		// The same-content lookup is held while the insert target disappears: the package is taken, the insert fails.
		const reuseThenFail = async (...extra: string[]): Promise<CliRun> => {
			writeFileSync(config, '{ "ota": { "url": "" } }\n');
			sandbox.faults.add({ target: 'api', action: 'ListOTAFirmware', kind: 'hold' });
			const { done } = startCli(
				cli.cliPath,
				['upload', firmwarePath, '--endpoint', sandbox.endpoint, ...create, '--insert', 'vanishing.json#ota.url', ...extra],
				{ env: env(), cwd: work },
			);
			await sandbox.faults.whenHeld('api', 'ListOTAFirmware');
			rmSync(config);
			sandbox.faults.release();
			return done;
		};
		const uploads = sandbox.stats.ossUploads;
		const json = await reuseThenFail('--json');
		assert.equal(json.code, 2, json.stderr);
		assert.deepEqual(parseJsonOutput(json).error, {
			code: 'ConfigFileNotFound',
			message: `Config file not found: ${config}. The file was not changed.`,
			firmwareUrl: registered.firmwareUrl,
			firmwareId: registered.firmwareId,
			reused: true,
			uploaded: false,
		});
		const text = await reuseThenFail();
		assert.equal(text.code, 2, text.stderr);
		assert.equal(
			text.stderr,
			`Error: Config file not found: ${config}. The file was not changed. (ConfigFileNotFound)\n` +
				`Nothing was uploaded: the same content is already registered as FirmwareId ${String(registered.firmwareId)}, FirmwareUrl ${String(registered.firmwareUrl)}\n`,
		);
		assert.equal(sandbox.stats.ossUploads, uploads, 'nothing uploaded');
	});

	void test('--insert writes YAML, sdkconfig and C header files', async () => {
		const files = {
			'ota.yaml': { text: '# OTA\nota:\n  url: old # replaced\n  interval: 60\n', key: 'ota.url' },
			sdkconfig: { text: '# ESP-IDF\nCONFIG_OTA_ENABLED=y\nCONFIG_OTA_URL=""\n', key: 'CONFIG_OTA_URL' },
			'ota_config.h': { text: '#pragma once\n/* set by iot-ota */\n#define OTA_URL ""\n#define OTA_PORT 443\n', key: 'OTA_URL' },
		};
		for (const [name, { text }] of Object.entries(files)) {
			writeFileSync(path.join(work, name), text);
		}
		const runs = await Promise.all(Object.entries(files).map(([name, { key }]) => upload('--json', '--insert', `${name}#${key}`)));
		for (const [i, name] of Object.keys(files).entries()) {
			const run = runs[i];
			assert.equal(run.code, 0, run.stderr);
			const { firmwareUrl } = parseJsonOutput(run);
			const after = readFileSync(path.join(work, name), 'utf8');
			assert.ok(after.includes(firmwareUrl as string), `${name}:\n${after}`);
			assert.equal(
				after.split('\n').length,
				files[name as keyof typeof files].text.split('\n').length,
				`${name} gained or lost lines`,
			);
			const firstLine = files[name as keyof typeof files].text.split('\n')[0];
			assert.ok(after.startsWith(firstLine), `${name} lost its first line`);
		}
		assert.match(readFileSync(path.join(work, 'ota.yaml'), 'utf8'), /^ {2}interval: 60$/m);
		assert.match(readFileSync(path.join(work, 'sdkconfig'), 'utf8'), /^CONFIG_OTA_URL="http[^"]+"$/m);
		assert.match(readFileSync(path.join(work, 'ota_config.h'), 'utf8'), /^#define OTA_URL "http[^"]+"$/m);
	});

	void test('without --json: a human summary on stdout and no progress noise when stderr is not a terminal', async () => {
		const run = await upload('--create', '--product-key', sandbox.productKey, '--dest-version', '2.2.0', '--name', 'my-app');
		assert.equal(run.code, 0, run.stderr);
		assertNoSecret(run);
		assert.match(run.stdout, /^Uploaded app\.bin \(300 KB\)/);
		assert.match(run.stdout, /FirmwareUrl: http/);
		assert.match(run.stdout, /Registered "my-app" \(FirmwareId \S+\)/);
		assert.equal(run.stderr, '');
	});

	void test('two files with --create register one multi-file package; --json lists each file; firmware show lists them', async () => {
		const fsImage = path.join(work, 'spiffs.bin');
		writeFileSync(fsImage, randomBytes(40_000));
		sandbox.requests.clear();
		const both = ['upload', firmwarePath, fsImage, '--endpoint', sandbox.endpoint, '--json'];
		const stepSummary = path.join(work, 'step-summary.md');
		writeFileSync(stepSummary, '');
		const run = await runCli(cli.cliPath, [...both, '--create', '--product-key', sandbox.productKey, '--dest-version', '7.0.0'], {
			env: { ...env(), GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: stepSummary },
			cwd: work,
		});
		assert.equal(run.code, 0, run.stderr);
		assertNoSecret(run);
		const result = parseJsonOutput(run);
		const files = result.files as Array<Record<string, unknown>>;
		const hex = (bytes: Buffer, algorithm: string) => createHash(algorithm).update(bytes).digest('hex');
		assert.deepEqual(
			files.map(({ name, file, size, md5, sha256 }) => ({ name, file, size, md5, sha256 })),
			[firmware, readFileSync(fsImage)].map((bytes, i) => ({
				name: ['app.bin', 'spiffs.bin'][i],
				file: [firmwarePath, fsImage][i],
				size: bytes.length,
				md5: hex(bytes, 'md5'),
				sha256: hex(bytes, 'sha256'),
			})),
		);
		assert.equal(result.destVersion, '7.0.0');
		assert.deepEqual(Object.keys(result).sort(), ['destVersion', 'files', 'firmwareId', 'firmwareName', 'productKey', 'signMethod']);
		const summary = readFileSync(stepSummary, 'utf8');
		assert.equal(summary.match(/^### iot-ota upload$/gm)?.length, 2, summary);
		for (const name of ['app.bin', 'spiffs.bin', String(result.firmwareId), String(files[1].firmwareUrl)]) {
			assert.ok(summary.includes(name), `the step summary names ${name}`);
		}
		const sent = sandbox.requests.entries.filter((e) => e.target === 'api').map((e) => e.action);
		assert.deepEqual(sent, ['GenerateOTAUploadURL', 'GenerateOTAUploadURL', 'CreateOTAFirmware']);
		const create = sandbox.requests.entries.at(-1)?.params ?? {};
		assert.equal(create['MultiFiles.2.Url'], files[1].firmwareUrl);
		assert.equal(create.FirmwareUrl, undefined);

		const show = await runCli(cli.cliPath, ['firmware', 'show', String(result.firmwareId), '--endpoint', sandbox.endpoint], {
			env: env(),
			cwd: work,
		});
		assert.equal(show.code, 0, show.stderr);
		assert.match(show.stdout, /File: {10}app\.bin \(300 KB\)\n {2}File: {10}spiffs\.bin \(39\.1 KB\)/);
	});

	void test('several files without --create, with --insert or --force-new are usage errors that say what to do; nothing is sent', async () => {
		sandbox.requests.clear();
		const several = (...flags: string[]) =>
			runCli(cli.cliPath, ['upload', firmwarePath, firmwarePath, '--endpoint', sandbox.endpoint, ...flags], {
				env: env(),
				cwd: work,
			});
		const create = ['--create', '--product-key', sandbox.productKey, '--dest-version', '1.0'];
		const cases: Array<[string[], RegExp]> = [
			[[], /^Error: 2 files were given without --create: .* Add --create --product-key PK .*, or upload them one by one/],
			[
				[...create, '--insert', 'x.json#ota.url'],
				/^Error: --insert writes one FirmwareUrl, .* Drop --insert and take the URLs from the output/,
			],
			[[...create, '--force-new'], /^Error: --force-new applies to one file/],
		];
		for (const [flags, message] of cases) {
			const run = await several(...flags);
			assert.equal(run.code, 2, run.stderr);
			assert.match(run.stderr, message);
			assert.match(run.stderr, /\(UsageError\)\n$/);
		}
		const twice = await several(...create);
		assert.equal(twice.code, 2);
		assert.equal(
			twice.stderr,
			`Error: ${firmwarePath} is given twice; a package holds each file once. Give each file once. (InvalidMultiFiles)\n`,
		);
		assert.deepEqual(sandbox.requests.entries, []);
	});

	void test('a folder is refused before anything is read or sent, with one usage message that says to name the files', async () => {
		sandbox.requests.clear();
		const build = path.join(work, 'build');
		mkdirSync(build, { recursive: true });
		writeFileSync(path.join(build, 'app.bin'), randomBytes(1024));
		const create = ['--create', '--product-key', sandbox.productKey, '--dest-version', '1.0'];
		for (const args of [['build'], ['build/', '--json'], [firmwarePath, 'build', ...create]]) {
			const run = await runCli(cli.cliPath, ['upload', ...args, '--endpoint', sandbox.endpoint], { env: env(), cwd: work });
			assert.equal(run.code, 2, run.stderr);
			const message = args.includes('--json') ? String((parseJsonOutput(run).error as { message: string }).message) : run.stderr;
			assert.match(
				message,
				/^(Error: )?build\/? is a folder: iot-ota upload takes firmware files\. Name the files in it, e\.g\. iot-ota upload build\/\*\.bin /,
			);
			assert.equal(run.stdout.includes('"firmwareUrl"'), false);
		}
		assert.deepEqual(sandbox.requests.entries, [], 'nothing was sent');
	});

	void test('a package without --json: which file is uploading on stderr, each file and the package on stdout', async () => {
		writeFileSync(path.join(work, 'spiffs.bin'), randomBytes(40_000));
		const args = ['upload', firmwarePath, path.join(work, 'spiffs.bin'), '--endpoint', sandbox.endpoint, '--create'];
		const run = await runCli(cli.cliPath, [...args, '--product-key', sandbox.productKey, '--dest-version', '7.1.0', '--name', 'pair'], {
			env: env(),
			cwd: work,
		});
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.stderr, 'Uploading file 1 of 2: app.bin\nUploading file 2 of 2: spiffs.bin\n');
		assert.match(run.stdout, /^Uploaded 2 files in .*\n {2}app\.bin \(300 KB\)\n {4}FirmwareUrl: http/);
		assert.match(run.stdout, /\n {2}spiffs\.bin \(39\.1 KB\)\n/);
		assert.match(run.stdout, /\nRegistered "pair" \(FirmwareId \S+\), version 7\.1\.0, one package of 2 files\n$/);
	});

	/** The pair app.bin + spiffs.bin as a package, with --json or not. */
	const packageRun = (spiffs: string, version: string, ...flags: string[]) =>
		startCli(
			cli.cliPath,
			[
				'upload',
				firmwarePath,
				spiffs,
				'--endpoint',
				sandbox.endpoint,
				'--create',
				'--product-key',
				sandbox.productKey,
				'--dest-version',
				version,
				...flags,
			],
			{ env: env(), cwd: work },
		);
	const storedAt = async (url: unknown) => (await fetch(signedUrl(sandbox, String(url)))).status;

	void test('a package refused at its registration lists what it uploaded: --json one object, text each FirmwareUrl and the window', async () => {
		const spiffs = path.join(work, 'spiffs.bin');
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
		const hex = (bytes: Buffer, algorithm: string) => createHash(algorithm).update(bytes).digest('hex');
		assert.deepEqual(
			files.map(({ name, size, md5, sha256 }) => ({ name, size, md5, sha256 })),
			[firmware, readFileSync(spiffs)].map((bytes, i) => ({
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
			/\nThe uploads themselves succeeded; a FirmwareUrl can be registered within 60 minutes of its upload:\n {2}app\.bin: FirmwareUrl (\S+)\n {2}spiffs\.bin: FirmwareUrl (\S+)\n$/.exec(
				text.stderr,
			);
		assert.ok(listed, text.stderr);
		assert.match(text.stderr, /^Error: .*Nothing was registered\. .*\(iot\.firmware\.AlreadyExistedFirmwareName, RequestId: \S+\)\n/m);
		assert.deepEqual(await Promise.all(listed.slice(1).map(storedAt)), [200, 200]);
	});

	void test('a package cancelled during its second upload lists the first: --json with the Cancelled code, text with its FirmwareUrl; exit 130', async () => {
		const spiffs = path.join(work, 'spiffs.bin');
		writeFileSync(spiffs, randomBytes(40_000));
		// Each file's PostObject is held: the first is let go, the second is where Ctrl+C lands.
		const cancelSecond = async (...flags: string[]): Promise<CliRun> => {
			sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'hold', times: 2 });
			const { child, done } = packageRun(spiffs, '7.3.0', ...flags);
			await sandbox.faults.whenHeld('oss', 'PostObject');
			sandbox.faults.release();
			await sandbox.faults.whenHeld('oss', 'PostObject');
			child.kill('SIGINT');
			const run = await done;
			sandbox.faults.release();
			return run;
		};
		const json = await cancelSecond('--json');
		assert.equal(json.code, 130, json.stderr);
		const error = parseJsonOutput(json).error as Record<string, unknown>;
		assert.equal(error.code, 'Cancelled');
		const files = error.files as Array<Record<string, unknown>>;
		assert.deepEqual(
			files.map(({ name, size }) => ({ name, size })),
			[{ name: 'app.bin', size: firmware.length }],
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
