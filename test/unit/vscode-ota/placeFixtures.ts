// What the tests of an action's place share (deletePlace, verifyPlace): a stubbed workspace with two open folders, and
// two profiles' connections, `active` (connect: the active profile, the window's settings) and `other` (by connectAt).
import { OUTSIDE_FOLDERS } from '../../../src/vscode/model';
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

/**
 * `s.ota.access` of two profiles: connectAt records each place, refuses one whose folder is not open (the real check,
 * assertFolderOpen) and answers with `other`'s connection for profile "other".
 */
export function twoProfiles(active: OtaConnection, other: OtaConnection) {
	const places: OtaPlace[] = [];
	const access = {
		connect: async () => active,
		connectAt: async (place: OtaPlace) => {
			places.push(place);
			const { assertFolderOpen } = await import('../../../src/vscode/ota/access.js');
			assertFolderOpen(place);
			return place.profile === 'other' ? other : active;
		},
	};
	return { places, access };
}

/** The message of FolderNotOpen for `file` of a folder that is no longer open. */
export const folderGone = (folder: string, file: string) =>
	`Folder ${folder} is no longer open in this window: its settings (region, endpoint, instance) chose where ${file} was registered, ` +
	'and without them another instance could be reached. Add the folder to the workspace again, then retry.';

/** An Uploads row registered by profile "other" from a file of folder file:///work/c, which is no longer open. */
export const rowOfClosedFolder = {
	id: 'u9',
	fileUri: 'file:///work/c/firmware.bin',
	folder: 'file:///work/c',
	profile: 'other',
	status: 'registered',
	firmwareId: 'fw-left',
};

/** An Uploads row registered by profile "other" from file:///work/b/firmware.bin while no folder held it (folder b is open now). */
export const rowOutsideFolders = (firmwareId: string) => ({
	id: 'u1',
	fileUri: 'file:///work/b/firmware.bin',
	folder: OUTSIDE_FOLDERS,
	profile: 'other',
	status: 'registered',
	firmwareId,
});

/** An Uploads row of profile "other" (recorded before rows kept their folder) from a file of folder b, registered as `firmwareId`. */
export const registeredRow = (id: string, firmwareId: string, status = 'registered') => ({
	id,
	fileUri: `file:///work/b/${id}.bin`,
	fileName: `${id}.bin`,
	size: 4,
	suffix: 'bin',
	profile: 'other',
	region: 'cn-shanghai',
	startedAt: 1,
	finishedAt: 2,
	status,
	firmwareUrl: `https://o/${id}.bin`,
	md5: 'd41d8cd98f00b204e9800998ecf8427e',
	firmwareId,
});
