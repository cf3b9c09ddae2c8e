/**
 * How a value is written into a .env file so that every usual reader sees the same text: a POSIX shell that
 * `source`s the file (sh, dash, bash), and dotenv-style parsers. The forms all of them read alike:
 *  - bare, for a conservative set of characters no shell treats specially;
 *  - '…', literal in sh and in dotenv (no escapes, may span lines), unless the value holds ' or ends with \
 *    (dotenv's pattern would read \' as an escaped quote);
 *  - "…", only when nothing in the value is special inside double quotes for sh ($ ` " \) or bash (!), because
 *    dotenv and sh disagree on every escape.
 * A value none of them fits (e.g. ' together with $) is refused rather than written in a form one reader misreads.
 */
import { valueRefused } from './configError';

export type EnvQuote = '"' | "'" | '`' | '';

const BARE = /^[A-Za-z0-9_./:@%+,=-]*$/;

function singleQuotable(value: string): boolean {
	return !/['\r\0]/.test(value) && !value.endsWith('\\');
}

function doubleQuotable(value: string): boolean {
	return !/["$`\\!\r\0]/.test(value);
}

/** Why no form fits, and its rule (the shells word the refusal by that). */
function whyUnwritable(value: string): [why: string, rule: string] {
	if (value.includes('\0')) {
		return ['it contains a NUL character, which a shell variable cannot hold', 'env-nul'];
	}
	if (value.includes('\r')) {
		return ['it contains a carriage return, which dotenv turns into a line break', 'env-cr'];
	}
	if (value.endsWith('\\')) {
		return ['it ends with a backslash', 'env-backslash'];
	}
	return ['it contains a single quote (\') together with one of $ ` " \\ !', 'env-quote'];
}

/** The value as it goes after `KEY=`; keeps the assignment's previous quoting where that is still safe. Throws when no form fits. */
export function renderEnvValue(value: string, previousQuote: EnvQuote = ''): string {
	if (previousQuote === '"' && doubleQuotable(value)) {
		return `"${value}"`;
	}
	if (previousQuote !== "'" && BARE.test(value)) {
		return value;
	}
	if (singleQuotable(value)) {
		return `'${value}'`;
	}
	if (doubleQuotable(value)) {
		return `"${value}"`;
	}
	const [why, rule] = whyUnwritable(value);
	throw valueRefused(
		`The value cannot be written to a .env file so that sh/bash (when the file is sourced) and dotenv read it alike: ${why}`,
		rule,
	);
}
