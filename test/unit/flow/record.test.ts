// The record transitions (core/flow/record.ts): what a row says once it is registered.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
	recordAwaitsRegistration,
	recordMayBeRegistered,
	recordPackageDeleted,
	recordRegistered,
	recordReused,
	recordStarted,
	recordStepFailed,
	recordUploaded,
	type UploadRecord,
} from '../../../src/core/flow/record';
import { registerFirmware, type RegisterClient } from '../../../src/core/flow/register';
import type { FirmwareInfo, UploadResult } from '../../../src/core/types';

const upload: UploadResult = {
	firmwareUrl: 'https://bucket.oss.example/ota/app.bin',
	key: 'ota/app.bin',
	host: 'https://bucket.oss.example',
	suffix: 'bin',
	size: 4,
	md5: 'd41d8cd98f00b204e9800998ecf8427e',
	sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
	attempts: 1,
	durationMs: 5,
};

/** An uploaded row of a package whose CreateOTAFirmware got no definite answer: it carries that error (packageFlow). */
function uploadedWithNote(): UploadRecord {
	const uploaded = recordUploaded(recordStarted({ fileName: 'app.bin', size: 4, suffix: 'bin' }, 1), upload, 2);
	return { ...uploaded, error: 'CreateOTAFirmware got no definite answer: "pkg" may be registered all the same.' };
}

void describe('record transitions', () => {
	void test('registering an uploaded row that carried a note clears the note', () => {
		const registered = recordRegistered(
			uploadedWithNote(),
			{ firmwareId: 'fw-1', firmwareName: 'app 1.0.1', adopted: false },
			{ firmwareUrl: upload.firmwareUrl, productKey: 'pk', destVersion: '1.0.1', firmwareName: 'app 1.0.1' },
		);
		assert.equal(registered.status, 'registered');
		assert.equal(registered.firmwareId, 'fw-1');
		assert.equal(registered.error, undefined);
	});

	void test('a row taken over by a package of the same content clears the note too', () => {
		const reused = recordReused(uploadedWithNote(), {
			firmwareId: 'fw-0',
			firmwareName: 'app 1.0.0',
			firmwareUrl: 'https://bucket.oss.example/ota/old.bin',
			destVersion: '1.0.0',
			productKey: 'pk',
			signMethod: 'MD5',
		});
		assert.equal(reused.status, 'registered');
		assert.equal(reused.error, undefined);
	});

	void test('only an upload not registered that carries a note may be registered already (its package got no definite answer)', () => {
		const started = recordStarted({ fileName: 'app.bin', size: 4, suffix: 'bin' }, 1);
		const uploaded = recordUploaded(started, upload, 2);
		const registered = recordRegistered(
			uploadedWithNote(),
			{ firmwareId: 'fw-1', firmwareName: 'app 1.0.1', adopted: false },
			{ firmwareUrl: upload.firmwareUrl, productKey: 'pk', destVersion: '1.0.1', firmwareName: 'app 1.0.1' },
		);
		const failed = recordStepFailed(started, new Error('connection reset'), [], 3);
		assert.equal(recordMayBeRegistered(uploadedWithNote()), true);
		assert.equal(recordMayBeRegistered(uploaded), false, 'a plain upload');
		assert.equal(recordMayBeRegistered(registered), false, 'registered since');
		assert.match(failed.error ?? '', /connection reset/);
		assert.equal(recordMayBeRegistered(failed), false, 'a failed upload carries its error, and nothing was uploaded');
	});
	void test('a registration keeps its module and a delta package its type and SrcVersion; the defaults are left out', () => {
		const uploaded = recordUploaded(recordStarted({ fileName: 'mcu.bin', size: 4, suffix: 'bin' }, 1), upload, 2);
		const created = { firmwareId: 'fw-2', firmwareName: 'mcu 1.1.0', adopted: false };
		const request = { firmwareUrl: upload.firmwareUrl, productKey: 'pk', destVersion: '1.1.0', firmwareName: 'mcu 1.1.0' };
		const delta = recordRegistered(uploaded, created, { ...request, moduleName: 'MCU', type: 1, srcVersion: '1.0.0' });
		assert.deepEqual([delta.moduleName, delta.type, delta.srcVersion], ['MCU', 1, '1.0.0']);
		const full = recordRegistered(uploaded, created, { ...request, moduleName: 'default', type: 0, srcVersion: '1.0.0' });
		assert.deepEqual([full.moduleName, full.type, full.srcVersion], [undefined, undefined, undefined]);
		const existing = {
			firmwareId: 'fw-0',
			firmwareName: 'mcu',
			firmwareUrl: upload.firmwareUrl,
			destVersion: '1.1.0',
			signMethod: 'MD5' as const,
		};
		const reused = recordRegistered(
			uploaded,
			{ ...created, reused: { ...existing, moduleName: 'MCU' } },
			{
				...request,
				moduleName: 'MCU',
				type: 1,
				srcVersion: '1.0.0',
			},
		);
		assert.deepEqual([reused.reused, reused.moduleName, reused.type, reused.srcVersion], [true, 'MCU', 1, '1.0.0']);
	});
	void test("an adopted registration of the same FirmwareUrl keeps the module and type it was registered with, not the retry's", async () => {
		// The first attempt registered the file in module MCU as a delta from 1.0.0; its answer was lost, and the retry
		// was answered with the default module and a full package.
		const earlier: FirmwareInfo = {
			firmwareId: 'fw-earlier',
			firmwareName: 'mcu 1.1.0',
			destVersion: '1.1.0',
			productKey: 'pk',
			firmwareUrl: upload.firmwareUrl,
			moduleName: 'MCU',
			type: 1,
			srcVersion: '1.0.0',
		};
		const client: RegisterClient = {
			listOtaFirmware: async () => ({ total: 1, pageSize: 100, pageCount: 1, currentPage: 1, items: [earlier] }),
			queryOtaFirmware: async () => earlier,
			createOtaFirmware: async () => assert.fail('the earlier registration is adopted'),
			deleteOtaFirmware: async () => assert.fail('nothing to undo'),
		};
		const retry = { firmwareUrl: upload.firmwareUrl, productKey: 'pk', destVersion: '1.1.0', firmwareName: 'mcu-1_1_0' };
		const registration = await registerFirmware(client, retry);
		assert.equal(registration.adopted, true);
		const uploaded = recordUploaded(recordStarted({ fileName: 'mcu.bin', size: 4, suffix: 'bin' }, 1), upload, 2);
		const row = recordRegistered(uploaded, registration, retry);
		assert.deepEqual([row.firmwareId, row.moduleName, row.type, row.srcVersion], ['fw-earlier', 'MCU', 1, '1.0.0']);
	});
});

