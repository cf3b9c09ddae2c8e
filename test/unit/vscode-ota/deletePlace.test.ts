// Delete Package of a package a cancel left registered goes where the cancelled command registered it (its profile and
// folder scope), not to the active profile, and so does Delete Package on an Uploads row (the row's profile and file's
// folder); from the OTA Packages view it keeps using the active profile. Two fake
// accounts stand for two profiles; the wrapper and Delete Package run as in the extension.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cancelledButRegistered, OtaError } from '../../../src/core/errors';
import type { FirmwareDetail } from '../../../src/core/lifecycle';
import type { OtaConnection, OtaPlace } from '../../../src/vscode/ota/contract';
import { installVscodeStub } from '../../support/vscodeStub';
import { zhL10n } from './wordingHelpers';
import { folderGone, rowOfClosedFolder, registeredRow as row, rowOutsideFolders, stubFolders, twoProfiles } from './placeFixtures';

const stub = installVscodeStub();
stubFolders(stub);

/** One profile's account: it knows only its own packages, and records what it deleted. */
function account(profile: string, firmwareIds: string[]) {
	const deleted: string[] = [];
	const known = new Set(firmwareIds);
	const lifecycle = {
		queryFirmware: async (firmwareId: string): Promise<FirmwareDetail> => {
			if (!known.has(firmwareId)) {
				throw new OtaError({ code: 'iot.ota.FirmwareNotFound', source: 'api', message: `No firmware ${firmwareId}.` });
			}
			return { firmwareId, firmwareName: 'app', destVersion: '1.0.0', productKey: 'pk', status: 0 };
		},
		listJobsByFirmware: async () => ({ items: [], total: 0 }),
		deleteFirmware: async (firmwareId: string) => void deleted.push(firmwareId),
	};
	return { deleted, connection: { profile: { name: profile }, lifecycle } as unknown as OtaConnection };
}

/** The upload history (a real store in memory), with `rows`. */
async function historyOf(rows: object[]) {
	const { HistoryStore } = await import('../../../src/vscode/history.js');
	let saved: unknown = rows;
	return new HistoryStore({
		get: () => saved,
		update: async (_key: string, value: unknown) => void (saved = value),
		keys: () => [],
	} as never);
}

function harness() {
	const active = account('active', ['fw-view']);
	const other = account('other', ['fw-left']);
	const { places, access } = twoProfiles(active.connection, other.connection);
	const lines: string[] = [];
	const log = { debug: () => undefined, info: (line: string) => lines.push(line), error: () => undefined, show: () => undefined };
	const prompter = {
		message: async (id: string, _severity: string, _text: string, _options: object, ...actions: string[]) =>
			id === 'delete.confirm' || actions.includes('Delete Package') ? 'Delete Package' : undefined,
	};
	const s = {
		log,
		prompter,
		history: { markPackageDeleted: async () => 0 } as { markPackageDeleted(firmwareId: string): Promise<number> },
		ota: { access, view: { refresh: () => undefined } },
	};
	return { s, active, other, places, log, prompter };
}

