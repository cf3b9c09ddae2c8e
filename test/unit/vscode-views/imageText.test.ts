// The Firmware Files view words what an image says about itself by the core's codes (zh-cn through vscode.l10n); in
// English it must say exactly what the core says to the CLI, for every format, version source, failed check and
// suffix mismatch, read from real images.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import {
	checkContentsAs,
	damageSummary,
	declaredVersionOf,
	describeVersionSource,
	FORMAT_TEXT,
	VERSION_SOURCE_TEXT,
} from '../../../src/core/image';
import type { ContentFormat, FirmwareIdentity, VersionSource } from '../../../src/core/image';
import { inferSuffix } from '../../../src/core/limits';
import { damageText, formatText, sourcePartsText, suffixProblemText, versionSourceText } from '../../../src/vscode/views/imageText';
import { plainL10n, type Translator } from '../../../src/vscode/upload/progressFormat';
import { espImage, FixtureDir, flipByte, gzip, mcubootImage, nrfDfuZip, tarArchive, tlvArea, zipArchive } from '../../support/firmware';

const dir = new FixtureDir();
after(() => dir.dispose());

/** A translator that shouts: the message is looked up, the values are not. */
const upper: Translator = { t: (message: string, ...args: string[]) => plainL10n.t(message.toUpperCase(), ...args) } as Translator;

void test('in English, every format is worded as the core words it', () => {
	for (const format of Object.keys(FORMAT_TEXT) as ContentFormat[]) {
		assert.equal(formatText(format, plainL10n), FORMAT_TEXT[format], format);
	}
	assert.equal(formatText('mcuboot', upper), 'MCUBOOT IMAGE');
});

void test('in English, every version source is worded as the core words it, with the archive entry it came from', async () => {
	const marker = /FWVER=([0-9.]+)/;
	const identities: Array<[string, FirmwareIdentity]> = [
		['esp', await dir.inspect('app.bin', espImage())],
		['mcuboot', await dir.inspect('zephyr.signed.bin', mcubootImage())],
		['nrf', await dir.inspect('dfu.zip', await nrfDfuZip(mcubootImage(), '1.4.2+7'))],
		['version file', await dir.inspect('fw.tar.gz', gzip(await tarArchive([['./VERSION', '3.1.0\n']])))],
		['manifest', await dir.inspect('m.tar', await tarArchive([['manifest.json', JSON.stringify({ version: '3.2.0' })]]))],
		['nested', await dir.inspect('one.tar', await tarArchive([['app.bin', espImage()]]))],
		['gzip of an image', await dir.inspect('app.bin.gz', gzip(espImage()))],
		['marker', await dir.inspect('raw.bin', Buffer.from('....FWVER=4.5.6....'), { versionMarker: marker })],
		['none', await dir.inspect('none.bin', Buffer.from('plain data'))],
	];
	const seen = new Set<VersionSource | undefined>();
	for (const [what, identity] of identities) {
		seen.add(identity.versionSource);
		assert.equal(versionSourceText(identity, plainL10n), describeVersionSource(identity), what);
		const declared = declaredVersionOf(identity);
		if (declared?.sourceParts) {
			assert.equal(sourcePartsText(declared.sourceParts, plainL10n), declared.source, `${what}: as the upload history keeps it`);
		}
	}
	assert.deepEqual([...seen].filter(Boolean).sort(), Object.keys(VERSION_SOURCE_TEXT).sort(), 'every version source is tried');
	assert.equal(versionSourceText(identities[0][1], upper), 'ESP-IDF APP DESCRIPTION');
	assert.equal(versionSourceText(identities[5][1], upper), 'app.bin, ESP-IDF APP DESCRIPTION', 'the entry name is a value');
});

void test('in English, every damage is worded as the core words it: each problem code, stored/computed, a decoder message', async () => {
	const esp = espImage();
	const mcuboot = mcubootImage({ securityCounter: 1 });
	const smallHeader = mcubootImage();
	smallHeader.writeUInt16LE(16, 8);
	const zip = await zipArchive([['a.bin', espImage()]]);
	const damaged: Array<[string, FirmwareIdentity]> = [
		['truncated', await dir.inspect('cut.bin', esp.subarray(0, esp.length - 40))],
		['tlv-magic', await dir.inspect('tlv-magic.bin', flipByte(mcubootImage(), 0x200 + 3000))],
		['tlv-magic with protect_tlv_size', await dir.inspect('prot-magic.bin', flipByte(mcuboot, 0x200 + 3000))],
		[
			'tlv-overrun',
			await dir.inspect(
				'overrun.bin',
				Buffer.concat([
					mcubootImage({ hash: false }).subarray(0, 0x200 + 3000),
					tlvArea(0x6907, [Buffer.from([0x10, 0, 40, 0, 1, 2])]),
				]),
			),
		],
		['header-size', await dir.inspect('hdr.bin', smallHeader)],
		['stored/computed', await dir.inspect('digest.bin', flipByte(esp, 300))],
		['decoder message', await dir.inspect('cut.zip', zip.subarray(0, 1000))],
		['inside an archive', await dir.inspect('bad-inside.tar', await tarArchive([['app.bin', flipByte(espImage(), 300)]]))],
	];
	const codes = new Set<string>();
	for (const [what, identity] of damaged) {
		identity.integrity.checks.forEach((check) => check.problem && codes.add(check.problem.code));
		const summary = damageSummary(identity);
		assert.ok(summary, `${what} is damaged`);
		assert.equal(damageText(identity, plainL10n), summary, what);
	}
	assert.deepEqual([...codes].sort(), ['header-size', 'tlv-magic', 'tlv-overrun', 'truncated'], 'every problem code is tried');
	assert.equal(damageText(await dir.inspect('good.bin', espImage()), plainL10n), undefined, 'an intact image has no damage text');
	assert.match(damageText(damaged[0][1], upper) ?? '', /^THE IMAGE IS DAMAGED \(ESP IMAGE STRUCTURE: THE DATA ENDS AFTER [\d,]+ BYTES/);
});

void test('in English, every suffix mismatch is worded as the core words it', async () => {
	const cases: Array<[string, Buffer]> = [
		['fw.zip', espImage()],
		['fw.gz', espImage()],
		['fw.tar', espImage()],
		['fw.bin', gzip(espImage())],
		['fw2.bin', await zipArchive([['a.bin', espImage()]])],
		['fw3.bin', await tarArchive([['a.bin', espImage()]])],
		['fw.tar.gz', gzip(espImage())],
	];
	const problems = new Set<string>();
	for (const [name, bytes] of cases) {
		const identity = await dir.inspect(name, bytes);
		const check = checkContentsAs(path.basename(identity.file), inferSuffix(identity.file), identity);
		assert.equal(check.status, 'mismatch', name);
		if (check.status === 'mismatch') {
			problems.add(JSON.stringify(check.problem));
			assert.equal(suffixProblemText(name, check.suffix, check.problem, plainL10n), check.message, name);
		}
	}
	assert.equal(problems.size, cases.length, 'each case is another problem');
	assert.match(
		suffixProblemText('fw.bin', 'bin', { code: 'archive-as-image', found: 'gzip' }, upper),
		/^"fw\.bin" IS NAMED \.bin BUT ITS CONTENTS ARE GZIP DATA \(1f 8b\), NOT A RAW IMAGE/,
	);
});
