import { isCancelled, OtaError, throwIfAborted, toOtaError, UPLOAD_FAILED } from './errors';
import { checkFirmwareUrl } from './firmwareUrl';
import { formatBytes, formatDuration, formatRate } from './format';
import { openFirmwareFile, parseSuffix, type FirmwareFileInfo, type OpenedFile } from './limits';
import { silentLogger, type Logger } from './logger';
import { TICKET_TTL_MS } from './otaFacts';
import { backoffDelay, resolveRetryPolicy, sleep, type RetryPolicy } from './retry';
import type { FirmwareSuffix, TicketSource, UploadProgress, UploadResult, UploadTicket } from './types';
import { isTicketRejected } from './upload/ossError';
import { postObject } from './upload/postObject';
import { UploadBody } from './upload/uploadBody';
import { RateMeter } from './upload/rateMeter';

export interface UploadFirmwareOptions {
	suffix?: FirmwareSuffix;
	signal?: AbortSignal;
	onProgress?: (p: UploadProgress) => void;
	logger?: Logger;
	/** Total upload attempts, each with a fresh ticket; default 4. */
	maxAttempts?: number;
	/** A ticket older than this when the upload would start is replaced; default 50 s (tickets live 60 s). */
	ticketMaxAgeMs?: number;
	hash?: boolean;
	timeoutMs?: number;
	env?: NodeJS.ProcessEnv;
	/** Back-off between attempts (maxAttempts above wins); defaults from retry.ts. */
	retry?: Partial<RetryPolicy>;
	/** false when the caller already showed the pre-flight warnings (e.g. prepareFlow's), so they are not logged twice. */
	logWarnings?: boolean;
}

export const DEFAULT_UPLOAD_ATTEMPTS = 4;
/** A ticket older than this is renewed before an attempt: its lifetime less 10 s for the request to get going. */
export const DEFAULT_TICKET_MAX_AGE_MS = TICKET_TTL_MS - 10_000;

/** The one error the caller sees: attempt count plus the last cause (its code, status and RequestId kept). */
export function finalError(cause: OtaError, attempts: number): OtaError {
	return new OtaError({
		code: cause.code,
		source: cause.source,
		status: cause.status,
		requestId: cause.requestId,
		retryable: cause.retryable,
		hint: cause.hint,
		cause,
		message: `Upload failed after ${attempts} attempt${attempts === 1 ? '' : 's'}. Last error: ${cause.message}`,
		reason: { code: UPLOAD_FAILED, values: { attempts } },
	});
}

/**
 * Pre-flight checks, then OSS PostObject with a ticket fetched just before each attempt.
 * Retries network failures and 5xx with back-off, renews rejected/expired tickets at once,
 * and never retries other 4xx answers.
 */
export async function uploadFirmware(tickets: TicketSource, filePath: string, opts: UploadFirmwareOptions = {}): Promise<UploadResult> {
	const started = Date.now();
	const logger = opts.logger ?? silentLogger;
	const policy = resolveRetryPolicy({
		...opts.retry,
		maxAttempts: opts.maxAttempts ?? opts.retry?.maxAttempts ?? DEFAULT_UPLOAD_ATTEMPTS,
	});
	const maxAgeMs = opts.ticketMaxAgeMs ?? DEFAULT_TICKET_MAX_AGE_MS;

	// Opened once, never blocking, and checked through that descriptor: every attempt uploads exactly this file.
	const file = await openFirmwareFile(filePath);
	try {
		return await uploadAttempts(tickets, file, opts, { policy, maxAgeMs, logger, started });
	} finally {
		await file.handle.close().catch(() => undefined);
	}
}

