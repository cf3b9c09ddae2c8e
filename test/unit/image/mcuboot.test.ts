// MCUboot images: header, version spellings, TLV areas, hash TLV verification, signature kinds.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { checkStatuses, FixtureDir, flipByte, mcubootImage, tlvArea, type McubootSignature } from '../../support/firmware';

const dir = new FixtureDir();
after(() => dir.dispose());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

void describe('MCUboot image: a valid image', () => {
	void test('reads the version, verifies the SHA-256 TLV and lists the TLVs', async () => {
		const bytes = mcubootImage();
		const id = await dir.inspect('zephyr.signed.bin', bytes);
		assert.equal(id.format, 'mcuboot');
		assert.equal(id.version, '1.4.2+7');
		assert.deepEqual(id.versionAliases, ['1.4.2.7']);
		assert.equal(id.versionSource, 'mcuboot-header');
		assert.deepEqual(checkStatuses(id.integrity.checks), ['MCUboot SHA-256 TLV: verified']);
		assert.equal(id.integrity.checks[0].stored, sha256(bytes.subarray(0, 0x200 + 3000)));
		assert.deepEqual(id.signature, { present: false, kinds: [] });
		assert.equal(id.mcuboot?.headerSize, 0x200);
		assert.equal(id.mcuboot?.imageSize, 3000);
		assert.equal(id.mcuboot?.protectedTlvSize, 0);
		assert.deepEqual(
			id.mcuboot?.tlvs.map((t) => t.name),
			['SHA256'],
		);
		assert.equal(id.chip, undefined);
		assert.equal(id.consistent, true);
	});

	void test('known answers from imgtool: the builder writes the bytes `imgtool sign --pad-header` writes', () => {
		// mcu-tools/mcuboot 2d4bacc, scripts/imgtool: `sign --version 1.4.2+7 --header-size 0x200 --pad-header
		// --slot-size 0x10000` of pattern(3000, 9), and the same with `--version 255.255.65535+4294967295
		// --security-counter 3`, produced files with exactly these SHA-256 sums (see docs/protocols.md §9.5).
		assert.equal(sha256(mcubootImage()), '2fb5620b11f34b232bb227808f4f1bee9d51769f3d7b05a2789f4289e4431e44');
		assert.equal(
			sha256(mcubootImage({ version: { major: 255, minor: 255, revision: 65535, build: 4294967295 }, securityCounter: 3 })),
			'3050e6bf059d3b735dda26bc2a4a1a73a621ece3bf33fe9fa6f19a5820615c53',
		);
	});

	void test('version fields at their limits, and build 0 spelled as imgtool and mcumgr spell it', async () => {
		const max = await dir.inspect('max.bin', mcubootImage({ version: { major: 255, minor: 255, revision: 65535, build: 4294967295 } }));
		assert.equal(max.version, '255.255.65535+4294967295');
		assert.deepEqual(max.versionAliases, ['255.255.65535.4294967295']);
		const zero = await dir.inspect('zero.bin', mcubootImage({ version: { major: 1, minor: 0, revision: 0, build: 0 } }));
		assert.equal(zero.version, '1.0.0');
		assert.deepEqual(zero.versionAliases, ['1.0.0+0']);
	});

	void test('protected TLVs are covered by the hash; the security counter is read', async () => {
		const bytes = mcubootImage({ securityCounter: 0xfffffffe });
		const id = await dir.inspect('seccnt.bin', bytes);
		assert.equal(id.integrity.verdict, 'verified');
		assert.equal(id.mcuboot?.securityCounter, 0xfffffffe);
		assert.equal(id.mcuboot?.protectedTlvSize, 12);
		assert.deepEqual(
			id.mcuboot?.tlvs.map((t) => `${t.name}${t.protected ? ' (protected)' : ''}`),
			['SEC_CNT (protected)', 'SHA256'],
		);
		const changedCounter = await dir.inspect('seccnt-bad.bin', flipByte(bytes, 0x200 + 3000 + 8));
		assert.deepEqual(checkStatuses(changedCounter.integrity.checks), ['MCUboot SHA-256 TLV: mismatch']);
	});

	void test('SHA-512 hash TLVs verify too; trailing slot padding is counted, not parsed', async () => {
		const id = await dir.inspect('sha512.bin', mcubootImage({ hash: 'sha512', trailingBytes: 4096 }));
		assert.deepEqual(checkStatuses(id.integrity.checks), ['MCUboot SHA-512 TLV: verified']);
		assert.equal(id.mcuboot?.trailingBytes, 4096);
	});
});