void describe('Delete Package of a package a cancel left registered', () => {
	void test('deletes with the profile and folder scope that registered it, not the active profile', async () => {
		const { wrapCommand, withPlace } = await import('../../../src/vscode/commands/wrapper.js');
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const h = harness();
		const place = { profile: 'other', scope: 'file:///work/b/firmware.bin' };
		const kept = (): never => {
			throw withPlace(cancelledButRegistered('fw-left', 'Throttled'), place);
		};
		const mask = { list: () => [], apply: (text: string) => text };
		await wrapCommand('iotOta.createOtaFirmware', kept, { log: h.log, mask, prompter: h.prompter } as never)();
		await new Promise((resolve) => setImmediate(resolve));
		const clicked = stub.commands.executed.at(-1);
		assert.equal(clicked?.command, 'iotOta.deletePackage');

		const result = await deletePackage(h.s as never, clicked?.args[0]);
		assert.deepEqual(result, { firmwareId: 'fw-left', deleted: true });
		assert.deepEqual(h.places, [place], 'the connection of the registering profile, with its folder scope');
		assert.deepEqual(h.other.deleted, ['fw-left']);
		assert.deepEqual(h.active.deleted, []);
	});

	void test('the profile of the place removed or without its secret by now: nothing is deleted, the error says the package is still there', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const { noCredentials } = await import('../../../src/vscode/ota/access.js');
		const h = harness();
		h.s.ota.access.connectAt = async (place: OtaPlace) => {
			h.places.push(place);
			throw noCredentials(place.profile);
		};
		await assert.rejects(
			deletePackage(h.s as never, { firmwareId: 'fw-left', place: { profile: 'gone' } }),
			(error: unknown) =>
				error instanceof OtaError &&
				error.code === 'NoCredentials' &&
				error.message === 'Profile "gone" has no credentials on this machine.' &&
				/^The package is still registered with the account of that profile: configure it again, or delete the package in the OTA Packages view with a profile of the same account\.$/.test(
					error.hint ?? '',
				),
		);
		assert.deepEqual(h.places, [{ profile: 'gone', scope: undefined }]);
		assert.deepEqual([h.active.deleted, h.other.deleted], [[], []], 'not deleted with the active profile instead');
	});

	void test('in a zh-cn window that error is Chinese with its profile and hint, and its log line stays the English the CLI would print', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const { noCredentials } = await import('../../../src/vscode/ota/access.js');
		const { errorReport } = await import('../../../src/vscode/errorText.js');
		const h = harness();
		h.s.ota.access.connectAt = async (place: OtaPlace) => {
			throw noCredentials(place.profile);
		};
		const english = stub.l10n.t;
		stub.l10n.t = (message, ...args) => zhL10n.t(message, ...(args as string[]));
		try {
			const error = await deletePackage(h.s as never, { firmwareId: 'fw-left', place: { profile: 'gone' } }).then(
				() => assert.fail('refused'),
				(thrown: unknown) => thrown as OtaError,
			);
			const { shown, logged } = errorReport(error, zhL10n);
			assert.equal(
				logged,
				'Profile "gone" has no credentials on this machine. The package is still registered with the account of that profile: ' +
					'configure it again, or delete the package in the OTA Packages view with a profile of the same account. (NoCredentials)',
			);
			assert.equal(error.source, 'credentials');
			assert.match(shown, /[\u4e00-\u9fff]/, shown);
			assert.ok(shown.includes('gone') && !/still registered/.test(shown), shown);
		} finally {
			stub.l10n.t = english;
		}
	});

	void test('on an Uploads row it deletes where the row was registered: its profile and its file’s folder, not the active profile', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const h = harness();
		const entry = { id: 'u1', fileUri: 'file:///work/b/firmware.bin', profile: 'other', status: 'registered', firmwareId: 'fw-left' };
		assert.deepEqual(await deletePackage(h.s as never, { entry }), { firmwareId: 'fw-left', deleted: true });
		assert.deepEqual(h.places, [{ profile: 'other', scope: 'file:///work/b/firmware.bin', folder: 'file:///work/b' }]);
		assert.deepEqual([h.other.deleted, h.active.deleted], [['fw-left'], []]);
	});

	void test('on an Uploads row whose recorded folder is no longer open it is refused (FolderNotOpen), not deleted with the window’s settings', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const h = harness();
		await assert.rejects(
			deletePackage(h.s as never, { entry: rowOfClosedFolder }),
			(error: unknown) =>
				error instanceof OtaError && error.code === 'FolderNotOpen' && error.message === folderGone('c', 'firmware.bin'),
		);
		assert.deepEqual(h.places, [{ profile: 'other', scope: 'file:///work/c/firmware.bin', folder: 'file:///work/c' }]);
		assert.deepEqual([h.other.deleted, h.active.deleted], [[], []]);
	});

	void test('on an Uploads row of a file that was in no folder it uses the window’s settings, though a folder holds the file now', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const h = harness();
		const entry = rowOutsideFolders('fw-left');
		assert.deepEqual(await deletePackage(h.s as never, { entry }), { firmwareId: 'fw-left', deleted: true });
		assert.deepEqual(h.places, [{ profile: 'other' }], 'no folder scope');
		assert.deepEqual([h.other.deleted, h.active.deleted], [['fw-left'], []]);
	});

	void test('on an Uploads row recorded before rows kept their folder it uses the folder holding the file now', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const h = harness();
		const { folder: _none, ...old } = rowOfClosedFolder;
		assert.deepEqual(await deletePackage(h.s as never, { entry: old }), { firmwareId: 'fw-left', deleted: true });
		assert.deepEqual(
			h.places,
			[{ profile: 'other', scope: 'file:///work/c/firmware.bin' }],
			'in no open folder: the window’s settings',
		);
		assert.deepEqual(h.other.deleted, ['fw-left']);
	});

	void test('on an Uploads row whose record has no profile it deletes with the active profile, as before rows had places', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const h = harness();
		const entry = { id: 'u1', fileUri: 'file:///work/a/firmware.bin', status: 'registered', firmwareId: 'fw-view' };
		assert.deepEqual(await deletePackage(h.s as never, { entry }), { firmwareId: 'fw-view', deleted: true });
		assert.deepEqual(h.places, []);
		assert.deepEqual([h.active.deleted, h.other.deleted], [['fw-view'], []]);
	});

	void test('from the OTA Packages view (no place) it deletes with the active profile', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const h = harness();
		assert.deepEqual(await deletePackage(h.s as never, { firmwareId: 'fw-view' }), { firmwareId: 'fw-view', deleted: true });
		assert.deepEqual(h.places, []);
		assert.deepEqual(h.active.deleted, ['fw-view']);
		assert.deepEqual(h.other.deleted, []);
	});
});

