// Signs OSS GET/HEAD URLs for the sandbox's private bucket, written independently of src/sandbox:
// V1 query-string signature, HMAC-SHA1 over "VERB\n\n\nExpires\n/bucket/key" with the bucket owner's
// secret, which the sandbox keeps in identity.json in its data dir.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface SandboxLike {
	dataDir: string;
	bucket: string;
}

const OSS_OWNER_KEY_ID = 'LTAI5tSandboxOssOwner';

export interface SignOptions {
	method?: 'GET' | 'HEAD';
	/** Default one hour from now. */
	expiresAtSec?: number;
	secret?: string;
	accessKeyId?: string;
}

/** `objectUrl` (e.g. a FirmwareUrl without query) with Expires, OSSAccessKeyId and Signature appended. */
export function signedUrl(sandbox: SandboxLike, objectUrl: string, opts: SignOptions = {}): string {
	const identity = JSON.parse(readFileSync(path.join(sandbox.dataDir, 'identity.json'), 'utf8')) as { ossSecret: string };
	const url = new URL(objectUrl);
	const key = decodeURIComponent(url.pathname.slice(1));
	const expires = opts.expiresAtSec ?? Math.floor(Date.now() / 1000) + 3600;
	const stringToSign = `${opts.method ?? 'GET'}\n\n\n${expires}\n/${sandbox.bucket}/${key}`;
	const signature = createHmac('sha1', opts.secret ?? identity.ossSecret)
		.update(stringToSign)
		.digest('base64');
	url.search = new URLSearchParams({
		Expires: String(expires),
		OSSAccessKeyId: opts.accessKeyId ?? OSS_OWNER_KEY_ID,
		Signature: signature,
	}).toString();
	return url.toString();
}
