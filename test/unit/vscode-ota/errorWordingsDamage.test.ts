// A damaged image's refusal (DamagedImage) is worded by its reason: the failed checks it carries, each check's name by
// its label and its problem by its code, with the Firmware Files view's own words (imageText.ts damagedChecksText). In
// English it is the core's message word for word, and the names are the English they always were; in a zh-cn window it
// reads in Chinese with a decoder's own words kept inside; the log line stays the English the CLI prints.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { checkNameText as coreCheckName, damagedChecks, damageSummary, type CheckKind, type CheckLabel } from '../../../src/core/image';
import { refuseDamaged } from '../../../src/core/flow/image';
import { aboutFile } from '../../../src/core/flow/multiFilePrepare';
import { errorReport } from '../../../src/vscode/errorText';
import { plainL10n } from '../../../src/vscode/upload/progressFormat';
import { validationText } from '../../../src/vscode/validationText';
import { checkNameText, damageText } from '../../../src/vscode/views/imageText';
import { espImage, FixtureDir, flipByte, gzip, mcubootImage, tarArchive, zipArchive } from '../../support/firmware';
import { assertEnglishAsCore, thrown, zhL10n } from './wordingHelpers';

const dir = new FixtureDir();
after(() => dir.dispose());

const esp = espImage();
const mcuboot = mcubootImage();
const notes = Buffer.from('release notes for 1.2.0, '.repeat(8));

/** A damaged image of each kind the readers find, the English name of each failed check, and whether a decoder worded it. */
const CASES: Array<{ file: string; bytes: () => Promise<Buffer> | Buffer; names: string[]; decoder?: true }> = [
	{ file: 'checksum.bin', bytes: () => flipByte(espImage({ hashAppended: false }), 100), names: ['ESP image checksum'] },
	{ file: 'digest.bin', bytes: () => flipByte(esp, -1), names: ['ESP image SHA-256'] },
	{ file: 'cut.bin', bytes: () => esp.subarray(0, esp.length - 40), names: ['ESP image structure'] },
	{ file: 'zephyr.bin', bytes: () => flipByte(mcuboot, 0x300), names: ['MCUboot SHA-256 TLV'] },
	{ file: 'zephyr384.bin', bytes: () => flipByte(mcubootImage({ hash: 'sha384' }), 0x300), names: ['MCUboot SHA-384 TLV'] },
	{ file: 'zephyr-cut.bin', bytes: () => mcuboot.subarray(0, 1000), names: ['MCUboot image structure'] },
	{ file: 'tlv-cut.bin', bytes: () => mcuboot.subarray(0, mcuboot.length - 10), names: ['MCUboot TLV structure'] },
	{ file: 'tlv-magic.bin', bytes: () => flipByte(mcuboot, 0x200 + 3000), names: ['MCUboot TLV area'] },
	{
		file: 'header.bin',
		bytes: () => {
			const small = mcubootImage();
			small.writeUInt16LE(16, 8);
			return small;
		},
		names: ['MCUboot header'],
	},
	{
		file: 'crc.zip',
		bytes: async () => {
			const zip = await zipArchive([['notes.txt', notes]], { store: true });
			return flipByte(zip, zip.indexOf(notes) + 5);
		},
		names: ['notes.txt: ZIP CRC-32'],
	},
	{
		file: 'cut.zip',
		bytes: async () => (await zipArchive([['notes.txt', notes]])).subarray(0, 60),
		names: ['ZIP structure'],
		decoder: true,
	},
	{ file: 'app.tar', bytes: () => tarArchive([['app.bin', flipByte(esp, -1)]]), names: ['app.bin: ESP image SHA-256'] },
	{
		file: 'fw.tar.gz',
		bytes: async () => gzip(await tarArchive([['fw/zephyr.bin', flipByte(mcuboot, 0x300)]])),
		names: ['fw/zephyr.bin: MCUboot SHA-256 TLV'],
	},
	{
		file: 'nested.zip',
		bytes: async () =>
			zipArchive([
				[
					'fw.tar',
					await tarArchive([
						['ok.bin', esp],
						['app.bin', flipByte(esp, -1)],
					]),
				],
			]),
		names: ['fw.tar: app.bin: ESP image SHA-256'],
	},
	{ file: 'cut.gz', bytes: () => gzip(esp).subarray(0, gzip(esp).length - 4), names: ['gzip stream'], decoder: true },
	{
		file: 'header.tar',
		bytes: async () => flipByte(await tarArchive([['app.bin', esp]]), 148),
		names: ['tar structure'],
		decoder: true,
	},
];

async function refusals() {
	const out = [];
	for (const { file, bytes, names, decoder } of CASES) {
		const identity = await dir.inspect(file, await bytes());
		out.push({ file, identity, names, decoder, error: await thrown(() => refuseDamaged(identity)) });
	}
	return out;
}

void test('in English, a damaged image is refused with the core message, its checks named as the CLI has always named them', async () => {
	for (const { file, identity, names, error } of await refusals()) {
		assert.deepEqual(
			damagedChecks(identity)?.map((check) => check.name),
			names,
			`${file}: the failed checks' names`,
		);
		assert.equal(error.message, damageSummary(identity), file);
		assert.ok(error.message.startsWith(`The image is damaged (${names[0]}: `), `${file}: ${error.message}`);
		assertEnglishAsCore(error, 'damaged-image');
		assert.equal(errorReport(error, plainL10n).logged, error.describe(), `${file}: the log line`);
	}
});

