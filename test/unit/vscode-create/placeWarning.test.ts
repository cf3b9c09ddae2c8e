// Create OTA Firmware's place-moved warning (confirmPlace): judged from the settings of the row's scope, and Upload Again
// Here offered only when the upload it runs (with the active profile) goes to the place the warning names.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EndpointDeclines } from '../../../src/vscode/credentials/endpointDeclines';
import { installVscodeStub } from '../../support/vscodeStub';

const stub = installVscodeStub();
Object.assign(stub, { workspace: { isTrusted: true } });

const row = { fileName: 'fw.bin', profile: 'A', region: 'cn-shanghai', instance: 'region-default' };
const profileA = { name: 'A', kind: 'user', region: 'cn-shanghai' };

const file = { path: '/work/fw.bin' };

/**
 * Services whose settings set `region` (the window's and the folder's, unless `folderRegion` sets the folder's: with a
 * scope, the file's folder), the active profile `active` (a user profile of cn-shanghai), and whose warning answers `answer`.
 */
function services(region: string | undefined, active: string, answer?: string, folderRegion = region) {
	const shown: Array<{ detail?: string; buttons: string[] }> = [];
	const none = { user: undefined, workspace: undefined };
	const s = {
		settings: {
			region: (scope?: unknown) => (scope === undefined ? region : folderRegion),
			endpoint: () => none,
			iotInstanceId: () => none,
		},
		profiles: { active: () => ({ ...profileA, name: active }) },
		endpointDeclines: new EndpointDeclines(),
		log: { warn: () => undefined },
		prompter: {
			message: async (_id: string, _severity: string, _text: string, options: { detail?: string }, ...buttons: string[]) => {
				shown.push({ detail: options.detail, buttons });
				return answer;
			},
		},
	};
	return { s, shown };
}

void describe('confirmPlace', () => {
	void test('nothing moved: no question, the registration goes on', async () => {
		const { confirmPlace } = await import('../../../src/vscode/create/placeWarning.js');
		const { s, shown } = services(undefined, 'A');
		assert.equal(await confirmPlace(s as never, row as never, profileA as never, undefined, file as never), 'register');
		assert.deepEqual(shown, []);
	});

	void test("the folder's region moved, the row's profile active: Upload Again Here and Register Anyway", async () => {
		const { confirmPlace } = await import('../../../src/vscode/create/placeWarning.js');
		const { s, shown } = services('cn-beijing', 'A', 'Upload Again Here');
		assert.equal(await confirmPlace(s as never, row as never, profileA as never, undefined, file as never), 'uploadAgain');
		assert.deepEqual(shown[0].buttons, ['Upload Again Here', 'Register Anyway']);
		assert.match(shown[0].detail ?? '', /Registered now with profile "A", region cn-beijing, public instance\./);
	});

	void test("the row's profile kept here but not active: no Upload Again Here (it would upload with the active one)", async () => {
		const { confirmPlace } = await import('../../../src/vscode/create/placeWarning.js');
		const { s, shown } = services('cn-beijing', 'B', 'Register Anyway');
		assert.equal(await confirmPlace(s as never, row as never, profileA as never, undefined, file as never), 'register');
		assert.deepEqual(shown[0].buttons, ['Register Anyway']);
		assert.match(shown[0].detail ?? '', /to upload the file again here, make profile "A" the active one first\.$/);
	});

	void test('a row from no folder whose file a folder with other settings holds now: no Upload Again Here (it would land elsewhere)', async () => {
		const { confirmPlace } = await import('../../../src/vscode/create/placeWarning.js');
		const { s, shown } = services('cn-beijing', 'A', 'Register Anyway', 'cn-hangzhou');
		assert.equal(await confirmPlace(s as never, row as never, profileA as never, undefined, file as never), 'register');
		assert.deepEqual(shown[0].buttons, ['Register Anyway']);
		assert.match(shown[0].detail ?? '', /Registered now with profile "A", region cn-beijing, public instance\./);
		assert.match(shown[0].detail ?? '', /would upload it with profile "A", region cn-hangzhou, public instance\.$/);
	});
});