void describe('MCUboot image: signatures', () => {
	const expected: Record<McubootSignature, [string, string]> = {
		'ecdsa-p256': ['ECDSA-P256', 'SHA-256'],
		'ecdsa-p384': ['ECDSA-P384', 'SHA-384'],
		'rsa-2048': ['RSA-2048 (PSS)', 'SHA-256'],
		'rsa-3072': ['RSA-3072 (PSS)', 'SHA-256'],
		ed25519: ['Ed25519', 'SHA-256'],
	};
	for (const [kind, [name, hash]] of Object.entries(expected) as Array<[McubootSignature, [string, string]]>) {
		void test(`${kind}: the signature TLV is named ${name} and the ${hash} TLV verifies`, async () => {
			const id = await dir.inspect(`${kind}.bin`, mcubootImage({ signature: kind }));
			assert.deepEqual(id.signature, { present: true, kinds: [name] });
			assert.deepEqual(checkStatuses(id.integrity.checks), [`MCUboot ${hash} TLV: verified`]);
			assert.ok(id.mcuboot?.tlvs.some((t) => t.name === 'KEYHASH'));
		});
	}

	void test('the signature itself is not verified (no key): a changed signature byte leaves the digest verified', async () => {
		const id = await dir.inspect('sig-flip.bin', flipByte(mcubootImage({ signature: 'ed25519' }), -1));
		assert.equal(id.integrity.verdict, 'verified');
		assert.equal(id.signature.present, true);
	});
});

void describe('MCUboot image: damage and odd images', () => {
	void test('a changed image byte is a digest mismatch', async () => {
		const id = await dir.inspect('bad.bin', flipByte(mcubootImage({ signature: 'ecdsa-p256' }), 0x200 + 1500));
		assert.deepEqual(checkStatuses(id.integrity.checks), ['MCUboot SHA-256 TLV: mismatch']);
		assert.equal(id.integrity.verdict, 'damaged');
		assert.equal(id.consistent, false);
		assert.equal(id.version, '1.4.2+7');
	});

	void test('an image cut short in the header padding, the body or the TLV area is damaged (structure)', async () => {
		const full = mcubootImage({ securityCounter: 1 });
		for (const length of [100, 0x200 + 10, 0x200 + 3000, 0x200 + 3000 + 6, full.length - 2]) {
			const id = await dir.inspect(`cut-${length}.bin`, full.subarray(0, length));
			assert.equal(id.integrity.verdict, 'damaged', `cut at ${length}`);
			assert.match(id.integrity.checks.map((c) => c.name).join(), /structure/, `cut at ${length}`);
		}
	});

	void test('a wrong TLV info magic is reported; a wrong image magic is not an MCUboot image at all', async () => {
		const bytes = mcubootImage();
		const tlvMagic = await dir.inspect('tlv-magic.bin', flipByte(bytes, 0x200 + 3000));
		assert.equal(tlvMagic.integrity.verdict, 'damaged');
		assert.match(tlvMagic.integrity.checks[0].detail ?? '', /expected magic 0x6907/);
		assert.deepEqual(tlvMagic.integrity.checks[0].problem, { code: 'tlv-magic', magic: '0x6907', offset: 0x200 + 3000 });
		const counted = await dir.inspect('prot-magic.bin', flipByte(mcubootImage({ securityCounter: 1 }), 0x200 + 3000));
		assert.deepEqual(counted.integrity.checks[0].problem, {
			code: 'tlv-magic',
			magic: '0x6908',
			offset: 0x200 + 3000,
			expectedBytes: 12,
		});
		const magic = await dir.inspect('magic.bin', flipByte(bytes, 0));
		assert.equal(magic.format, 'unknown');
		assert.equal(magic.version, undefined);
	});

	void test('a header size smaller than the header, or a TLV running past its area, is damage', async () => {
		const small = mcubootImage();
		small.writeUInt16LE(16, 8);
		const header = await dir.inspect('hdr.bin', small);
		assert.equal(header.integrity.verdict, 'damaged');
		assert.deepEqual(header.integrity.checks[0].problem, { code: 'header-size', headerSize: 16 });
		const overrun = Buffer.concat([
			mcubootImage({ hash: false }).subarray(0, 0x200 + 3000),
			tlvArea(0x6907, [Buffer.from([0x10, 0, 40, 0, 1, 2])]),
		]);
		const id = await dir.inspect('overrun.bin', overrun);
		assert.match(id.integrity.checks[0].detail ?? '', /runs past the end/);
		assert.deepEqual(id.integrity.checks[0].problem, { code: 'tlv-overrun', offset: 0x200 + 3000 });
	});

	void test('an encrypted image cannot be verified here: the digest covers the plaintext', async () => {
		const id = await dir.inspect('enc.bin', mcubootImage({ flags: 0x04 }));
		assert.equal(id.mcuboot?.encrypted, true);
		assert.deepEqual(id.mcuboot?.flags, ['ENCRYPTED_AES128']);
		assert.deepEqual(checkStatuses(id.integrity.checks), ['MCUboot SHA-256 TLV: unverifiable']);
		assert.equal(id.integrity.verdict, 'not-applicable');
		assert.equal(id.consistent, true);
	});

	void test('no hash TLV: nothing to verify, with a warning', async () => {
		const id = await dir.inspect('nohash.bin', mcubootImage({ hash: false }));
		assert.equal(id.integrity.verdict, 'not-applicable');
		assert.match(id.warnings.join(' '), /no SHA-256\/384\/512 TLV/);
	});
});
