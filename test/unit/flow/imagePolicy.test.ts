// The flow's policy on what the image says about itself (core/flow/image.ts): what is refused, which DestVersion is
// taken, and the version guard with its override.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import type { FirmwareSuffix } from '../../../src/core/types';
import { checkDestVersion, destVersionFor, imageSummaryOf, readImageForFlow, refuseUnshippable } from '../../../src/core/flow/image';
import { espImage, FixtureDir, flipByte, mcubootImage, pattern, zipArchive } from '../../support/firmware';
import { withDeadline } from '../../support/reliability';

const dir = new FixtureDir();
after(() => dir.dispose());

const refusal = (code: string, message: RegExp, hint?: RegExp) => (error: unknown) =>
	error instanceof OtaError &&
	error.source === 'validation' &&
	error.code === code &&
	message.test(error.message) &&
	(hint === undefined || hint.test(error.hint ?? ''));

void describe('refuseUnshippable', () => {
	void test('a damaged ESP-IDF or MCUboot image is refused with the damage summary', async () => {
		const esp = await dir.inspect('bad-esp.bin', flipByte(espImage(), -1));
		assert.throws(() => refuseUnshippable(esp, 'bin'), refusal('DamagedImage', /^The image is damaged \(ESP image SHA-256: stored/));
		const truncated = await dir.inspect('cut.bin', mcubootImage().subarray(0, 1000));
		assert.throws(
			() => refuseUnshippable(truncated, 'bin'),
			refusal('DamagedImage', /MCUboot image structure: the data ends after 1,000 bytes/),
		);
	});

	void test('gzip, tar and apk names whose contents contradict them are refused with the one mismatch message', async () => {
		const cases: Array<[string, Buffer, RegExp]> = [
			[
				'b.tar.gz',
				Buffer.from('plain bytes'),
				/^"b\.tar\.gz" is named \.tar\.gz but its contents do not look like gzip data \(1f 8b\)/,
			],
			[
				'b.tar',
				Buffer.alloc(100),
				/^"b\.tar" is named \.tar but its contents do not look like a tar archive \("ustar" at offset 257\)/,
			],
			['b.apk', Buffer.from('plain bytes'), /^"b\.apk" is named \.apk but its contents do not look like a ZIP archive/],
		];
		for (const [name, bytes, message] of cases) {
			const identity = await dir.inspect(name, bytes);
			const suffix = name.slice(name.indexOf('.') + 1) as FirmwareSuffix;
			assert.throws(() => refuseUnshippable(identity, suffix), refusal('ContentsDoNotMatchSuffix', message), name);
		}
	});

	void test('contents that contradict the upload suffix are refused; the hint names the suffix they need', async () => {
		const notZip = await dir.inspect('update.zip', pattern(600));
		assert.throws(
			() => refuseUnshippable(notZip, 'zip'),
			refusal(
				'ContentsDoNotMatchSuffix',
				/"update\.zip" is named \.zip but its contents do not look like a ZIP archive/,
				/upload it as \.bin/,
			),
		);
		assert.doesNotThrow(() => refuseUnshippable(notZip, 'bin'), 'uploaded as what it is');
		const zip = await dir.inspect('fw.zip', await zipArchive([['app.bin', espImage()]]));
		assert.doesNotThrow(() => refuseUnshippable(zip, 'zip'));
		assert.throws(
			() => refuseUnshippable(zip, 'bin'),
			refusal('ContentsDoNotMatchSuffix', /contents are a ZIP archive/, /upload it as \.zip \(--suffix zip/),
		);
	});

	void test('a consistent image passes, signed or not, whatever it declares', async () => {
		for (const [name, bytes] of [
			['ok.bin', espImage()],
			['signed.bin', mcubootImage({ signature: 'ecdsa-p256' })],
			['plain.bin', pattern(100)],
		] as const) {
			const identity = await dir.inspect(name, bytes);
			assert.doesNotThrow(() => refuseUnshippable(identity, 'bin'), name);
		}
	});
});

void describe('destVersionFor and checkDestVersion', () => {
	void test('the given DestVersion wins; else the image version, in a spelling DestVersion allows', async () => {
		const esp = imageSummaryOf(await dir.inspect('v.bin', espImage({ app: { version: '1.2.0' } })));
		assert.equal(destVersionFor(esp, 'v.bin', '2.0'), '2.0');
		assert.equal(destVersionFor(esp, 'v.bin', undefined), '1.2.0');
		assert.equal(destVersionFor(esp, 'v.bin', ''), '', 'an explicit empty value is checked like any field (InvalidDestVersion)');
		const mcuboot = imageSummaryOf(await dir.inspect('m.bin', mcubootImage()));
		assert.deepEqual(mcuboot.declared, {
			version: '1.4.2+7',
			aliases: ['1.4.2.7'],
			source: 'MCUboot header',
			sourceParts: { source: 'mcuboot-header' },
		});
		assert.equal(destVersionFor(mcuboot, 'm.bin', undefined), '1.4.2.7');
		const plain = imageSummaryOf(await dir.inspect('p.bin', pattern(100)));
		assert.throws(
			() => destVersionFor(plain, 'p.bin', undefined),
			refusal(
				'DestVersionRequired',
				/^DestVersion is required: "p\.bin" \(unrecognised contents\) declares no version/,
				/--dest-version/,
			),
		);
		const odd = imageSummaryOf(await dir.inspect('o.bin', espImage({ app: { version: 'v1 beta' } })));
		assert.throws(
			() => destVersionFor(odd, 'o.bin', undefined),
			refusal('DestVersionRequired', /declares version v1 beta, which DestVersion's/),
		);
	});

	void test('a mismatch is refused with one message naming both versions, unless allowed (then it is the warning)', async () => {
		const esp = imageSummaryOf(await dir.inspect('g.bin', espImage({ app: { version: '1.2.0' } })));
		assert.equal(checkDestVersion(esp, '1.2.0'), undefined);
		assert.throws(
			() => checkDestVersion(esp, '1.3.0'),
			refusal(
				'VersionMismatch',
				/^The image declares version 1\.2\.0 \(ESP-IDF app description\) but DestVersion is 1\.3\.0: devices would report 1\.2\.0/,
				/--allow-version-mismatch/,
			),
		);
		assert.match(checkDestVersion(esp, '1.3.0', true) ?? '', /^The image declares version 1\.2\.0 .* DestVersion is 1\.3\.0/);
		const mcuboot = imageSummaryOf(await dir.inspect('m2.bin', mcubootImage()));
		assert.equal(checkDestVersion(mcuboot, '1.4.2.7'), undefined, 'another spelling of the same version');
		assert.equal(checkDestVersion(imageSummaryOf(await dir.inspect('n.bin', pattern(10))), '9.9'), undefined, 'nothing declared');
	});
});

void describe('readImageForFlow', () => {
	void test('contents no parser knows are taken from their first bytes unless the digests are needed; the rest is read whole', async () => {
		const plain = dir.write('plain-large.bin', pattern(3 * 1024 * 1024, 5));
		const quick = await readImageForFlow(plain, { digests: false });
		assert.deepEqual(
			{ format: quick.format, md5: quick.md5, verdict: quick.integrity.verdict },
			{ format: 'unknown', md5: undefined, verdict: 'not-applicable' },
		);
		const whole = await readImageForFlow(plain, { digests: true });
		assert.match(whole.md5 ?? '', /^[0-9a-f]{32}$/);
		assert.equal(whole.size, 3 * 1024 * 1024);
		const esp = await readImageForFlow(dir.write('esp-read.bin', espImage()), { digests: false });
		assert.deepEqual(
			{ format: esp.format, verdict: esp.integrity.verdict, version: esp.version },
			{ format: 'esp-idf', verdict: 'verified', version: '1.2.0' },
		);
		const notZip = await readImageForFlow(dir.write('quick.zip', pattern(700)), { digests: false });
		assert.throws(() => refuseUnshippable(notZip, 'zip'), refusal('ContentsDoNotMatchSuffix', /named \.zip/));
	});

	void test(
		'a FIFO at the path is refused at once, without waiting for a writer (the quick read opens without blocking too)',
		{
			skip: process.platform === 'win32' ? 'no FIFOs' : undefined,
		},
		async () => {
			const fifo = path.join(dir.dir, 'pipe.bin');
			execFileSync('mkfifo', [fifo]);
			try {
				await withDeadline(
					assert.rejects(readImageForFlow(fifo, { digests: false }), refusal('NotARegularFile', /not a regular file/)),
					10_000,
					'readImageForFlow of a FIFO',
				);
			} finally {
				// A blocked open() (the regression) is released by a writer, so the test process can end.
				try {
					closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
				} catch {
					// ENXIO: nothing is waiting to read, as it should be.
				}
			}
		},
	);
});
