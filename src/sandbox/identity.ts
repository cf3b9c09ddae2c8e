import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { readJson, writeJsonAtomic } from './jsonFile';

/**
 * The sandbox's fixed account: a permanent AccessKey, one STS key, the OSS
 * bucket owner's key (which signs upload policies) and the Enterprise instance.
 * Secrets are generated once per data dir and kept in identity.json there.
 */

export const DEFAULT_ACCESS_KEY_ID = 'LTAI5tSandboxDemoKey';
export const STS_ACCESS_KEY_ID = 'STS.NSandboxTempKey';
export const OSS_ACCESS_KEY_ID = 'LTAI5tSandboxOssOwner';
export const ENTERPRISE_INSTANCE_ID = 'iot-sandbox-ent';
export const OSS_BUCKET = 'iotx-ota-sandbox';

export interface KeyPair {
	accessKeyId: string;
	accessKeySecret: string;
}

export interface SandboxIdentity {
	main: KeyPair;
	sts: KeyPair & { securityToken: string };
	oss: KeyPair;
}

interface IdentityFile {
	accessKeySecret: string;
	stsSecret: string;
	stsToken: string;
	ossSecret: string;
}

function secret(bytes = 22): string {
	return randomBytes(bytes).toString('base64url').slice(0, 30);
}

function isIdentityFile(value: unknown): value is IdentityFile {
	const v = value as Partial<IdentityFile> | undefined;
	return [v?.accessKeySecret, v?.stsSecret, v?.stsToken, v?.ossSecret].every((s) => typeof s === 'string' && s.length > 0);
}

export async function loadIdentity(
	dataDir: string,
	overrides: { accessKeyId?: string; accessKeySecret?: string },
): Promise<SandboxIdentity> {
	const file = path.join(dataDir, 'identity.json');
	let stored = await readJson(file);
	if (!isIdentityFile(stored)) {
		stored = {
			accessKeySecret: secret(),
			stsSecret: secret(),
			// STS tokens are long opaque base64 strings with '/', '+' and '=': good for exercising encoders.
			stsToken: `CAIS${randomBytes(48).toString('base64')}`,
			ossSecret: secret(),
		} satisfies IdentityFile;
		await writeJsonAtomic(file, stored);
	}
	const id = stored as IdentityFile;
	return {
		main: {
			accessKeyId: overrides.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
			accessKeySecret: overrides.accessKeySecret ?? id.accessKeySecret,
		},
		sts: { accessKeyId: STS_ACCESS_KEY_ID, accessKeySecret: id.stsSecret, securityToken: id.stsToken },
		oss: { accessKeyId: OSS_ACCESS_KEY_ID, accessKeySecret: id.ossSecret },
	};
}
