// Create OTA Firmware on an Uploads row whose connection moved since the upload (movedPlace): one modal warning naming
// both places, before any API call. Upload Again Here runs the row's own Upload again (the file, with the current
// settings); Register Anyway goes on; Cancel (or Escape) stops with nothing written.
import * as vscode from 'vscode';
import { cancelledError } from '../../core/errors';
import type { Services } from '../commands/services';
import { Commands } from '../constants';
import { DEFAULT_INSTANCE, type HistoryEntry } from '../model';
import { PromptIds } from '../ui/prompter';
import { movedPlace, type RecordedPlace } from './placeMoved';

function instanceText(instance: string | undefined): string {
	if (instance === undefined) {
		return vscode.l10n.t('instance not recorded');
	}
	return instance === DEFAULT_INSTANCE ? vscode.l10n.t("the region's default instance") : vscode.l10n.t('instance {0}', instance);
}

function placeText(place: RecordedPlace): string {
	return vscode.l10n.t('profile "{0}", region {1}, {2}', place.profile, place.region, instanceText(place.instance));
}

/**
 * Asks when `now` (the profile and connection the registration resolved) is not where `entry` was uploaded: 'register'
 * to go on (also when nothing moved), 'uploadAgain' to upload the file again here instead; throws a cancel otherwise.
 */
export async function confirmPlace(
	s: Services,
	entry: HistoryEntry,
	now: { profile: string; region: string; iotInstanceId?: string },
): Promise<'register' | 'uploadAgain'> {
	const moved = movedPlace(entry, now);
	if (!moved) {
		return 'register';
	}
	const uploadAgain = vscode.l10n.t('Upload Again Here');
	const anyway = vscode.l10n.t('Register Anyway');
	const text = vscode.l10n.t('{0} was uploaded elsewhere than it would be registered now.', entry.fileName);
	const detail = [
		vscode.l10n.t('Uploaded with {0}.', placeText(moved.recorded)),
		vscode.l10n.t('Registered now with {0}.', placeText(moved.now)),
		vscode.l10n.t(
			"Its FirmwareUrl is a file of the upload's region and instance. Upload Again Here uploads the file with the current settings; Register Anyway registers that FirmwareUrl here.",
		),
	].join('\n');
	const choice = await s.prompter.message(PromptIds.createPlaceMoved, 'warning', text, { modal: true, detail }, uploadAgain, anyway);
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
