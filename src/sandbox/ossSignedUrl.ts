import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyPair } from './identity';
import { ossErrors, type OssError } from './ossErrors';

/**
 * OSS V1 signatures in the query string (docs/protocols.md §10.4): the
 * bucket is private, so a GET/HEAD of an object must carry `OSSAccessKeyId`, `Expires` (epoch seconds)
 * and `Signature` = base64(HMAC-SHA1(secret, VERB \n Content-MD5 \n Content-Type \n Expires \n /bucket/key)).
 */

function v1Signature(secret: string, verb: string, expires: number, bucket: string, key: string): string {
	return createHmac('sha1', secret).update(`${verb}\n\n\n${expires}\n/${bucket}/${key}`).digest('base64');
}

/** The signed, expiring GET URL of an object, as QueryOTAFirmware and device pushes carry it. */
export function signedObjectUrl(objectUrl: string, opts: { bucket: string; key: string; owner: KeyPair; expiresAtMs: number }): string {
	const expires = Math.floor(opts.expiresAtMs / 1000);
	const signature = v1Signature(opts.owner.accessKeySecret, 'GET', expires, opts.bucket, opts.key);
	return `${objectUrl}?Expires=${expires}&OSSAccessKeyId=${opts.owner.accessKeyId}&Signature=${encodeURIComponent(signature)}`;
}

/** The refusal of a GET/HEAD of `key`, or undefined when its query-string signature is valid and unexpired. */
export function checkSignedGet(
	method: 'GET' | 'HEAD',
	query: URLSearchParams,
	opts: { bucket: string; key: string; owner: KeyPair; nowMs: number },
): OssError | undefined {
	const accessKeyId = query.get('OSSAccessKeyId');
	const expiresText = query.get('Expires');
	const signature = query.get('Signature');
	if (accessKeyId === null && expiresText === null && signature === null) {
		return ossErrors.anonymousDenied();
	}
	if (!accessKeyId || !signature) {
		return ossErrors.anonymousDenied();
	}
	if (accessKeyId !== opts.owner.accessKeyId) {
		return ossErrors.unknownAccessKey(accessKeyId);
	}
	if (!expiresText || !/^\d{1,12}$/.test(expiresText)) {
		return ossErrors.invalidExpires();
	}
	const expires = Number(expiresText);
	const expected = Buffer.from(v1Signature(opts.owner.accessKeySecret, method, expires, opts.bucket, opts.key));
	const given = Buffer.from(signature);
	if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
		return ossErrors.signatureMismatch();
	}
	if (expires * 1000 < opts.nowMs) {
		return ossErrors.urlExpired(expires, Math.floor(opts.nowMs / 1000));
	}
	return undefined;
}
