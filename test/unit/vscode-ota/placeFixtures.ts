// What the tests of an action's place share (deletePlace, verifyPlace): a stubbed workspace with two open folders, and
// two profiles' connections, `active` (connect: the active profile, the window's settings) and `other` (by connectAt).
import type { OtaConnection, OtaPlace } from '../../../src/vscode/ota/contract';
import type { installVscodeStub } from '../../support/vscodeStub';

const uri = (text: string) => ({ toString: () => text, path: new URL(text).pathname });

/** The workspace folders open in the stubbed window. */
export const FOLDERS = ['file:///work/a', 'file:///work/b'];

/** `vscode.Uri.parse` and `workspace.getWorkspaceFolder` over FOLDERS, and English as the display language. */
export function stubFolders(stub: ReturnType<typeof installVscodeStub>): void {
	Object.assign(stub, {
		env: { language: 'en' },
		Uri: { parse: uri },
		workspace: {
			getWorkspaceFolder: (file: { toString(): string }) => {
				const folder = FOLDERS.find((f) => file.toString().startsWith(`${f}/`));
				return folder === undefined ? undefined : { uri: uri(folder) };
			},
		},
	});
}

/** `s.ota.access` of two profiles: connectAt records each place and answers with `other`'s connection for profile "other". */
export function twoProfiles(active: OtaConnection, other: OtaConnection) {
	const places: OtaPlace[] = [];
	const access = {
		connect: async () => active,
		connectAt: async (place: OtaPlace) => {
			places.push(place);
			return place.profile === 'other' ? other : active;
		},
	};
	return { places, access };
}
