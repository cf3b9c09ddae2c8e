import { ACCESS_KEY_NOT_FOUND, PERMISSION_CODES } from '../apiErrorCodes';
import { cancelledError, OtaError, redact, toOtaError } from '../errors';
import { formatSpan } from '../format';
import { headerOverflow } from '../responseBounds';
import { classifyTlsFailure, unretryableTlsError } from '../tlsFailure';
import { actionFacts } from './actions';
import { asObject, type Json, str, toPlain } from './normalize';

export interface CallContext {
	action: string;
	endpoint: string;
	/** Values that must never show up in a message (secret, STS token). */
	secrets: ReadonlyArray<string | undefined>;
	timeoutMs: number;
	iotInstanceId?: string;
}

/** What pop-core/httpx/json-bigint throw, as far as we look at it. */
interface PopFailure {
	name?: unknown;
	message?: unknown;
	code?: unknown;
	data?: unknown;
	text?: unknown;
	entry?: { response?: { statusCode?: unknown } | null } | null;
}

const URL_SUFFIX = /,? URL: \S*$/;
const HTTPX_SUFFIX = /\.?\s*(?:GET|POST|PUT|DELETE|HEAD|PATCH) \S+ failed\.$/;
const SERVER_STRING_TO_SIGN = /\s*server string to sign is:.*$/s;

/** A ProductKey the platform does not know (in this region and instance) or refuses as malformed. */
const PRODUCT_REFUSED = /^iot\.prod\.(NotExistedProduct|InvalidFormattedProductkey|NullProductKey)$/i;

export const isProductRefused = (code: string): boolean => PRODUCT_REFUSED.test(code);

/** Our hints to a platform refusal, by the key its reason carries (`hint`): the extension words them by the key. */
export const API_HINTS = {
	signature: 'Check the AccessKey Secret: it does not match the AccessKey ID.',
	'key-not-found': 'Check the AccessKey ID: no such key exists.',
	'key-inactive': 'Enable the AccessKey in the RAM console or use another one.',
	'token-expired': 'Refresh the STS token: it has expired.',
	'token-invalid': 'Check the STS token: it must be the one issued with this STS AccessKey ID.',
	clock: "Check this computer's clock: it must be within 15 minutes of the real time.",
	'instance-not-found':
		'Set the IotInstanceId of your Enterprise instance (IoT Platform console → Instances), or check that it belongs to this region.',
	permission: 'Grant this RAM user IoT Platform permissions (e.g. the AliyunIOTFullAccess policy).',
	'not-activated': 'Activate IoT Platform for this account in this region.',
	'bill-overdue': 'The account has an overdue bill: top it up in the billing console.',
	'not-iot-endpoint': 'Check the endpoint: it must be an IoT Platform endpoint such as https://iot.cn-shanghai.aliyuncs.com.',
	'firmware-name-taken':
		'FirmwareName is unique in the account: choose another (--name on the command line). The default name repeats for the same file name, version and content, e.g. the same image registered for a second product.',
	'product-key': 'Check the ProductKey, and that the product belongs to this region and instance.',
	'instance-id': 'Check the IotInstanceId: it must be the ID of an Enterprise instance in this region.',
	'module-not-found':
		"Check the module name (--module on the command line): it must be one of the product's OTA modules (IoT Platform console → OTA → Modules, or ListOTAModuleByProduct), or create the module first (CreateOTAModule).",
	'group-not-found': 'Check the group: a batch names a device group by its GroupId (not its name), of this region and instance.',
} as const;

export type ApiHint = keyof typeof API_HINTS;

