// A place (where a registration reached the platform: profile + file, and the folder that held the file) keeps its folder:
// connectAt refuses one whose folder was removed from the workspace instead of using the window's settings, which could
// reach another instance. A watch with a place polls through connectAt; saved watches from before places still load.
// The workspace's folders are stubbed; the profile store knows every profile ("local" is the Local sandbox one) but no secret, so
// a place that passes the check ends at NoCredentials before any client is made.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import type { OtaAccess, OtaPlace, WatchedJob } from '../../../src/vscode/ota/contract';
import { installVscodeStub } from '../../support/vscodeStub';

const stub = installVscodeStub();
const uri = (text: string) => ({ toString: () => text, path: new URL(text).pathname });
/** The workspace folders now open. */
let open: string[] = [];
Object.assign(stub, {
	Uri: { parse: uri },
	workspace: {
		getWorkspaceFolder: (file: { toString(): string }) => {
			const folder = open.find((f) => file.toString().startsWith(`${f}/`));
			return folder === undefined ? undefined : { uri: uri(folder) };
		},
	},
});

const A = 'file:///work/mono/product-a';
const B = 'file:///work/mono/product-b';
const FILE = `${A}/fw-a.bin`;

async function access() {
	const { OtaAccessService } = await import('../../../src/vscode/ota/access.js');
	const looked: string[] = [];
	const services = {
		profiles: {
			get: (name: string) => ({ name, kind: name === 'local' ? 'sandbox' : 'user' }),
			getCredentials: async (name: string) => void looked.push(name),
			list: () => [],
		},
	};
	const service = new OtaAccessService(
		() => services as never,
		{},
		() => ({ dispose: () => undefined }),
	);
	return { service, looked };
}

const folderGone =
	'Folder product-a is no longer open in this window: its settings (region, endpoint, instance) chose where fw-a.bin was registered, ' +
	'and without them another instance could be reached. Add the folder to the workspace again, then retry.';

void describe('connectAt with a place whose folder is no longer open', () => {
	void test('is refused with one message naming the folder and what to do, before the profile is read', async () => {
		open = [B];
		const { service, looked } = await access();
		await assert.rejects(
			service.connectAt({ profile: 'p', scope: FILE, folder: A }),
			(error: unknown) => error instanceof OtaError && error.code === 'FolderNotOpen' && error.message === folderGone,
		);
		assert.deepEqual(looked, [], 'no secret read, no connection made');
	});

	void test('is refused when another open folder holds the file now (the parent opened instead of the removed folder)', async () => {
		open = ['file:///work/mono'];
		const { service } = await access();
		await assert.rejects(service.connectAt({ profile: 'p', scope: FILE, folder: A }), (error: unknown) => {
			return error instanceof OtaError && error.code === 'FolderNotOpen';
		});
	});

	void test('goes on to the profile while the folder is open, and for a place without a folder (its file was in none)', async () => {
		const { service, looked } = await access();
		open = [A, B];
		const noProfile = (error: unknown) => error instanceof OtaError && error.code === 'NoCredentials';
		await assert.rejects(service.connectAt({ profile: 'p', scope: FILE, folder: A }), noProfile);
		open = [];
		await assert.rejects(service.connectAt({ profile: 'q', scope: 'file:///elsewhere/fw.bin' }), noProfile);
		assert.deepEqual(looked, ['p', 'q']);
	});

	void test('goes on for the Local sandbox profile, which no folder setting moves', async () => {
		open = [B];
		const { service, looked } = await access();
		await assert.rejects(service.connectAt({ profile: 'local', scope: FILE, folder: A }), (error: unknown) => {
			return error instanceof OtaError && error.code === 'NoCredentials';
		});
		assert.deepEqual(looked, ['local']);
	});

	void test('placeAt records the folder that holds the file now, and none for a file outside every folder', async () => {
		const { placeAt } = await import('../../../src/vscode/ota/access.js');
		open = [A, B];
		assert.deepEqual(placeAt('p', uri(FILE) as never), { profile: 'p', scope: FILE, folder: A });
		assert.deepEqual(placeAt('p', uri('file:///elsewhere/fw.bin') as never), { profile: 'p', scope: 'file:///elsewhere/fw.bin' });
	});
});

