import { createHmac } from 'node:crypto';
import { OssError, ossErrors } from './ossErrors';

/**
 * OSS PostObject V1 policies: minting (for GenerateOTAUploadURL), signing, and
 * decoding + checking them the way OSS does on upload.
 */

export type PolicyCondition =
	| { op: 'eq' | 'starts-with'; field: string; value: string }
	| { op: 'in' | 'not-in'; field: string; values: string[] }
	| { op: 'content-length-range'; min: number; max: number };

export interface PostPolicy {
	expiration: string;
	expiresAt: number;
	conditions: PolicyCondition[];
}

/** V1 PostObject signature: Base64(HMAC-SHA1(secret, policyBase64)); no trailing "&" on the key. */
export function signPostPolicy(policyBase64: string, accessKeySecret: string): string {
	return createHmac('sha1', accessKeySecret).update(policyBase64, 'utf8').digest('base64');
}

export interface MintedPolicy {
	json: string;
	base64: string;
}

/**
 * The policy GenerateOTAUploadURL hands out, with the condition kinds of the real one (docs/protocols.md §3.2): expires
 * after `ttlMs`, a `content-length-range` up to `maxBytes` and a `starts-with` on the key's folder (`ota/<account>/`).
 */
export function mintUploadPolicy(opts: { key: string; now: number; ttlMs: number; maxBytes: number }): MintedPolicy {
	const folder = opts.key.slice(0, opts.key.lastIndexOf('/') + 1);
	const json = JSON.stringify({
		expiration: new Date(opts.now + opts.ttlMs).toISOString(),
		conditions: [
			['content-length-range', 0, opts.maxBytes],
			['starts-with', '$key', folder],
		],
	});
	return { json, base64: Buffer.from(json, 'utf8').toString('base64') };
}

const ISO_EXPIRATION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes and validates the `policy` form field; throws OssError(InvalidPolicyDocument). */
export function decodePostPolicy(policyBase64: string): PostPolicy {
	if (!BASE64.test(policyBase64)) {
		throw ossErrors.invalidPolicy('Invalid Base64 encoding of the policy.');
	}
	let doc: unknown;
	try {
		doc = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8'));
	} catch (error) {
		throw ossErrors.invalidPolicy(`Invalid JSON: ${(error as Error).message}`);
	}
	if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
		throw ossErrors.invalidPolicy('Invalid JSON: the policy must be a JSON object.');
	}
	const record = doc as Record<string, unknown>;
	const unexpected = Object.keys(record).find((k) => k !== 'expiration' && k !== 'conditions');
	if (unexpected !== undefined) {
		throw ossErrors.invalidPolicy(`Unexpected field '${unexpected}'; only 'expiration' and 'conditions' are allowed.`, '0006-00000206');
	}
	if (!('expiration' in record)) {
		throw 'conditions' in record
			? ossErrors.invalidPolicy("Policy missing 'expiration'.", '0006-00000208')
			: ossErrors.invalidPolicy("Policy missing 'expiration' and 'conditions'.", '0006-00000209');
	}
	const expiration = record.expiration;
	if (typeof expiration !== 'string') {
		throw ossErrors.invalidPolicy("'expiration' must be an ISO 8601 GMT string.", '0006-00000210');
	}
	if (expiration === '') {
		throw ossErrors.invalidPolicy("'expiration' is empty.", '0006-00000211');
	}
	const expiresAt = Date.parse(expiration);
	if (!ISO_EXPIRATION.test(expiration) || Number.isNaN(expiresAt)) {
		throw ossErrors.invalidPolicy(`Invalid 'expiration' value: '${expiration}'.`, '0006-00000210');
	}
	if (!Array.isArray(record.conditions) || record.conditions.length === 0) {
		throw ossErrors.invalidPolicy("'conditions' must be a non-empty array.");
	}
	return { expiration, expiresAt, conditions: record.conditions.map(parseCondition) };
}

