// The config-insertion engine's errors are worded by their reasons: in English exactly as the core says them to the
// CLI, in zh-cn with the values in place and a parser's own words kept as it said them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, promises as fsp, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, mock, test } from 'node:test';
import { CONFIG_REASONS } from '../../../src/core/configInsert/configError';
import { insertIntoFile, MAX_CONFIG_BYTES, readSnapshot, writeIfUnchanged } from '../../../src/core/configInsert/file';
import { planInsert, type ConfigFormat } from '../../../src/core/configInsert/index';
import { validationText, WORDED_REASONS } from '../../../src/vscode/validationText';
import { assertEnglishAsCore, assertZhKeepsValues, thrown, zhL10n } from './wordingHelpers';

const dir = mkdtempSync(path.join(tmpdir(), 'iot-ota-config-wordings-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** A fresh file `name` holding `content`, in a folder of its own. */
function fixture(name: string, content: string | Buffer): string {
	const sub = path.join(dir, String(++counter));
	mkdirSync(sub);
	const file = path.join(sub, name);
	writeFileSync(file, content);
	return file;
}

const plan = (format: ConfigFormat, text: string, keyPath: string) => () => planInsert(text, format, keyPath, 'https://x/fw.bin');
const insert =
	(file: string, keyPath = 'a') =>
	() =>
		insertIntoFile(file, keyPath, 'https://x/fw.bin');

/** `fn` run while `method` of node:fs's promises fails with `code` for the paths `which` picks. */
function failing(method: 'access' | 'rename', code: string, which: (p: string) => boolean, fn: () => Promise<unknown>) {
	return async () => {
		const original = fsp[method].bind(fsp) as (...args: unknown[]) => Promise<unknown>;
		const m = mock.method(fsp, method, async (...args: unknown[]) => {
			if (which(String(args[0]))) {
				throw Object.assign(new Error(`${code}: refused`), { code });
			}
			return original(...args);
		});
		try {
			return await fn();
		} finally {
			m.mock.restore();
		}
	};
}

/** Each reason produced by the core's own code, some in more than one shape. */
const CASES: Array<[string, () => unknown]> = [
	['config-file-not-found', insert(path.join(dir, 'missing.json'))],
	[
		'config-not-regular',
		() => {
			const folder = path.join(dir, `folder-${++counter}.json`);
			mkdirSync(folder);
			return insertIntoFile(folder, 'a', 'v');
		},
	],
	[
		'config-too-large',
		() => {
			const file = fixture('big.json', '');
			truncateSync(file, MAX_CONFIG_BYTES + 1);
			return insertIntoFile(file, 'a', 'v');
		},
	],
	['config-cannot-write', failing('rename', 'EACCES', () => true, insert(fixture('c.json', '{}\n')))],
	[
		'config-read-only',
		async () => {
			const file = fixture('ro.json', '{}\n');
			await fsp.chmod(file, 0o444);
			return insertIntoFile(file, 'a', 'v');
		},
	],
	['config-folder-read-only', failing('access', 'EACCES', (p) => !p.endsWith('.json'), insert(fixture('d.json', '{}\n')))],
	['config-inaccessible', insert(path.join(fixture('plain.json', '{}\n'), 'inner.json'))],
	['config-not-utf8', insert(fixture('latin.json', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d])))],
	[
		'config-changed',
		async () => {
			const file = fixture('e.json', '{}\n');
			const snapshot = await readSnapshot(file);
			writeFileSync(file, '{"b": 1}\n');
			return writeIfUnchanged(snapshot, '{"a": "v"}\n');
		},
	],
	[
		'config-moved',
		async () => {
			const file = fixture('f.json', '{}\n');
			const snapshot = await readSnapshot(file);
			rmSync(file);
			return writeIfUnchanged(snapshot, '{"a": "v"}\n');
		},
	],
	['config-format-unknown', insert(fixture('settings.conf2', 'a=1\n'))],
	['config-malformed', plan('json', '{"a": }', 'a')],
	['config-malformed', plan('yaml', 'a: [1', 'x')],
	['config-malformed', plan('toml', 'a = ', 'x')],
	['config-line-malformed', plan('env', 'not a line\n', 'X')],
	['config-line-malformed', plan('ini', 'garbage\n', 'a.b')],
	['config-line-malformed', plan('sdkconfig', 'garbage\n', 'CONFIG_X')],
	['config-quote-unclosed', plan('env', 'A="abc\n', 'X')],
	['config-yaml-documents', plan('yaml', 'a: 1\n---\nb: 2\n', 'a')],
	['config-duplicate-key', plan('json', '{"a": 1, "a": 2}', 'a')],
	['config-duplicate-key', plan('json', '{\n"a": 1,\n"a": 2\n}', 'a')],
	...['a."b', 'a["k"x]', 'a[0', 'a[x]', '', 'a..b', 'a.', 'a[0]b', 'a]b'].map((keyPath): [string, () => unknown] => [
		'key-path-invalid',
		plan('json', '{}', keyPath),
	]),
	['key-name-invalid', plan('env', '', 'A.B')],
	['key-name-invalid', plan('ini', '', 'a[0]')],
	['key-name-invalid', plan('ini', '', 'a.;b')],
	['key-name-invalid', plan('ini', '', '" ".b')],
	['key-name-invalid', plan('sdkconfig', '', 'OTA-URL')],
	['key-name-invalid', plan('c-header', '', '1URL')],
	['key-name-invalid', plan('properties', '', ' ')],
	...(
		[
			['json', '\ud800'],
			['ini', 'a\nb'],
			['ini', ' a'],
			['ini', 'x ;y'],
			['ini', '${env.X}'],
			['sdkconfig', 'a\nb'],
			['env', 'a\0b'],
			['env', 'a\rb'],
			['env', "'$"],
			['env', 'a b\\'],
		] as Array<[ConfigFormat, string]>
	).map(([format, value]): [string, () => unknown] => [
		'value-refused',
		() => planInsert('', format, format === 'sdkconfig' ? 'CONFIG_URL' : format === 'ini' ? 'ota.url' : 'URL', value),
	]),
	['value-refused', () => planInsert('', 'json', 'a', 42 as unknown as string)],
	['c-header-malformed', plan('c-header', '#endif\n', 'URL')],
	['c-header-malformed', plan('c-header', '#if X\n#else\n#else\n#endif\n', 'URL')],
	['c-header-malformed', plan('c-header', '#ifdef X\n', 'URL')],
	['c-header-malformed', plan('c-header', '/* open\n', 'URL')],
	['c-function-macro', plan('c-header', '#define URL(x) x\n', 'URL')],
	['c-defined-conditionally', plan('c-header', '#ifdef CONFIG_X\n#define URL "a"\n#endif\n', 'URL')],
	['c-undefined-after', plan('c-header', '#define URL "a"\n#undef URL\n', 'URL')],
	['c-defined-only-skipped', plan('c-header', '#if 0\n#define URL "a"\n#endif\n', 'URL')],
	['env-line-continues', plan('env', 'A=1\\\nB=2\n', 'B')],
	['env-trailing-text', plan('env', 'URL="abc" def\n', 'URL')],
	['toml-array-item-missing', plan('toml', 'b = 1\n', 'a[0].x')],
	['toml-array-append', plan('toml', '[[t]]\nx = 1\n', 't[1].x')],
	['toml-uneditable', plan('toml', 'a = [{ b = "x" }]\n', 'a[0].b')],
	['toml-no-place', plan('toml', 'a = [{ b = "x" }]\n', 'a[0].c')],
	['key-path-not-array', plan('json', '{"a": "s"}', 'a[0]')],
	['key-path-is-array', plan('json', '{"a": []}', 'a.b')],
	['key-path-not-object', plan('json', '"s"', 'b')],
	['key-path-not-object', plan('toml', 'a = "s"', 'a.b')],
	['key-path-not-object', plan('yaml', 'x: &x 1\na: *x\n', 'a.c')],
	['key-path-not-object', plan('yaml', 'a: !!binary aGVsbG8=\n', 'a.c')],
	['key-path-ends-at-container', plan('json', '{"a": {}}', 'a')],
	['key-path-index-gap', plan('json', '{"a": []}', 'a[2]')],
	['key-path-index-gap', plan('yaml', 'b: 1\n', 'a[1]')],
];