void describe('the place of a watch', () => {
	const calls: string[] = [];
	const fakeAccess = {
		hasCredentials: async (name: string) => name !== 'gone',
		forProfile: async (name: string) => (calls.push(`forProfile ${name}`), { profile: { name } }),
		connectAt: async (place: OtaPlace) => (calls.push(`connectAt ${JSON.stringify(place)}`), { profile: { name: place.profile } }),
	} as unknown as OtaAccess;
	const since = 1;

	void test('a watch with a place polls through connectAt with its folder; one without, with its profile', async () => {
		const { watchConnection } = await import('../../../src/vscode/ota/watchRules.js');
		calls.length = 0;
		await watchConnection(fakeAccess, { jobId: 'j1', profile: 'p', scope: FILE, folder: A, since });
		await watchConnection(fakeAccess, { jobId: 'j2', profile: 'p', since });
		assert.deepEqual(calls, [`connectAt ${JSON.stringify({ profile: 'p', scope: FILE, folder: A })}`, 'forProfile p']);
		assert.equal(await watchConnection(fakeAccess, { jobId: 'j3', profile: 'gone', scope: FILE, since }), undefined);
	});

	void test('a place and the fields of a saved watch map both ways through one pair (watchedPlace, placeOf)', async () => {
		const { placeOf, watchedPlace } = await import('../../../src/vscode/ota/watchRules.js');
		for (const place of [
			{ profile: 'p', scope: FILE, folder: A },
			{ profile: 'p', scope: FILE },
		]) {
			const saved: WatchedJob = { jobId: 'j', profile: 'p', ...watchedPlace(place), since };
			assert.deepEqual(saved, { jobId: 'j', ...place, since }, 'exactly the scope and folder are kept');
			assert.deepEqual(placeOf(saved), place);
		}
		// A place without a file polls with the profile and the window's settings: the saved watch has no place, like an old one.
		assert.deepEqual(watchedPlace({ profile: 'p', folder: A }), {});
		assert.deepEqual(watchedPlace(undefined), {});
		assert.equal(placeOf({ jobId: 'j', profile: 'p', since }), undefined);
	});

	void test('saved watches from before places load, and so do those with one; a malformed place is left out', async () => {
		const { isWatchedJob } = await import('../../../src/vscode/ota/watchRules.js');
		const old: WatchedJob = { jobId: 'j', profile: 'p', since };
		assert.equal(isWatchedJob(old), true);
		assert.equal(isWatchedJob({ ...old, scope: FILE, folder: A }), true);
		assert.equal(isWatchedJob({ ...old, scope: 42 }), false);
		assert.equal(isWatchedJob({ ...old, scope: FILE, folder: {} }), false);
	});

	void test('its folder removed, a watch polls on only at another folder choosing the connection it polled with, or else saved', async () => {
		const { placeInstead } = await import('../../../src/vscode/ota/watchRules.js');
		const watched: WatchedJob = { jobId: 'j', profile: 'p', scope: FILE, folder: A, since };
		const polledWith = { connection: { region: 'cn-shanghai', endpoint: 'https://gw', iotInstanceId: 'iot-1' } } as never;
		const asked: unknown[] = [];
		const at = (folder: string) => (profile: string, connection: unknown) => (
			asked.push([profile, connection]),
			{ profile, scope: folder, folder }
		);
		assert.deepEqual(placeInstead(watched, polledWith, at('file:///b')), { profile: 'p', scope: 'file:///b', folder: 'file:///b' });
		assert.deepEqual(
			asked,
			[['p', { region: 'cn-shanghai', endpoint: 'https://gw', iotInstanceId: 'iot-1' }]],
			'the connection it polled with',
		);
		// A watch resumed after a reload whose folder is gone has polled with no connection: the one it saved, if any.
		assert.equal(placeInstead(watched, undefined, at('file:///b')), undefined, 'saved before watches kept their connection');
		asked.length = 0;
		const saved = { ...watched, connection: { region: 'cn-hangzhou', iotInstanceId: 'iot-2' } };
		assert.deepEqual(placeInstead(saved, undefined, at('file:///b')), { profile: 'p', scope: 'file:///b', folder: 'file:///b' });
		assert.deepEqual(placeInstead(saved, polledWith, at('file:///b')), { profile: 'p', scope: 'file:///b', folder: 'file:///b' });
		assert.deepEqual(
			asked,
			[
				['p', { region: 'cn-hangzhou', endpoint: undefined, iotInstanceId: 'iot-2' }],
				['p', { region: 'cn-shanghai', endpoint: 'https://gw', iotInstanceId: 'iot-1' }],
			],
			'the saved connection before a poll, the one it polled with after',
		);
		assert.equal(placeInstead(watched, polledWith, at(A)), undefined, 'not its own folder again');
		assert.equal(
			placeInstead(watched, polledWith, () => undefined),
			undefined,
			'no open folder chooses it',
		);
		assert.equal(placeInstead({ jobId: 'j', profile: 'p', since }, polledWith, at('file:///b')), undefined, 'a watch without a place');
		assert.equal(placeInstead(watched, polledWith, undefined), undefined);
	});
});