async function uploadAttempts(
	tickets: TicketSource,
	file: OpenedFile & { info: FirmwareFileInfo },
	opts: UploadFirmwareOptions,
	{ policy, maxAgeMs, logger, started }: { policy: RetryPolicy; maxAgeMs: number; logger: Logger; started: number },
): Promise<UploadResult> {
	const { info } = file;
	const suffix = opts.suffix !== undefined ? parseSuffix(opts.suffix) : (info.inferredSuffix ?? 'bin');
	for (const warning of opts.logWarnings === false ? [] : info.warnings) {
		logger.warn(warning);
	}
	const meter = new RateMeter();
	let attempt = 1;
	const emit = (phase: UploadProgress['phase'], bytesSent: number, totalBytes = info.size): void => {
		const bytesPerSecond = phase === 'uploading' ? meter.record(bytesSent) : phase === 'done' ? meter.rate() : 0;
		opts.onProgress?.({ phase, bytesSent, totalBytes, bytesPerSecond, attempt });
	};

	for (; ; attempt++) {
		throwIfAborted(opts.signal, 'the upload');
		emit('ticket', 0);
		const ticket = await freshTicket(tickets, suffix, maxAgeMs, opts.signal, logger);
		// Refused before anything is sent: this URL is what gets registered and written into config files.
		checkFirmwareUrl(ticket.firmwareUrl);
		const body = UploadBody.over(file, { hash: opts.hash !== false });
		logger.info(
			`Uploading ${formatBytes(info.size)} to ${ticket.host} as ${ticket.key} (attempt ${attempt} of ${policy.maxAttempts}).`,
		);
		meter.reset();
		emit('uploading', 0);
		const attemptStarted = Date.now();
		try {
			const result = await postObject(ticket, body, {
				signal: opts.signal,
				timeoutMs: opts.timeoutMs,
				env: opts.env,
				onProgress: (sent, total) => emit('uploading', sent, total),
			}).finally(() => body.discard());
			const elapsedMs = Math.max(Date.now() - attemptStarted, 1);
			logger.info(
				`Uploaded ${formatBytes(result.size)} in ${formatDuration(elapsedMs)} (${formatRate((result.size * 1000) / elapsedMs)})` +
					(result.requestId ? `, RequestId ${result.requestId}.` : '.'),
			);
			emit('done', result.size, result.size);
			return {
				firmwareUrl: ticket.firmwareUrl,
				key: ticket.key,
				host: ticket.host,
				suffix,
				size: result.size,
				md5: result.md5,
				sha256: result.sha256,
				utcCreate: ticket.utcCreate,
				requestId: result.requestId,
				attempts: attempt,
				durationMs: Date.now() - started,
			};
		} catch (error) {
			const failure = toOtaError(error, [ticket.policy, ticket.signature]);
			if (isCancelled(failure)) {
				logger.info('Upload cancelled.');
				throw failure;
			}
			const renewTicket = isTicketRejected(failure);
			if (attempt >= policy.maxAttempts || !(renewTicket || failure.retryable)) {
				logger.error(`Upload attempt ${attempt} failed: ${failure.describe()}`);
				throw finalError(failure, attempt);
			}
			// A refused ticket is fixed by the new ticket itself; transport and 5xx failures get back-off.
			const delayMs = renewTicket ? 0 : backoffDelay(attempt, policy);
			logger.warn(`Upload attempt ${attempt} failed: ${failure.describe()} Retrying with a fresh ticket in ${delayMs} ms.`);
			emit('retrying', 0);
			await sleep(delayMs, opts.signal, 'the upload retry wait');
		}
	}
}

/** Asks for a ticket; one that is already close to its 60 s expiry (cached or delayed) is replaced once. */
async function freshTicket(
	tickets: TicketSource,
	suffix: FirmwareSuffix,
	maxAgeMs: number,
	signal: AbortSignal | undefined,
	logger: Logger,
): Promise<UploadTicket> {
	logger.debug(`Requesting an upload ticket (GenerateOTAUploadURL, suffix ${suffix}).`);
	let ticket = await tickets.generateOtaUploadUrl(suffix, signal);
	const age = Date.now() - ticket.receivedAt;
	if (age > maxAgeMs) {
		logger.info(`The upload ticket is ${Math.round(age / 1000)} s old; requesting a fresh one.`);
		ticket = await tickets.generateOtaUploadUrl(suffix, signal);
	}
	logger.debug(`Got an upload ticket for ${ticket.host}${ticket.requestId ? ` (RequestId ${ticket.requestId})` : ''}.`);
	return ticket;
}
