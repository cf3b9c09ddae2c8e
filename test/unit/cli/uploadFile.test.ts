import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { IotClient } from '../../../src/core/iotClient';
import { signedUrl } from '../../support/ossDownload';
import { parseJsonOutput, startCli, type CliRun } from './cliHarness';
import { useUploadSuite } from './uploadSuite';

void describe('iot-ota upload of one file against the sandbox: the result, the registration, the config edit, the output', () => {
	const suite = useUploadSuite('iot-ota-cli-upload-file-');

	void test('--json prints one object and the stored object has the same bytes and MD5', async () => {
		const run = await suite.upload('--json');
		assert.equal(run.code, 0, run.stderr);
		suite.assertNoSecret(run);
		const result = parseJsonOutput(run);
		const md5 = createHash('md5').update(suite.firmware).digest('hex');
		assert.equal(result.md5, md5);
		assert.equal(result.sha256, createHash('sha256').update(suite.firmware).digest('hex'));
		assert.equal(result.size, suite.firmware.length);
		assert.equal(result.suffix, 'bin');
		assert.equal(typeof result.key, 'string');
		assert.equal(result.firmwareUrl, `${result.host}/${result.key}`);
		assert.deepEqual(Object.keys(result).sort(), ['firmwareUrl', 'host', 'key', 'md5', 'sha256', 'size', 'suffix', 'utcCreate']);

		const response = await fetch(signedUrl(suite.sandbox, `${suite.sandbox.ossHost}/${result.key}`));
		assert.equal(response.status, 200);
		const stored = Buffer.from(await response.arrayBuffer());
		assert.equal(createHash('md5').update(stored).digest('hex'), md5);
		assert.ok(stored.equals(suite.firmware));
	});

	void test('--create registers the package and --insert edits a JSONC file keeping its comments', async () => {
		const config = path.join(suite.work, 'device.jsonc');
		writeFileSync(config, '// device settings\n{\n  "ota": {\n    /* filled by iot-ota */\n    "url": "" // keep me\n  }\n}\n');
		const run = await suite.upload(
			'--json',
			'--create',
			'--product-key',
			suite.sandbox.productKey,
			'--dest-version',
			'2.1.0',
			'--insert',
			'device.jsonc#ota.url',
		);
		assert.equal(run.code, 0, run.stderr);
		suite.assertNoSecret(run);
		const result = parseJsonOutput(run);
		assert.equal(typeof result.firmwareId, 'string');
		assert.deepEqual(result.inserted, { file: config, path: 'ota.url' });

		const client = new IotClient({ region: 'cn-shanghai', endpoint: suite.sandbox.endpoint, credentials: suite.sandbox });
		const info = await client.queryOtaFirmware(result.firmwareId as string);
		assert.equal(info.firmwareName, `app-2_1_0-${String(result.sha256).slice(0, 8)}`, 'file stem, version and content tag');
		assert.equal(info.destVersion, '2.1.0');
		assert.equal(info.firmwareSize, suite.firmware.length);
		assert.equal(info.firmwareSign, result.md5);

		const text = readFileSync(config, 'utf8');
		assert.equal(
			text,
			`// device settings\n{\n  "ota": {\n    /* filled by iot-ota */\n    "url": ${JSON.stringify(result.firmwareUrl)} // keep me\n  }\n}\n`,
		);
	});

	void test('a reused package followed by a failed insert says nothing was uploaded and names the package (text and --json)', async () => {
		const create = ['--create', '--product-key', suite.sandbox.productKey, '--dest-version', '6.0.0'];
		const registered = parseJsonOutput(await suite.upload('--json', ...create));
		const config = path.join(suite.work, 'vanishing.json');
		// The same-content lookup is held while the insert target disappears: the package is taken, the insert fails.
		const reuseThenFail = async (...extra: string[]): Promise<CliRun> => {
			writeFileSync(config, '{ "ota": { "url": "" } }\n');
			suite.sandbox.faults.add({ target: 'api', action: 'ListOTAFirmware', kind: 'hold' });
			const { done } = startCli(
				suite.cli.cliPath,
				[
					'upload',
					suite.firmwarePath,
					'--endpoint',
					suite.sandbox.endpoint,
					...create,
					'--insert',
					'vanishing.json#ota.url',
					...extra,
				],
				{ env: suite.env(), cwd: suite.work },
			);
			await suite.sandbox.faults.whenHeld('api', 'ListOTAFirmware');
			rmSync(config);
			suite.sandbox.faults.release();
			return done;
		};
		const uploads = suite.sandbox.stats.ossUploads;
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
		assert.equal(suite.sandbox.stats.ossUploads, uploads, 'nothing uploaded');
	});

	void test('--insert writes YAML, sdkconfig and C header files', async () => {
		const files = {
			'ota.yaml': { text: '# OTA\nota:\n  url: old # replaced\n  interval: 60\n', key: 'ota.url' },
			sdkconfig: { text: '# ESP-IDF\nCONFIG_OTA_ENABLED=y\nCONFIG_OTA_URL=""\n', key: 'CONFIG_OTA_URL' },
			'ota_config.h': { text: '#pragma once\n/* set by iot-ota */\n#define OTA_URL ""\n#define OTA_PORT 443\n', key: 'OTA_URL' },
		};
		for (const [name, { text }] of Object.entries(files)) {
			writeFileSync(path.join(suite.work, name), text);
		}
		const runs = await Promise.all(
			Object.entries(files).map(([name, { key }]) => suite.upload('--json', '--insert', `${name}#${key}`)),
		);
		for (const [i, name] of Object.keys(files).entries()) {
			const run = runs[i];
			assert.equal(run.code, 0, run.stderr);
			const { firmwareUrl } = parseJsonOutput(run);
			const after = readFileSync(path.join(suite.work, name), 'utf8');
			assert.ok(after.includes(firmwareUrl as string), `${name}:\n${after}`);
			assert.equal(
				after.split('\n').length,
				files[name as keyof typeof files].text.split('\n').length,
				`${name} gained or lost lines`,
			);
			const firstLine = files[name as keyof typeof files].text.split('\n')[0];
			assert.ok(after.startsWith(firstLine), `${name} lost its first line`);
		}
		assert.match(readFileSync(path.join(suite.work, 'ota.yaml'), 'utf8'), /^ {2}interval: 60$/m);
		assert.match(readFileSync(path.join(suite.work, 'sdkconfig'), 'utf8'), /^CONFIG_OTA_URL="http[^"]+"$/m);
		assert.match(readFileSync(path.join(suite.work, 'ota_config.h'), 'utf8'), /^#define OTA_URL "http[^"]+"$/m);
	});

	void test('without --json: a human summary on stdout and no progress noise when stderr is not a terminal', async () => {
		const run = await suite.upload(
			'--create',
			'--product-key',
			suite.sandbox.productKey,
			'--dest-version',
			'2.2.0',
			'--name',
			'my-app',
		);
		assert.equal(run.code, 0, run.stderr);
		suite.assertNoSecret(run);
		assert.match(run.stdout, /^Uploaded app\.bin \(300 KB\)/);
		assert.match(run.stdout, /FirmwareUrl: http/);
		assert.match(run.stdout, /Registered "my-app" \(FirmwareId \S+\)/);
		assert.equal(run.stderr, '');
	});
});
