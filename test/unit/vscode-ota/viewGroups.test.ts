// Which connection rows the OTA Packages view lists (viewGroups.ts): one per distinct connection the open folders'
// settings choose for the active profile, by the rule of a connection (trust included), none for one connection. The
// workspace, its folders and the settings are stubbed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileRecord } from '../../../src/vscode/model';
import { installVscodeStub } from '../../support/vscodeStub';

const stub = installVscodeStub();
const uri = (text: string) => ({ toString: () => text, path: new URL(text).pathname });
const folder = (name: string, index: number) => ({ name, index, uri: uri(`file:///w/${name}`) });
const workspace = {
	isTrusted: true,
	workspaceFolders: [folder('a', 0), folder('b', 1), folder('c', 2)],
	getWorkspaceFolder: (file: { toString(): string }) =>
		workspace.workspaceFolders.find((f) => `${file.toString()}/`.startsWith(`${f.uri.toString()}/`)),
};
Object.assign(stub, { workspace, Uri: { parse: uri } });

const user: ProfileRecord = { name: 'p', accessKeyId: 'AK', region: 'cn-shanghai', hasSecurityToken: false, kind: 'user' };
const sandbox: ProfileRecord = { ...user, name: 'Local sandbox', kind: 'sandbox', endpoint: 'http://127.0.0.1:1234' };

/** Folder a: an Enterprise instance; b: another region; c: the same instance as a (its folder settings). */
const FOLDER_SETTINGS: Record<string, { region?: string; instance?: string }> = {
	'file:///w/a': { instance: 'iot-1' },
	'file:///w/b': { region: 'ap-southeast-1' },
	'file:///w/c': { instance: 'iot-1' },
};
/** The folders whose own settings set iotOta.endpoint (none but in the test that sets one). */
const FOLDER_ENDPOINTS = new Map<string, string>();
const settings = {
	region: (scope?: { toString(): string }) => (scope ? FOLDER_SETTINGS[scope.toString()]?.region : undefined),
	endpoint: (scope?: { toString(): string }) => {
		const endpoint = scope ? FOLDER_ENDPOINTS.get(scope.toString()) : undefined;
		return endpoint ? { workspace: endpoint, workspaceOrigin: 'folder' } : {};
	},
	iotInstanceId: (scope?: { toString(): string }) => {
		const instance = scope ? FOLDER_SETTINGS[scope.toString()]?.instance : undefined;
		return instance ? { workspace: instance, workspaceOrigin: 'folder' } : {};
	},
};

/** `declined`: the workspace endpoints the user declined in this window (EndpointDeclines.list()). */
const sourceOf = (active: ProfileRecord | undefined, declined: string[] = []) => ({
	profiles: { active: () => active, get: () => active },
	settings,
	declines: { list: () => declined },
});

async function groupsOf(active: ProfileRecord | undefined) {
	const { viewGroups } = await import('../../../src/vscode/ota/viewGroups.js');
	const source = sourceOf(active);
	return viewGroups(source as never).map((group) => ({ folders: group.folders, place: group.place, differing: group.differing }));
}

void test('one row per distinct connection, not per folder; its place is its first folder; the differing settings named', async () => {
	workspace.isTrusted = true;
	assert.deepEqual(await groupsOf(user), [
		{
			folders: ['a', 'c'],
			place: { profile: 'p', scope: 'file:///w/a', folder: 'file:///w/a' },
			differing: ['iotOta.region', 'iotOta.iotInstanceId'],
		},
		{
			folders: ['b'],
			place: { profile: 'p', scope: 'file:///w/b', folder: 'file:///w/b' },
			differing: ['iotOta.region', 'iotOta.iotInstanceId'],
		},
	]);
});

void test("in an untrusted workspace a folder's instance is ignored (its region is not): rows by region alone", async () => {
	workspace.isTrusted = false;
	const groups = await groupsOf(user);
	assert.deepEqual(
		groups.map((group) => [group.folders, group.differing]),
		[
			[['a', 'c'], ['iotOta.region']],
			[['b'], ['iotOta.region']],
		],
	);
	workspace.isTrusted = true;
});

void test('no rows: the Local sandbox profile (folder settings change nothing for it), no active profile, one folder', async () => {
	assert.deepEqual(await groupsOf(sandbox), []);
	assert.deepEqual(await groupsOf(undefined), []);
	const all = workspace.workspaceFolders;
	workspace.workspaceFolders = [all[0]];
	assert.deepEqual(await groupsOf(user), []);
	// Two folders choosing one connection: one connection, no rows.
	workspace.workspaceFolders = [all[0], all[2]];
	assert.deepEqual(await groupsOf(user), []);
	workspace.workspaceFolders = all;
});

