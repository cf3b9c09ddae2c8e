import { credentialsFromEnv, readAliyunCliProfile, regionFromEnv } from '../core/credentials';
import { OtaError } from '../core/errors';
import { IotClient } from '../core/iotClient';
import type { Logger } from '../core/logger';
import { shellQuote } from '../core/lifecycle/preview';
import { DEFAULT_REGION, endpointFor, validateRegion } from '../core/regions';
import type { ConnectionSettings, Credentials } from '../core/types';
import { booleanFlag, stringFlag, type FlagSpec, type FlagValues } from './args';

export const CONNECTION_FLAGS: readonly FlagSpec[] = [
	{
		name: 'region',
		type: 'string',
		value: 'R',
		description: `IoT region (default: ALIBABA_CLOUD_REGION_ID, the aliyun profile's region, else ${DEFAULT_REGION}).`,
	},
	{ name: 'instance', type: 'string', value: 'ID', description: 'IotInstanceId of an Enterprise instance.' },
	{
		name: 'endpoint',
		type: 'string',
		value: 'URL',
		description: 'API endpoint instead of https://iot.<region>.aliyuncs.com (e.g. the sandbox).',
	},
	{ name: 'allow-insecure-endpoint', type: 'boolean', description: 'Allow an http:// endpoint on a non-loopback host.' },
	{
		name: 'profile',
		type: 'string',
		value: 'NAME',
		description: 'aliyun CLI profile in ~/.aliyun/config.json (default: its current profile).',
	},
];

/**
 * The connection flags a run was given, as command-line words (quoted for a POSIX shell), so that a follow-up command
 * it suggests reaches the same account, region, instance and endpoint. None of these flags holds a secret (an endpoint
 * with a part that may hold one is refused: core/regions.ts endpointSecretPart).
 */
export function connectionArgs(values: FlagValues): string[] {
	return flagWords(CONNECTION_FLAGS, values);
}

/**
 * The flags of `specs` that `values` holds, as command-line words quoted for a POSIX shell (string values trimmed). A
 * value that starts with a dash is joined to its flag (`--desc=-beta`): the argument parser refuses `--desc -beta`.
 */
export function flagWords(specs: readonly FlagSpec[], values: FlagValues): string[] {
	return specs.flatMap(({ name, type }) => {
		if (type === 'boolean') {
			return booleanFlag(values, name) ? [`--${name}`] : [];
		}
		const value = stringFlag(values, name)?.trim();
		if (!value) {
			return [];
		}
		return value.startsWith('-') ? [`--${name}=${shellQuote(value)}`] : [`--${name}`, shellQuote(value)];
	});
}

export interface ResolvedConnection {
	credentials: Credentials;
	settings: ConnectionSettings;
	allowInsecure: boolean;
	/** Where the keys came from, for messages: "environment" or 'aliyun profile "default"'. */
	credentialSource: string;
}

/**
 * Credentials: an explicit --profile, else the ALIBABA_CLOUD_* variables, else the aliyun CLI's current profile.
 * Region: --region, else ALIBABA_CLOUD_REGION_ID, else the profile's region, else cn-shanghai.
 */
export async function resolveConnection(values: FlagValues, env: NodeJS.ProcessEnv): Promise<ResolvedConnection> {
	const profileName = stringFlag(values, 'profile')?.trim() || undefined;
	const endpointFlag = stringFlag(values, 'endpoint')?.trim() || undefined;
	const allowInsecure = booleanFlag(values, 'allow-insecure-endpoint');

	let credentials: Credentials | undefined;
	let profileRegion: string | undefined;
	let credentialSource = 'environment';
	if (!profileName) {
		credentials = credentialsFromEnv(env);
	}
	if (!credentials) {
		const profile = await readAliyunCliProfile({ profile: profileName, env });
		if (profile) {
			credentials = profile.credentials;
			profileRegion = profile.region;
			credentialSource = `aliyun profile "${profile.name}"`;
		} else if (profileName) {
			throw new OtaError({
				code: 'ProfileNotFound',
				source: 'credentials',
				message: `--profile ${profileName} was given but there is no aliyun CLI config at ~/.aliyun/config.json.`,
				hint:
					'Run `aliyun configure --profile ' +
					profileName +
					'` first, or use the ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET variables.',
			});
		}
	}
	if (!credentials) {
		throw missingCredentials();
	}

	const regionText = stringFlag(values, 'region') ?? regionFromEnv(env) ?? profileRegion ?? DEFAULT_REGION;
	const region = validateRegion(regionText);
	const instance = stringFlag(values, 'instance')?.trim() || undefined;
	const settings: ConnectionSettings = { region };
	if (endpointFlag) {
		settings.endpoint = endpointFor({ region, endpoint: endpointFlag }, { allowInsecure });
	}
	if (instance) {
		settings.iotInstanceId = instance;
	}
	return { credentials, settings, allowInsecure, credentialSource };
}

export function createClient(connection: ResolvedConnection, logger: Logger, env: NodeJS.ProcessEnv): IotClient {
	return new IotClient({
		...connection.settings,
		credentials: connection.credentials,
		allowInsecure: connection.allowInsecure,
		logger,
		env,
	});
}

function missingCredentials(): OtaError {
	return new OtaError({
		code: 'MissingCredentials',
		source: 'credentials',
		message:
			'No Alibaba Cloud credentials found. Either set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET ' +
			'(plus ALIBABA_CLOUD_SECURITY_TOKEN for STS keys), or configure the aliyun CLI (`aliyun configure`, stored in ~/.aliyun/config.json; choose a profile with --profile).',
	});
}