void test('in a zh-cn window, a damaged image is refused in Chinese with the Firmware Files view words; the log stays English', async () => {
	for (const { file, identity, decoder, error } of await refusals()) {
		const { shown, logged } = errorReport(error, zhL10n);
		assert.equal(validationText(error, zhL10n), damageText(identity, zhL10n), `${file}: the view's damage text`);
		assert.match(shown, /^镜像已损坏（.+）；请重新构建或重新复制该文件。（DamagedImage）$/, file);
		const failed = damagedChecks(identity) ?? [];
		const ours = failed.reduce((rest, check) => (decoder ? rest.split(check.detail ?? '').join(' ') : rest), shown);
		assert.doesNotMatch(ours, /\b(?:image|structure|checksum|stored|computed|area|stream|damaged|data|header)\b/i, `${file}: ${shown}`);
		for (const check of failed) {
			const within = check.label.within ?? [];
			assert.ok(shown.includes([...within, ''].join('：')), `${file}: the entries outermost first in ${shown}`);
			const digests = check.detail === undefined ? [check.stored, check.computed] : [];
			for (const value of [...(check.label.within ?? []), ...digests, decoder && check.detail]) {
				assert.ok(!value || shown.includes(value), `${file}: keeps ${value} in ${shown}`);
			}
		}
		assert.equal(logged, error.describe(), `${file}: the log line is the CLI's English`);
		assert.match(logged, /^The image is damaged \(/);
	}
});

void test('in a zh-cn window, the refusal of a broken ESP-IDF image reads as a whole sentence, and the file of a package is named', async () => {
	const identity = await dir.inspect('checksum.bin', flipByte(espImage({ hashAppended: false }), 100));
	const error = await thrown(() => refuseDamaged(identity));
	const checks = damagedChecks(identity) ?? [];
	const [stored, computed] = [checks[0].stored, checks[0].computed];
	assert.equal(
		validationText(error, zhL10n),
		`镜像已损坏（ESP 镜像校验和：存储值 ${stored}，计算值 ${computed}）；请重新构建或重新复制该文件。`,
	);
	const inPackage = aboutFile('checksum.bin', error) as typeof error;
	assert.equal(validationText(inPackage, plainL10n), inPackage.message);
	assert.match(validationText(inPackage, zhL10n), /^checksum\.bin：镜像已损坏（ESP 镜像校验和：/);
	assert.match(errorReport(inPackage, zhL10n).logged, /^checksum\.bin: The image is damaged \(ESP image checksum: /);
});

/** One label of each kind, some inside archive entries, with the English name the readers have always given it. */
const LABELS: Record<CheckKind, [CheckLabel, string]> = {
	'esp-checksum': [{ kind: 'esp-checksum' }, 'ESP image checksum'],
	'esp-sha256': [{ kind: 'esp-sha256', within: ['fw.tar', 'app.bin'] }, 'fw.tar: app.bin: ESP image SHA-256'],
	'esp-structure': [{ kind: 'esp-structure' }, 'ESP image structure'],
	'mcuboot-header': [{ kind: 'mcuboot-header' }, 'MCUboot header'],
	'mcuboot-structure': [{ kind: 'mcuboot-structure' }, 'MCUboot image structure'],
	'mcuboot-tlv-structure': [{ kind: 'mcuboot-tlv-structure' }, 'MCUboot TLV structure'],
	'mcuboot-tlv-area': [{ kind: 'mcuboot-tlv-area' }, 'MCUboot TLV area'],
	'mcuboot-digest': [{ kind: 'mcuboot-digest', algorithm: 'SHA-512' }, 'MCUboot SHA-512 TLV'],
	'zip-structure': [{ kind: 'zip-structure' }, 'ZIP structure'],
	'zip-crc': [{ kind: 'zip-crc', count: 2 }, 'ZIP CRC-32 of 2 entries'],
	'gzip-crc': [{ kind: 'gzip-crc' }, 'gzip CRC-32 and length'],
	'gzip-stream': [{ kind: 'gzip-stream' }, 'gzip stream'],
	'tar-structure': [{ kind: 'tar-structure' }, 'tar structure'],
	'archive-contents': [{ kind: 'archive-contents' }, 'archive contents'],
	'archive-entries': [{ kind: 'archive-entries' }, 'archive entries'],
};

void test('every check name is worded: in English as the core names it, in zh-cn in Chinese with its entries and algorithm kept', () => {
	const extra: Array<[CheckLabel, string]> = [
		[{ kind: 'zip-crc', count: 1 }, 'ZIP CRC-32 of 1 entry'],
		[{ kind: 'zip-crc', within: ['notes.txt'] }, 'notes.txt: ZIP CRC-32'],
	];
	for (const [label, english] of [...Object.values(LABELS), ...extra]) {
		assert.equal(coreCheckName(label), english, 'the core name');
		assert.equal(checkNameText({ label }, plainL10n), english, 'the extension in English');
		const zh = checkNameText({ label }, zhL10n);
		assert.match(zh, /[\u4e00-\u9fff]/, `${english} → ${zh}`);
		for (const kept of [...(label.within ?? []), label.algorithm, label.count]) {
			assert.ok(kept === undefined || zh.includes(String(kept)), `${english}: keeps ${kept} in ${zh}`);
		}
	}
});
