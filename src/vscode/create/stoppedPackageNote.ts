// The note a stopped package's Uploads rows keep. Kept out of errorText.ts, which activation loads: this one needs the
// core's package flow (core/flow), which must load only when a package is uploaded.
import { toOtaError } from '../../core/errors';
import { packageMayBeRegistered } from '../../core/flow';
import { shownText } from '../errorText';
import type { SecretMask } from '../log';
import type { Translator } from '../upload/progressFormat';

/**
 * The note the Uploads rows of a stopped package keep when the package may be registered all the same (packageRows.ts):
 * the error notification's line, so one language, the window's. Saved as plain text, as older rows' notes are.
 */
export function stoppedPackageNote(error: unknown, l10n: Translator, mask: Pick<SecretMask, 'apply' | 'list'>): string | undefined {
	return packageMayBeRegistered(error) ? shownText(toOtaError(error, mask.list()), l10n, mask) : undefined;
}
