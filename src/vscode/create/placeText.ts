// How a place (an Uploads row's recorded one, or where a command reaches now: movedPlace) is named to the user: the Create
// OTA Firmware warning and Show in OTA Packages on a row whose place moved name both places with it.
import type { l10n } from 'vscode';
import { DEFAULT_INSTANCE } from '../model';
import type { Translator } from '../upload/progressFormat';
import type { RecordedPlace } from './placeMoved';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

function instanceText(instance: string | undefined, l10n: Translator): string {
	if (instance === undefined) {
		return l10n.t('instance not recorded');
	}
	return instance === DEFAULT_INSTANCE ? l10n.t('public instance') : l10n.t('instance {0}', instance);
}

/** 'profile "dev", region cn-shanghai, public instance' (in `l10n`'s language). */
export function placeText(place: RecordedPlace, l10n: Translator): string {
	return l10n.t('profile "{0}", region {1}, {2}', place.profile, place.region, instanceText(place.instance, l10n));
}
