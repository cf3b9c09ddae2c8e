// Create OTA Firmware's place-moved warning (confirmPlace): judged from the settings of the row's scope, and Upload Again
// Here offered only when the upload it runs (with the active profile) goes to the place the warning names.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { installVscodeStub } from '../../support/vscodeStub';

const stub = installVscodeStub();
Object.assign(stub, { workspace: { isTrusted: true } });

const row = { fileName: 'fw.bin', profile: 'A', region: 'cn-shanghai', instance: 'region-default' };
const profileA = { name: 'A', kind: 'user', region: 'cn-shanghai' };

/** Services whose folder settings set `region`, the active profile `active`, and whose warning answers `answer`. */
function services(region: string | undefined, active: string, answer?: string) {
	const shown: Array<{ detail?: string; buttons: string[] }> = [];
	const none = { user: undefined, workspace: undefined };
	const s = {
		settings: { region: () => region, endpoint: () => none, iotInstanceId: () => none },
		profiles: { active: () => ({ name: active }) },
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
		assert.equal(await confirmPlace(s as never, row as never, profileA as never, undefined), 'register');
		assert.deepEqual(shown, []);
	});

	void test("the folder's region moved, the row's profile active: Upload Again Here and Register Anyway", async () => {
		const { confirmPlace } = await import('../../../src/vscode/create/placeWarning.js');
		const { s, shown } = services('cn-beijing', 'A', 'Upload Again Here');
		assert.equal(await confirmPlace(s as never, row as never, profileA as never, undefined), 'uploadAgain');
		assert.deepEqual(shown[0].buttons, ['Upload Again Here', 'Register Anyway']);
		assert.match(shown[0].detail ?? '', /Registered now with profile "A", region cn-beijing, the region's default instance\./);
	});

	void test("the row's profile kept here but not active: no Upload Again Here (it would upload with the active one)", async () => {
		const { confirmPlace } = await import('../../../src/vscode/create/placeWarning.js');
		const { s, shown } = services('cn-beijing', 'B', 'Register Anyway');
		assert.equal(await confirmPlace(s as never, row as never, profileA as never, undefined), 'register');
		assert.deepEqual(shown[0].buttons, ['Register Anyway']);
		assert.match(shown[0].detail ?? '', /to upload the file again here, make profile "A" the active one first\.$/);
	});
});
