import type { IntegrityCheck } from './image/types';

/** Where a failure came from; drives the wording and whether a retry can help. */
export type ErrorSource =
	| 'validation' // bad input caught before any network call
	| 'credentials' // missing/invalid credentials
	| 'api' // IoT Platform (POP gateway or business error)
	| 'oss' // OSS PostObject
	| 'network' // transport: reset, timeout, DNS, refused
	| 'config' // config-insertion engine
	| 'cancelled'; // the user (or a signal) cancelled

/**
 * What a message is made of: a code and the values in it, so that a shell can word the message in its own language by
 * the code (the extension's zh-cn); `message` and `hint` stay the English the CLI prints.
 */
export interface MessageReason {
	code: string;
	values: Readonly<Record<string, string | number>>;
	/** A damaged image's failed integrity checks (each with its own name and problem codes, too nested for `values`). */
	checks?: readonly IntegrityCheck[];
}

export interface OtaErrorInit {
	code: string;
	message: string;
	source: ErrorSource;
	requestId?: string;
	status?: number;
	retryable?: boolean;
	/** One actionable sentence telling the user what to do next. */
	hint?: string;
	reason?: MessageReason;
	cause?: unknown;
}

/**
 * The one error type the core throws. `message` is always safe to show and log:
 * every constructor site must pass text that went through `redact` when it may
 * contain request URLs or credentials.
 */
export class OtaError extends Error {
	readonly code: string;
	readonly source: ErrorSource;
	readonly requestId?: string;
	readonly status?: number;
	readonly retryable: boolean;
	readonly hint?: string;
	readonly reason?: MessageReason;

	constructor(init: OtaErrorInit) {
		super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
		this.name = 'OtaError';
		this.code = init.code;
		this.source = init.source;
		this.requestId = init.requestId;
		this.status = init.status;
		this.retryable = init.retryable ?? false;
		this.hint = init.hint;
		this.reason = init.reason;
	}

	/** This error with a shell's own hint: where the way out is the shell's (its command, its view), the core gives none. */
	withHint(hint: string): OtaError {
		const { code, message, source, requestId, status, retryable, reason, cause } = this;
		return new OtaError({ code, message, source, requestId, status, retryable, hint, reason, cause });
	}

	/** "Message (Code, RequestId: …)" — the single line shown to users. */
	describe(): string {
		const meta = [this.code, this.requestId ? `RequestId: ${this.requestId}` : undefined].filter(Boolean).join(', ');
		const hint = this.hint ? ` ${this.hint}` : '';
		return `${this.message}${hint}${meta ? ` (${meta})` : ''}`;
	}

	toJSON(): { code: string; message: string; requestId?: string } {
		return { code: this.code, message: this.message, requestId: this.requestId };
	}
}

export function cancelledError(stage: string): OtaError {
	return new OtaError({ code: 'Cancelled', message: `Cancelled during ${stage}.`, source: 'cancelled' });
}

export function isCancelled(error: unknown): boolean {
	return error instanceof OtaError && error.source === 'cancelled';
}

/**
 * The reason (MessageReason code) of an upload's error after its last attempt (uploader.ts finalError); the extension
 * words its cause by the cause's. Here, with the other reason codes, so the extension's wordings (loaded at
 * activation) need not load the uploader.
 */
export const UPLOAD_FAILED = 'upload-failed';

/**
 * The reasons of an error the core wraps with a prefix, its cause the inner error (worded by its own reason): one file
 * of a multi-file package ("name: …", multiFilePrepare.ts aboutFile), an aliyun CLI profile's credentials
 * ('Profile "name" in path: …', credentials.ts).
 */
export const ABOUT_FILE = 'about-file';
export const PROFILE_CREDENTIALS = 'profile-credentials';

/** The code of a cancel that could not be undone: the registration it interrupted stays (docs/protocols.md §13.3). */
export const CANCELLED_BUT_REGISTERED = 'CancelledButRegistered';

/** A cancel that left a package registered: the shells report it (with the FirmwareId to delete), not as a bare cancel. */
export function isCancelledButRegistered(error: unknown): boolean {
	return error instanceof OtaError && error.code === CANCELLED_BUT_REGISTERED;
}