void describe('Delete Package and the Uploads rows of the package', () => {
	void test('once DeleteOTAFirmware succeeded, every row registered as that package is marked deleted, keeping what it recorded', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const h = harness();
		const history = await historyOf([row('u1', 'fw-left'), row('u2', 'fw-left'), row('u3', 'fw-other')]);
		h.s.history = history;
		await deletePackage(h.s as never, { entry: history.get('u1') });
		const after = (id: string) => history.get(id);
		assert.deepEqual([after('u1')?.status, after('u2')?.status, after('u3')?.status], ['deleted', 'deleted', 'registered']);
		const { status: _before, ...kept } = row('u1', 'fw-left');
		const { status, deletedAt, ...rest } = after('u1') ?? ({} as never);
		assert.deepEqual(rest, kept, 'digests, FirmwareUrl, FirmwareId and provenance kept');
		assert.deepEqual([status, typeof deletedAt], ['deleted', 'number']);
	});

	void test('from the OTA Packages view too (no row): the rows of the package are marked', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const h = harness();
		const history = await historyOf([row('u1', 'fw-view')]);
		h.s.history = history;
		await deletePackage(h.s as never, { firmwareId: 'fw-view' });
		assert.equal(history.get('u1')?.status, 'deleted');
	});

	void test('a DeleteOTAFirmware that failed, or a delete the user cancelled, marks nothing', async () => {
		const { deletePackage } = await import('../../../src/vscode/ota/actions/packageActions.js');
		const h = harness();
		const history = await historyOf([row('u1', 'fw-left')]);
		h.s.history = history;
		(h.other.connection.lifecycle as unknown as { deleteFirmware: () => Promise<void> }).deleteFirmware = async () => {
			throw new OtaError({ code: 'iot.ota.FirmwareInUse', source: 'api', message: 'In use.' });
		};
		await assert.rejects(deletePackage(h.s as never, { entry: history.get('u1') }), /In use\./);
		assert.equal(history.get('u1')?.status, 'registered');
		h.s.prompter.message = async () => undefined;
		await assert.rejects(deletePackage(h.s as never, { entry: history.get('u1') }), (error: unknown) => error instanceof OtaError);
		assert.equal(history.get('u1')?.status, 'registered');
	});
});