void describe('a record whose package was deleted', () => {
	const request = { firmwareUrl: upload.firmwareUrl, productKey: 'pk', destVersion: '1.0.1', firmwareName: 'app 1.0.1' };
	const uploaded = recordUploaded(recordStarted({ fileName: 'app.bin', size: 4, suffix: 'bin' }, 1), upload, 2);
	const registered = recordRegistered(uploaded, { firmwareId: 'fw-1', firmwareName: 'app 1.0.1', adopted: false }, request);

	void test('becomes deleted, keeping its digests, FirmwareUrl, package and provenance, with when', () => {
		const deleted = recordPackageDeleted(registered, 'fw-1', 50);
		assert.deepEqual(deleted, { ...registered, status: 'deleted', deletedAt: 50 });
		assert.deepEqual(
			[deleted.md5, deleted.sha256, deleted.firmwareUrl, deleted.key, deleted.firmwareId, deleted.destVersion],
			[upload.md5, upload.sha256, upload.firmwareUrl, upload.key, 'fw-1', '1.0.1'],
		);
	});

	void test('only a registered record of that package changes', () => {
		assert.equal(recordPackageDeleted(registered, 'fw-2', 50), registered, 'another package');
		assert.equal(recordPackageDeleted(uploaded, 'fw-1', 50), uploaded, 'not registered');
		const deleted = recordPackageDeleted(registered, 'fw-1', 50);
		assert.equal(recordPackageDeleted(deleted, 'fw-1', 60), deleted, 'deleted already: the first time is kept');
	});

	void test('its own upload may be registered again; a package taken instead of its upload may not', () => {
		assert.equal(recordAwaitsRegistration(uploaded), true);
		assert.equal(recordAwaitsRegistration(registered), false);
		assert.equal(recordAwaitsRegistration(recordPackageDeleted(registered, 'fw-1')), true);
		const existing = {
			firmwareId: 'fw-0',
			firmwareName: 'app',
			firmwareUrl: 'https://bucket.oss.example/ota/old.bin',
			destVersion: '1.0.0',
			signMethod: 'MD5' as const,
		};
		const reused = recordReused(uploaded, existing);
		assert.equal(recordAwaitsRegistration(recordPackageDeleted(reused, 'fw-0')), false);
	});

	void test('registered again, it is registered as the new package and no longer deleted', () => {
		const deleted = recordPackageDeleted(registered, 'fw-1', 50);
		const again = recordRegistered(deleted, { firmwareId: 'fw-3', firmwareName: 'app 1.0.2', adopted: false }, request);
		assert.deepEqual([again.status, again.firmwareId, again.deletedAt], ['registered', 'fw-3', undefined]);
	});
});
