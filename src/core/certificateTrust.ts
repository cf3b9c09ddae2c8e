// A server certificate Node refused: the IoT endpoint's (pop-core) or OSS's (PostObject). Typically a corporate proxy
// that inspects HTTPS, or a private CA, signs it. No retry can fix a certificate, so the error is not retryable, and
// its hint says how to trust such a CA; the hint names a way that depends on the shell (the extension words its own).
import { OtaError } from './errors';

/** What is wrong with the certificate: who signed it, its dates, or the name it is for. */
export type CertificateFlaw = 'issuer' | 'validity' | 'host-name';

// Node's `error.code` for a refused certificate: OpenSSL's X509_V_ERR names (tls.TLSSocket#authorizationError) and
// Node's own host-name check (tls.checkServerIdentity).
const FLAWS: ReadonlyMap<string, CertificateFlaw> = new Map([
	...[
		'SELF_SIGNED_CERT_IN_CHAIN',
		'DEPTH_ZERO_SELF_SIGNED_CERT',
		'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
		'UNABLE_TO_GET_ISSUER_CERT',
		'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
		'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
		'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
		'CERT_SIGNATURE_FAILURE',
		'CERT_CHAIN_TOO_LONG',
		'CERT_REVOKED',
		'CERT_UNTRUSTED',
		'CERT_REJECTED',
		'INVALID_CA',
		'INVALID_PURPOSE',
		'PATH_LENGTH_EXCEEDED',
	].map((code) => [code, 'issuer'] as const),
	...['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERROR_IN_CERT_NOT_BEFORE_FIELD', 'ERROR_IN_CERT_NOT_AFTER_FIELD'].map(
		(code) => [code, 'validity'] as const,
	),
	...['ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_TLS_CERT_ALTNAME_FORMAT', 'HOSTNAME_MISMATCH'].map((code) => [code, 'host-name'] as const),
]);

/** The flaw of a certificate Node refused with `code`; undefined when `code` is no certificate refusal. */
export function certificateFlaw(code: unknown): CertificateFlaw | undefined {
	return typeof code === 'string' ? FLAWS.get(code) : undefined;
}

/** The CLI's hints, by flaw; the extension words them by the reason's `flaw` (its own way to trust a CA). */
export const CERTIFICATE_HINTS: Record<CertificateFlaw, string> = {
	issuer: 'If a proxy that inspects HTTPS or a private CA signs the certificates on this network and you trust it, give Node its CA certificate: run the command with NODE_EXTRA_CA_CERTS=/path/to/ca.pem (a PEM file).',
	validity:
		"Check this computer's date and time; if they are right, the server or a proxy in between presents an out-of-date certificate.",
	'host-name': 'Check the endpoint: its certificate is for another host name (a proxy that inspects HTTPS may present its own).',
};

/** The reason (MessageReason code) of a refused certificate. */
export const CERTIFICATE_UNTRUSTED = 'certificate-untrusted';

export interface CertificateRefusal {
	/** Node's code (certificateFlaw knows it). */
	code: string;
	flaw: CertificateFlaw;
	/** The request that failed: an IoT action, or PostObject. */
	action: string;
	/** The server whose certificate was refused. */
	server: string;
	/** The system's text, secret-free. */
	detail: string;
}

/** A refused certificate as one OtaError (source 'network', not retryable). */
export function certificateError({ code, flaw, action, server, detail }: CertificateRefusal): OtaError {
	return new OtaError({
		code,
		source: 'network',
		retryable: false,
		message: `${action}: the TLS certificate of ${server} is not trusted: ${detail}.`,
		hint: CERTIFICATE_HINTS[flaw],
		reason: { code: CERTIFICATE_UNTRUSTED, values: { action, server, detail, flaw } },
	});
}