/** The error of a cancel that left the package `firmwareId` registered; each shell hints at its own way to delete it. */
export function cancelledButRegistered(firmwareId: string, undoFailure: string): OtaError {
	return new OtaError({
		code: CANCELLED_BUT_REGISTERED,
		source: 'cancelled',
		message: `Cancelled, but the OTA firmware ${firmwareId} registered just before could not be deleted (${undoFailure}).`,
		reason: { code: CANCELLED_BUT_REGISTERED, values: { firmwareId, failure: undoFailure } },
	});
}

/** The FirmwareId a cancel left registered (CancelledButRegistered), for the shell to say how to delete it; else undefined. */
export function registeredFirmwareId(error: unknown): string | undefined {
	const firmwareId = isCancelledButRegistered(error) ? (error as OtaError).reason?.values.firmwareId : undefined;
	return typeof firmwareId === 'string' ? firmwareId : undefined;
}

/** The reason code of a stopped package whose CreateOTAFirmware got no definite answer: it may be registered all the same. */
export const PACKAGE_MAY_BE_REGISTERED = 'PackageMayBeRegistered';

/** A package that may be registered, as its request named it. */
export interface PackageInDoubt {
	firmwareName: string;
	productKey: string;
	destVersion: string;
}

/** The package a stopped run may have registered all the same (PACKAGE_MAY_BE_REGISTERED), for the shell to say where to look; else undefined. */
export function packageInDoubt(error: unknown): PackageInDoubt | undefined {
	const values = error instanceof OtaError && error.reason?.code === PACKAGE_MAY_BE_REGISTERED ? error.reason.values : undefined;
	return (
		values && {
			firmwareName: String(values.firmwareName),
			productKey: String(values.productKey),
			destVersion: String(values.destVersion),
		}
	);
}

/** A cancel that left nothing behind: both shells report it as just a cancel (a CancelledButRegistered as an error). */
export function isCleanCancel(error: unknown): boolean {
	return isCancelled(error) && !isCancelledButRegistered(error);
}

/** Throws a cancellation error if the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, stage: string): void {
	if (signal?.aborted) {
		throw cancelledError(stage);
	}
}

const SENSITIVE_QUERY_PARAMS =
	/([?&](?:Signature|SecurityToken|AccessKeyId|OSSAccessKeyId|policy|security-token|x-oss-signature)=)[^&\s"']*/gi;

/**
 * Removes secrets from free text: every given secret value (and its URL-encoded
 * form) and the values of signing-related query parameters in any URL.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
	let out = text.replace(SENSITIVE_QUERY_PARAMS, '$1***');
	for (const secret of secrets) {
		if (!secret || secret.length < 4) {
			continue;
		}
		for (const form of encodedForms(secret)) {
			out = out.split(form).join('***');
		}
	}
	return out;
}

/** The raw value plus the spellings it takes in URLs, form bodies and (doubly encoded) POP strings-to-sign. */
function encodedForms(secret: string): Set<string> {
	const uri = encodeURIComponent(secret);
	const pop = uri.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return new Set([secret, uri, pop, encodeURIComponent(pop)]);
}

/** Normalises anything thrown (including non-Error objects) into an OtaError. */
export function toOtaError(error: unknown, secrets: ReadonlyArray<string | undefined> = []): OtaError {
	if (error instanceof OtaError) {
		return error;
	}
	const anyErr = error as { name?: unknown; message?: unknown; code?: unknown } | undefined;
	const name = typeof anyErr?.name === 'string' ? anyErr.name : 'Error';
	if (name === 'AbortError') {
		return cancelledError('the request');
	}
	const message = typeof anyErr?.message === 'string' ? anyErr.message : String(error);
	const code = typeof anyErr?.code === 'string' ? anyErr.code : name;
	const network =
		/^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR)/.test(code) || name === 'RequestTimeoutError';
	return new OtaError({
		code,
		message: redact(message, secrets),
		source: network ? 'network' : 'api',
		retryable: network,
		cause: undefined,
	});
}
