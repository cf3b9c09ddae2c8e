// The one line the extension shows for a failed command, in the window's language: the core's message and hint worded
// by reason (validationText.ts), then the shell's own way out, then "(Code, RequestId: …)" as OtaError.describe() puts
// it. In English it is describe() word for word (test/unit/vscode-ota/errorWordings.test.ts). The log line stays the
// English the CLI prints, whatever the window's language.
import type { l10n } from 'vscode';
import { packageInDoubt, registeredFirmwareId, type OtaError } from '../core/errors';
import type { SecretMask } from './log';
import { plainL10n, type Translator } from './upload/progressFormat';
import { wordedParts } from './validationText';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

/** `error` worded for the notification; `shellHint` (already in the window's language) follows the core's hint. */
export function errorText(error: OtaError, l10n: Translator, shellHint?: string): string {
	const { message, hint } = wordedParts(error, l10n);
	const text = [hint, shellHint].reduce<string>((sentence, next) => (next ? l10n.t('{0} {1}', sentence, next) : sentence), message);
	const requestId = error.requestId && l10n.t('RequestId: {0}', error.requestId);
	const meta = [error.code, requestId].filter(Boolean).join(', ');
	return meta ? l10n.t('{0} ({1})', text, meta) : text;
}

/**
 * The extension's own way out, where the core leaves it to the shell: a package a cancel left registered (the core
 * names only its FirmwareId) is removed with the OTA Packages view's Delete Package; one that may be registered is looked
 * for in that view.
 */
export function shellHint(error: OtaError, l10n: Translator): { firmwareId?: string; hint?: string } {
	const firmwareId = registeredFirmwareId(error);
	if (firmwareId !== undefined) {
		return { firmwareId, hint: l10n.t('Delete it in the OTA Packages view (Delete Package…).') };
	}
	const doubt = packageInDoubt(error);
	return { hint: doubt && l10n.t('Look for it in the OTA Packages view (product {0}) before registering again.', doubt.productKey) };
}

/** `error` with the extension's way out after the core's hint, in English: what the CLI would print, for the log. */
export function withEnglishShellHint(error: OtaError): OtaError {
	const { hint } = shellHint(error, plainL10n);
	return hint ? error.withHint(error.hint ? `${error.hint} ${hint}` : hint) : error;
}

/**
 * A failed command's two lines: what the window shows (in its language, `l10n`) and what the log keeps (always the
 * English the CLI prints: the core's message and hint, the extension's way out in English, the code and RequestId).
 */
export function errorReport(error: OtaError, l10n: Translator): { shown: string; logged: string; firmwareId?: string } {
	const { firmwareId, hint } = shellHint(error, l10n);
	return { shown: errorText(error, l10n, hint), logged: withEnglishShellHint(error).describe(), firmwareId };
}

/** What the window shows of `error` (errorReport), every secret masked after the wording (a reason's values are the core's). */
export function shownText(error: OtaError, l10n: Translator, mask: Pick<SecretMask, 'apply'>): string {
	return mask.apply(errorReport(error, l10n).shown);
}
