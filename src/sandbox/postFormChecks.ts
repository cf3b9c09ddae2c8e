import type { KeyPair } from './identity';
import { ossErrors } from './ossErrors';
import { checkPolicyConditions, decodePostPolicy, signPostPolicy, sizeRange } from './ossPolicy';
import { signaturesEqual } from './popSignature';

/** What OSS checks on a PostObject form before it accepts the file part (docs/protocols.md §3.1–3.5). */

export function validateObjectKey(key: string): void {
	const segments = key.split('/');
	const unsafe =
		Buffer.byteLength(key) > 1023 ||
		key.startsWith('/') ||
		key.includes('\\') ||
		key.includes('\0') ||
		segments.some((s) => s === '.' || s === '..');
	if (unsafe) {
		throw ossErrors.invalidKey(key);
	}
}

export interface FormCheckContext {
	owner: KeyPair;
	bucket: string;
	now: number;
	/** Fault injection: treat the policy as expired whatever it says. */
	forceExpired: boolean;
}

/**
 * Checks the form fields (lower-case names): required fields, object key, policy,
 * signature, expiry and conditions. Returns the allowed file size range; throws OssError.
 */
export function checkPostForm(fields: ReadonlyMap<string, string>, ctx: FormCheckContext): { min: number; max: number } {
	const key = fields.get('key');
	if (!key) {
		throw ossErrors.missingField('key');
	}
	validateObjectKey(key);
	const accessKeyId = fields.get('ossaccesskeyid');
	const policyText = fields.get('policy');
	const signature = fields.get('signature');
	if (!accessKeyId) {
		throw ossErrors.missingField('OSSAccessKeyId', '0002-00000706');
	}
	if (!policyText) {
		throw ossErrors.missingField('policy', '0002-00000702');
	}
	if (!signature) {
		throw ossErrors.missingField('Signature', signature === undefined ? '0002-00000703' : '0002-00000704');
	}
	const policy = decodePostPolicy(policyText);
	if (accessKeyId !== ctx.owner.accessKeyId) {
		throw ossErrors.unknownAccessKey(accessKeyId);
	}
	if (!signaturesEqual(signPostPolicy(policyText, ctx.owner.accessKeySecret), signature)) {
		throw ossErrors.signatureMismatch();
	}
	if (ctx.forceExpired || policy.expiresAt <= ctx.now) {
		throw ossErrors.policyExpired();
	}
	checkPolicyConditions(policy, new Map([...fields, ['bucket', ctx.bucket]]));
	return sizeRange(policy);
}
