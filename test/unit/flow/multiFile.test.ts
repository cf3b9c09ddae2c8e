// The multi-file package step (core/flow/multiFilePrepare.ts, multiFileRun.ts) against the sandbox: one ticket per
// file, one CreateOTAFirmware with MultiFiles.N, and every refusal before any request. What a stopped package leaves
// is multiFileStops.test.ts's.
import assert from 'node:assert/strict';
import { linkSync, readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import {
	findSameContent,
	planPackageUpload,
	prepareMultiFile,
	runMultiFile,
	type MultiFileRequest,
	type PackageFileStart,
} from '../../../src/core/flow';
import { hardLinkKey } from '../../../src/core/flow/multiFilePrepare';
import { LifecycleClient } from '../../../src/core/lifecycle/client';
import { PACKAGE_FILE_NAME_MAX, PACKAGE_FILES_MAX } from '../../../src/core/otaFacts';
import { espImage, flipByte, mcubootImage, pattern } from '../../support/firmware';
import { digest, refused, useMultiFileSuite } from './multiFileSuite';

void describe('multi-file packages', () => {
	const suite = useMultiFileSuite();

	void test('uploads each file with its own ticket, then registers one package with exactly MultiFiles.N', async () => {
		const prepared = await prepareMultiFile(suite.request([suite.app, suite.spiffs, suite.modem], { signMethod: 'SHA256' }));
		assert.equal(prepared.create.destVersion, '1.2.0', 'the version the one declaring image gives');
		assert.match(prepared.create.firmwareName, /^app-1_2_0-[0-9a-f]{8}$/);
		assert.deepEqual(suite.actions(), [], 'the pre-flight sends nothing');
		const started: PackageFileStart[] = [];
		const result = await runMultiFile(suite.client, prepared, { onFile: (file) => started.push(file) });
		assert.deepEqual(
			started.map((f) => `${f.index}/${f.count} ${f.name}`),
			['1/3 app.bin', '2/3 spiffs.bin', '3/3 modem.bin'],
		);
		assert.deepEqual(suite.actions(), [
			'api:QueryProduct', // the product exists: checked before the first ticket
			'api:GenerateOTAUploadURL',
			'oss:PostObject',
			'api:GenerateOTAUploadURL',
			'oss:PostObject',
			'api:GenerateOTAUploadURL',
			'oss:PostObject',
			'api:CreateOTAFirmware',
		]);
		const create = suite.sandbox.requests.entries.at(-1)?.params ?? {};
		const expected: Record<string, string> = {
			FirmwareName: prepared.create.firmwareName,
			DestVersion: '1.2.0',
			ProductKey: suite.sandbox.productKey,
			RegionId: 'cn-shanghai',
			SignMethod: 'SHA256',
		};
		[suite.app, suite.spiffs, suite.modem].forEach((file, index) => {
			const n = index + 1;
			expected[`MultiFiles.${n}.Name`] = ['app.bin', 'spiffs.bin', 'modem.bin'][index];
			expected[`MultiFiles.${n}.Url`] = result.files[index].upload.firmwareUrl;
			expected[`MultiFiles.${n}.Size`] = String(readFileSync(file).length);
			expected[`MultiFiles.${n}.SignValue`] = digest(file, 'sha256');
			expected[`MultiFiles.${n}.FileMd5`] = digest(file, 'md5');
		});
		assert.deepEqual(create, expected, 'no FirmwareUrl, FirmwareSign or FirmwareSize');
		assert.equal(new Set(result.files.map((f) => f.upload.firmwareUrl)).size, 3, 'one object per file');

		const detail = await new LifecycleClient(suite.client).queryFirmware(result.created.firmwareId);
		assert.deepEqual(detail.multiFiles, [
			{
				name: 'app.bin',
				size: readFileSync(suite.app).length,
				signValue: digest(suite.app, 'sha256'),
				fileMd5: digest(suite.app, 'md5'),
			},
			{ name: 'spiffs.bin', size: 30_000, signValue: digest(suite.spiffs, 'sha256'), fileMd5: digest(suite.spiffs, 'md5') },
			{ name: 'modem.bin', size: 5_000, signValue: digest(suite.modem, 'sha256'), fileMd5: digest(suite.modem, 'md5') },
		]);
		assert.equal(detail.destVersion, '1.2.0');
		const single = await findSameContent(suite.client, '1.2.0', prepared.files[0].digests, { productKey: suite.sandbox.productKey });
		assert.deepEqual(single, [], 'one of its files alone is not the same content as the package');
	});

	void test('a ProductKey or module the platform would refuse: the run and its plan refuse it before any ticket', async () => {
		const cases: Array<[Partial<MultiFileRequest['create']>, string, string]> = [
			[{ productKey: 'a1NoSuchPK9' }, 'iot.prod.NotExistedProduct', 'api:QueryProduct'],
			[{ moduleName: 'nosuchmod' }, 'iot.ota.OtaModuleNotExisted', 'api:ListOTAModuleByProduct'],
		];
		for (const [create, code, read] of cases) {
			const prepared = await prepareMultiFile(suite.request([suite.spiffs, suite.modem], { destVersion: '9.0.0', ...create }));
			const refused = (error: unknown) => error instanceof OtaError && error.code === code && error.source === 'validation';
			await assert.rejects(runMultiFile(suite.client, prepared), refused);
			await assert.rejects(planPackageUpload(suite.client, prepared), refused);
			assert.deepEqual(suite.actions(), [read, read], 'the one read each, no ticket, no PostObject');
			suite.sandbox.requests.clear();
		}
	});

	void test('MD5 packages send the MD5 as SignValue; an explicit DestVersion wins over images that declare none', async () => {
		const prepared = await prepareMultiFile(
			suite.request([suite.spiffs, suite.modem], { destVersion: '3.0.0', firmwareName: 'fs-and-modem' }),
		);
		const result = await runMultiFile(suite.client, prepared);
		const create = suite.sandbox.requests.entries.at(-1)?.params ?? {};
		assert.equal(create.DestVersion, '3.0.0');
		assert.equal(create.SignMethod, 'MD5');
		assert.equal(create['MultiFiles.2.SignValue'], digest(suite.modem, 'md5'));
		assert.equal(create['MultiFiles.2.FileMd5'], digest(suite.modem, 'md5'));
		assert.equal(result.created.firmwareName, 'fs-and-modem');
	});

	void test('is refused before any request: too many files, a duplicate name, a name too long', async () => {
		const many = Array.from({ length: PACKAGE_FILES_MAX + 1 }, (_, i) => suite.dir.write(`part${i}.bin`, pattern(10, i + 1)));
		await assert.rejects(
			prepareMultiFile(suite.request(many, { destVersion: '1.0' })),
			refused('InvalidMultiFiles', /^A multi-file package is made of 2 to 20 files; 21 were given/),
		);
		await assert.rejects(
			prepareMultiFile(suite.request([suite.spiffs], { destVersion: '1.0' })),
			refused('InvalidMultiFiles', /1 were given/),
		);
		const twin = suite.otherDir.write('spiffs.bin', pattern(10));
		await assert.rejects(
			prepareMultiFile(suite.request([suite.spiffs, twin], { destVersion: '1.0' })),
			refused(
				'InvalidPackageFileName',
				/spiffs\.bin: the name "spiffs\.bin" is used by another file of the package \(.*\/spiffs\.bin\); each file of a package needs its own name of 1–32 characters\.$/,
			),
		);
		const long = suite.dir.write(`${'n'.repeat(PACKAGE_FILE_NAME_MAX - 3)}.bin`, pattern(10));
		await assert.rejects(
			prepareMultiFile(suite.request([suite.spiffs, long], { destVersion: '1.0' })),
			refused(
				'InvalidPackageFileName',
				/: the name "n{29}\.bin" has 33 characters; each file of a package needs its own name of 1–32/,
			),
		);
		assert.deepEqual(suite.actions(), []);
	});

	void test('the same file given twice (by its path or a symbolic or hard link) is refused before any request, once; a copy of the same contents is its own upload', async () => {
		const sameFile = (error: unknown) =>
			refused('InvalidMultiFiles', /^.*spiffs\.bin is given twice; a package holds each file once\.$/)(error) &&
			(error as OtaError).hint === 'Give each file once.';
		await assert.rejects(prepareMultiFile(suite.request([suite.spiffs, suite.modem, suite.spiffs], { destVersion: '1.0' })), sameFile);
		await assert.rejects(
			prepareMultiFile(suite.request([suite.spiffs, `${suite.dir.dir}/./spiffs.bin`], { destVersion: '1.0' })),
			sameFile,
		);
		const oneFile = (link: string) => (error: unknown) => {
			assert.ok(error instanceof OtaError);
			assert.equal(error.code, 'InvalidMultiFiles');
			assert.equal(error.message, `${link} and ${suite.spiffs} are one file (through a link); a package holds each file once.`);
			assert.equal(error.hint, 'Give each file once.');
			return true;
		};
		// Symbolic links first, while the file has one link: they are told by the real path, not by the inode.
		const symlink = path.join(suite.otherDir.dir, 'spiffs-link.bin');
		symlinkSync(suite.spiffs, symlink);
		const linkedFolder = path.join(suite.otherDir.dir, 'linked-folder');
		symlinkSync(suite.dir.dir, linkedFolder);
		const hardLink = path.join(suite.otherDir.dir, 'spiffs-hard.bin');
		for (const link of [symlink, path.join(linkedFolder, 'spiffs.bin'), hardLink]) {
			if (link === hardLink) {
				linkSync(suite.spiffs, hardLink);
			}
			await assert.rejects(prepareMultiFile(suite.request([suite.spiffs, suite.modem, link], { destVersion: '1.0' })), oneFile(link));
		}
		assert.deepEqual(suite.actions(), []);
		const copy = suite.dir.write('spiffs-copy.bin', readFileSync(suite.spiffs));
		const result = await runMultiFile(
			suite.client,
			await prepareMultiFile(suite.request([suite.spiffs, copy], { destVersion: '8.0.0' })),
		);
		const create = suite.sandbox.requests.entries.at(-1)?.params ?? {};
		assert.notEqual(create['MultiFiles.1.Url'], create['MultiFiles.2.Url'], 'the core never sends one Url twice');
		assert.deepEqual(
			[create['MultiFiles.1.Url'], create['MultiFiles.2.Url']],
			result.files.map((file) => file.upload.firmwareUrl),
		);
	});

	void test('the inode tells only hard links apart: a file of one link, or an inode of 0, shares its key with no other', () => {
		// Some Windows network and virtual-machine shares report one inode for files that are not one: each has one link.
		assert.equal(hardLinkKey({ dev: 7n, ino: 42n, nlink: 1n }), undefined);
		assert.equal(hardLinkKey({ dev: 7n, ino: 0n, nlink: 2n }), undefined);
		assert.equal(hardLinkKey({ dev: 7n, ino: 42n, nlink: 2n }), '7:42');
		assert.notEqual(hardLinkKey({ dev: 8n, ino: 42n, nlink: 2n }), hardLinkKey({ dev: 7n, ino: 42n, nlink: 2n }));
	});

	void test('is refused before any request: a damaged image among the files, named', async () => {
		const broken = suite.dir.write('broken.bin', flipByte(espImage(), -1));
		await assert.rejects(
			prepareMultiFile(suite.request([suite.spiffs, broken], { destVersion: '1.2.0' })),
			refused('DamagedImage', /^broken\.bin: The image is damaged/),
		);
		assert.deepEqual(suite.actions(), []);
	});

	void test('disagreeing versions are refused, named; an explicit DestVersion is held to each image by the guard', async () => {
		const mcu = suite.dir.write('mcu.bin', mcubootImage());
		await assert.rejects(
			prepareMultiFile(suite.request([suite.app, mcu, suite.spiffs])),
			refused(
				'VersionMismatch',
				/^The files declare different versions \(app\.bin 1\.2\.0, mcu\.bin 1\.4\.2\.7\); a package has one DestVersion\.$/,
			),
		);
		await assert.rejects(
			prepareMultiFile(suite.request([suite.app, mcu], { destVersion: '1.2.0' })),
			refused('VersionMismatch', /^mcu\.bin: The image declares version 1\.4\.2\+7 .* but DestVersion is 1\.2\.0/),
		);
		await assert.rejects(
			prepareMultiFile(suite.request([suite.spiffs, suite.modem])),
			refused('DestVersionRequired', /none of the 2 files declares a version/),
		);
		const allowed = await prepareMultiFile(suite.request([suite.app, mcu], { destVersion: '1.2.0', allowVersionMismatch: true }));
		assert.deepEqual(
			allowed.warnings.filter((w) => w.includes('DestVersion')).map((w) => w.slice(0, w.indexOf(':'))),
			['mcu.bin'],
		);
		assert.deepEqual(suite.actions(), []);
	});
});
