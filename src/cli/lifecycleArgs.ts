// Flags of the lifecycle commands: parsed here, checked by the core's rules (one source for every limit), and
// reported with the flag's name. Nothing here calls the network.
import { OtaError } from '../core/errors';
import { checkGrayPercent, checkTimeout, LIFECYCLE_LIMITS, parseHaltAt, type GuardPolicy } from '../core/lifecycle';
import { LifecycleClient } from '../core/lifecycle/client';
import type { Logger } from '../core/logger';
import { formatCount } from '../core/format';
import { stringFlag, usageError, type FlagSpec, type FlagValues, type ParsedArgs } from './args';
import { createClient, resolveConnection, type ResolvedConnection } from './connection';
import type { CliContext, SafeOutput } from './io';

export const VERBOSE_FLAG: FlagSpec = { name: 'verbose', type: 'boolean', description: 'Log API calls and retries to stderr.' };

/** "1–10", "10–10,000": a range of LIFECYCLE_LIMITS for help texts. */
export const range = ({ min, max }: { min: number; max: number }): string => `${formatCount(min)}–${formatCount(max)}`;

export const TIMEOUT_FLAG: FlagSpec = {
	name: 'timeout',
	type: 'string',
	value: 'MIN',
	description: `Fail a device that has not upgraded MIN minutes (${range(LIFECYCLE_LIMITS.timeoutMinutes)}) after it started.`,
};

/** Re-throws a core validation error with the flag's name in front, so the user knows which flag to fix. */
export function forFlag<T>(name: string, check: () => T): T {
	return forFlagOf(() => name, check);
}

/**
 * Like forFlag, for a check of several flags: `flagOf(code)` names the flag a validation error is about; an error
 * about none of them (undefined) is reported as it is.
 */
export function forFlagOf<T>(flagOf: (code: string) => string | undefined, check: () => T): T {
	try {
		return check();
	} catch (error) {
		const flag = error instanceof OtaError && error.source === 'validation' ? flagOf(error.code) : undefined;
		throw flag === undefined ? error : usageError(`--${flag}: ${(error as OtaError).message}`, (error as OtaError).hint);
	}
}

/** The positional id (FirmwareId, JobId): one word. */
export function idArgument(args: ParsedArgs, what: string): string {
	const id = (args.positionals[0] ?? '').trim();
	if (!/^[A-Za-z0-9_.*-]+$/.test(id)) {
		throw usageError(`${what} must be one word of letters and digits (got "${args.positionals[0] ?? ''}").`);
	}
	return id;
}

/** "a,b,c" → ['a','b','c']; empty entries are an error. */
export function listFlag(values: FlagValues, name: string): string[] | undefined {
	const raw = stringFlag(values, name);
	if (raw === undefined) {
		return undefined;
	}
	const items = raw.split(',').map((item) => item.trim());
	if (items.some((item) => item === '')) {
		throw usageError(`--${name} takes a comma-separated list without empty entries (got "${raw}").`, `Example: --${name} a,b,c`);
	}
	return items;
}

/** A flag of digits as a number; its range is the core check's to judge. */
export function wholeNumber(values: FlagValues, name: string, what: string): number | undefined {
	const raw = stringFlag(values, name);
	if (raw === undefined) {
		return undefined;
	}
	if (!/^\s*\d+\s*$/.test(raw)) {
		throw usageError(`--${name} must be ${what} (got "${raw}").`);
	}
	return Number(raw);
}

/** --timeout MIN (LIFECYCLE_LIMITS.timeoutMinutes). */
export function timeoutFlag(values: FlagValues): number | undefined {
	const { min, max } = LIFECYCLE_LIMITS.timeoutMinutes;
	const minutes = wholeNumber(values, 'timeout', `a whole number of minutes from ${min} to ${max}`);
	forFlag('timeout', () => checkTimeout(minutes));
	return minutes;
}

/** --rate N: MaximumPerMinute (range checked with the rest of the batch). */
export function rateFlag(values: FlagValues): number | undefined {
	const { min, max } = LIFECYCLE_LIMITS.maximumPerMinute;
	return wholeNumber(values, 'rate', `a whole number of pushes per minute from ${min} to ${max}`);
}

/** --retry MIN:COUNT. */
export function retryFlag(values: FlagValues): { retryInterval: number; retryCount: number } | undefined {
	const raw = stringFlag(values, 'retry');
	if (raw === undefined) {
		return undefined;
	}
	const match = /^\s*(\d+)\s*:\s*(\d+)\s*$/.exec(raw);
	const { retryIntervals, retryCounts } = LIFECYCLE_LIMITS;
	if (!match || !retryIntervals.includes(Number(match[1])) || !retryCounts.includes(Number(match[2]))) {
		throw usageError(
			`--retry must be MIN:COUNT with MIN one of ${retryIntervals.join(', ')} and COUNT one of ${retryCounts.join(', ')} (got "${raw}").`,
			'Example: --retry 10:2 retries a failed device twice, 10 minutes apart.',
		);
	}
	return { retryInterval: Number(match[1]), retryCount: Number(match[2]) };
}

/** --gray PCT. */
export function grayFlag(values: FlagValues): string | undefined {
	const raw = stringFlag(values, 'gray');
	return raw === undefined ? undefined : forFlag('gray', () => checkGrayPercent(raw));
}

/** --halt-at PCT[:N]. */
export function haltAtFlag(values: FlagValues): GuardPolicy | undefined {
	const raw = stringFlag(values, 'halt-at');
	return raw === undefined ? undefined : forFlag('halt-at', () => parseHaltAt(raw));
}

/** An ISO 8601 date-time (with a zone, e.g. 2025-06-01T02:00:00Z or +08:00) → epoch ms. */
export function timeFlag(values: FlagValues, name: string): number | undefined {
	const raw = stringFlag(values, name);
	if (raw === undefined) {
		return undefined;
	}
	const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(raw.trim())
		? Date.parse(raw.trim())
		: Number.NaN;
	if (Number.isNaN(ms)) {
		throw usageError(
			`--${name} must be an ISO 8601 date-time with a time zone (got "${raw}").`,
			`Example: --${name} 2025-06-01T02:00:00+08:00`,
		);
	}
	return ms;
}

export interface LifecycleConnection {
	client: LifecycleClient;
	connection: ResolvedConnection;
	/** stderr; debug and info lines only with --verbose. */
	logger: Logger;
}

/** The same credentials, region, endpoint and proxy handling as `upload`. */
export async function connectLifecycle(args: ParsedArgs, ctx: CliContext, out: SafeOutput): Promise<LifecycleConnection> {
	const connection = await resolveConnection(args.values, ctx.env);
	out.addSecrets(connection.credentials.accessKeySecret, connection.credentials.securityToken);
	const logger = out.logger(args.values.verbose === true);
	const iot = createClient(connection, logger, ctx.env);
	return { client: new LifecycleClient(iot, { env: ctx.env }), connection, logger };
}