/** A code as a pattern, or one code (compared without case, as the patterns are). */
const HINTS: ReadonlyArray<[RegExp | string, ApiHint]> = [
	[/^SignatureDoesNotMatch$|^IncompleteSignature$/i, 'signature'],
	[ACCESS_KEY_NOT_FOUND, 'key-not-found'],
	[/^InvalidAccessKeyId\.Inactive$/i, 'key-inactive'],
	[/^InvalidSecurityToken\.Expired$/i, 'token-expired'],
	[/^(InvalidSecurityToken\.|MissingSecurityToken$)/i, 'token-invalid'],
	[/^InvalidTimeStamp\.Expired$/i, 'clock'],
	[/InstanceNotFound$/i, 'instance-not-found'],
	[PERMISSION_CODES, 'permission'],
	[/^iot\.system\.UidNotFound$/i, 'not-activated'],
	[/^Iot\.system\.BillIsOverDue$/i, 'bill-overdue'],
	[/^(InvalidAction|InvalidApi)\.NotFound$/i, 'not-iot-endpoint'],
	[/^iot\.firmware\.AlreadyExistedFirmwareName$/i, 'firmware-name-taken'],
	[/^iot\.ota\.OtaModuleNotExisted$/i, 'module-not-found'],
	[/^iot\.group\.NotExistedGroup$/i, 'group-not-found'],
	[PRODUCT_REFUSED, 'product-key'],
];

const SERVER_FAULT_CODES = /^(InternalError|ServiceUnavailable|iot\.system\.SystemException|UnknownError)$/i;

export function hintFor(code: string): string | undefined {
	const key = hintKeyFor(code);
	return key && API_HINTS[key];
}

function hintKeyFor(code: string): ApiHint | undefined {
	return HINTS.find(([match]) => (typeof match === 'string' ? match.toLowerCase() === code.toLowerCase() : match.test(code)))?.[1];
}

/** The per-account limit of the action that was throttled, from the one table of action facts (iot/actions.ts). */
export function throttlingHint(action: string): string {
	return `Too many requests: wait a moment and try again (${action} allows ${actionFacts(action).qps} calls per second per account).`;
}

/**
 * The reasons (MessageReason codes) of a failed call: the extension words our text by them; the platform's own words
 * (`text`) and the system's (`detail`) stay as they were said. `hint` is an API_HINTS key, 'throttling' or ''.
 */
export const CALL_REASONS = ['request-timeout', 'endpoint-unreachable', 'api-failed'] as const;

export function isThrottling(error: OtaError): boolean {
	return /^Throttling/i.test(error.code);
}

/**
 * Turns anything a pop-core call throws into ONE OtaError with a clean, secret-free message. `status` is the HTTP
 * status of the answer when it is known (pop-core drops it when the body is not JSON).
 */
export function mapPopError(error: unknown, ctx: CallContext, status?: number): OtaError {
	if (error instanceof OtaError) {
		return error;
	}
	const failure = (typeof error === 'object' && error !== null ? error : {}) as PopFailure;
	const data = asObject(toPlain(failure.data));
	if (data) {
		return fromErrorBody(data, statusOf(failure) ?? status, ctx, cleanMessage(failure.message, ctx));
	}
	// json-bigint's SyntaxError; a TypeError when the JSON is not an object (pop-core reads `null.Code`).
	if (failure.name === 'SyntaxError' || failure.name === 'TypeError') {
		return nonJsonAnswer(failure, ctx, statusOf(failure) ?? status);
	}
	const overflow = headerOverflow(error, { kind: 'action-answer', name: ctx.action });
	if (overflow) {
		return overflow;
	}
	if (failure.name === 'AbortError') {
		return cancelledError(ctx.action);
	}
	if (failure.name === 'RequestTimeoutError') {
		return new OtaError({
			code: 'RequestTimeout',
			source: 'network',
			retryable: true,
			message: `${ctx.action}: ${ctx.endpoint} did not answer within ${formatSpan(ctx.timeoutMs)}.`,
			hint: 'Check the network or proxy settings, or raise the request timeout.',
			reason: { code: 'request-timeout', values: { action: ctx.action, endpoint: ctx.endpoint, timeoutMs: ctx.timeoutMs } },
		});
	}
	const tls = classifyTlsFailure(failure);
	const code = tls?.code ?? (typeof failure.code === 'string' ? failure.code : undefined);
	const refused =
		tls &&
		unretryableTlsError(tls, { action: ctx.action, server: ctx.endpoint, detail: cleanMessage(failure.message, ctx) || tls.code });
	if (refused) {
		return refused;
	}
	// A transient TLS failure (a record damaged on the way) is retried like any other network failure.
	if (code && /^(E[A-Z_]+|UND_ERR\w*|ERR_SSL\w*|ERR_TLS\w*|CERT_\w+|\w+_CERT\w*)$/.test(code)) {
		const detail = cleanMessage(failure.message, ctx) || code;
		return new OtaError({
			code,
			source: 'network',
			retryable: true,
			message: `${ctx.action}: cannot reach ${ctx.endpoint}: ${detail}.`,
			hint: 'Check the network connection, the endpoint/region and the HTTPS_PROXY setting.',
			reason: { code: 'endpoint-unreachable', values: { action: ctx.action, endpoint: ctx.endpoint, detail } },
		});
	}
	const generic = toOtaError(error, ctx.secrets);
	return new OtaError({
		code: generic.code,
		source: generic.source,
		retryable: generic.retryable,
		message: `${ctx.action} failed: ${cleanMessage(failure.message, ctx) || generic.message}`,
	});
}

