import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTextEdits, computeInsertEdits } from '../../../src/core/configInsert';
import { redact } from '../../../src/core/errors';
import { defaultKeyPath, insertedRange, keyPathProblem, suggestKeyPaths } from '../../../src/vscode/insert/keyPaths';
import { plainL10n } from '../../../src/vscode/upload/progressFormat';
import { safeRelativePath } from '../../../src/vscode/insert/targets';
import { zhL10n } from '../vscode-ota/wordingHelpers';

const URL = 'https://iotx-ota.oss-cn-shanghai.aliyuncs.com/ota/abc/fw.bin';
const NO_MASK = { apply: (text: string) => text };

void test('JSONC suggestions put firmware URL keys first', () => {
	const text = '{\n // c\n "device": { "name": "x", "port": 3 },\n "ota": { "version": "1", "firmwareUrl": "" },\n}';
	assert.deepEqual(suggestKeyPaths(text, 'json'), ['ota.firmwareUrl', 'ota.version', 'device.name']);
});

void test('YAML, TOML, INI and flat formats', () => {
	assert.deepEqual(suggestKeyPaths('ota:\n  firmwareUrl: ""\n  version: 1.0.0\nlist:\n  - a\n', 'yaml').slice(0, 2), [
		'ota.firmwareUrl',
		'ota.version',
	]);
	assert.deepEqual(suggestKeyPaths('[ota]\nurl = ""\nretries = 3\n', 'toml'), ['ota.url']);
	assert.deepEqual(suggestKeyPaths('[env:esp32]\nboard = esp32dev\nfirmware_url = x\n', 'ini'), [
		'env:esp32.firmware_url',
		'env:esp32.board',
	]);
	assert.deepEqual(suggestKeyPaths('# x\nexport API_KEY=1\nFIRMWARE_URL=\n', 'env'), ['FIRMWARE_URL', 'API_KEY']);
	assert.deepEqual(suggestKeyPaths('CONFIG_A=y\n# CONFIG_OTA_URL is not set\n', 'sdkconfig'), ['CONFIG_OTA_URL', 'CONFIG_A']);
	assert.deepEqual(suggestKeyPaths('#define OTA_FIRMWARE_URL ""\n#define GUARD_H\n#define N 3\n', 'c-header'), ['OTA_FIRMWARE_URL', 'N']);
	assert.deepEqual(suggestKeyPaths('{ broken', 'json'), []);
	assert.equal(defaultKeyPath('sdkconfig'), 'CONFIG_OTA_FIRMWARE_URL');
	assert.equal(defaultKeyPath('json'), 'ota.firmwareUrl');
});

void test('insertedRange finds the value in the edited text', () => {
	const text = '{\n  "a": "0123456789",\n  "ota": { "firmwareUrl": "" }\n}\n';
	const edits = computeInsertEdits(text, 'json', 'ota.firmwareUrl', URL);
	const after = applyTextEdits(text, edits);
	const range = insertedRange(edits, URL);
	assert.ok(range);
	assert.equal(after.slice(range.offset, range.offset + range.length), URL);
	const shifted = [
		{ offset: 0, length: 0, newText: 'xxxx' },
		{ offset: 10, length: 2, newText: `"${URL}"` },
	];
	assert.deepEqual(insertedRange(shifted, URL), { offset: 10 + 4 - 0 + 1, length: URL.length });
	assert.equal(insertedRange([], URL), undefined);
});

void test('safeRelativePath keeps targets inside the workspace folder', () => {
	assert.equal(safeRelativePath('config/ota.json'), 'config/ota.json');
	assert.equal(safeRelativePath('./a/../b.yaml'), 'b.yaml');
	assert.equal(safeRelativePath('include\\ota_config.h'), 'include/ota_config.h');
	for (const bad of ['../secret.json', '/etc/passwd', 'C:\\x.json', 'a/../../b', '', '.', 'dir/']) {
		assert.equal(safeRelativePath(bad), undefined, bad);
	}
});

void test('the key path box says why a key path cannot take the URL: the English line the CLI prints, worded in a zh-cn window', () => {
	assert.equal(keyPathProblem('{"ota": {}}', 'json', 'ota.url', URL, plainL10n, NO_MASK), undefined);
	assert.equal(
		keyPathProblem('{"ota": "x"}', 'json', 'ota.url', URL, plainL10n, NO_MASK),
		'Cannot set "ota.url": "ota" is a string, not an object, so it cannot hold the key "url". The file was not changed. (KeyPathConflict)',
	);
	assert.equal(
		keyPathProblem('{"ota": "x"}', 'json', 'ota.url', URL, zhL10n, NO_MASK),
		'无法设置“ota.url”：“ota”是字符串而不是对象，因此不能包含键“url”。文件未被修改。（KeyPathConflict）',
	);
	assert.match(keyPathProblem('', 'env', 'A.B', URL, zhL10n, NO_MASK) ?? '', /^“A\.B”不是有效的 \.env 变量名/);
});

void test('the key path box masks a secret as the notification of the failed insert does, in either language', () => {
	const secret = 'Sup3rSecretValue';
	const mask = { apply: (text: string) => redact(text, [secret]) };
	for (const l10n of [plainL10n, zhL10n]) {
		const problem = keyPathProblem('{"ota": "x"}', 'json', `ota.${secret}`, URL, l10n, mask) ?? '';
		assert.match(problem, /KeyPathConflict/);
		assert.ok(!problem.includes(secret), problem);
		assert.equal(problem, redact(keyPathProblem('{"ota": "x"}', 'json', `ota.${secret}`, URL, l10n, NO_MASK) ?? '', [secret]));
	}
});
