// The one pre-flight both shells call (core/flow/preflight.ts): the file checked and read once, the suffix with its one
// message, the contents against the suffix, the version marker, and the rule that the file uploaded is the file checked.
import assert from 'node:assert/strict';
import { renameSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { checkFirmware, prepareUpload, refuseChangedUpload, refuseReplacedFile, uploadSuffix } from '../../../src/core/flow/preflight';
import { ALLOWED_SUFFIXES_TEXT, FILE_MESSAGES } from '../../../src/core/limits';
import type { UploadResult } from '../../../src/core/types';
import { espImage, FixtureDir, pattern } from '../../support/firmware';

const dir = new FixtureDir();
after(() => dir.dispose());

const refusal = (code: string, message: RegExp) => (error: unknown) =>
	error instanceof OtaError && error.source === 'validation' && error.code === code && message.test(error.message);

void describe('checkFirmware', () => {
	void test('takes an earlier read only when it is of this very file, with the same version marker and what is needed', async () => {
		const file = dir.write('vendor.bin', Buffer.concat([pattern(2000), Buffer.from('FW_VERSION=3.4.5;')]));
		const first = await checkFirmware(file, { digests: false });
		assert.equal(first.identity.version, undefined, 'no marker: the version is unknown, never guessed');
		// A stand-in read of the same stamp: taken as it is (nothing is read again).
		const known = { ...first.identity, version: 'from-the-view' };
		assert.equal((await checkFirmware(file, { digests: false, known })).identity.version, 'from-the-view');
		// The digests are needed and the earlier read has none: read again, whole.
		const whole = await checkFirmware(file, { digests: true, known });
		assert.equal(whole.identity.version, undefined);
		assert.equal(whole.identity.size, 2017);
		assert.match(whole.identity.sha256 ?? '', /^[0-9a-f]{64}$/);
		// Another version marker: read again with it.
		const marked = await checkFirmware(file, { digests: false, known, versionMarker: 'FW_VERSION=([0-9.]+)' });
		assert.equal(marked.identity.version, '3.4.5');
		assert.equal(marked.identity.versionMarker, 'FW_VERSION=([0-9.]+)');
		// Another file at the same path (same size, another inode): read again.
		const other = dir.write('other.bin', Buffer.concat([pattern(2000, 7), Buffer.from('FW_VERSION=9.9.9;')]));
		renameSync(other, file);
		const replaced = await checkFirmware(file, { digests: false, known: marked.identity, versionMarker: 'FW_VERSION=([0-9.]+)' });
		assert.equal(replaced.identity.version, '9.9.9');
	});

	void test('a bad version marker is one validation error, before the file is read', async () => {
		await assert.rejects(
			checkFirmware(dir.write('any.bin', pattern(10)), { digests: false, versionMarker: '(' }),
			refusal('InvalidVersionMarker', /^The version marker is not a valid regular expression/),
		);
	});

	void test("a damaged image is refused; the file's warnings come before the image's", async () => {
		const damaged = espImage();
		damaged[damaged.length - 1] ^= 0xff;
		await assert.rejects(checkFirmware(dir.write('bad.bin', damaged), { digests: false }), refusal('DamagedImage', /damaged/));
		const checked = await checkFirmware(dir.write('app.img', espImage()), { digests: false });
		assert.equal(checked.inferredSuffix, undefined);
		assert.equal(checked.warnings[0], FILE_MESSAGES.noAllowedSuffix('app.img'));
	});
});

void describe('uploadSuffix and prepareUpload', () => {
	void test("the suffix given, else the name's; neither is one InvalidFileSuffix in the words both shells show", async () => {
		const checked = await checkFirmware(dir.write('firmware.img', pattern(100)), { digests: false });
		assert.equal(uploadSuffix(checked, '.BIN'), 'bin');
		assert.throws(
			() => uploadSuffix(checked),
			(error: unknown) =>
				error instanceof OtaError &&
				error.code === 'InvalidFileSuffix' &&
				error.message === `"firmware.img" has no allowed OTA suffix (${ALLOWED_SUFFIXES_TEXT}).`,
		);
		assert.equal(uploadSuffix(await checkFirmware(dir.write('fw.tar.gz', Buffer.from('x')), { digests: false })), 'tar.gz');
	});

	void test('a chosen suffix drops the no-suffix warning; contents that contradict the suffix are refused', async () => {
		const checked = await checkFirmware(dir.write('firmware.img', pattern(100)), { digests: false });
		const prepared = prepareUpload(checked, 'bin');
		assert.deepEqual(prepared.warnings, []);
		assert.equal(prepared.digests, undefined, 'unknown contents without digests are not read whole');
		assert.deepEqual(prepared.stamp, checked.identity.stamp);
		assert.throws(() => prepareUpload(checked, 'zip'), refusal('ContentsDoNotMatchSuffix', /do not look like a ZIP archive/));
	});
});

void describe('the file uploaded is the file checked', () => {
	const uploadOf = (fields: Partial<UploadResult>): UploadResult => ({ ...fields }) as UploadResult;

	void test('refuseChangedUpload: other digests (or, without digests, another size) → FileChanged; the same bytes pass', async () => {
		const file = dir.write('app.bin', pattern(4096));
		const prepared = prepareUpload(await checkFirmware(file, { digests: true }), 'bin');
		const digests = prepared.digests;
		assert.ok(digests);
		assert.doesNotThrow(() => refuseChangedUpload(prepared, uploadOf(digests)));
		assert.throws(
			() => refuseChangedUpload(prepared, uploadOf({ ...digests, sha256: '0'.repeat(64) })),
			refusal('FileChanged', /^app\.bin changed while it was uploaded: .*Nothing was registered or inserted/),
		);
		assert.throws(() => refuseChangedUpload(prepared, uploadOf({ ...digests, md5: '0'.repeat(32) })), refusal('FileChanged', /./));
		const quick = { ...prepared, digests: undefined };
		assert.doesNotThrow(() => refuseChangedUpload(quick, uploadOf({ size: 4096 })));
		assert.throws(() => refuseChangedUpload(quick, uploadOf({ size: 4000 })), refusal('FileChanged', /./));
	});

	void test('refuseReplacedFile: without digests, another file at the path → FileChanged; with digests the bytes decide', async () => {
		const file = dir.write('quick.bin', pattern(4096));
		const prepared = prepareUpload(await checkFirmware(file, { digests: false }), 'bin');
		await refuseReplacedFile(prepared);
		renameSync(dir.write('new.bin', pattern(4096, 3)), file);
		await assert.rejects(
			refuseReplacedFile(prepared),
			refusal('FileChanged', /^quick\.bin changed after it was checked: .*Nothing was uploaded\./),
		);
		const measured = prepareUpload(await checkFirmware(file, { digests: true }), 'bin');
		writeFileSync(file, pattern(4096, 5));
		await refuseReplacedFile(measured);
	});
});
