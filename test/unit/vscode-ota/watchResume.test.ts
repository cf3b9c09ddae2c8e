// A watch resumed after a reload whose place's folder is gone polls on at another open folder of the connection it saved,
// as a running one does (watchRules.ts placeInstead), found by the rule of the OTA Packages view's rows (viewGroups.ts
// placeChoosing, over stubbed folders and settings); it ends (FolderNotOpen, resumed when the folder returns) when no open
// folder chooses that connection, and when it was saved before watches kept their connection. What it saves of a
// connection holds no secret and no user info of an endpoint.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { StateKeys } from '../../../src/vscode/constants';
import type { ConnectionChoice } from '../../../src/vscode/credentials/folderConnection';
import type { ProfileRecord } from '../../../src/vscode/model';
import type { OtaConnection, OtaPlace, WatchedJob, WatchEvent } from '../../../src/vscode/ota/contract';
import { access, hangingCalls, HeldMemento, service, vscodeStub } from './watchFakes';

const uri = (text: string) => ({ toString: () => text, path: new URL(text).pathname });
const folder = (name: string) => ({ name, uri: uri(`file:///w/${name}`) });
const workspace = {
	isTrusted: true,
	workspaceFolders: [] as Array<ReturnType<typeof folder>>,
	getWorkspaceFolder: (file: { toString(): string }) =>
		workspace.workspaceFolders.find((f) => `${file.toString()}/`.startsWith(`${f.uri.toString()}/`)),
};
Object.assign(vscodeStub, { workspace, Uri: { parse: uri } });

const profile: ProfileRecord = { name: 'p', accessKeyId: 'AK', region: 'cn-shanghai', hasSecurityToken: false, kind: 'user' };
/** The folders' own settings: b chooses the instance iot-1 behind a custom endpoint, c the same instance in another region. */
const FOLDER_SETTINGS: Record<string, { region?: string; endpoint?: string; instance?: string }> = {
	'file:///w/a': { endpoint: 'https://iot.example.com', instance: 'iot-1' },
	'file:///w/b': { endpoint: 'https://iot.example.com', instance: 'iot-1' },
	'file:///w/c': { region: 'ap-southeast-1', instance: 'iot-1' },
};
const of = (scope?: { toString(): string }) => (scope ? FOLDER_SETTINGS[scope.toString()] : undefined);
const settings = {
	region: (scope?: { toString(): string }) => of(scope)?.region,
	endpoint: (scope?: { toString(): string }) =>
		of(scope)?.endpoint ? { workspace: of(scope)?.endpoint, workspaceOrigin: 'folder' } : {},
	iotInstanceId: (scope?: { toString(): string }) =>
		of(scope)?.instance ? { workspace: of(scope)?.instance, workspaceOrigin: 'folder' } : {},
};
const rows = { profiles: { active: () => profile, get: () => profile }, settings, declines: { list: () => [] } };

/** The connection folders a and b choose (the calls' endpoint, as resolveConnection gives it), as a watch at a saved it. */
const SAVED: ConnectionChoice = { region: 'cn-shanghai', endpoint: 'https://iot.example.com', iotInstanceId: 'iot-1' };
const PLACE_A = { profile: 'p', scope: 'file:///w/a/fw.bin', folder: 'file:///w/a' };
const guard = { failurePercent: 20, minFinished: 5 };

/**
 * The account: a place whose folder is not open is refused (FolderNotOpen), as OtaAccess.connectAt does; at an open one
 * the job's calls hang until the watch stops them. `asked`: the folders of the places connected at, in order.
 */
function account(connection: Partial<OtaConnection['connection']> = SAVED) {
	const asked: string[] = [];
	const { hang, polled } = hangingCalls();
	const connectAt = async (at: OtaPlace) => {
		asked.push(at.folder ?? '');
		if (!workspace.workspaceFolders.some((f) => f.uri.toString() === at.folder)) {
			throw new OtaError({ code: 'FolderNotOpen', source: 'validation', message: 'Folder a is no longer open.' });
		}
		return { profile, connection, lifecycle: { queryJob: hang, listTasksByJob: hang } } as unknown as OtaConnection;
	};
	return { asked, polled, access: access({ hasCredentials: async () => true, connectAt }) };
}

async function resumed(saved: WatchedJob, open: string[]) {
	workspace.workspaceFolders = open.map(folder);
	const state = new HeldMemento();
	await state.update(StateKeys.watchedJobs, [saved]);
	const { placeChoosing } = await import('../../../src/vscode/ota/viewGroups.js');
	const { asked, polled, access } = account();
	const added = new vscodeStub.EventEmitter<readonly string[]>();
	const test = await service({
		state,
		access,
		retryDelayMs: () => 3_600_000,
		foldersAdded: added.event,
		placeChoosing: (name, connection) => placeChoosing(rows as never, name, connection),
	});
	const ended = test.next((e) => e.jobId === saved.jobId && e.type === 'ended');
	await test.watches.restore();
	return { state, test, asked, polled, ended, added };
}

