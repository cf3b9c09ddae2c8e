import { OtaError, redact } from './errors';
import type { ConnectionSettings } from './types';

export interface IotRegion {
	id: string;
	label: string;
	/** Only Enterprise instances exist here, so every call needs an IotInstanceId. */
	enterpriseOnly: boolean;
}

export const DEFAULT_REGION = 'cn-shanghai';

export const IOT_REGIONS: readonly IotRegion[] = Object.freeze(
	[
		{ id: 'cn-shanghai', label: 'China (Shanghai)', enterpriseOnly: false },
		{ id: 'cn-beijing', label: 'China (Beijing)', enterpriseOnly: true },
		{ id: 'cn-shenzhen', label: 'China (Shenzhen)', enterpriseOnly: true },
		{ id: 'ap-southeast-1', label: 'Singapore', enterpriseOnly: false },
		{ id: 'ap-northeast-1', label: 'Japan (Tokyo)', enterpriseOnly: false },
		{ id: 'us-west-1', label: 'US (Silicon Valley)', enterpriseOnly: false },
		{ id: 'us-east-1', label: 'US (Virginia)', enterpriseOnly: false },
		{ id: 'eu-central-1', label: 'Germany (Frankfurt)', enterpriseOnly: false },
	].map((region) => Object.freeze(region)),
);

/** Shape of every Alibaba Cloud region id; lets regions newer than this list through. */
const REGION_ID_PATTERN = /^[a-z]{2}-[a-z]+(-\d+)?$/;

export function findRegion(id: string): IotRegion | undefined {
	return IOT_REGIONS.find((region) => region.id === id);
}

/** The reasons (MessageReason codes) of the endpoint settings' errors; the extension words them by these. */
export const ENDPOINT_REASONS = ['invalid-region', 'invalid-endpoint', 'insecure-endpoint'] as const;

/** Why an endpoint override is not usable (the `why` of the invalid-endpoint reason). */
export const ENDPOINT_FLAWS = {
	'not-url': 'it is not a URL',
	scheme: 'the scheme must be https (got {0})',
	'user-info': 'it must not contain "@" (a user name or password)',
	query: 'it must not contain a query string or fragment',
} as const;

export type EndpointFlaw = keyof typeof ENDPOINT_FLAWS;

const KNOWN_REGIONS = IOT_REGIONS.map((r) => r.id).join(', ');

/** Returns the trimmed region id, or throws OtaError('InvalidRegion') for something that cannot be a region. */
export function validateRegion(id: string | undefined): string {
	const region = (id ?? '').trim();
	if (!REGION_ID_PATTERN.test(region)) {
		const value = region.slice(0, 40);
		const shown = value === '' ? 'an empty value' : `"${value}"`;
		throw new OtaError({
			code: 'InvalidRegion',
			source: 'validation',
			message: `The IoT region is ${shown}, which is not a region id.`,
			hint: `Use a region id such as ${DEFAULT_REGION} (known: ${KNOWN_REGIONS}).`,
			reason: { code: 'invalid-region', values: { value, example: DEFAULT_REGION, known: KNOWN_REGIONS } },
		});
	}
	return region;
}

export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The public IoT endpoint of a region, the one used when no endpoint is set. */
export const regionEndpoint = (region: string): string => `https://iot.${region}.aliyuncs.com`;

/**
 * The endpoint override (validated, trailing slash stripped) or https://iot.<region>.aliyuncs.com.
 * Plain http is only accepted for loopback hosts (the local sandbox) unless `allowInsecure` is set,
 * because the request carries the AccessKey ID, STS token and signature.
 */
export function endpointFor(settings: ConnectionSettings, opts: { allowInsecure?: boolean } = {}): string {
	const region = validateRegion(settings.region);
	const override = settings.endpoint?.trim();
	if (!override) {
		return regionEndpoint(region);
	}
	return validateEndpoint(override, opts.allowInsecure === true);
}

function validateEndpoint(raw: string, allowInsecure: boolean): string {
	const invalid = (why: EndpointFlaw, got = ''): OtaError => {
		const endpoint = shownEndpoint(raw).slice(0, 200);
		return new OtaError({
			code: 'InvalidEndpoint',
			source: 'validation',
			message: `The IoT endpoint "${endpoint}" is not usable: ${ENDPOINT_FLAWS[why].replace('{0}', () => got)}.`,
			hint: 'Use a URL such as https://iot.cn-shanghai.aliyuncs.com, or leave the endpoint empty to derive it from the region.',
			reason: { code: 'invalid-endpoint', values: { endpoint, why, got } },
		});
	};
	if (!SCHEME_PREFIX.test(raw) && raw.includes('@')) {
		// "user:password@host" parses as a URL of scheme "user": it is a user name and password, not a scheme.
		throw invalid('user-info');
	}
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		throw invalid('not-url');
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw invalid('scheme', url.protocol.replace(':', ''));
	}
	const secretPart = endpointSecretPart(raw);
	if (secretPart) {
		throw invalid(secretPart);
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !allowInsecure) {
		throw new OtaError({
			code: 'InsecureEndpoint',
			source: 'validation',
			message: `The IoT endpoint ${url.host} uses plain http, which would send your credentials unencrypted.`,
			hint: 'Use https, or explicitly allow insecure endpoints for testing.',
			reason: { code: 'insecure-endpoint', values: { host: url.host } },
		});
	}
	return url.href.replace(/\/+$/, '');
}

const SCHEME_PREFIX = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The part of an endpoint that may hold a secret, which no endpoint may have (the calls refuse it, a saved watch does not
 * keep it): `user-info` for an `@` before any query or fragment (output masks up to the last `@`, so one in the path
 * counts too), `query` for a `?` or `#`, even with nothing after it. Undefined: none.
 */
export function endpointSecretPart(raw: string): Extract<EndpointFlaw, 'user-info' | 'query'> | undefined {
	const first = /[@?#]/.exec(raw)?.[0];
	return first === undefined ? undefined : first === '@' ? 'user-info' : 'query';
}

/** An endpoint as output may show it: its user name and password masked, its secret-bearing query values redacted. */
export function shownEndpoint(raw: string): string {
	return redact(withoutUserInfo(raw));
}

/**
 * `raw` with everything between its scheme (if any) and its last `@` masked: a password may itself hold `@` or `/`,
 * and a value too broken to parse as a URL still shows none of it.
 */
function withoutUserInfo(raw: string): string {
	const at = raw.lastIndexOf('@');
	if (at < 0) {
		return raw;
	}
	const start = SCHEME_PREFIX.exec(raw)?.[0].length ?? 0;
	return `${raw.slice(0, start)}***${raw.slice(at)}`;
}
