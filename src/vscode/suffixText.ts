// "has no allowed OTA suffix": the core's refusal (preflight's file-no-allowed-suffix) and the extension's (iotOta.suffixMode
// "alwaysInfer", and the suffix pick's placeholder) say it alike, in the window's language.
import type { l10n } from 'vscode';
import { ALLOWED_SUFFIXES_TEXT } from '../core/limits';
import type { Translator } from './upload/progressFormat';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

/** '"app" has no allowed OTA suffix (bin, dav, …).' */
export function noAllowedSuffixText(name: string, l10n: Translator): string {
	return l10n.t('"{0}" has no allowed OTA suffix ({1}).', name, ALLOWED_SUFFIXES_TEXT);
}
