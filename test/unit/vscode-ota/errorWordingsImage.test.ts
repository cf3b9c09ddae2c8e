// The image checks' refusals and the errors the core wraps with a prefix are worded by their reasons: in English exactly
// as the core says them to the CLI; in zh-cn with the values in place, the inner error of a prefixed one worded by its
// own reason, and a regular expression engine's words kept as it said them.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { readAliyunCliProfile } from '../../../src/core/credentials';
import { ABOUT_FILE, PROFILE_CREDENTIALS } from '../../../src/core/errors';
import {
	checkDestVersion,
	destVersionFor,
	IMAGE_CHECK_REASONS,
	imageSummaryOf,
	refuseDamaged,
	refuseSuffixMismatch,
} from '../../../src/core/flow/image';
import { packageDestVersion } from '../../../src/core/flow/multiFilePrepare';
import { compileVersionMarker, inspectFirmware } from '../../../src/core/image';
import { MARKER_REASONS } from '../../../src/core/image/marker';
import { validationText, WORDED_REASONS } from '../../../src/vscode/validationText';
import { espImage, FixtureDir, flipByte, pattern, zipArchive } from '../../support/firmware';
import { assertEnglishAsCore, assertZhKeepsValues, thrown, zhL10n } from './wordingHelpers';

const dir = new FixtureDir();
after(() => dir.dispose());

const MB = 1024 * 1024;
const esp = (name: string, version: string) => dir.inspect(name, espImage({ app: { version } as never }));
const summary = async (name: string, version: string) => ({ name, image: imageSummaryOf(await esp(name, version)) });
const plain = async (name: string) => ({ name, image: imageSummaryOf(await dir.inspect(name, pattern(600))) });

function aliyunConfig(name: string, accessKeyId: string): string {
	const profile = { name, mode: 'AK', access_key_id: accessKeyId, access_key_secret: 'secret-value', region_id: 'cn-shanghai' };
	return dir.write(`${name}.json`, JSON.stringify({ current: name, profiles: [profile] }));
}

/** Each reason produced by the core's own code, some in more than one shape. */
const CASES: Array<[string, () => unknown]> = [
	['marker-invalid', () => compileVersionMarker('FW_VERSION=([')],
	[
		'marker-too-slow',
		() =>
			inspectFirmware(dir.write('slow.bin', Buffer.concat([Buffer.alloc(MB - 1, 'a'), Buffer.from('b')])), {
				versionMarker: compileVersionMarker('(a+)+$'),
			}),
	],
	['damaged-image', async () => refuseDamaged(await dir.inspect('broken.bin', flipByte(espImage({ hashAppended: false }), 100)))],
	['contents-do-not-match-suffix', async () => refuseSuffixMismatch(await dir.inspect('update.zip', pattern(600)), 'zip')],
	[
		'contents-do-not-match-suffix',
		async () => refuseSuffixMismatch(await dir.inspect('fw.bin', await zipArchive([['app.bin', espImage()]])), 'bin'),
	],
	['contents-do-not-match-suffix', async () => refuseSuffixMismatch(await dir.inspect('b.tar.gz', 'plain bytes'), 'tar.gz')],
	['dest-version-required', async () => destVersionFor((await plain('raw.bin')).image, 'raw.bin', undefined)],
	[
		'dest-version-required',
		() => destVersionFor({ format: 'unknown', declared: { version: '1.0 beta', source: 'version marker' } }, 'odd.bin', undefined),
	],
	['dest-version-none', async () => packageDestVersion([await plain('a.bin'), await plain('b.bin')], undefined)],
	['versions-differ', async () => packageDestVersion([await summary('a.bin', '1.0.0'), await summary('b.bin', '2.0.0')], undefined)],
	['version-mismatch', async () => checkDestVersion(imageSummaryOf(await esp('app.bin', '1.2.0')), '9.9.9')],
	[ABOUT_FILE, async () => packageDestVersion([await summary('a.bin', '1.0.0'), await plain('b.bin')], '9.9.9')],
	[PROFILE_CREDENTIALS, () => readAliyunCliProfile({ configPath: aliyunConfig('work', ''), env: {} })],
	[PROFILE_CREDENTIALS, () => readAliyunCliProfile({ configPath: aliyunConfig('spaced', 'LTAI x'), env: {} })],
];

void test('in English, every image-check refusal and every prefixed error is worded exactly as the core says it', async () => {
	for (const [reason, check] of CASES) {
		assertEnglishAsCore(await thrown(check), reason);
	}
	const reasons = [...MARKER_REASONS, ...IMAGE_CHECK_REASONS, ABOUT_FILE, PROFILE_CREDENTIALS];
	assert.deepEqual([...new Set(CASES.map(([reason]) => reason))].sort(), reasons.sort(), 'every reason is tried');
	assert.ok(
		reasons.every((reason) => WORDED_REASONS.includes(reason)),
		'every reason is worded',
	);
});

/** The values that pick a wording (a problem, a format, where a version was read) or are worded themselves. */
const SELECTORS = ['problem', 'container', 'inGzip', 'format', 'source', 'sourceKind', 'entry'];

void test('in a zh-cn window, every image-check refusal and every prefixed error reads in Chinese, with its values in place', async () => {
	for (const [reason, check] of CASES) {
		const zh = assertZhKeepsValues(await thrown(check), SELECTORS);
		assert.doesNotMatch(zh, /DestVersion is required|declares|Profile "|Give |upload it as|The version marker/, reason);
	}
});

void test('in a zh-cn window, a prefixed error words its prefix and its inner error by the inner reason', async () => {
	const file = await thrown(async () => packageDestVersion([await summary('a.bin', '1.0.0')], '9.9.9'));
	assert.equal(
		validationText(file, zhL10n),
		'a.bin：镜像声明的版本为 1.0.0（ESP-IDF 应用描述），但 DestVersion 为 9.9.9：设备升级后会上报 1.0.0，OTA 验证将失败。请以 1.0.0 注册，或重新构建镜像；如果镜像本身无误，请允许版本不一致（命令行中使用 --allow-version-mismatch）。',
	);
	const configPath = aliyunConfig('empty', '');
	const profile = await thrown(() => readAliyunCliProfile({ configPath, env: {} }));
	assert.equal(
		validationText(profile, zhL10n),
		`${configPath} 中的配置“empty”：AccessKey ID 为空。${zhL10n.t('Enter the AccessKey ID of a RAM user (it usually starts with LTAI).')}`,
	);
	const marker = await thrown(() => compileVersionMarker('(['));
	assert.match(validationText(marker, zhL10n), /^版本标记不是有效的正则表达式：Invalid regular expression: .*。请给出/);
});
