// Bad input through the CLI, the config file to insert the FirmwareUrl into: malformed, a key path that cannot be set,
// missing, read-only, deleted during the upload. Each is refused with one exact message (see badInputSupport.ts),
// exit 2, and the file is left unchanged.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { startSandbox } from '../../../src/sandbox';
import { waitFor } from '../../support/reliability';
import { expectRefused, useBadInputSuite } from './badInputSupport';

// Each case owns its files, so the cases run side by side.
void describe('reliability: bad input is refused with one exact message (CLI): config targets', { concurrency: 8 }, () => {
	const t = useBadInputSuite('iot-ota-rel-input-config-');
	const { creds, file, runNet, runOffline } = t;
	let work: string;
	let firmware: string;

	before(() => {
		({ work } = t.suite);
		firmware = t.firmware;
	});

	const configCases: Array<[string, string, string, string, string, (p: string) => string]> = [
		[
			'malformed JSON',
			'bad.json',
			'{ "ota": ',
			'ota.url',
			'ConfigSyntaxError',
			() => 'Malformed JSON at line 1, column 10: value expected. The file was not changed. Fix the syntax error and try again.',
		],
		[
			'malformed YAML',
			'bad.yaml',
			'ota: x\n  y: z\n',
			'ota.url',
			'ConfigSyntaxError',
			() =>
				'Malformed YAML at line 1, column 6: Nested mappings are not allowed in compact mappings. The file was not changed. Fix the syntax error and try again.',
		],
		[
			'a key path through a string',
			'str.json',
			'{ "ota": "x" }\n',
			'ota.url',
			'KeyPathConflict',
			() => 'Cannot set "ota.url": "ota" is a string, not an object, so it cannot hold the key "url". The file was not changed.',
		],
		[
			'a key path through a YAML number',
			'num.yaml',
			'ota: 3\n',
			'ota.url',
			'KeyPathConflict',
			() => 'Cannot set "ota.url": "ota" is a number, not an object, so it cannot hold the key "url". The file was not changed.',
		],
		[
			'a key path through an array',
			'arr.json',
			'{ "ota": [1] }\n',
			'ota.url',
			'KeyPathConflict',
			() => 'Cannot set "ota.url": "ota" is an array; pick an item with an index, e.g. "ota[0].url". The file was not changed.',
		],
		[
			'an empty key in the path',
			'empty-key.json',
			'{}\n',
			'a..b',
			'InvalidKeyPath',
			() =>
				'Invalid key path "a..b": empty key at position 3. The file was not changed. Use dots between keys (a.b.c), [0] for array items, and quotes for keys containing dots: a."b.c" or a["b.c"].',
		],
		[
			'a file that does not exist',
			'absent.json',
			'',
			'ota.url',
			'ConfigNotFound',
			(p) => `The config file ${p} does not exist. Create it first, or check the path before the #.`,
		],
	];
	for (const [what, name, text, keyPath, code, message] of configCases) {
		void test(`config: ${what} → ${code}, exit 2, refused before the upload, file unchanged`, async () => {
			const p = file(name);
			if (code !== 'ConfigNotFound') {
				writeFileSync(p, text);
			}
			await expectRefused(runOffline(['upload', firmware, '--insert', `${p}#${keyPath}`]), {
				exit: 2,
				code,
				message: message(p),
				offline: true,
			});
			if (code !== 'ConfigNotFound') {
				assert.equal(readFileSync(p, 'utf8'), text);
			}
		});
	}

	void test('config: a read-only target is refused before the upload (ConfigFileReadOnly), and left unchanged', async () => {
		const p = file('locked.json');
		const text = '{ "ota": { "url": "" } }\n';
		writeFileSync(p, text);
		chmodSync(p, 0o444);
		await expectRefused(runOffline(['upload', firmware, '--insert', `${p}#ota.url`]), {
			exit: 2,
			code: 'ConfigFileReadOnly',
			message: `Config file ${p} is read-only. The file was not changed. Make it writable (e.g. chmod u+w) and try again.`,
			offline: true,
		});
		assert.equal(readFileSync(p, 'utf8'), text);
	});

	void test('config: the target deleted during the upload → one ConfigFileNotFound error that still hands over the FirmwareUrl', async () => {
		// Its own sandbox: the delay rule must not be taken by a concurrent case.
		const own = await startSandbox({ dataDir: path.join(work, 'deleted-meanwhile'), qps: 1000 });
		try {
			const p = file('vanishing.json');
			writeFileSync(p, '{ "ota": { "url": "" } }\n');
			own.faults.add({ target: 'oss', action: 'PostObject', kind: 'delay', ms: 300 });
			const storedKeys: string[] = [];
			own.events.on('objectStored', (e: { key: string }) => storedKeys.push(e.key));
			const pending = runNet(['upload', firmware, '--insert', `${p}#ota.url`], creds(own), own);
			await waitFor(() => (own.stats.apiCalls.GenerateOTAUploadURL ?? 0) === 1, 5000, 'the upload to start');
			rmSync(p);
			const outcome = await pending;
			const error = await expectRefused(outcome, {
				exit: 2,
				code: 'ConfigFileNotFound',
				message: `Config file not found: ${p}. The file was not changed.`,
			});
			assert.equal(own.stats.ossUploads, 1);
			// The upload itself worked: the user must not lose the URL it produced (as a field or in the message).
			const firmwareUrl = `${own.ossHost}/${storedKeys[0]}`;
			assert.ok(
				outcome.stdout.includes(firmwareUrl),
				`the FirmwareUrl ${firmwareUrl} of the finished upload is not in the output: ${JSON.stringify(error)}`,
			);
		} finally {
			await own.stop();
		}
	});
});
