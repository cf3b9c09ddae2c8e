import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * POP RPC signature version 1.0 (HMAC-SHA1), computed the way the Alibaba Cloud
 * gateway does it: every parameter except `Signature`, empty values included,
 * sorted by name, RFC 3986 encoded, then `METHOD&%2F&encode(canonical)` (docs/protocols.md §1.3–1.5).
 */

/** RFC 3986 percent-encoding: only A–Z a–z 0–9 - _ . ~ stay literal; space is %20. */
export function percentEncode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export type RpcParams = Readonly<Record<string, string>>;

/** `name=value` pairs joined with `&`, sorted by un-encoded name, `Signature` left out. */
export function canonicalQueryString(params: RpcParams): string {
	return Object.keys(params)
		.filter((name) => name !== 'Signature')
		.sort()
		.map((name) => `${percentEncode(name)}=${percentEncode(params[name] ?? '')}`)
		.join('&');
}

export function rpcStringToSign(method: string, params: RpcParams): string {
	return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalQueryString(params))}`;
}

/** Base64 HMAC-SHA1 of the string to sign, keyed with `secret + "&"`. */
export function signRpc(method: string, params: RpcParams, accessKeySecret: string): string {
	return createHmac('sha1', `${accessKeySecret}&`).update(rpcStringToSign(method, params), 'utf8').digest('base64');
}

/** Constant-time comparison of two base64 signatures. */
export function signaturesEqual(expected: string, provided: string): boolean {
	const a = Buffer.from(expected, 'utf8');
	const b = Buffer.from(provided, 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}
