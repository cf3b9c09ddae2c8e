// The version marker, the version guard, the damage summary, readEmbeddedVersion and the file errors.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import {
	compileVersionMarker,
	damageSummary,
	inspectFirmware,
	readEmbeddedVersion,
	versionGuard,
	versionsAgree,
} from '../../../src/core/image';
import { espImage, FixtureDir, flipByte, gzip, mcubootImage, nrfDfuZip, pattern, tarArchive } from '../../support/firmware';

const dir = new FixtureDir();
after(() => dir.dispose());

const MB = 1024 * 1024;
const marker = compileVersionMarker('FW_VERSION=([0-9.]+)');

void describe('version marker', () => {
	void test('is off by default: unknown contents have no version, never a guess', async () => {
		const file = dir.write('plain.bin', Buffer.concat([pattern(1000), Buffer.from('FW_VERSION=4.5.6;')]));
		const id = await inspectFirmware(file);
		assert.equal(id.format, 'unknown');
		assert.equal(id.version, undefined);
		assert.equal(await readEmbeddedVersion(file), undefined);
	});

	void test('finds the version in the first MB and in the last MB, not in between', async () => {
		const filler = pattern(3 * MB, 2);
		const place = (at: number) => {
			const bytes = Buffer.from(filler);
			Buffer.from('FW_VERSION=4.5.6;').copy(bytes, at);
			return bytes;
		};
		const first = await inspectFirmware(dir.write('first.bin', place(100)), { versionMarker: marker });
		assert.equal(first.version, '4.5.6');
		assert.equal(first.versionSource, 'marker');
		assert.equal((await inspectFirmware(dir.write('last.bin', place(3 * MB - 40)), { versionMarker: marker })).version, '4.5.6');
		assert.equal((await inspectFirmware(dir.write('middle.bin', place(1.5 * MB)), { versionMarker: marker })).version, undefined);
	});

	void test('uses the "version" group when there is one; the whole match without groups; only a printable token', async () => {
		const file = dir.write('named.bin', Buffer.from('xx build 7 ver:2.0-rc1 yy'));
		assert.equal(
			await readEmbeddedVersion(file, { versionMarker: compileVersionMarker('build (\\d+) ver:(?<version>\\S+)') }),
			'2.0-rc1',
		);
		assert.equal(await readEmbeddedVersion(file, { versionMarker: compileVersionMarker('\\d\\.\\d-rc\\d') }), '2.0-rc1');
		assert.equal(await readEmbeddedVersion(file, { versionMarker: compileVersionMarker('build (\\d+ ver)') }), undefined);
	});

	void test('does not override a parsed format, and is not applied to files inside an archive', async () => {
		const esp = dir.write('esp.bin', espImage());
		assert.equal(await readEmbeddedVersion(esp, { versionMarker: compileVersionMarker('(smart_plug)') }), '1.2.0');
		const tar = dir.write('m.tar', await tarArchive([['x.dat', 'FW_VERSION=1.1.1']]));
		assert.equal(await readEmbeddedVersion(tar, { versionMarker: marker }), undefined);
		const gz = dir.write('m.dat.gz', gzip(Buffer.from('FW_VERSION=1.1.1')));
		assert.equal(await readEmbeddedVersion(gz, { versionMarker: marker }), '1.1.1');
	});

	void test('an invalid pattern is one validation error with a hint', () => {
		assert.throws(
			() => compileVersionMarker('FW_VERSION=(['),
			(error: unknown) =>
				error instanceof OtaError && error.code === 'InvalidVersionMarker' && error.source === 'validation' && !!error.hint,
		);
	});
});

