// How a place (an Uploads row's recorded one, or where a command reaches now: movedPlace) is named to the user: the Create
// OTA Firmware warning and Show in OTA Packages on a row whose place moved name both places with it.
import * as vscode from 'vscode';
import { DEFAULT_INSTANCE } from '../model';
import type { RecordedPlace } from './placeMoved';

function instanceText(instance: string | undefined): string {
	if (instance === undefined) {
		return vscode.l10n.t('instance not recorded');
	}
	return instance === DEFAULT_INSTANCE ? vscode.l10n.t('public instance') : vscode.l10n.t('instance {0}', instance);
}

/** 'profile "dev", region cn-shanghai, public instance'. */
export function placeText(place: RecordedPlace): string {
	return vscode.l10n.t('profile "{0}", region {1}, {2}', place.profile, place.region, instanceText(place.instance));
}
