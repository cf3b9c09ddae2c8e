// The command lines that finish an upload that was not registered: `firmware create` for its FirmwareUrl, or, once that
// FirmwareUrl is gone, `upload --create` of the file again. Both carry the registration and connection flags the run
// was given, as the user gave them; none of those flags holds a secret (connection.ts connectionArgs).
import { shellQuote } from '../core/lifecycle/preview';
import { VERSION_MARKER_FLAG, type FlagValues } from './args';
import { connectionArgs, flagWords } from './connection';
import { REGISTRATION_FLAGS } from './commands/uploadArgs';

/** Stands for the ProductKey a run without one (an upload without --create) leaves to the user. */
const PRODUCT_KEY_PLACEHOLDER = '<ProductKey>';

function registrationWords(values: FlagValues): string[] {
	const words = flagWords([...REGISTRATION_FLAGS, VERSION_MARKER_FLAG], values);
	return words.includes('--product-key') ? words : ['--product-key', PRODUCT_KEY_PLACEHOLDER, ...words];
}

/** `iot-ota firmware create <FirmwareUrl> --file <file> …`: registers the FirmwareUrl `file` was uploaded to. */
export function firmwareCreateCommand(firmwareUrl: string, file: string, values: FlagValues): string {
	const words = ['iot-ota', 'firmware', 'create', shellQuote(firmwareUrl), '--file', shellQuote(file)];
	return [...words, ...registrationWords(values), ...connectionArgs(values)].join(' ');
}

/** `iot-ota upload <file> --create …`: uploads `file` again and registers it in one run. */
export function uploadCreateCommand(file: string, values: FlagValues): string {
	return ['iot-ota', 'upload', shellQuote(file), '--create', ...registrationWords(values), ...connectionArgs(values)].join(' ');
}
