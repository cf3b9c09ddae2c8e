// pop-core parses bodies with json-bigint: objects have no prototype and integers beyond
// 2^53 arrive as BigNumber instances. These helpers turn such values into plain data.

type BigNumberLike = { isBigNumber?: boolean; _isBigNumber?: boolean; toFixed(): string };

export type Json = Record<string, unknown>;

function isBigNumber(value: unknown): value is BigNumberLike {
	const candidate = value as BigNumberLike | null;
	return (
		typeof value === 'object' &&
		candidate !== null &&
		(candidate.isBigNumber === true || candidate._isBigNumber === true) &&
		typeof candidate.toFixed === 'function'
	);
}

/** Deep copy into ordinary objects/arrays; BigNumbers become numbers when safe, decimal strings otherwise. */
export function toPlain(value: unknown): unknown {
	if (isBigNumber(value)) {
		const digits = value.toFixed();
		const asNumber = Number(digits);
		return Number.isSafeInteger(asNumber) || !Number.isInteger(asNumber) ? asNumber : digits;
	}
	if (Array.isArray(value)) {
		return value.map(toPlain);
	}
	if (typeof value === 'object' && value !== null) {
		const out: Json = {};
		for (const key of Object.keys(value)) {
			out[key] = toPlain((value as Json)[key]);
		}
		return out;
	}
	return value;
}

export function asObject(value: unknown): Json | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** A non-empty string (numbers are stringified), else undefined. */
export function str(value: unknown): string | undefined {
	if (typeof value === 'string') {
		return value === '' ? undefined : value;
	}
	if (typeof value === 'number' && Number.isFinite(value)) {
		return String(value);
	}
	return undefined;
}

/** A finite number (numeric strings are parsed), else undefined. */
export function num(value: unknown): number | undefined {
	if (typeof value === 'number') {
		return Number.isFinite(value) ? value : undefined;
	}
	if (typeof value === 'string' && value.trim() !== '') {
		const parsed = Number(value);
		return Number.isFinite(parsed) ? parsed : undefined;
	}
	return undefined;
}

/** An array, a lone object treated as a one-element list (XML-to-JSON habit), or []. */
export function list(value: unknown): unknown[] {
	if (Array.isArray(value)) {
		return value;
	}
	return asObject(value) ? [value] : [];
}

/** Answer fields that carry device or product credentials (docs/protocols.md §12.2): never kept, never shown. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(['DeviceSecret', 'ProductSecret']);

/** A copy of a plain answer without any SECRET_FIELDS, at any depth. */
export function withoutSecretFields(value: unknown): unknown {
	if (Array.isArray(value)) {
		return value.map(withoutSecretFields);
	}
	if (typeof value === 'object' && value !== null) {
		const out: Json = {};
		for (const [key, field] of Object.entries(value)) {
			if (!SECRET_FIELDS.has(key)) {
				out[key] = withoutSecretFields(field);
			}
		}
		return out;
	}
	return value;
}