void describe('what an Uploads row records of its file’s folder (rowFolderOf)', () => {
	void test('the folder holding the file, else the explicit OUTSIDE_FOLDERS marker, which history keeps', async () => {
		const { rowFolderOf } = await import('../../../src/vscode/ota/access.js');
		const { OUTSIDE_FOLDERS } = await import('../../../src/vscode/model.js');
		const { sanitizeHistoryEntry } = await import('../../../src/vscode/historyRows.js');
		open = [A];
		assert.deepEqual(rowFolderOf(uri(FILE) as never), { folder: A });
		open = [];
		assert.deepEqual(rowFolderOf(uri(FILE) as never), { folder: OUTSIDE_FOLDERS });
		const row = { id: 'u1', fileUri: FILE, fileName: 'fw-a.bin', profile: 'p', region: 'cn-shanghai', size: 1, suffix: 'bin' };
		const kept = sanitizeHistoryEntry({ ...row, startedAt: 1, status: 'uploaded', folder: OUTSIDE_FOLDERS });
		assert.equal(kept?.folder, OUTSIDE_FOLDERS);
	});

	void test("a registration keeps the marker: a row registered with the window's settings records OUTSIDE_FOLDERS, never no folder", async () => {
		const { registeredRowFolder, rowPlace } = await import('../../../src/vscode/ota/access.js');
		const { OUTSIDE_FOLDERS } = await import('../../../src/vscode/model.js');
		open = [A];
		// Uploaded from no folder, registered after folder A (holding the file) was added: still the window's settings.
		assert.equal(registeredRowFolder(rowPlace('p', { fileUri: FILE, folder: OUTSIDE_FOLDERS })), OUTSIDE_FOLDERS);
		assert.equal(registeredRowFolder(rowPlace('p', { fileUri: FILE, folder: A })), A);
		// A row from before folders were recorded takes the folder holding its file now, or the marker for none.
		assert.equal(registeredRowFolder(rowPlace('p', { fileUri: FILE })), A);
		open = [];
		assert.equal(registeredRowFolder(rowPlace('p', { fileUri: FILE })), OUTSIDE_FOLDERS);
	});
});

void test('trusting the workspace makes every connection anew and tells each profile changed (its settings now count)', async () => {
	const { OtaAccessService } = await import('../../../src/vscode/ota/access.js');
	let trusted: () => void = () => assert.fail('not subscribed');
	const services = { profiles: { list: () => [{ name: 'p' }, { name: 'q' }] } };
	const service = new OtaAccessService(
		() => services as never,
		{ trust: (listener) => ((trusted = listener), { dispose: () => undefined }) },
		() => ({ dispose: () => undefined }),
	);
	const told: string[] = [];
	service.onDidChange(() => told.push('view'));
	service.onDidChangeProfile((name) => told.push(name));
	trusted();
	assert.deepEqual(told, ['view', 'p', 'q']);
	service.dispose();
});

void test('a declined workspace endpoint makes the connections anew and reloads the view once; no profile is told changed', async () => {
	const { OtaAccessService } = await import('../../../src/vscode/ota/access.js');
	const { EndpointDeclines } = await import('../../../src/vscode/credentials/endpointDeclines.js');
	const declines = new EndpointDeclines();
	const services = { profiles: { list: () => [{ name: 'p' }] } };
	const service = new OtaAccessService(
		() => services as never,
		{ declined: (listener) => declines.onDidChange(listener) },
		() => ({ dispose: () => undefined }),
	);
	const told: string[] = [];
	service.onDidChange(() => told.push('view'));
	service.onDidChangeProfile((name) => told.push(name));
	declines.add('https://gw.example.com');
	declines.add('https://GW.example.com/');
	assert.deepEqual(told, ['view'], 'the rows show the endpoint its calls use now; watches poll on as they were');
	service.dispose();
	declines.add('https://other.example.com');
	assert.deepEqual(told, ['view'], 'disposed: not subscribed any more');
});
