// The one line the extension shows for a failed command, in the window's language: the core's message and hint worded
// by reason (validationText.ts), then the shell's own way out, then "(Code, RequestId: …)" as OtaError.describe() puts
// it. In English it is describe() word for word (test/unit/vscode-ota/errorWordings.test.ts).
import type { l10n } from 'vscode';
import type { OtaError } from '../core/errors';
import type { Translator } from './upload/progressFormat';
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
