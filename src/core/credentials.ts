import { homedir } from 'node:os';
import path from 'node:path';
import { OtaError, PROFILE_CREDENTIALS, type MessageReason } from './errors';
import { readRegularFile } from './safeFile';
import type { Credentials } from './types';

const ENV_PREFIXES = ['ALIBABA_CLOUD_', 'ALIBABACLOUD_', 'ALICLOUD_'] as const;

/** The reasons (MessageReason codes) of the credential checks a user commonly meets; the extension words them by these. */
export const CREDENTIAL_REASONS = [
	'env-credentials-incomplete',
	'access-key-id-empty',
	'access-key-id-spaces',
	'access-key-secret-empty',
	'access-key-secret-spaces',
	'security-token-missing',
] as const;

export type CredentialReason = (typeof CREDENTIAL_REASONS)[number];

/** The reasons (MessageReason codes) of an aliyun CLI config's and profile's errors; the extension words them by these. */
export const PROFILE_REASONS = [
	'aliyun-config-unreadable',
	'aliyun-config-invalid',
	'profile-not-found',
	'profile-mode-unsupported',
	'profile-token-missing',
] as const;

export type ProfileReason = (typeof PROFILE_REASONS)[number];

function credentialsError(
	code: string,
	message: string,
	hint?: string,
	reason?: CredentialReason | ProfileReason,
	values: MessageReason['values'] = {},
): OtaError {
	return new OtaError({ code, message, hint, source: 'credentials', reason: reason && { code: reason, values } });
}

/** First non-empty value of <prefix><name> over the spellings the aliyun CLI reads (docs/protocols.md §7.2). */
function envValue(env: NodeJS.ProcessEnv, name: string): { value: string; variable: string } | undefined {
	for (const prefix of ENV_PREFIXES) {
		const variable = `${prefix}${name}`;
		const value = env[variable]?.trim();
		if (value) {
			return { value, variable };
		}
	}
	return undefined;
}

/**
 * Credentials from ALIBABA_CLOUD_ACCESS_KEY_ID / _ACCESS_KEY_SECRET / optional _SECURITY_TOKEN
 * (ALIBABACLOUD_ and ALICLOUD_ spellings too). Undefined when neither key variable is set;
 * throws OtaError(credentials) when only one of them is.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials | undefined {
	const id = envValue(env, 'ACCESS_KEY_ID');
	const secret = envValue(env, 'ACCESS_KEY_SECRET');
	const token = envValue(env, 'SECURITY_TOKEN');
	if (!id && !secret) {
		return undefined;
	}
	if (!id || !secret) {
		const [present, missing] = id
			? [id.variable, 'ALIBABA_CLOUD_ACCESS_KEY_SECRET']
			: [secret?.variable, 'ALIBABA_CLOUD_ACCESS_KEY_ID'];
		throw credentialsError(
			'IncompleteEnvCredentials',
			`${present} is set but ${missing} is not.`,
			'Set both variables, or unset both to use another credential source.',
			'env-credentials-incomplete',
			{ present: present ?? '', missing },
		);
	}
	return validateCredentials({ accessKeyId: id.value, accessKeySecret: secret.value, securityToken: token?.value });
}

/** The region of ALIBABA_CLOUD_REGION_ID (or its ALIBABACLOUD_ / ALICLOUD_ spelling), as the aliyun CLI reads it (docs/protocols.md §7.2). */
export function regionFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
	return envValue(env, 'REGION_ID')?.value;
}

/** Trims the fields and refuses credentials that cannot work; never echoes a secret. */
export function validateCredentials(c: Partial<Credentials>): Credentials {
	const accessKeyId = (c.accessKeyId ?? '').trim();
	const accessKeySecret = (c.accessKeySecret ?? '').trim();
	const securityToken = (c.securityToken ?? '').trim() || undefined;
	if (!accessKeyId) {
		throw credentialsError(
			'MissingAccessKeyId',
			'The AccessKey ID is empty.',
			'Enter the AccessKey ID of a RAM user (it usually starts with LTAI).',
			'access-key-id-empty',
		);
	}
	if (/\s/.test(accessKeyId)) {
		throw credentialsError(
			'InvalidAccessKeyId',
			'The AccessKey ID contains spaces.',
			'Copy the AccessKey ID again without spaces or line breaks.',
			'access-key-id-spaces',
		);
	}
	if (!accessKeySecret) {
		throw credentialsError(
			'MissingAccessKeySecret',
			'The AccessKey Secret is empty.',
			'Enter the AccessKey Secret that belongs to the AccessKey ID.',
			'access-key-secret-empty',
		);
	}
	if (/\s/.test(accessKeySecret)) {
		throw credentialsError(
			'InvalidAccessKeySecret',
			'The AccessKey Secret contains spaces.',
			'Copy the AccessKey Secret again without spaces or line breaks.',
			'access-key-secret-spaces',
		);
	}
	if (accessKeyId.startsWith('STS.') && !securityToken) {
		throw credentialsError(
			'MissingSecurityToken',
			'The AccessKey ID is a temporary STS key but no STS security token was given.',
			'Provide the SecurityToken returned together with the STS key (ALIBABA_CLOUD_SECURITY_TOKEN), or use a permanent AccessKey.',
			'security-token-missing',
		);
	}
	return securityToken ? { accessKeyId, accessKeySecret, securityToken } : { accessKeyId, accessKeySecret };
}

export interface AliyunProfile {
	name: string;
	/** 'AK' or 'StsToken': the only modes whose keys can be used directly. */
	mode: string;
	credentials: Credentials;
	region?: string;
}

