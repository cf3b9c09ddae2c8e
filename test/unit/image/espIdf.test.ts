// ESP-IDF application images: header, app description, checksum, appended SHA-256, Secure Boot v2 sector.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { checkStatuses, espImage, flipByte, FixtureDir, pattern } from '../../support/firmware';

const dir = new FixtureDir();
after(() => dir.dispose());

void describe('ESP-IDF image: a valid image', () => {
	void test('reads chip, project, version, build date, toolchain and verifies checksum and SHA-256', async () => {
		const bytes = espImage();
		const id = await dir.inspect('app.bin', bytes);
		assert.equal(id.format, 'esp-idf');
		assert.equal(id.chip, 'ESP32-S3');
		assert.equal(id.project, 'smart_plug');
		assert.equal(id.version, '1.2.0');
		assert.equal(id.versionSource, 'esp-app-desc');
		assert.equal(id.buildDate, 'Mar  1 2025 12:34:56');
		assert.equal(id.toolchain, 'ESP-IDF v5.3.1');
		assert.equal(id.integrity.verdict, 'verified');
		assert.deepEqual(checkStatuses(id.integrity.checks), ['ESP image checksum: verified', 'ESP image SHA-256: verified']);
		assert.deepEqual(id.signature, { present: false, kinds: [] });
		assert.equal(id.size, bytes.length);
		assert.equal(id.md5, createHash('md5').update(bytes).digest('hex'));
		assert.equal(id.sha256, createHash('sha256').update(bytes).digest('hex'));
		assert.deepEqual(id.suffix, { suffix: 'bin', status: 'match' });
		assert.equal(id.consistent, true);
		assert.deepEqual(id.warnings, []);
	});

	void test('reports the header fields and the app description details', async () => {
		const id = await dir.inspect('details.bin', espImage({ spiMode: 3, flashSizeFreq: 0x4f }));
		const esp = id.esp!;
		assert.equal(esp.segments, 3);
		assert.equal(esp.spiMode, 'DOUT');
		assert.equal(esp.spiSpeed, 'DIV_1');
		assert.equal(esp.flashSize, '16MB');
		assert.equal(esp.entryAddress, '0x40375a00');
		assert.equal(esp.maxChipRevision, 'v0.99');
		assert.equal(esp.hashAppended, true);
		assert.equal(esp.imageLength, id.size);
		assert.equal(esp.trailingBytes, 0);
		assert.equal(esp.appDescription?.elfSha256, createHash('sha256').update('smart_plug.elf').digest('hex'));
		assert.equal(esp.appDescription?.idfVersion, 'v5.3.1');
	});

	void test('known answers from esptool: checksum 0x04 and the appended digest of the default fixture', async () => {
		// esptool (espressif/esptool bb72741) LoadFirmwareImage('esp32s3', espImage()) reported: checksum 0x04 valid,
		// validation hash c10ab3ec… valid; for the variant below checksum 0x78 valid (see docs/protocols.md §9.5).
		const id = await dir.inspect('known.bin', espImage());
		assert.deepEqual(
			id.integrity.checks.map((c) => c.computed),
			['0x04', 'c10ab3ec4b0be4cf713a37f7cf6f57e80f19d1987502df69f83e7b50f6181772'],
		);
		const plain = await dir.inspect(
			'known-esp32.bin',
			espImage({ hashAppended: false, chipId: 0, app: { version: `v${'9'.repeat(31)}` } }),
		);
		assert.equal(plain.chip, 'ESP32');
		assert.deepEqual(
			plain.integrity.checks.map((c) => [c.stored, c.computed]),
			[['0x78', '0x78']],
		);
		const flipped = await dir.inspect('known-flipped.bin', flipByte(espImage(), 100));
		assert.deepEqual(
			flipped.integrity.checks.map((c) => c.computed),
			['0xfb', '0d5ad5b760225112c2c52554b5f81fd9d438a0a142a7370f61d7583e6c0030fe'],
		);
	});
});

