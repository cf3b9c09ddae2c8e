// The errors of the connection's settings (region, endpoint, proxy), of a TLS certificate the client refuses and of a
// TLS handshake that cannot succeed, worded in the window's language by their reasons (registered in errorWordings.ts).
// The server's and the system's words (a host, a certificate's or an errno's text) stay as they were said, in the values.
import type { l10n } from 'vscode';
import type { CERTIFICATE_UNTRUSTED, CertificateFlaw } from '../core/certificateTrust';
import type { INVALID_PROXY } from '../core/proxy';
import type { ENDPOINT_REASONS, EndpointFlaw } from '../core/regions';
import type { TLS_MISCONFIGURED, TlsMisconfiguration } from '../core/tlsFailure';
import type { Values, Wording } from './errorWordings';
import type { Translator } from './upload/progressFormat';

/** Compile-time check that vscode.l10n is a Translator. */
export type L10nIsTranslator = typeof l10n extends Translator ? true : never;

const text = (v: Values, key: string) => String(v[key]);

/** Why an endpoint override is not usable (core ENDPOINT_FLAWS). */
export const ENDPOINT_FLAW_WORDS: Record<EndpointFlaw, (got: string, l10n: Translator) => string> = {
	'not-url': (_got, l10n) => l10n.t('it is not a URL'),
	scheme: (got, l10n) => l10n.t('the scheme must be https (got {0})', got),
	'user-info': (_got, l10n) => l10n.t('it must not contain "@" (a user name or password)'),
	query: (_got, l10n) => l10n.t('it must not contain a query string or fragment'),
};

const SETTINGS: Record<(typeof ENDPOINT_REASONS)[number] | typeof INVALID_PROXY, Wording> = {
	'invalid-region': {
		message: (v, l10n) =>
			v.value === ''
				? l10n.t('The IoT region is an empty value, which is not a region id.')
				: l10n.t('The IoT region is "{0}", which is not a region id.', text(v, 'value')),
		hint: (v, l10n) => l10n.t('Use a region id such as {0} (known: {1}).', text(v, 'example'), text(v, 'known')),
	},
	'invalid-endpoint': {
		message: (v, l10n) =>
			l10n.t(
				'The IoT endpoint "{0}" is not usable: {1}.',
				text(v, 'endpoint'),
				ENDPOINT_FLAW_WORDS[text(v, 'why') as EndpointFlaw](text(v, 'got'), l10n),
			),
		hint: (_v, l10n) =>
			l10n.t('Use a URL such as https://iot.cn-shanghai.aliyuncs.com, or leave the endpoint empty to derive it from the region.'),
	},
	'insecure-endpoint': {
		message: (v, l10n) =>
			l10n.t('The IoT endpoint {0} uses plain http, which would send your credentials unencrypted.', text(v, 'host')),
		hint: (_v, l10n) => l10n.t('Use https, or explicitly allow insecure endpoints for testing.'),
	},
	'invalid-proxy': {
		message: (v, l10n) => l10n.t('{0} is not a usable http(s) proxy URL.', text(v, 'variable')),
		hint: (v, l10n) => l10n.t('Set {0} to a URL such as http://proxy.example.com:8080, or unset it.', text(v, 'variable')),
	},
};

/**
 * Our hints to a refused certificate (core CERTIFICATE_HINTS), by flaw. The core's issuer hint names the CLI's way to
 * trust a CA (NODE_EXTRA_CA_CERTS, read when Node starts); the extension host trusts the system's CAs through VS Code.
 */
export const CERTIFICATE_HINT_WORDS: Record<CertificateFlaw, (l10n: Translator) => string> = {
	issuer: (l10n) =>
		l10n.t(
			'If a proxy that inspects HTTPS or a private CA signs the certificates on this network and you trust it, add its CA certificate to the trusted certificates of the operating system, keep the VS Code settings http.systemCertificates on and http.proxySupport other than "off", then reload the window.',
		),
	validity: (l10n) =>
		l10n.t(
			"Check this computer's date and time; if they are right, the server or a proxy in between presents an out-of-date certificate.",
		),
	'host-name': (l10n) =>
		l10n.t('Check the endpoint: its certificate is for another host name (a proxy that inspects HTTPS may present its own).'),
};

const CERTIFICATES: Record<typeof CERTIFICATE_UNTRUSTED, Wording> = {
	'certificate-untrusted': {
		message: (v, l10n) =>
			l10n.t('{0}: the TLS certificate of {1} is not trusted: {2}.', text(v, 'action'), text(v, 'server'), text(v, 'detail')),
		hint: (v, l10n) =>
			Object.hasOwn(CERTIFICATE_HINT_WORDS, text(v, 'flaw'))
				? CERTIFICATE_HINT_WORDS[text(v, 'flaw') as CertificateFlaw](l10n)
				: undefined,
	},
};

/** Our hints to a TLS configuration failure (core TLS_CONFIGURATION_HINTS), by problem. */
export const TLS_CONFIGURATION_HINT_WORDS: Record<TlsMisconfiguration, (l10n: Translator) => string> = {
	'plain-http': (l10n) => l10n.t("The endpoint does not speak HTTPS on that port: check the endpoint's scheme and port."),
	'protocol-version': (l10n) =>
		l10n.t(
			'The server (or a proxy in between) offers no TLS version Node accepts (TLS 1.2 or 1.3): check the endpoint and any proxy that intercepts HTTPS.',
		),
	cipher: (l10n) =>
		l10n.t(
			'The server (or a proxy in between) shares no cipher suite with Node: check the endpoint and any proxy that intercepts HTTPS.',
		),
	'client-refused': (l10n) =>
		l10n.t(
			'The server (or a proxy in between) refused this client during the TLS handshake (it may want a client certificate): check the endpoint and any proxy that intercepts HTTPS.',
		),
};

const TLS_CONFIGURATIONS: Record<typeof TLS_MISCONFIGURED, Wording> = {
	'tls-misconfigured': {
		message: (v, l10n) => l10n.t('{0}: no TLS connection to {1}: {2}.', text(v, 'action'), text(v, 'server'), text(v, 'detail')),
		hint: (v, l10n) =>
			Object.hasOwn(TLS_CONFIGURATION_HINT_WORDS, text(v, 'problem'))
				? TLS_CONFIGURATION_HINT_WORDS[text(v, 'problem') as TlsMisconfiguration](l10n)
				: undefined,
	},
};

/** The wordings of this module, by reason code. */
export const NETWORK_WORDINGS: Record<string, Wording> = {
	...SETTINGS,
	...CERTIFICATES,
	...TLS_CONFIGURATIONS,
};
