import { parseArgs } from 'node:util';
import { OtaError } from '../core/errors';

export interface FlagSpec {
	name: string;
	type: 'string' | 'boolean';
	/** Placeholder shown in help, e.g. "PK". */
	value?: string;
	short?: string;
	/** May be given several times (string flags): the values come as a list. */
	multiple?: boolean;
	description: string;
}

export interface CommandSpec {
	name: string;
	summary: string;
	/** Shown after "iot-ota <name>" in the usage line. */
	synopsis: string;
	positionals: { min: number; max: number };
	flags: readonly FlagSpec[];
	/** Extra paragraphs printed after the flag list. */
	notes?: readonly string[];
}

export type FlagValues = Record<string, string | string[] | boolean | undefined>;

export interface ParsedArgs {
	values: FlagValues;
	positionals: string[];
}

export const COMMON_FLAGS: readonly FlagSpec[] = [
	{ name: 'json', type: 'boolean', description: 'Print exactly one JSON object on stdout (errors too).' },
	{ name: 'help', type: 'boolean', short: 'h', description: 'Show this help.' },
];

export function usageError(message: string, hint?: string): OtaError {
	return new OtaError({ code: 'UsageError', source: 'validation', message, hint });
}

export function flagList(spec: CommandSpec): string {
	return allFlags(spec)
		.map((f) => `--${f.name}`)
		.join(', ');
}

/** The command's flags, then the common ones; a command's own flag of a common name (its --json wording) replaces it. */
export function allFlags(spec: CommandSpec): FlagSpec[] {
	const own = (name: string) => spec.flags.find((flag) => flag.name === name);
	return [
		...spec.flags.filter((flag) => !COMMON_FLAGS.some((common) => common.name === flag.name)),
		...COMMON_FLAGS.map((c) => own(c.name) ?? c),
	];
}

/** Strict parsing: unknown flags, missing values and wrong positional counts become usage errors naming the valid flags. */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
	const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
	for (const flag of allFlags(spec)) {
		options[flag.name] = {
			type: flag.type,
			...(flag.short ? { short: flag.short } : {}),
			...(flag.multiple ? { multiple: true } : {}),
		};
	}
	let parsed: { values: FlagValues; positionals: string[] };
	try {
		parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true }) as {
			values: FlagValues;
			positionals: string[];
		};
	} catch (error) {
		throw usageError(`${describeParseError(error)} (iot-ota ${spec.name}).`, `Valid flags: ${flagList(spec)}.`);
	}
	if (parsed.values.help) {
		return parsed;
	}
	const count = parsed.positionals.length;
	if (count < spec.positionals.min) {
		throw usageError(`Missing argument: iot-ota ${spec.name} ${spec.synopsis}`, `Run iot-ota ${spec.name} --help for details.`);
	}
	if (count > spec.positionals.max) {
		const extra = parsed.positionals.slice(spec.positionals.max).join(' ');
		throw usageError(`Unexpected argument "${extra}" for iot-ota ${spec.name}.`, `Valid flags: ${flagList(spec)}.`);
	}
	return parsed;
}

function describeParseError(error: unknown): string {
	const err = error as { code?: string; message?: string };
	const message = (err.message ?? String(error)).split('\n')[0].replace(/\.$/, '');
	switch (err.code) {
		case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
			const flag = /'([^']+)'/.exec(message)?.[1];
			return flag ? `Unknown flag ${flag}` : message;
		}
		case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
			return message.replace(/^Option '([^']+)'/, 'Flag $1');
		default:
			return message;
	}
}

export function stringFlag(values: FlagValues, name: string): string | undefined {
	const value = values[name];
	return typeof value === 'string' ? value : undefined;
}

/** Every value of a flag that may be repeated. */
export function stringListFlag(values: FlagValues, name: string): string[] {
	const value = values[name];
	return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

export function booleanFlag(values: FlagValues, name: string): boolean {
	return values[name] === true;
}

/** A TCP port 0–65535 (0 = any free port). */
export function portFlag(values: FlagValues, name: string): number | undefined {
	const raw = stringFlag(values, name);
	if (raw === undefined) {
		return undefined;
	}
	const port = Number(raw);
	if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(port) || port > 65535) {
		throw usageError(`--${name} must be a port number from 0 to 65535 (got "${raw}").`);
	}
	return port;
}

/** A whole number ≥ 1 (page sizes and counts). */
export function positiveIntFlag(values: FlagValues, name: string, max: number): number | undefined {
	const raw = stringFlag(values, name);
	if (raw === undefined) {
		return undefined;
	}
	const n = Number(raw);
	if (!/^\d+$/.test(raw.trim()) || n < 1 || n > max) {
		throw usageError(`--${name} must be a whole number from 1 to ${max} (got "${raw}").`);
	}
	return n;
}