void describe('readEmbeddedVersion', () => {
	void test('reads the version from ESP-IDF, MCUboot and nRF DFU files, spelled as a device reports it (DestVersion charset)', async () => {
		assert.equal(await readEmbeddedVersion(dir.write('a.bin', espImage({ app: { version: '7.0.1' } }))), '7.0.1');
		assert.equal(await readEmbeddedVersion(dir.write('b.bin', mcubootImage())), '1.4.2.7', 'imgtool 1.4.2+7, mcumgr 1.4.2.7');
		assert.equal(await readEmbeddedVersion(dir.write('c.zip', await nrfDfuZip(mcubootImage(), '1.4.2+7'))), '1.4.2.7');
		assert.equal(await readEmbeddedVersion(dir.write('e.bin', espImage({ app: { version: 'v1.0 beta' } }))), 'v1.0 beta');
	});
});

void describe('versionGuard', () => {
	void test('match, mismatch (one sentence naming both versions and the source) and unknown', async () => {
		const id = await inspectFirmware(dir.write('g.bin', espImage()));
		assert.deepEqual(versionGuard(id, '1.2.0'), { verdict: 'match', requested: '1.2.0', embedded: '1.2.0' });
		const mismatch = versionGuard(id, ' 1.2.1 ');
		assert.equal(mismatch.verdict, 'mismatch');
		assert.equal(mismatch.requested, '1.2.1');
		assert.equal(
			mismatch.message,
			'The image declares version 1.2.0 (ESP-IDF app description) but DestVersion is 1.2.1: devices would report 1.2.0 after the update and the OTA verification would fail.',
		);
		assert.deepEqual(versionGuard({ version: undefined }, '1.0.0'), { verdict: 'unknown', requested: '1.0.0' });
	});

	void test('MCUboot versions match in every spelling; an archive names the entry the version came from', async () => {
		const id = await inspectFirmware(dir.write('m.bin', mcubootImage()));
		assert.equal(versionGuard(id, '1.4.2+7').verdict, 'match');
		assert.equal(versionGuard(id, '1.4.2.7').verdict, 'match');
		assert.equal(versionGuard(id, '1.4.2').verdict, 'mismatch');
		const zip = await inspectFirmware(dir.write('d.zip', await nrfDfuZip(mcubootImage(), '1.4.2+7')));
		assert.match(versionGuard(zip, '9.9.9').message ?? '', / \(manifest\.json, nRF DFU manifest\) /);
		const tar = await inspectFirmware(dir.write('t.tar', await tarArchive([['fw/app.bin', espImage()]])));
		assert.match(versionGuard(tar, '9.9.9').message ?? '', / \(fw\/app\.bin, ESP-IDF app description\) /);
		assert.ok(versionsAgree({ version: '1.0.0', versionAliases: ['1.0.0+0'] }, { version: '1.0.0+0' }));
	});
});

void describe('damageSummary', () => {
	void test('names each failed check in one sentence; undefined when not damaged', async () => {
		const bad = await inspectFirmware(dir.write('d.bin', flipByte(espImage({ hashAppended: false }), 400)));
		assert.match(
			damageSummary(bad) ?? '',
			/^The image is damaged \(ESP image checksum: stored 0x[0-9a-f]{2}, computed 0x[0-9a-f]{2}\); rebuild/,
		);
		assert.equal(damageSummary(await inspectFirmware(dir.write('ok.bin', espImage()))), undefined);
	});
});

void describe('files that cannot be inspected', () => {
	void test('missing file, directory: the upload pre-flight messages; an aborted signal: cancelled', async () => {
		await assert.rejects(inspectFirmware(`${dir.dir}/missing.bin`), (e: unknown) => e instanceof OtaError && e.code === 'FileNotFound');
		await assert.rejects(inspectFirmware(dir.dir), (e: unknown) => e instanceof OtaError && e.code === 'FileIsDirectory');
		const controller = new AbortController();
		controller.abort();
		await assert.rejects(
			inspectFirmware(dir.write('c.bin', espImage()), { signal: controller.signal }),
			(e: unknown) => e instanceof OtaError && e.source === 'cancelled',
		);
	});

	void test('an empty file is "unknown", 0 bytes, with the hashes of nothing', async () => {
		const id = await inspectFirmware(dir.write('empty.bin', Buffer.alloc(0)));
		assert.equal(id.format, 'unknown');
		assert.equal(id.size, 0);
		assert.equal(id.sha256, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
	});
});