/** A parsed body that is an error: gateway (`Code`+`Message`) or IoT business (`Success:false`, `ErrorMessage`). */
export function fromErrorBody(body: Json, status: number | undefined, ctx: CallContext, fallbackMessage = ''): OtaError {
	const code = str(body.Code) ?? 'RequestFailed';
	const detail = str(body.ErrorMessage) ?? str(body.Message) ?? (/^undefined\b/.test(fallbackMessage) ? '' : fallbackMessage);
	const text = clean(detail.replace(SERVER_STRING_TO_SIGN, ''), ctx).replace(/[\s.]+$/, '');
	const throttled = /^Throttling/i.test(code);
	const hint: ApiHint | 'throttling' | undefined = throttled
		? 'throttling'
		: code.endsWith('InstanceNotFound') && ctx.iotInstanceId
			? 'instance-id'
			: hintKeyFor(code);
	return new OtaError({
		code,
		source: 'api',
		requestId: str(body.RequestId),
		status,
		retryable: /^Throttling/i.test(code) || SERVER_FAULT_CODES.test(code) || (status !== undefined && status >= 500),
		message: text ? `${ctx.action} failed: ${text}.` : `${ctx.action} failed with ${code}.`,
		hint: hint === 'throttling' ? throttlingHint(ctx.action) : hint && API_HINTS[hint],
		// A throttled action's QPS travels with the reason: the extension words the hint without the action table.
		reason: {
			code: 'api-failed',
			values: { action: ctx.action, text, code, hint: hint ?? '', ...(throttled ? { qps: actionFacts(ctx.action).qps } : {}) },
		},
	});
}

/**
 * An answer that is not a JSON object: typically the HTML page of a front proxy (502/503/504). A 5xx one is a server
 * fault like any other, retried where the action may be repeated (iot/actions.ts); the status is always reported.
 */
function nonJsonAnswer(failure: PopFailure, ctx: CallContext, status: number | undefined): OtaError {
	const body = typeof failure.text === 'string' ? failure.text.slice(0, 64 * 1024) : '';
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1];
	const excerpt = clean((title ?? body.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim(), ctx).slice(0, 120);
	const http = status === undefined ? '' : ` (HTTP ${status})`;
	return new OtaError({
		code: 'NonJsonResponse',
		source: 'api',
		status,
		retryable: status !== undefined && status >= 500,
		message: `${ctx.action}: ${ctx.endpoint} returned a non-JSON answer${http}${excerpt ? ` ("${excerpt}")` : ''}.`,
		hint: 'Check the endpoint and region, and any proxy in between; if it is a temporary gateway error, try again.',
		reason: { code: 'non-json-answer', values: { action: ctx.action, endpoint: ctx.endpoint, status: status ?? '', excerpt } },
	});
}

function statusOf(failure: PopFailure): number | undefined {
	const status = failure.entry?.response?.statusCode;
	return typeof status === 'number' ? status : undefined;
}

/** pop-core's "…, URL: <url>" and httpx's "POST <url> failed." suffixes removed, then redacted. */
function cleanMessage(message: unknown, ctx: CallContext): string {
	if (typeof message !== 'string') {
		return '';
	}
	return clean(message.replace(URL_SUFFIX, '').replace(HTTPX_SUFFIX, ''), ctx).trim();
}

function clean(text: string, ctx: CallContext): string {
	return redact(text.replace(URL_SUFFIX, ''), ctx.secrets);
}
