// Create OTA Firmware from the core's registration to the stored Uploads row: registerFirmware (CreateOTAFirmware through a
// fake client) then recordRegistration into a real HistoryStore over an in-memory workspaceState, read back by a new store.
// The row keeps where it was registered (the folder whose settings applied, or OUTSIDE_FOLDERS; the region and instance of
// the connection) and what (FirmwareId, module, type, SrcVersion).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { registerFirmware, registrationRequest, type RegisterClient } from '../../../src/core/flow';
import type { CreateFirmwareRequest } from '../../../src/core/types';
import { DEFAULT_INSTANCE, OUTSIDE_FOLDERS, type HistoryEntry } from '../../../src/vscode/model';
import { installVscodeStub } from '../../support/vscodeStub';
import { stubFolders } from '../vscode-ota/placeFixtures';

stubFolders(installVscodeStub());

const FOLDER_A = 'file:///work/a';

/** An uploaded row of profile "p" (uploaded in cn-shanghai at the default instance), from `fileUri`, recording `folder`. */
function uploadedRow(fileUri: string, folder: string | undefined): HistoryEntry {
	return {
		id: 'u1',
		fileUri,
		fileName: 'mcu.bin',
		size: 4,
		suffix: 'bin',
		profile: 'p',
		region: 'cn-shanghai',
		...(folder === undefined ? {} : { folder }),
		startedAt: 1,
		finishedAt: 2,
		status: 'uploaded',
		firmwareUrl: 'https://bucket.oss-cn-shanghai.aliyuncs.com/ota/mcu.bin',
		md5: 'd41d8cd98f00b204e9800998ecf8427e',
	};
}

/** CreateOTAFirmware answers fw-new; nothing is registered yet with that FirmwareUrl. */
function client(created: CreateFirmwareRequest[]): RegisterClient {
	return {
		listOtaFirmware: async () => ({ total: 0, pageSize: 100, pageCount: 0, currentPage: 1, items: [] }),
		queryOtaFirmware: async () => assert.fail('nothing listed to query'),
		createOtaFirmware: async (request) => {
			created.push(request);
			return { firmwareId: 'fw-new', requestId: 'req-create' };
		},
		deleteOtaFirmware: async () => assert.fail('nothing to undo'),
	};
}

/**
 * Registers `entry` as a delta package in module MCU through `connection`, with `profile` (the row's own unless told) at the
 * place its row gives; the row as stored.
 */
async function register(entry: HistoryEntry, connection: { region: string; iotInstanceId?: string }, profile = entry.profile) {
	const { HistoryStore } = await import('../../../src/vscode/history.js');
	const { recordRegistration } = await import('../../../src/vscode/create/registeredRow.js');
	const { rowPlace } = await import('../../../src/vscode/ota/access.js');
	let saved: unknown = [entry];
	const memento = { get: () => saved, update: async (_key: string, value: unknown) => void (saved = value), keys: () => [] };
	const history = new HistoryStore(memento as never);
	const request = registrationRequest(
		{
			productKey: 'pk',
			moduleName: 'MCU',
			destVersion: '1.1.0',
			firmwareName: 'mcu-1_1_0',
			type: 1,
			srcVersion: '1.0.0',
			signMethod: 'MD5',
		},
		entry.firmwareUrl ?? '',
		entry.md5,
		entry.size,
	);
	const created: CreateFirmwareRequest[] = [];
	const registration = await registerFirmware(client(created), request);
	const place = rowPlace(profile, entry);
	const returned = await recordRegistration(history, entry, { registration, request, place, connection });
	assert.equal(created.length, 1, 'one CreateOTAFirmware');
	const stored = new HistoryStore(memento as never).get(entry.id);
	assert.deepEqual(stored, returned, 'what the registration returns is what was stored');
	return stored;
}

const where = (row: HistoryEntry | undefined) => row && [row.folder, row.region, row.instance];
const what = (row: HistoryEntry | undefined) =>
	row && [row.status, row.firmwareId, row.moduleName, row.type, row.srcVersion, row.destVersion];
const DELTA_IN_MCU = ['registered', 'fw-new', 'MCU', 1, '1.0.0', '1.1.0'];

void describe('the registration step of Create OTA Firmware, to the stored Uploads row', () => {
	void test('a file of a folder: the row keeps that folder, and the region and Enterprise instance it was registered at', async () => {
		const row = await register(uploadedRow(`${FOLDER_A}/mcu.bin`, FOLDER_A), { region: 'cn-beijing', iotInstanceId: 'iot-06z00aaa' });
		assert.deepEqual(where(row), [FOLDER_A, 'cn-beijing', 'iot-06z00aaa']);
		assert.deepEqual(what(row), DELTA_IN_MCU);
		assert.equal(row?.firmwareUrl, 'https://bucket.oss-cn-shanghai.aliyuncs.com/ota/mcu.bin', 'the upload facts stay');
	});

	void test('a file that was in no folder keeps the OUTSIDE_FOLDERS marker; no instance sent records the default one', async () => {
		const row = await register(uploadedRow(`${FOLDER_A}/mcu.bin`, OUTSIDE_FOLDERS), { region: 'cn-shanghai' });
		assert.deepEqual(where(row), [OUTSIDE_FOLDERS, 'cn-shanghai', DEFAULT_INSTANCE]);
		assert.deepEqual(what(row), DELTA_IN_MCU);
	});

	void test('a row written before folders were kept records the folder that holds its file now (the one whose settings applied)', async () => {
		const row = await register(uploadedRow(`${FOLDER_A}/mcu.bin`, undefined), { region: 'cn-shanghai', iotInstanceId: 'iot-06z00aaa' });
		assert.deepEqual(where(row), [FOLDER_A, 'cn-shanghai', 'iot-06z00aaa']);
	});

	void test('registered with another profile than the upload (its own is gone here): the row names the one that registered it', async () => {
		const row = await register(uploadedRow(`${FOLDER_A}/mcu.bin`, FOLDER_A), { region: 'cn-hangzhou' }, 'q');
		assert.equal(row?.profile, 'q');
		assert.deepEqual(where(row), [FOLDER_A, 'cn-hangzhou', DEFAULT_INSTANCE]);
		const own = await register(uploadedRow(`${FOLDER_A}/mcu.bin`, FOLDER_A), { region: 'cn-shanghai' });
		assert.equal(own?.profile, 'p', 'registered with its own profile, the row keeps it');
	});
});