void describe('a watch resumed after a reload, its folder gone', () => {
	void test('polls on, with its guard and afterRerun, at an open folder whose settings choose the connection it saved', async () => {
		const saved: WatchedJob = { jobId: 'j1', ...PLACE_A, connection: SAVED, guard, afterRerun: true, since: 1 };
		const { state, test, asked, polled, ended } = await resumed(saved, ['c', 'b']);
		assert.equal(await Promise.race([polled.then(() => 'polling'), ended.then((e) => e.snapshot.error)]), 'polling');
		assert.deepEqual(asked, ['file:///w/a', 'file:///w/b'], 'polled at b, not at c (another region)');
		assert.equal(test.watches.isWatched('j1'), true);
		assert.deepEqual(
			test.events.map((e: WatchEvent) => [e.type, e.snapshot.watched.folder]),
			[
				['resumed', 'file:///w/a'],
				['progress', 'file:///w/b'],
			],
		);
		assert.deepEqual(state.get(StateKeys.watchedJobs), [{ ...saved, scope: 'file:///w/b', folder: 'file:///w/b' }]);
		test.watches.dispose();
	});

	void test('ends when no open folder chooses that connection (settings changed while closed), and resumes when its folder returns', async () => {
		const saved: WatchedJob = {
			jobId: 'j1',
			...PLACE_A,
			connection: { ...SAVED, endpoint: 'https://iot.elsewhere.example' },
			since: 1,
		};
		const { state, test, asked, polled, ended, added } = await resumed(saved, ['c', 'b']);
		assert.equal((await ended).snapshot.error, 'Folder a is no longer open. (FolderNotOpen)');
		assert.deepEqual(asked, ['file:///w/a']);
		assert.deepEqual(state.get(StateKeys.watchedJobs), []);
		workspace.workspaceFolders.push(folder('a'));
		added.fire(['file:///w/a']);
		await polled;
		assert.deepEqual(asked, ['file:///w/a', 'file:///w/a'], 'polled again at its place');
		assert.equal(test.watches.isWatched('j1'), true);
		test.watches.dispose();
	});

	void test('ends as before when it was saved without its connection, though an open folder chooses it', async () => {
		const saved: WatchedJob = { jobId: 'j1', ...PLACE_A, since: 1 };
		const { state, test, asked, ended } = await resumed(saved, ['c', 'b']);
		assert.equal((await ended).snapshot.error, 'Folder a is no longer open. (FolderNotOpen)');
		assert.deepEqual(asked, ['file:///w/a']);
		assert.deepEqual(state.get(StateKeys.watchedJobs), []);
		test.watches.dispose();
	});
});

