// Verify on Devices… on a registered Uploads row verifies where the row's package was registered (its profile and its
// file's folder settings), like Delete Package on that row, and the Watch Job its announcement offers polls there too;
// a row without a profile, like the OTA Packages view, uses the active profile. Two fake accounts stand for two
// profiles; Verify on Devices… runs as in the extension, with the first device and no timeout answered.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import type { FirmwareDetail } from '../../../src/core/lifecycle';
import type { OtaConnection, OtaPlace } from '../../../src/vscode/ota/contract';
import { installVscodeStub } from '../../support/vscodeStub';
import { folderGone, rowOfClosedFolder, rowOutsideFolders, stubFolders, twoProfiles } from './placeFixtures';

const stub = installVscodeStub();
stubFolders(stub);
Object.assign(stub, { ThemeIcon: class {} });

/** One profile's account: it knows only its own packages, and records the verification jobs it created. */
function account(profile: string, firmwareIds: string[]) {
	const verified: string[] = [];
	const known = new Set(firmwareIds);
	const queryFirmware = async (firmwareId: string): Promise<FirmwareDetail> => {
		assert.ok(known.has(firmwareId), `${profile} has no package ${firmwareId}`);
		return { firmwareId, firmwareName: 'app', destVersion: '1.0.0', productKey: 'pk', status: 0 };
	};
	const lifecycle = {
		queryFirmware,
		listOtaModules: async () => [],
		queryDevices: async () => ({ items: [{ deviceName: 'dev-1', status: 'ONLINE' }], total: 1 }),
		batchQueryDeviceDetail: async () => [{ deviceName: 'dev-1', firmwareVersion: '0.9.0' }],
		createVerifyJob: async (request: { firmwareId: string }) => {
			verified.push(request.firmwareId);
			return { jobId: `job-${profile}` };
		},
	};
	return { verified, connection: { profile: { name: profile }, lifecycle } as unknown as OtaConnection };
}

function harness() {
	const active = account('active', ['fw-view']);
	const other = account('other', ['fw-row']);
	const { places, access } = twoProfiles(active.connection, other.connection);
	const prompter = {
		progress: (_id: string, _title: string, work: (signal: AbortSignal, report: () => void) => unknown) =>
			work(new AbortController().signal, () => undefined),
		stepPick: async (_id: string, items: unknown[]) => ({ value: items.slice(0, 1) }),
		stepInput: async () => ({ value: '' }),
		// The announcement: Watch Job.
		message: async (_id: string, _severity: string, _text: string, _options: object, ...actions: string[]) => actions[0],
	};
	const s = {
		log: { info: () => undefined },
		prompter,
		ota: {
			access,
			view: { refresh: () => undefined },
			watches: { isWatched: () => false },
		},
	};
	return { s, active, other, places };
}

/** The Watch Job the announcement ran: its argument. */
async function watchOffered(): Promise<{ jobId?: string; place?: OtaPlace } | undefined> {
	await new Promise((resolve) => setImmediate(resolve));
	const watch = stub.commands.executed.filter((call) => call.command === 'iotOta.watchJob').at(-1);
	return watch?.args[0] as { jobId?: string; place?: OtaPlace } | undefined;
}

void describe('Verify on Devices… on an Uploads row', () => {
	void test('verifies where the row was registered: its profile and its file’s folder; its Watch Job polls there', async () => {
		const { verifyOnDevices } = await import('../../../src/vscode/ota/actions/verify.js');
		const h = harness();
		const entry = { id: 'u1', fileUri: 'file:///work/b/firmware.bin', profile: 'other', status: 'registered', firmwareId: 'fw-row' };
		const result = await verifyOnDevices(h.s as never, { entry });
		const place = { profile: 'other', scope: 'file:///work/b/firmware.bin', folder: 'file:///work/b' };
		assert.deepEqual(result, { jobId: 'job-other', firmwareId: 'fw-row', deviceNames: ['dev-1'] });
		assert.deepEqual(h.places, [place]);
		assert.deepEqual([h.other.verified, h.active.verified], [['fw-row'], []]);
		assert.deepEqual((await watchOffered())?.place, place, 'the watch polls at the row’s place');
	});

	void test('a row whose recorded folder is no longer open is refused (FolderNotOpen) before anything is asked or verified', async () => {
		const { verifyOnDevices } = await import('../../../src/vscode/ota/actions/verify.js');
		const h = harness();
		const entry = { ...rowOfClosedFolder, firmwareId: 'fw-row' };
		await assert.rejects(
			verifyOnDevices(h.s as never, { entry }),
			(error: unknown) =>
				error instanceof OtaError && error.code === 'FolderNotOpen' && error.message === folderGone('c', 'firmware.bin'),
		);
		assert.deepEqual([h.other.verified, h.active.verified], [[], []]);
	});

	void test('a row of a file that was in no folder verifies with its profile and the window’s settings, though a folder holds the file now', async () => {
		const { verifyOnDevices } = await import('../../../src/vscode/ota/actions/verify.js');
		const h = harness();
		const entry = rowOutsideFolders('fw-row');
		assert.equal((await verifyOnDevices(h.s as never, { entry })).jobId, 'job-other');
		assert.deepEqual(h.places, [{ profile: 'other' }], 'no folder scope');
		assert.deepEqual((await watchOffered())?.place, { profile: 'other' }, 'the watch polls with the window’s settings too');
	});

	void test('a row whose record has no profile verifies with the active profile and the window’s settings', async () => {
		const { verifyOnDevices } = await import('../../../src/vscode/ota/actions/verify.js');
		const h = harness();
		const entry = { id: 'u1', fileUri: 'file:///work/a/firmware.bin', status: 'registered', firmwareId: 'fw-view' };
		assert.equal((await verifyOnDevices(h.s as never, { entry })).jobId, 'job-active');
		assert.deepEqual(h.places, []);
		assert.deepEqual([h.active.verified, h.other.verified], [['fw-view'], []]);
		const watch = await watchOffered();
		assert.equal(watch?.jobId, 'job-active');
		assert.equal(watch?.place, undefined);
	});
});
