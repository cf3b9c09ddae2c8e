// The command lines that finish an upload that was not registered: `firmware create` for its FirmwareUrls, or, once
// they are gone, `upload --create` of the files again. Both carry the registration and connection flags the run
// was given, as the user gave them; none of those flags holds a secret (connection.ts connectionArgs). The line is
// built by the CLI's one builder of suggested lines (io.ts followUpCommand).
import { shellQuote } from '../core/lifecycle/preview';
import { VERSION_MARKER_FLAG, type FlagValues } from './args';
import { connectionArgs, flagWords } from './connection';
import { followUpCommand, PRODUCT_KEY_PLACEHOLDER_WORD } from './io';
import { REGISTRATION_FLAGS } from './commands/uploadArgs';

/** The registration flags the run was given; a ProductKey it was not given (an upload without --create) is a placeholder. */
function registrationWords(values: FlagValues): string[] {
	const words = flagWords([...REGISTRATION_FLAGS, VERSION_MARKER_FLAG], values);
	return words.includes('--product-key') ? words : ['--product-key', PRODUCT_KEY_PLACEHOLDER_WORD, ...words];
}

/** A file as the run was given it, as one word: a relative path that starts with a dash is given as `./-…`, not a flag. */
function fileWord(file: string): string {
	return shellQuote(file.startsWith('-') ? `./${file}` : file);
}

/** An uploaded file: the FirmwareUrl it went up to, and the file as the run was given it. */
export interface UploadedFile {
	firmwareUrl: string;
	file: string;
}

/**
 * `iot-ota firmware create <FirmwareUrl>… --file <file>…`: registers the FirmwareUrls the files were uploaded to (one
 * file, or one multi-file package of them, in their order).
 */
export function firmwareCreateCommand(uploaded: readonly UploadedFile[], values: FlagValues): string {
	const urls = uploaded.map(({ firmwareUrl }) => shellQuote(firmwareUrl));
	const files = uploaded.flatMap(({ file }) => ['--file', fileWord(file)]);
	return followUpCommand(['firmware', 'create', ...urls, ...files, ...registrationWords(values)], connectionArgs(values));
}

/** `iot-ota upload <file>… --create …`: uploads the files again and registers them in one run. */
export function uploadCreateCommand(files: readonly string[], values: FlagValues): string {
	return followUpCommand(['upload', ...files.map(fileWord), '--create', ...registrationWords(values)], connectionArgs(values));
}
