// One classification of a TLS failure, for the IoT calls, the OSS upload and a job's device list alike
// (docs/protocols.md §12.1): a refused certificate (certificateTrust.ts), a transient failure (a record damaged on the
// way, retried), or a configuration the two ends cannot agree on (not retried: it fails the same way again).
import { type CertificateFlaw, certificateError, certificateFlaw } from './certificateTrust';
import { OtaError } from './errors';

/** What the two ends cannot agree on. */
export type TlsMisconfiguration = 'plain-http' | 'protocol-version' | 'cipher' | 'client-refused';

export type TlsFailure =
	| { kind: 'certificate'; code: string; flaw: CertificateFlaw }
	| { kind: 'transient'; code: string }
	| { kind: 'configuration'; code: string; problem: TlsMisconfiguration };

// Node's codes for OpenSSL's reasons ("ERR_SSL_" + the reason in capitals); *_ALERT_* is the alert the peer sent.
const MISCONFIGURATIONS: ReadonlyMap<string, TlsMisconfiguration> = new Map([
	['ERR_SSL_WRONG_VERSION_NUMBER', 'plain-http'],
	...[
		'ERR_SSL_UNSUPPORTED_PROTOCOL',
		'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
		'ERR_SSL_NO_PROTOCOLS_AVAILABLE',
		'ERR_SSL_VERSION_TOO_LOW',
		'ERR_SSL_UNSAFE_LEGACY_RENEGOTIATION_DISABLED',
	].map((code) => [code, 'protocol-version'] as const),
	...[
		'ERR_SSL_NO_SHARED_CIPHER',
		'ERR_SSL_NO_CIPHERS_AVAILABLE',
		'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
		'ERR_SSL_TLSV1_ALERT_INSUFFICIENT_SECURITY',
		'ERR_SSL_DH_KEY_TOO_SMALL',
	].map((code) => [code, 'cipher'] as const),
	// The peer's alerts about this client (no client certificate, one it does not trust, access denied, an unknown server
	// name): the next handshake sends the same.
	...[
		'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
		'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
		'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
		'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
		'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
		'ERR_SSL_TLSV1_UNRECOGNIZED_NAME',
	].map((code) => [code, 'client-refused'] as const),
]);

/** An OpenSSL error line in Node's message: `error:0A00010B:SSL routines:<function or empty>:wrong version number:…`. */
const OPENSSL_REASON = /error:[0-9A-F]{8}:SSL routines:[^:]*:([^:\n]+)/i;

/**
 * The TLS failure `error` (Node's error: `code`, `message`) is, or undefined when it is none. Node reports some
 * handshake failures as `EPROTO` with OpenSSL's reason only in the message: the code is then derived from it as Node
 * derives its ERR_SSL_* codes. A TLS code in neither list counts as transient: a retry costs a few attempts at most.
 */
export function classifyTlsFailure(error: { code?: unknown; message?: unknown }): TlsFailure | undefined {
	const code = tlsCode(error);
	if (!code) {
		return undefined;
	}
	const flaw = certificateFlaw(code);
	if (flaw) {
		return { kind: 'certificate', code, flaw };
	}
	const problem = MISCONFIGURATIONS.get(code);
	return problem ? { kind: 'configuration', code, problem } : { kind: 'transient', code };
}

function tlsCode({ code, message }: { code?: unknown; message?: unknown }): string | undefined {
	if (typeof code === 'string' && (/^ERR_(SSL|TLS)_/.test(code) || certificateFlaw(code))) {
		return code;
	}
	const reason = typeof message === 'string' ? OPENSSL_REASON.exec(message)?.[1] : undefined;
	return reason
		? `ERR_SSL_${reason
				.trim()
				.toUpperCase()
				.replace(/[^A-Z0-9]+/g, '_')}`
		: undefined;
}

/** The CLI's hints, by problem; the extension words them by the reason's `problem`. */
export const TLS_CONFIGURATION_HINTS: Record<TlsMisconfiguration, string> = {
	'plain-http': "The endpoint does not speak HTTPS on that port: check the endpoint's scheme and port.",
	'protocol-version':
		'The server (or a proxy in between) offers no TLS version Node accepts (TLS 1.2 or 1.3): check the endpoint and any proxy that intercepts HTTPS.',
	cipher: 'The server (or a proxy in between) shares no cipher suite with Node: check the endpoint and any proxy that intercepts HTTPS.',
	'client-refused':
		'The server (or a proxy in between) refused this client during the TLS handshake (it may want a client certificate): check the endpoint and any proxy that intercepts HTTPS.',
};

/** The reason (MessageReason code) of a TLS configuration failure. */
export const TLS_MISCONFIGURED = 'tls-misconfigured';

export interface TlsRefusal {
	code: string;
	problem: TlsMisconfiguration;
	/** The request that failed: an IoT action, or PostObject. */
	action: string;
	server: string;
	/** The system's text, secret-free. */
	detail: string;
}

/** A TLS configuration failure as one OtaError (source 'network', not retryable). */
export function tlsConfigurationError({ code, problem, action, server, detail: said }: TlsRefusal): OtaError {
	// OpenSSL's reason ("wrong version number") rather than its whole error line (address, source file and line).
	const detail = OPENSSL_REASON.exec(said)?.[1].trim() ?? said;
	return new OtaError({
		code,
		source: 'network',
		retryable: false,
		message: `${action}: no TLS connection to ${server}: ${detail}.`,
		hint: TLS_CONFIGURATION_HINTS[problem],
		reason: { code: TLS_MISCONFIGURED, values: { action, server, detail, problem } },
	});
}

/** The OtaError of a TLS failure no retry fixes (a certificate, a configuration); undefined for a transient one. */
export function unretryableTlsError(tls: TlsFailure, where: Omit<TlsRefusal, 'code' | 'problem'>): OtaError | undefined {
	if (tls.kind === 'certificate') {
		return certificateError({ ...where, code: tls.code, flaw: tls.flaw });
	}
	return tls.kind === 'configuration' ? tlsConfigurationError({ ...where, code: tls.code, problem: tls.problem }) : undefined;
}