void describe('ESP-IDF image: fields at their limits', () => {
	void test('a 32-character version (no NUL terminator) and a 32-character project name are read whole', async () => {
		const version = 'v1.2.3-rc.4+build.20250301.abcde';
		assert.equal(version.length, 32);
		const id = await dir.inspect(
			'long.bin',
			espImage({ app: { version, projectName: 'p'.repeat(32), idfVersion: 'v'.padEnd(32, '5') } }),
		);
		assert.equal(id.version, version);
		assert.equal(id.project, 'p'.repeat(32));
		assert.equal(id.toolchain, `ESP-IDF ${'v'.padEnd(32, '5')}`);
		assert.equal(id.integrity.verdict, 'verified');
	});

	void test('an empty version string means "version unknown", not an empty version', async () => {
		const id = await dir.inspect('noversion.bin', espImage({ app: { version: '' } }));
		assert.equal(id.version, undefined);
		assert.equal(id.versionSource, undefined);
		assert.equal(id.project, 'smart_plug');
	});

	void test('an image without an app description (a bootloader) verifies but has no version, with a warning', async () => {
		const id = await dir.inspect('bootloader.bin', espImage({ app: false }));
		assert.equal(id.format, 'esp-idf');
		assert.equal(id.version, undefined);
		assert.equal(id.integrity.verdict, 'verified');
		assert.match(id.warnings.join(' '), /No esp_app_desc_t/);
	});

	void test('an unknown chip id is named as such; 16 segments are read', async () => {
		const segments = Array.from({ length: 15 }, (_, i) => pattern(8 * (i + 1), i + 10));
		const id = await dir.inspect('chip.bin', espImage({ chipId: 0x1234, segments }));
		assert.equal(id.chip, 'unknown chip id 4660');
		assert.equal(id.esp?.segments, 16);
		assert.equal(id.integrity.verdict, 'verified');
	});
});

void describe('ESP-IDF image: damage', () => {
	void test('a changed data byte breaks the checksum (image without appended digest)', async () => {
		const good = espImage({ hashAppended: false });
		const id = await dir.inspect('bad-data.bin', flipByte(good, 400));
		assert.deepEqual(checkStatuses(id.integrity.checks), ['ESP image checksum: mismatch']);
		assert.equal(id.integrity.verdict, 'damaged');
		assert.equal(id.consistent, false);
	});

	void test('a wrong stored checksum byte is a mismatch; so is a wrong appended digest alone', async () => {
		const plain = espImage({ hashAppended: false });
		const checksum = await dir.inspect('bad-checksum.bin', flipByte(plain, -1));
		assert.deepEqual(checkStatuses(checksum.integrity.checks), ['ESP image checksum: mismatch']);
		const digest = await dir.inspect('bad-digest.bin', flipByte(espImage(), -1));
		assert.deepEqual(checkStatuses(digest.integrity.checks), ['ESP image checksum: verified', 'ESP image SHA-256: mismatch']);
		assert.equal(digest.consistent, false);
	});

	void test('an image cut short anywhere after the header is damaged (structure), never verified', async () => {
		const full = espImage();
		for (const length of [30, 60, 300, full.length - 40, full.length - 33, full.length - 1]) {
			const id = await dir.inspect(`cut-${length}.bin`, full.subarray(0, length));
			assert.equal(id.format, 'esp-idf', `cut at ${length}`);
			assert.equal(id.integrity.verdict, 'damaged', `cut at ${length}`);
			const structure = id.integrity.checks.find((c) => c.name === 'ESP image structure');
			assert.match(structure?.detail ?? '', new RegExp(`ends after ${length.toLocaleString('en-US')} bytes`), `cut at ${length}`);
			assert.equal(structure?.problem?.code === 'truncated' && structure.problem.endsAt, length, `cut at ${length}`);
		}
	});

	void test('a wrong magic byte is not an ESP image: unknown format, version unknown, nothing to verify', async () => {
		const bytes = espImage();
		bytes[0] = 0xe8;
		const id = await dir.inspect('magic.bin', bytes);
		assert.equal(id.format, 'unknown');
		assert.equal(id.version, undefined);
		assert.equal(id.integrity.verdict, 'not-applicable');
		assert.equal(id.consistent, true);
	});
});

void describe('ESP-IDF image: what follows the image', () => {
	void test('Secure Boot v2 signature sectors are recognised: RSA and ECDSA P-256', async () => {
		const rsa = await dir.inspect('signed-rsa.bin', espImage({ signature: 'rsa' }));
		assert.deepEqual(rsa.signature, { present: true, kinds: ['Secure Boot v2 RSA-3072 (PSS)'] });
		assert.equal(rsa.integrity.verdict, 'verified');
		assert.equal(rsa.size % 4096, 0);
		assert.equal(rsa.esp!.trailingBytes, rsa.size - rsa.esp!.imageLength);
		const ecdsa = await dir.inspect('signed-ecdsa.bin', espImage({ signature: 'ecdsa-p256' }));
		assert.deepEqual(ecdsa.signature.kinds, ['Secure Boot v2 ECDSA-P256']);
	});

	void test('a signature block whose CRC does not match, or plain padding, is no signature', async () => {
		const signed = espImage({ signature: 'rsa' });
		const broken = await dir.inspect('sig-crc.bin', flipByte(signed, signed.length - 4096 + 500));
		assert.deepEqual(broken.signature, { present: false, kinds: [] });
		assert.equal(broken.integrity.verdict, 'verified');
		const image = espImage();
		const padded = await dir.inspect('padded.bin', Buffer.concat([image, Buffer.alloc(5000, 0xff)]));
		assert.deepEqual(padded.signature.kinds, []);
		assert.equal(padded.esp?.trailingBytes, 5000);
		assert.equal(padded.version, '1.2.0');
	});
});
