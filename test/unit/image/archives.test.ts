// Archives: listings, versions from manifests and VERSION files, images inside, nesting, damage and suffix checks.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { describeVersionSource } from '../../../src/core/image';
import {
	checkStatuses,
	espImage,
	FixtureDir,
	flipByte,
	gzip,
	mcubootImage,
	nrfDfuZip,
	pattern,
	tarArchive,
	zipArchive,
} from '../../support/firmware';

const dir = new FixtureDir();
after(() => dir.dispose());

const names = (id: { archive?: { entries: Array<{ name: string }> } }) => id.archive?.entries.map((e) => e.name);

void describe('archives: versions', () => {
	void test('nRF dfu_application.zip: version_MCUBOOT of the application, its board, the MCUboot image inside', async () => {
		const image = mcubootImage({ signature: 'ecdsa-p256' });
		const id = await dir.inspect('dfu_application.zip', await nrfDfuZip(image, '1.4.2+7'));
		assert.equal(id.format, 'zip');
		assert.equal(id.version, '1.4.2+7');
		assert.deepEqual(id.versionAliases, ['1.4.2.7']);
		assert.equal(id.versionSource, 'nrf-manifest');
		assert.equal(id.archive?.versionEntry, 'manifest.json');
		assert.equal(id.chip, 'nrf52840dk/nrf52840');
		assert.deepEqual(names(id), ['manifest.json', 'app_update.bin']);
		assert.equal(id.archive?.entries[1].content?.format, 'mcuboot');
		assert.deepEqual(id.signature, { present: true, kinds: ['app_update.bin: ECDSA-P256'] });
		assert.deepEqual(checkStatuses(id.integrity.checks), [
			'ZIP CRC-32 of 2 entries: verified',
			'app_update.bin: MCUboot SHA-256 TLV: verified',
		]);
		assert.deepEqual(id.warnings, []);
		assert.equal(id.consistent, true);
	});

	void test('nRF manifest "1.0.0+0" is the image 1.0.0; a manifest that disagrees with its image is a warning', async () => {
		const zero = mcubootImage({ version: { major: 1, minor: 0, revision: 0, build: 0 } });
		const same = await dir.inspect('zero.zip', await nrfDfuZip(zero, '1.0.0+0'));
		assert.equal(same.version, '1.0.0');
		assert.deepEqual(same.warnings, []);
		const other = await dir.inspect('other.zip', await nrfDfuZip(zero, '2.0.0+0'));
		assert.equal(other.version, '2.0.0');
		assert.deepEqual(other.warnings, ['manifest.json declares version 2.0.0 but app_update.bin (MCUboot header) declares 1.0.0.']);
	});

	void test('tar.gz: a root VERSION file declares the version; manifest.json "version" wins over it', async () => {
		const withFile = await dir.inspect(
			'fw.tar.gz',
			gzip(
				await tarArchive([
					['./', ''],
					['./VERSION', '\n3.1.0\n'],
					['./readme.txt', 'hi'],
				]),
			),
		);
		assert.equal(withFile.format, 'gzip');
		assert.equal(withFile.inner?.format, 'tar');
		assert.equal(withFile.version, '3.1.0');
		assert.equal(withFile.versionSource, 'version-file');
		assert.equal(describeVersionSource(withFile), './VERSION');
		const both = await dir.inspect(
			'both.tar',
			await tarArchive([
				['VERSION', '3.1.0'],
				['manifest.json', JSON.stringify({ version: '3.2.0' })],
			]),
		);
		assert.equal(both.version, '3.2.0');
		assert.equal(both.versionSource, 'manifest');
		assert.equal(both.archive?.versionEntry, 'manifest.json');
	});

	void test('metadata deeper than the root, or not a single version, declares nothing', async () => {
		const id = await dir.inspect(
			'deep.tar',
			await tarArchive([
				['docs/VERSION', '9.9.9'],
				['VERSION', 'VERSION_MAJOR = 1\nVERSION_MINOR = 2\n'],
			]),
		);
		assert.equal(id.version, undefined);
		assert.deepEqual(id.warnings, ['VERSION does not hold a single version string.']);
	});

	void test('without metadata: the version all images inside agree on; disagreeing images give no version', async () => {
		const single = await dir.inspect('one.tar', await tarArchive([['app.bin', espImage()]]));
		assert.equal(single.version, '1.2.0');
		assert.equal(single.versionSource, 'nested-image');
		assert.equal(single.chip, 'ESP32-S3');
		assert.equal(single.project, 'smart_plug');
		const two = await dir.inspect(
			'two.zip',
			await zipArchive([
				['a.bin', espImage()],
				['b.bin', espImage({ app: { version: '1.3.0' } })],
			]),
		);
		assert.equal(two.version, undefined);
		assert.match(two.warnings.join(' '), /different versions \(a\.bin 1\.2\.0 .*b\.bin 1\.3\.0/);
	});

	void test('a .gz of an ESP image: gzip CRC and the image checks, the image version', async () => {
		const id = await dir.inspect('app.bin.gz', gzip(espImage()));
		assert.equal(id.format, 'gzip');
		assert.equal(id.inner?.format, 'esp-idf');
		assert.equal(id.version, '1.2.0');
		assert.equal(id.versionSource, 'esp-app-desc');
		assert.deepEqual(
			id.integrity.checks.map((c) => c.name),
			['gzip CRC-32 and length', 'ESP image checksum', 'ESP image SHA-256'],
		);
		assert.deepEqual(id.suffix, { suffix: 'gz', status: 'match' });
	});
});

void describe('archives: nesting and listing', () => {
	void test('a zip inside a tar.gz is identified, not expanded; a .gz inside a tar is expanded', async () => {
		const inner = await zipArchive([['x.bin', espImage()]]);
		const id = await dir.inspect(
			'nested.tar.gz',
			gzip(
				await tarArchive([
					['bundle/', ''],
					['bundle/inner.zip', inner],
					['bundle/app.bin.gz', gzip(mcubootImage())],
				]),
			),
		);
		const entries = id.inner?.archive?.entries ?? [];
		assert.deepEqual(
			entries.map((e) => [e.name, e.type, e.content?.format]),
			[
				['bundle/', 'directory', undefined],
				['bundle/inner.zip', 'file', 'zip'],
				['bundle/app.bin.gz', 'file', 'gzip'],
			],
		);
		assert.equal(entries[2].content?.inner?.format, 'mcuboot');
		assert.equal(id.version, '1.4.2+7');
		assert.match(id.warnings.join(' '), /bundle\/inner\.zip: A ZIP archive inside another archive/);
		assert.equal(id.integrity.verdict, 'verified');
	});

	void test('the listing stops at 1,000 entries but every entry is counted', async () => {
		const files = Array.from({ length: 1005 }, (_, i): [string, string] => [`f${i}.txt`, `${i}`]);
		const id = await dir.inspect('many.zip', await zipArchive(files));
		assert.equal(id.archive?.entries.length, 1000);
		assert.equal(id.archive?.entryCount, 1005);
		assert.equal(id.archive?.listingTruncated, true);
		assert.equal(id.integrity.checks[0].name, 'ZIP CRC-32 of 1005 entries');
	});
});

void describe('archives: damage', () => {
	void test('a changed byte in a stored zip entry is a CRC-32 mismatch naming the entry', async () => {
		const zip = await zipArchive([['data.txt', 'x'.repeat(200)]], { store: true });
		const at = zip.indexOf('xxxx');
		const id = await dir.inspect('crc.zip', flipByte(zip, at + 10));
		assert.deepEqual(checkStatuses(id.integrity.checks), ['data.txt: ZIP CRC-32: mismatch']);
		assert.equal(id.consistent, false);
	});

	void test('a damaged ESP image inside a tar is reported with the entry name', async () => {
		const id = await dir.inspect('bad-inside.tar', await tarArchive([['app.bin', flipByte(espImage(), 300)]]));
		assert.equal(id.integrity.verdict, 'damaged');
		assert.ok(id.integrity.checks.some((c) => c.name === 'app.bin: ESP image checksum' && c.status === 'mismatch'));
	});

	void test('truncated tar.gz and truncated tar are damaged; so is a .zip that starts like one but is cut', async () => {
		const tarGz = gzip(await tarArchive([['a.bin', pattern(20000)]]));
		const cutGz = await dir.inspect('cut.tar.gz', tarGz.subarray(0, tarGz.length - 30));
		assert.equal(cutGz.integrity.verdict, 'damaged');
		assert.equal(cutGz.integrity.checks[0].name, 'gzip stream');
		const tar = await tarArchive([['a.bin', pattern(20000)]]);
		const cutTar = await dir.inspect('cut.tar', tar.subarray(0, 5000));
		assert.deepEqual(checkStatuses(cutTar.integrity.checks), ['tar structure: mismatch']);
		const zip = await zipArchive([['a.bin', pattern(2000)]]);
		const cutZip = await dir.inspect('cut.zip', zip.subarray(0, 1000));
		assert.equal(cutZip.format, 'zip');
		assert.deepEqual(checkStatuses(cutZip.integrity.checks), ['ZIP structure: mismatch']);
	});
});

void describe('suffix check', () => {
	void test('a .zip that is not a zip, a .bin that is gzip, a .tar.gz without a tar inside: mismatch', async () => {
		const notZip = await dir.inspect('fw.zip', espImage());
		assert.equal(notZip.suffix.status, 'mismatch');
		assert.match(notZip.suffix.message ?? '', /named \.zip but its contents do not look like a ZIP archive/);
		assert.equal(notZip.consistent, false);
		const gzBin = await dir.inspect('fw.bin', gzip(espImage()));
		assert.equal(gzBin.suffix.status, 'mismatch');
		assert.match(gzBin.suffix.message ?? '', /named \.bin but its contents are gzip data/);
		const noTar = await dir.inspect('fw2.tar.gz', gzip(espImage()));
		assert.match(noTar.suffix.message ?? '', /inside gzip/);
		assert.deepEqual(
			[notZip.suffix, gzBin.suffix, noTar.suffix].map((check) => check.status === 'mismatch' && check.problem),
			[
				{ code: 'contents-mismatch', expected: 'zip' },
				{ code: 'archive-as-image', found: 'gzip' },
				{ code: 'contents-mismatch', expected: 'tar', inGzip: true },
			],
		);
		assert.equal(noTar.integrity.verdict, 'verified');
	});

	void test('a file without an OTA suffix has nothing to compare; .apk must be a ZIP', async () => {
		const elf = await dir.inspect('zephyr.elf', mcubootImage());
		assert.equal(elf.suffix.status, 'none');
		assert.equal(elf.consistent, true);
		const apk = await dir.inspect('app.apk', await zipArchive([['AndroidManifest.xml', '<manifest/>']]));
		assert.deepEqual(apk.suffix, { suffix: 'apk', status: 'match' });
	});
});