void test('in English, every config-engine error is worded exactly as the core says it, hint included', async () => {
	for (const [reason, check] of CASES) {
		assertEnglishAsCore(await thrown(check), reason);
	}
	assert.deepEqual([...new Set(CASES.map(([reason]) => reason))].sort(), [...CONFIG_REASONS].sort(), 'every reason is tried');
	assert.ok(
		CONFIG_REASONS.every((reason) => WORDED_REASONS.includes(reason)),
		'every reason is worded',
	);
});

/** The values that pick a wording (a rule, a fault, a format's name) or are worded themselves (what a value is). */
const SELECTORS = ['rule', 'why', 'fault', 'format', 'lineCount', 'actual'];

void test('in a zh-cn window, every config-engine error reads in Chinese, with its path, key, lines and parser text in place', async () => {
	for (const [reason, check] of CASES) {
		const error = await thrown(check);
		const zh = assertZhKeepsValues(error, SELECTORS);
		assert.match(zh, /文件未被修改。/, `${reason}: says the file was not changed`);
		assert.doesNotMatch(zh, /The file was not changed|Cannot set|Malformed|Invalid key path/, reason);
	}
});

void test("in a zh-cn window, a parser's own words stay as it said them, inside the worded sentence", async () => {
	const yaml = await thrown(plan('yaml', 'a: [1', 'x'));
	assert.equal(
		validationText(yaml, zhL10n),
		'YAML 格式错误（第 1 行第 6 列）：Flow sequence in block collection must be sufficiently indented and end with a ]。文件未被修改。请修正语法错误后重试。',
	);
	const conflict = await thrown(plan('json', '{"a": "s"}', 'a.b'));
	assert.equal(validationText(conflict, zhL10n), '无法设置“a.b”：“a”是字符串而不是对象，因此不能包含键“b”。文件未被修改。');
	const top = await thrown(plan('json', '[]', 'b'));
	assert.equal(validationText(top, zhL10n), '无法设置“b”：文件顶层是数组；请用下标选择其中一项，例如“[0].b”。文件未被修改。');
	const alias = await thrown(plan('yaml', 'x: &x 1\na: *x\n', 'a.c'));
	assert.equal(validationText(alias, zhL10n), '无法设置“a.c”：“a”是别名（*x）而不是对象，因此不能包含键“c”。文件未被修改。');
	const whole = await thrown(plan('yaml', 'x: &x {p: 1}\na: *x\n', 'a'));
	assert.match(validationText(whole, zhL10n), /^无法设置“a”：它是别名（\*x）；/);
});
