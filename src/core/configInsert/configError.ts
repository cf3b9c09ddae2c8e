import { OtaError, type MessageReason } from '../errors';

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

/**
 * The reasons (MessageReason codes) the config engine gives its messages, so that a shell can word them in its own
 * language; the English here stays the CLI's. The values of each are named where the error is made.
 */
const CONFIG_BASE_REASONS = [
	'config-file-not-found',
	'config-not-regular',
	'config-too-large',
	'config-cannot-write',
	'config-read-only',
	'config-folder-read-only',
	'config-inaccessible',
	'config-not-utf8',
	'config-changed',
	'config-moved',
	'config-format-unknown',
	'config-malformed',
	'config-line-malformed',
	'config-quote-unclosed',
	'config-yaml-documents',
	'config-duplicate-key',
	'key-path-invalid',
	'key-name-invalid',
	'key-path-not-array',
	'key-path-is-array',
	'key-path-not-object',
	'key-path-ends-at-container',
	'key-path-index-gap',
] as const;

/** The reasons of what one format refuses: a C header's structure and definitions, a .env line, a TOML array. */
export const CONFIG_FORMAT_REASONS = [
	'c-header-malformed',
	'c-function-macro',
	'c-defined-conditionally',
	'c-undefined-after',
	'c-defined-only-skipped',
	'env-line-continues',
	'env-trailing-text',
	'toml-array-item-missing',
	'toml-array-append',
	'toml-uneditable',
	'toml-no-place',
	'value-refused',
] as const;

export type ConfigFormatReason = (typeof CONFIG_FORMAT_REASONS)[number];
export type ConfigReason = (typeof CONFIG_BASE_REASONS)[number] | ConfigFormatReason;
export const CONFIG_REASONS: readonly ConfigReason[] = [...CONFIG_BASE_REASONS, ...CONFIG_FORMAT_REASONS];

const UNCHANGED = 'The file was not changed.';

/** An OtaError from the config engine; every message ends by saying nothing was written. */
export function configError(
	code: ConfigErrorCode,
	message: string,
	hint?: string,
	reason?: { code: ConfigReason; values: MessageReason['values'] },
): OtaError {
	const text = message.endsWith(UNCHANGED) ? message : `${message.replace(/\.?$/, '.')} ${UNCHANGED}`;
	return new OtaError({ code, message: text, source: 'config', hint, reason });
}

/** A value the format cannot hold: `rule` names why (the shells word it by that). */
export function valueRefused(message: string, rule: string): OtaError {
	return configError('UnsupportedValue', message, undefined, { code: 'value-refused', values: { rule } });
}

/** Formats a 1-based position for messages. */
export function at(line: number, column?: number): string {
	return column === undefined ? `line ${line}` : `line ${line}, column ${column}`;
}

/** A position as reason values: `line`, and `column` when known. */
export function position(line: number, column?: number): Record<string, number> {
	return column === undefined ? { line } : { line, column };
}
