import { OtaError } from '../errors';

export type ConfigErrorCode =
	| 'ConfigSyntaxError'
	| 'InvalidKeyPath'
	| 'KeyPathConflict'
	| 'DuplicateKey'
	| 'ConditionalDefinition'
	| 'UnsupportedValue'
	| 'UnknownConfigFormat'
	| 'ConfigFileNotFound'
	| 'ConfigFileReadOnly'
	| 'ConfigFileChanged'
	| 'ConfigFileUnreadable'
	| 'ConfigFileTooLarge'
	| 'ConfigInsertFailed';

const UNCHANGED = 'The file was not changed.';

/** An OtaError from the config engine; every message ends by saying nothing was written. */
export function configError(code: ConfigErrorCode, message: string, hint?: string): OtaError {
	const text = message.endsWith(UNCHANGED) ? message : `${message.replace(/\.?$/, '.')} ${UNCHANGED}`;
	return new OtaError({ code, message: text, source: 'config', hint });
}

/** Formats a 1-based position for messages. */
export function at(line: number, column?: number): string {
	return column === undefined ? `line ${line}` : `line ${line}, column ${column}`;
}
