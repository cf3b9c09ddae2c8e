import { OtaError, redact, type MessageReason, type OtaErrorInit } from '../errors';
import { formatBytes, formatSpan } from '../format';
import { TICKET_TTL_MS } from '../otaFacts';
import { MAX_FIRMWARE_BYTES } from '../types';

/** The elements of an OSS `<Error>` body that matter to us. */
export interface OssErrorBody {
	code?: string;
	message?: string;
	requestId?: string;
	hostId?: string;
	ec?: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (whole, entity: string) => {
		if (entity[0] === '#') {
			const codePoint = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
			return Number.isFinite(codePoint) && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : whole;
		}
		return ENTITIES[entity.toLowerCase()] ?? whole;
	});
}

function element(xml: string, name: string): string | undefined {
	const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
	if (!match) {
		return undefined;
	}
	const raw = match[1].replace(/^<!\[CDATA\[([\s\S]*)\]\]>$/, '$1').trim();
	return raw === '' ? undefined : unescapeXml(raw);
}

/** Reads Code/Message/RequestId/HostId/EC from an OSS error document; undefined when the body is not one. */
export function parseOssErrorXml(body: string): OssErrorBody | undefined {
	if (!/<Error[\s>]/.test(body)) {
		return undefined;
	}
	const errorXml = body.slice(body.search(/<Error[\s>]/));
	return {
		code: element(errorXml, 'Code'),
		message: element(errorXml, 'Message'),
		requestId: element(errorXml, 'RequestId'),
		hostId: element(errorXml, 'HostId'),
		ec: element(errorXml, 'EC'),
	};
}

/** An OSS PostObject rejection, with the raw OSS code kept next to our normalised `code`. */
export class OssError extends OtaError {
	readonly ossCode?: string;
	readonly ec?: string;
	readonly hostId?: string;

	constructor(init: OtaErrorInit & { ossCode?: string; ec?: string; hostId?: string }) {
		super(init);
		this.name = 'OssError';
		this.ossCode = init.ossCode;
		this.ec = init.ec;
		this.hostId = init.hostId;
	}
}

export const POLICY_EXPIRED = 'PolicyExpired';

/** The hints of an OSS refusal, by the key its reason carries (`hint`): the extension words them by the key. */
export const OSS_HINTS = {
	'ticket-expired': () => `The upload ticket is valid for only ${formatSpan(TICKET_TTL_MS)}; request a fresh one and upload right away.`,
	'entity-too-large': () => `OTA packages are limited to ${formatBytes(MAX_FIRMWARE_BYTES)}.`,
	'ticket-refused': () => 'OSS did not accept the upload ticket; request a new one and check the system clock.',
	'oss-server': () => 'OSS had a temporary problem; try again in a moment.',
} as const;

export type OssHint = keyof typeof OSS_HINTS;

/** The reason (MessageReason code) of an OSS refusal: its label and detail (OSS's own words) stay as OSS said them. */
export const OSS_REJECTED = 'oss-rejected';

function hintFor(code: string, status: number): OssHint | undefined {
	if (code === POLICY_EXPIRED) {
		return 'ticket-expired';
	}
	if (code === 'EntityTooLarge') {
		return 'entity-too-large';
	}
	if (code === 'SignatureDoesNotMatch' || code === 'InvalidAccessKeyId' || code === 'AccessDenied') {
		return 'ticket-refused';
	}
	if (status >= 500) {
		return 'oss-server';
	}
	return undefined;
}

/**
 * Turns a non-2xx PostObject answer into an OssError. Secrets (policy, signature) that OSS may echo are redacted.
 * `AccessDenied` + "Policy expired" becomes code `PolicyExpired` (retryable with a fresh ticket); 5xx are retryable.
 */
export function ossErrorFromResponse(
	status: number,
	statusText: string | undefined,
	body: string,
	headerRequestId: string | undefined,
	secrets: ReadonlyArray<string | undefined>,
): OssError {
	const parsed = parseOssErrorXml(body) ?? {};
	const ossCode = parsed.code;
	const expired = ossCode === 'AccessDenied' && /policy expired/i.test(parsed.message ?? '');
	const code = expired ? POLICY_EXPIRED : (ossCode ?? `Http${status}`);
	const detail = parsed.message ?? (statusText || 'no error details in the response');
	const ec = parsed.ec ? `, EC ${parsed.ec}` : '';
	const label = ossCode ? `HTTP ${status} ${ossCode}${ec}` : `HTTP ${status}`;
	const hint = hintFor(code, status);
	const reason: MessageReason = {
		code: OSS_REJECTED,
		values: { label: redact(label, secrets), detail: redact(detail, secrets), hint: hint ?? '' },
	};
	return new OssError({
		code,
		source: 'oss',
		status,
		requestId: parsed.requestId ?? headerRequestId,
		retryable: expired || status >= 500,
		message: redact(`OSS rejected the upload (${label}): ${detail}`, secrets),
		hint: hint && OSS_HINTS[hint](),
		reason,
		ossCode,
		ec: parsed.ec,
		hostId: parsed.hostId,
	});
}

export function isPolicyExpired(error: unknown): boolean {
	return error instanceof OtaError && error.code === POLICY_EXPIRED;
}

/** The ticket itself was refused (expired, or AccessDenied for a reason a new ticket can fix): renew and retry. */
export function isTicketRejected(error: unknown): boolean {
	if (isPolicyExpired(error)) {
		return true;
	}
	return (
		error instanceof OssError &&
		error.status === 403 &&
		error.ossCode === 'AccessDenied' &&
		// A failed policy condition (key prefix, size range) fails again with any ticket.
		!/condition failed/i.test(error.message)
	);
}