function parseCondition(raw: unknown): PolicyCondition {
	if (Array.isArray(raw)) {
		return parseArrayCondition(raw);
	}
	if (typeof raw === 'object' && raw !== null) {
		const entries = Object.entries(raw);
		if (entries.length !== 1) {
			throw ossErrors.invalidPolicy('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
		}
		const [field, value] = entries[0];
		if (typeof value !== 'string') {
			throw ossErrors.invalidPolicy(`Invalid Simple-Condition: the value of '${field}' must be a string.`);
		}
		return { op: 'eq', field: fieldName(field), value };
	}
	throw ossErrors.invalidPolicy('Invalid Condition: a condition must be an object or an array.');
}

function parseArrayCondition(raw: unknown[]): PolicyCondition {
	const op = typeof raw[0] === 'string' ? raw[0].toLowerCase() : '';
	if (op === 'content-length-range') {
		const [, min, max] = raw;
		if (raw.length !== 3 || !Number.isSafeInteger(min) || !Number.isSafeInteger(max) || (min as number) < 0) {
			throw ossErrors.invalidPolicy('Invalid content-length-range: min and max must be non-negative integers.', '0006-00000221');
		}
		if ((max as number) < (min as number)) {
			throw ossErrors.invalidPolicy('Invalid content-length-range: max is smaller than min.', '0006-00000219');
		}
		return { op, min: min as number, max: max as number };
	}
	if (raw.length !== 3 || typeof raw[1] !== 'string') {
		throw ossErrors.invalidPolicy(`Invalid Condition: ${JSON.stringify(raw)}`);
	}
	const field = fieldName(raw[1]);
	if ((op === 'eq' || op === 'starts-with') && typeof raw[2] === 'string') {
		return { op, field, value: raw[2] };
	}
	if ((op === 'in' || op === 'not-in') && Array.isArray(raw[2]) && raw[2].every((v) => typeof v === 'string')) {
		return { op, field, values: raw[2] as string[] };
	}
	throw ossErrors.invalidPolicy(`Invalid Condition: ${JSON.stringify(raw)}`);
}

/** Form-field names are case-insensitive, so conditions are matched on lower-case names. */
function fieldName(name: string): string {
	return (name.startsWith('$') ? name.slice(1) : name).toLowerCase();
}

export function renderCondition(condition: PolicyCondition): string {
	const parts: unknown[] =
		condition.op === 'content-length-range'
			? [condition.op, condition.min, condition.max]
			: [condition.op, `$${condition.field}`, 'value' in condition ? condition.value : condition.values];
	return `[${parts.map((p) => JSON.stringify(p).replace(/","/g, '", "')).join(', ')}]`;
}

/**
 * Checks every condition except content-length-range against the form fields
 * (lower-case names; `bucket` is supplied by the caller). A missing field counts
 * as an empty value. Throws OssError(AccessDenied) naming the failing condition.
 */
export function checkPolicyConditions(policy: PostPolicy, fields: ReadonlyMap<string, string>): void {
	for (const condition of policy.conditions) {
		if (condition.op === 'content-length-range') {
			continue;
		}
		const actual = fields.get(condition.field) ?? '';
		if (!conditionHolds(condition, actual)) {
			throw ossErrors.conditionFailed(renderCondition(condition));
		}
	}
}

function conditionHolds(condition: Exclude<PolicyCondition, { op: 'content-length-range' }>, actual: string): boolean {
	switch (condition.op) {
		case 'eq':
			return actual === condition.value;
		case 'starts-with':
			return actual.startsWith(condition.value);
		case 'in':
			return condition.values.includes(actual);
		case 'not-in':
			return !condition.values.includes(actual);
	}
}

/** The tightest size range all content-length-range conditions allow. */
export function sizeRange(policy: PostPolicy): { min: number; max: number } {
	let min = 0;
	let max = Number.POSITIVE_INFINITY;
	for (const condition of policy.conditions) {
		if (condition.op === 'content-length-range') {
			min = Math.max(min, condition.min);
			max = Math.min(max, condition.max);
		}
	}
	return { min, max };
}

export function isOssError(error: unknown): error is OssError {
	return error instanceof OssError;
}
