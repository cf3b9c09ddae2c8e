// Create OTA Firmware on an Uploads row whose connection moved since the upload (movedPlace): one modal warning naming
// both places, before any API call. Upload Again Here runs the row's own Upload again (the file, with the current
// settings); Register Anyway goes on; Cancel (or Escape) stops with nothing written.
import * as vscode from 'vscode';
import { cancelledError } from '../../core/errors';
import type { Services } from '../commands/services';
import { Commands } from '../constants';
import type { HistoryEntry, ProfileRecord } from '../model';
import { PromptIds } from '../ui/prompter';
import { connectionChoice } from '../workspaceTrust';
import { movedPlace, type RecordedPlace } from './placeMoved';
import { placeText } from './placeText';

/** The warning's last line: what its buttons do; without Upload Again Here (`reupload` is where it would land), why not. */
function whyText(profile: ProfileRecord, active: ProfileRecord | undefined, reupload: RecordedPlace | undefined): string {
	if (active?.name !== profile.name) {
		return vscode.l10n.t(
			'Its FirmwareUrl is a file of the upload\'s region and instance. Register Anyway registers that FirmwareUrl here; to upload the file again here, make profile "{0}" the active one first.',
			profile.name,
		);
	}
	if (reupload) {
		return vscode.l10n.t(
			"Its FirmwareUrl is a file of the upload's region and instance. Register Anyway registers that FirmwareUrl here; uploading the file again is not offered, as the settings of the folder holding it now would upload it with {0}.",
			placeText(reupload, vscode.l10n),
		);
	}
	return vscode.l10n.t(
		"Its FirmwareUrl is a file of the upload's region and instance. Upload Again Here uploads the file with the current settings; Register Anyway registers that FirmwareUrl here.",
	);
}

/**
 * Asks when `profile` with the settings of `scope` (what the registration will resolve) is not where `entry` was
 * uploaded: 'register' to go on (also when nothing moved), 'uploadAgain' to upload the file again here instead; throws a
 * cancel otherwise. Judged from the settings alone (connectionChoice): nothing is started, asked or sent before it.
 * `file` is the row's file: its Upload again uses its folder's settings, whatever `scope` is.
 */
export async function confirmPlace(
	s: Services,
	entry: HistoryEntry,
	profile: ProfileRecord,
	scope: vscode.Uri | undefined,
	file: vscode.Uri,
): Promise<'register' | 'uploadAgain'> {
	const moved = movedPlace(entry, { profile: profile.name, ...connectionChoice(profile, s.settings, scope, s.endpointDeclines.list()) });
	if (!moved) {
		return 'register';
	}
	const uploadAgain = vscode.l10n.t('Upload Again Here');
	const anyway = vscode.l10n.t('Register Anyway');
	const text = vscode.l10n.t('{0} was uploaded elsewhere than it would be registered now.', entry.fileName);
	// Upload Again Here is the row's Upload again (the active profile, the settings of the folder holding the file now):
	// offered only when it lands where the warning names. Not when the row's profile, kept here, is not the active one,
	// nor for a row uploaded from no folder (registered with the window's settings) whose file a folder with other settings holds now.
	const active = s.profiles.active();
	const reupload =
		active && movedPlace(moved.now, { profile: active.name, ...connectionChoice(active, s.settings, file, s.endpointDeclines.list()) });
	const here = active !== undefined && reupload === undefined;
	const detail = [
		vscode.l10n.t('Uploaded with {0}.', placeText(moved.recorded, vscode.l10n)),
		vscode.l10n.t('Registered now with {0}.', placeText(moved.now, vscode.l10n)),
		whyText(profile, active, reupload?.now),
	].join('\n');
	const buttons = here ? [uploadAgain, anyway] : [anyway];
	const choice = await s.prompter.message(PromptIds.createPlaceMoved, 'warning', text, { modal: true, detail }, ...buttons);
	if (choice === anyway) {
		s.log.warn(
			`[create] ${entry.fileName}: registering at ${JSON.stringify(moved.now)}, uploaded at ${JSON.stringify(moved.recorded)}.`,
		);
		return 'register';
	}
	if (choice === uploadAgain) {
		return 'uploadAgain';
	}
	throw cancelledError('the registration of a file uploaded elsewhere');
}

/** The row's Upload again (its file, with the current settings): the new row, or a cancel when the upload did not finish (its own command told why). */
export async function uploadAgainHere(entry: HistoryEntry): Promise<HistoryEntry> {
	const uploaded = await vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFirmware, { entry });
	if (!uploaded) {
		throw cancelledError(`the upload of ${entry.fileName} again`);
	}
	return uploaded;
}
