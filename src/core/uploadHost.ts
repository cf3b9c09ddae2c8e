/**
 * The one rule for where an upload ticket may send the firmware and its signed form (docs/protocols.md §14.3): the
 * ticket's `Host` comes from the API endpoint, so a misbehaving or hostile endpoint must not be able to send the
 * firmware somewhere in clear text, or away from Alibaba Cloud when the endpoint is Alibaba Cloud's own.
 *  - https:// always, except http:// to a loopback host when the endpoint itself is loopback (the local sandbox), or
 *    when insecure endpoints were explicitly allowed (--allow-insecure-endpoint, the extension's confirmation): the
 *    same plain-http rule (plainHttpAllowed) judges the FirmwareUrls the endpoint names (firmwareUrl.ts);
 *  - an endpoint under aliyuncs.com hands out Hosts under aliyuncs.com (OSS: <bucket>.oss-<region>.aliyuncs.com); any
 *    other endpoint (a private cloud, a proxy, the sandbox) is trusted to name its own storage.
 */
import { OtaError, redact } from './errors';
import { isLoopbackHost } from './regions';

/** How far the API endpoint in use is trusted: what IotClient was built with. */
export interface EndpointTrust {
	endpoint: string;
	allowInsecure: boolean;
}

/**
 * The one plain-http rule for what an endpoint names (the ticket's Host, a FirmwareUrl): allowed between a loopback
 * endpoint and a loopback host (the local sandbox), or anywhere once insecure endpoints were explicitly allowed.
 */
export function plainHttpAllowed(hostname: string, trust: EndpointTrust): boolean {
	return trust.allowInsecure || (isLoopbackHost(new URL(trust.endpoint).hostname) && isLoopbackHost(hostname));
}

const ALIBABA_DOMAIN = 'aliyuncs.com';

function underAlibaba(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return host === ALIBABA_DOMAIN || host.endsWith(`.${ALIBABA_DOMAIN}`);
}

/** The reasons (MessageReason codes) of a ticket Host refused here; the extension words them by these. */
export const UPLOAD_HOST_REASONS = ['ticket-host-invalid', 'ticket-host-insecure', 'ticket-host-untrusted'] as const;

function refused(
	code: string,
	why: string,
	hint: string,
	reason: (typeof UPLOAD_HOST_REASONS)[number],
	values: Record<string, string>,
): OtaError {
	return new OtaError({
		code,
		source: 'api',
		message: `Refused the upload ticket: ${why}. Nothing was sent there.`,
		hint,
		reason: { code: reason, values },
	});
}

/** A ticket's Host as a plain http(s) URL (no scheme means https://), or undefined when it is not one. */
export function parseUploadHost(host: string): URL | undefined {
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `https://${host}`;
	let url: URL;
	try {
		url = new URL(withScheme);
	} catch {
		return undefined;
	}
	const plain = (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && !url.username && !url.password;
	return plain ? url : undefined;
}

/** The ticket's Host as a URL (no scheme means https://), or one OtaError saying why it may not receive the firmware. */
export function checkUploadHost(host: string, trust: EndpointTrust): URL {
	const url = parseUploadHost(host);
	if (!url) {
		const shown = redact(host).slice(0, 200);
		throw refused(
			'InvalidUploadTicket',
			`its Host "${shown}" is not a plain http(s) URL`,
			'Check the endpoint that issued it.',
			'ticket-host-invalid',
			{
				host: shown,
			},
		);
	}
	const endpoint = new URL(trust.endpoint);
	if (url.protocol === 'http:' && !plainHttpAllowed(url.hostname, trust)) {
		throw refused(
			'InsecureUploadHost',
			`its Host ${url.host} uses plain http, which would send the firmware and the signed form unencrypted`,
			'The IoT Platform hands out https:// hosts; check the endpoint (iotOta.endpoint or --endpoint) that issued this one.',
			'ticket-host-insecure',
			{ host: url.host },
		);
	}
	if (underAlibaba(endpoint.hostname) && !underAlibaba(url.hostname)) {
		throw refused(
			'UntrustedUploadHost',
			`the Alibaba Cloud endpoint ${endpoint.host} named ${url.host}, which is not an Alibaba Cloud (${ALIBABA_DOMAIN}) host`,
			'Check for a proxy that rewrites the API answers.',
			'ticket-host-untrusted',
			{ endpoint: endpoint.host, host: url.host, domain: ALIBABA_DOMAIN },
		);
	}
	return url;
}