interface RawProfile {
	name?: unknown;
	mode?: unknown;
	access_key_id?: unknown;
	access_key_secret?: unknown;
	sts_token?: unknown;
	region_id?: unknown;
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');

export function defaultAliyunConfigPath(): string {
	return path.join(homedir(), '.aliyun', 'config.json');
}

/**
 * Reads a profile of the aliyun CLI config (~/.aliyun/config.json): the given profile, else
 * ALIBABACLOUD_PROFILE / ALIBABA_CLOUD_PROFILE / ALICLOUD_PROFILE, else the file's `current`.
 * Undefined when the file does not exist (or ALIBABA_CLOUD_IGNORE_PROFILE=TRUE and no profile was asked for).
 */
export async function readAliyunCliProfile(
	opts: { configPath?: string; profile?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<AliyunProfile | undefined> {
	const env = opts.env ?? process.env;
	if (!opts.profile && !opts.configPath && env.ALIBABA_CLOUD_IGNORE_PROFILE?.toUpperCase() === 'TRUE') {
		return undefined;
	}
	const configPath = opts.configPath ?? defaultAliyunConfigPath();
	const config = await readConfigFile(configPath);
	if (!config) {
		return undefined;
	}
	const profiles: RawProfile[] = Array.isArray(config.profiles) ? config.profiles.filter(isObject) : [];
	const wanted =
		opts.profile?.trim() ||
		text(env.ALIBABACLOUD_PROFILE) ||
		text(env.ALIBABA_CLOUD_PROFILE) ||
		text(env.ALICLOUD_PROFILE) ||
		text(config.current) ||
		'default';
	const raw = profiles.find((p) => text(p.name) === wanted);
	if (!raw) {
		const known = profiles.map((p) => text(p.name)).filter(Boolean);
		throw credentialsError(
			'ProfileNotFound',
			`The aliyun CLI config ${configPath} has no profile named "${wanted}".`,
			known.length > 0 ? `Choose one of: ${known.join(', ')}.` : 'Create one with `aliyun configure`.',
			'profile-not-found',
			{ path: configPath, name: wanted, known: known.join(', ') },
		);
	}
	return profileFrom(raw, wanted, configPath);
}

const MAX_ALIYUN_CONFIG_BYTES = 1024 * 1024;

async function readConfigFile(configPath: string): Promise<{ current?: unknown; profiles?: unknown } | undefined> {
	let content: string;
	try {
		// Never blocking (a FIFO in its place cannot hang the CLI at start), and bounded: the file holds a few profiles.
		content = (await readRegularFile(configPath, MAX_ALIYUN_CONFIG_BYTES)).toString('utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}
		const detail = (error as Error).message;
		// The system's errno text stays as said; ENOTREGULAR and EFBIG are safeFile.ts's own, which a shell words by `errno`.
		throw credentialsError(
			'AliyunConfigUnreadable',
			`Cannot read the aliyun CLI config ${configPath}: ${detail}`,
			undefined,
			'aliyun-config-unreadable',
			{ path: configPath, detail, errno: (error as NodeJS.ErrnoException).code ?? '', limit: MAX_ALIYUN_CONFIG_BYTES },
		);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(content);
	} catch {
		parsed = undefined;
	}
	if (!isObject(parsed)) {
		throw credentialsError(
			'InvalidAliyunConfig',
			`The aliyun CLI config ${configPath} is not a JSON object.`,
			'Fix the file or run `aliyun configure` again.',
			'aliyun-config-invalid',
			{ path: configPath },
		);
	}
	return parsed;
}

function profileFrom(raw: RawProfile, name: string, configPath: string): AliyunProfile {
	const declaredMode = text(raw.mode);
	const mode = normaliseMode(declaredMode, raw);
	if (mode === undefined) {
		throw credentialsError(
			'UnsupportedProfileMode',
			`The aliyun CLI profile "${name}" uses mode ${declaredMode}, which this tool cannot use (supported: AK, StsToken).`,
			'Switch to an AK or StsToken profile, or set ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN) instead.',
			'profile-mode-unsupported',
			{ name, mode: declaredMode },
		);
	}
	let credentials: Credentials;
	try {
		credentials = validateCredentials({
			accessKeyId: text(raw.access_key_id),
			accessKeySecret: text(raw.access_key_secret),
			securityToken: mode === 'StsToken' ? text(raw.sts_token) : undefined,
		});
	} catch (error) {
		const cause = error as OtaError;
		throw new OtaError({
			code: cause.code,
			source: 'credentials',
			message: `Profile "${name}" in ${configPath}: ${cause.message}`,
			hint: cause.hint,
			reason: { code: PROFILE_CREDENTIALS, values: { profile: name, configPath } },
			cause,
		});
	}
	if (mode === 'StsToken' && !credentials.securityToken) {
		throw credentialsError(
			'MissingSecurityToken',
			`Profile "${name}" in ${configPath} has mode StsToken but no sts_token.`,
			'Run `aliyun configure --mode StsToken` again.',
			'profile-token-missing',
			{ name, path: configPath },
		);
	}
	const region = text(raw.region_id);
	return { name, mode, credentials, region: region || undefined };
}

/** 'AK' | 'StsToken', or undefined for a mode we cannot turn into static keys. */
function normaliseMode(mode: string, raw: RawProfile): 'AK' | 'StsToken' | undefined {
	switch (mode.toLowerCase()) {
		case 'ak':
			return 'AK';
		case 'ststoken':
			return 'StsToken';
		case '':
			// Old configs omit the mode; the CLI then treats key fields as AK (or StsToken with a token).
			return text(raw.sts_token) ? 'StsToken' : 'AK';
		default:
			return undefined;
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