void test("a folder's endpoint the user declined in this window: its row shows the endpoint its calls use, and merges with that row", async () => {
	const { viewGroups, placeKey } = await import('../../../src/vscode/ota/viewGroups.js');
	const { confirmationKey } = await import('../../../src/vscode/credentials/endpointPolicy.js');
	FOLDER_ENDPOINTS.set('file:///w/c', 'https://gw.example.com');
	try {
		const rows = (declined: string[]) =>
			viewGroups(sourceOf(user, declined) as never).map((group) => [group.folders, group.connection.endpoint]);
		assert.deepEqual(rows([]), [
			[['a'], undefined],
			[['b'], undefined],
			[['c'], 'https://gw.example.com'],
		]);
		const declined = [confirmationKey('https://GW.example.com/', 'workspace')];
		assert.deepEqual(rows(declined), [
			[['a', 'c'], undefined],
			[['b'], undefined],
		]);
		// Its place is located under the row its calls reach (the region endpoint's), not under a row of the declined one.
		const placeC = { profile: 'p', scope: 'file:///w/c', folder: 'file:///w/c' };
		const keyOf = (groups: Array<{ key: string; folders: string[] }>, folder: string) =>
			groups.find((g) => g.folders.includes(folder))?.key;
		assert.equal(placeKey(sourceOf(user, declined) as never, placeC), keyOf(viewGroups(sourceOf(user, declined) as never), 'a'));
		assert.notEqual(placeKey(sourceOf(user) as never, placeC), keyOf(viewGroups(sourceOf(user) as never), 'a'));
	} finally {
		FOLDER_ENDPOINTS.clear();
	}
});

void test('the place a watch whose folder was removed polls on at: the first open folder choosing its connection, or none', async () => {
	const { placeChoosing } = await import('../../../src/vscode/ota/viewGroups.js');
	const all = workspace.workspaceFolders;
	workspace.workspaceFolders = [all[1], all[2]]; // folder a removed; c has its settings
	try {
		assert.deepEqual(placeChoosing(sourceOf(user) as never, 'p', { region: 'cn-shanghai', iotInstanceId: 'iot-1' }), {
			profile: 'p',
			scope: 'file:///w/c',
			folder: 'file:///w/c',
		});
		assert.equal(placeChoosing(sourceOf(user) as never, 'p', { region: 'cn-shanghai', iotInstanceId: 'iot-2' }), undefined);
		assert.equal(
			placeChoosing(sourceOf(user) as never, 'p', { region: 'cn-shanghai', endpoint: 'https://gw', iotInstanceId: 'iot-1' }),
			undefined,
		);
		assert.equal(
			placeChoosing(sourceOf(undefined) as never, 'p', { region: 'cn-shanghai', iotInstanceId: 'iot-1' }),
			undefined,
			'profile gone',
		);
	} finally {
		workspace.workspaceFolders = all;
	}
});

void test("rows whose endpoints differ only in scheme: their labels show the scheme, the other rows' do not", async () => {
	const { viewGroups } = await import('../../../src/vscode/ota/viewGroups.js');
	const { connectionLabel } = await import('../../../src/vscode/ota/presentation.js');
	const { plainL10n } = await import('../../../src/vscode/upload/progressFormat.js');
	FOLDER_ENDPOINTS.set('file:///w/a', 'https://gw.example.com');
	FOLDER_ENDPOINTS.set('file:///w/c', 'http://gw.example.com/');
	try {
		const labels = viewGroups(sourceOf(user) as never).map((group) => [
			group.folders,
			group.showsScheme,
			connectionLabel(group.connection, group.differing, plainL10n, group.showsScheme),
		]);
		assert.deepEqual(labels, [
			[['a'], true, 'cn-shanghai · iot-1 · https://gw.example.com'],
			[['b'], false, 'ap-southeast-1 · public instance · iot.ap-southeast-1.aliyuncs.com'],
			[['c'], true, 'cn-shanghai · iot-1 · http://gw.example.com'],
		]);
		// Another host: the scheme is not what differs, no label shows it.
		FOLDER_ENDPOINTS.set('file:///w/c', 'http://other.example.com');
		assert.deepEqual(
			viewGroups(sourceOf(user) as never).map((group) => group.showsScheme),
			[false, false, false],
		);
	} finally {
		FOLDER_ENDPOINTS.clear();
	}
});