void describe('what a watch saves of its connection', () => {
	void test('the connection it polls with once it differs from the one saved (settings changed while closed), not another spelling of it', async () => {
		const elsewhere: WatchedJob = { jobId: 'j1', ...PLACE_A, connection: { region: 'cn-hangzhou' }, guard, since: 1 };
		const moved = await resumed(elsewhere, ['a']);
		await moved.polled;
		assert.deepEqual(moved.state.get(StateKeys.watchedJobs), [{ ...elsewhere, connection: SAVED }]);
		moved.test.watches.dispose();
		const spelled: WatchedJob = { ...elsewhere, connection: { ...SAVED, endpoint: 'https://IOT.example.com/' } };
		const same = await resumed(spelled, ['a']);
		await same.polled;
		assert.deepEqual(same.state.get(StateKeys.watchedJobs), [spelled], 'the same connection (connectionKey): kept as saved');
		same.test.watches.dispose();
	});

	/** Watch Job at b with a connection whose ResolvedConnection is `connection`: the saved record once it started. */
	async function savedAfterWatchJob(connection: Partial<OtaConnection['connection']>) {
		workspace.workspaceFolders = [folder('b')];
		const state = new HeldMemento();
		const job = { jobId: 'j1', productKey: 'pk', firmwareId: 'fw', jobStatus: 'IN_PROGRESS' };
		const { hang } = hangingCalls();
		let first = true;
		const queryJob = (...args: unknown[]) => (first ? ((first = false), Promise.resolve(job)) : hang(...args));
		const made = { profile, connection, lifecycle: { queryJob, listTasksByJob: hang } } as unknown as OtaConnection;
		const test = await service({ state, access: access({ connectAt: async () => made, hasCredentials: async () => true }) });
		const place = { profile: 'p', scope: 'file:///w/b/fw.bin', folder: 'file:///w/b' };
		assert.equal((await test.watches.watch({ jobId: 'j1', place })).started, true);
		const [saved] = state.get<WatchedJob[]>(StateKeys.watchedJobs) ?? [];
		test.watches.dispose();
		return saved;
	}

	const resolved = {
		allowInsecure: false,
		endpointSource: 'workspace' as const,
		folderSettings: 'iotOta.endpoint from the folder "b" settings',
	};

	void test('its region, endpoint as the calls use it and instance id, nothing else of it', async () => {
		const saved = await savedAfterWatchJob({ ...SAVED, ...resolved });
		assert.deepEqual(saved.connection, SAVED);
		const regionEndpoint = await savedAfterWatchJob({ region: 'cn-shanghai', ...resolved, endpointSource: 'default' as const });
		assert.deepEqual(regionEndpoint.connection, { region: 'cn-shanghai' });
	});

	void test('none when the endpoint holds a user name and password or a query: the record keeps none of them', async () => {
		for (const endpoint of ['https://ota-user:s3cr3t-pw@iot.example.com', 'https://iot.example.com/?SecurityToken=t0k3n-value']) {
			const saved = await savedAfterWatchJob({ ...SAVED, ...resolved, endpoint });
			assert.equal(saved.connection, undefined, endpoint);
			assert.deepEqual(Object.keys(saved).sort(), ['firmwareId', 'folder', 'jobId', 'productKey', 'profile', 'scope', 'since']);
			assert.doesNotMatch(JSON.stringify(saved), /s3cr3t|ota-user|t0k3n/);
		}
	});

	void test('an endpoint is kept exactly when the calls would take it: the one rule of core/regions.ts endpointSecretPart', async () => {
		const { watchedConnection } = await import('../../../src/vscode/ota/watchRules.js');
		const { endpointFor } = await import('../../../src/core/regions.js');
		const endpoints = [
			'https://iot.example.com',
			'https://iot.example.com/iot',
			'https://ota-user:s3cr3t-pw@iot.example.com',
			'https://iot.example.com/iot@s3cr3t',
			'https://iot.example.com/?k=v',
			'https://iot.example.com/?',
			'https://iot.example.com/#',
		];
		for (const endpoint of endpoints) {
			const accepted = (() => {
				try {
					return endpointFor({ region: 'cn-shanghai', endpoint }) !== undefined;
				} catch {
					return false;
				}
			})();
			const kept = watchedConnection({ scope: 'file:///w/a' }, { ...SAVED, endpoint }).connection !== undefined;
			assert.equal(kept, accepted, endpoint);
		}
	});

	void test('a saved connection that is malformed, holds endpoint user info or more than it should loads without it, not the watch', async () => {
		const { SavedWatches } = await import('../../../src/vscode/ota/savedWatches.js');
		const base: WatchedJob = { jobId: 'j1', ...PLACE_A, guard, since: 1 };
		const malformed: unknown[] = [null, 'cn-shanghai', { endpoint: SAVED.endpoint }, { region: 1 }, { ...SAVED, iotInstanceId: 2 }];
		const withSecrets = [
			{ ...SAVED, endpoint: 'https://ota-user:s3cr3t-pw@iot.example.com' },
			{ ...SAVED, endpoint: 'https://iot.example.com/?k=v' },
		];
		for (const connection of [...malformed, ...withSecrets]) {
			const state = new HeldMemento();
			await state.update(StateKeys.watchedJobs, [{ ...base, connection }]);
			const saved = new SavedWatches(state);
			assert.deepEqual(saved.load(), [base], JSON.stringify(connection));
			await saved.save([]);
			assert.deepEqual(state.get(StateKeys.watchedJobs), [base], 'the next save drops it');
		}
		const state = new HeldMemento();
		await state.update(StateKeys.watchedJobs, [{ ...base, connection: { ...SAVED, accessKeySecret: 's3cr3t' } }]);
		assert.deepEqual(new SavedWatches(state).load(), [{ ...base, connection: SAVED }], 'its region, endpoint and instance id alone');
	});

	void test('a watch whose saved connection is malformed resumes, with its guard, at its open folder', async () => {
		const { test, polled } = await resumed({ jobId: 'j1', ...PLACE_A, connection: { region: 1 } as never, guard, since: 1 }, ['a']);
		assert.equal(test.watches.isWatched('j1'), true);
		await polled;
		assert.deepEqual(test.watches.get('j1')?.watched.guard, guard);
		test.watches.dispose();
	});
});
