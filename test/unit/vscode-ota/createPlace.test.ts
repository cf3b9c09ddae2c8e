// Create OTA Firmware on an Uploads row registers with the settings of the folder the row recorded: a row whose folder is
// no longer open is refused (FolderNotOpen) before any question or connection, as Delete Package and Verify on Devices…
// on a row are (deletePlace, verifyPlace).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { EndpointDeclines } from '../../../src/vscode/credentials/endpointDeclines';
import { installVscodeStub } from '../../support/vscodeStub';
import { folderGone, stubFolders } from './placeFixtures';

const stub = installVscodeStub();
stubFolders(stub);

const row = {
	id: 'u1',
	fileUri: 'file:///work/c/firmware.bin',
	folder: 'file:///work/c',
	fileName: 'firmware.bin',
	size: 4,
	suffix: 'bin',
	profile: 'other',
	region: 'cn-shanghai',
	startedAt: Date.now(),
	finishedAt: Date.now(),
	status: 'uploaded',
	firmwareUrl: 'https://o/firmware.bin',
};

function services(kind = 'user') {
	const asked: string[] = [];
	const profiles: object[] = [{ name: 'other', kind }];
	const s = {
		history: { get: () => undefined },
		uploads: { beginRegistration: () => true, endRegistration: () => undefined },
		profiles: {
			list: () => profiles,
			getCredentials: async () => ({ accessKeyId: 'id', accessKeySecret: 'secret' }),
		},
		mask: { add: () => undefined },
		endpointDeclines: new EndpointDeclines(),
		prompter: new Proxy({}, { get: (_target, name) => () => void asked.push(String(name)) }),
	};
	return { s, asked };
}

void describe('Create OTA Firmware on an Uploads row whose recorded folder is no longer open', () => {
	void test('is refused with the FolderNotOpen message, before any question', async () => {
		const { createOtaFirmware } = await import('../../../src/vscode/create/createFlow.js');
		const { s, asked } = services();
		await assert.rejects(
			createOtaFirmware(s as never, { entry: row }),
			(error: unknown) =>
				error instanceof OtaError && error.code === 'FolderNotOpen' && error.message === folderGone('c', 'firmware.bin'),
		);
		assert.deepEqual(asked, []);
	});

	void test('is refused before the late-registration and may-be-registered warnings too', async () => {
		const { createOtaFirmware } = await import('../../../src/vscode/create/createFlow.js');
		const late = { ...row, startedAt: Date.now() - 3 * 3_600_000, finishedAt: Date.now() - 3 * 3_600_000 };
		for (const entry of [late, { ...row, error: 'CreateOTAFirmware got no answer: it may be registered.' }]) {
			const { s, asked } = services();
			await assert.rejects(
				createOtaFirmware(s as never, { entry }),
				(error: unknown) => error instanceof OtaError && error.code === 'FolderNotOpen',
			);
			assert.deepEqual(asked, [], JSON.stringify(entry));
		}
	});

	void test('of the Local sandbox profile, which no folder setting moves, is not refused: it goes on to its questions', async () => {
		const { createOtaFirmware } = await import('../../../src/vscode/create/createFlow.js');
		const { s, asked } = services('sandbox');
		Object.assign(s.profiles.list()[0], { region: 'cn-shanghai' });
		const late = { ...row, startedAt: Date.now() - 3 * 3_600_000, finishedAt: Date.now() - 3 * 3_600_000 };
		await assert.rejects(createOtaFirmware(s as never, { entry: late }), /Cancelled during the late registration/);
		assert.deepEqual(asked, ['message'], 'the late-registration warning, past the folder check');
	});
});

void describe('Create OTA Firmware on an Uploads row of a file that was in no folder (folder OUTSIDE_FOLDERS)', () => {
	/** Services whose settings record the scope the connection is resolved for, then stop the flow there. */
	function scoped(entry: object) {
		const { s, asked } = services();
		const scopes: unknown[] = [];
		const stop = new Error('connection resolved');
		Object.assign(s, {
			context: { globalState: { get: () => undefined } },
			log: { info: () => undefined, warn: () => undefined, debug: () => undefined },
			settings: {
				endpoint: (scope: unknown) => {
					scopes.push(scope);
					throw stop;
				},
			},
		});
		return { s, asked, scopes, stop, entry };
	}

	void test("uses the window's settings (no folder scope), even now that a folder holding the file is open", async () => {
		const { createOtaFirmware } = await import('../../../src/vscode/create/createFlow.js');
		const { OUTSIDE_FOLDERS } = await import('../../../src/vscode/model.js');
		const run = scoped({ ...row, fileUri: 'file:///work/a/firmware.bin', folder: OUTSIDE_FOLDERS });
		await assert.rejects(createOtaFirmware(run.s as never, { entry: run.entry }), (error: unknown) => error === run.stop);
		assert.deepEqual(run.scopes, [undefined]);
	});

	void test('a row that recorded that folder uses its settings (the file as the scope)', async () => {
		const { createOtaFirmware } = await import('../../../src/vscode/create/createFlow.js');
		const run = scoped({ ...row, fileUri: 'file:///work/a/firmware.bin', folder: 'file:///work/a' });
		await assert.rejects(createOtaFirmware(run.s as never, { entry: run.entry }), (error: unknown) => error === run.stop);
		assert.deepEqual(
			run.scopes.map((scope) => String(scope)),
			['file:///work/a/firmware.bin'],
		);
	});
});

void describe('Create OTA Firmware on an Uploads row whose place moved: the warning is judged from the settings alone', () => {
	void test('a row of a profile removed since, the active one the stopped sandbox: Cancel starts nothing and resolves no connection', async () => {
		const { createOtaFirmware } = await import('../../../src/vscode/create/createFlow.js');
		const { s, asked } = services();
		const sandbox = { name: 'Local sandbox', kind: 'sandbox', region: 'cn-shanghai', endpoint: 'http://127.0.0.1:9' };
		const started: string[] = [];
		Object.assign(s.profiles, { list: () => [sandbox], active: () => sandbox });
		Object.assign(s, {
			sandbox: { running: false, start: async () => void started.push('sandbox') },
			context: { globalState: { get: () => void started.push('connection') } },
			log: { info: () => undefined, warn: () => undefined, debug: () => undefined },
		});
		const removed = { ...row, fileUri: 'file:///work/a/firmware.bin', folder: 'file:///work/a', profile: 'removed' };
		await assert.rejects(
			createOtaFirmware(s as never, { entry: removed }),
			/Cancelled during the registration of a file uploaded elsewhere/,
		);
		assert.deepEqual(asked, ['message'], 'the place-moved warning, cancelled');
		assert.deepEqual(started, [], 'no sandbox start and no connection before the warning the user cancelled');
	});
});
