// How much and for how long the client reads what a server (or a proxy) sends: one place for the numbers and the
// errors, so a hostile or broken endpoint can neither grow the process's memory nor keep it alive for ever
// (docs/protocols.md §14.1).
import { maxHeaderSize } from 'node:http';
import { OtaError } from './errors';
import { formatBytes, formatDuration } from './format';
import { LIFECYCLE_LIMITS } from './lifecycle/rules';

export const RESPONSE_LIMITS = {
	/**
	 * An IoT API answer on the wire (status line, headers, body). The largest documented answers (pages of 100 to
	 * 200 items) are tens of KiB, so 4 MiB leaves ample room and bounds what httpx collects and json-bigint parses.
	 */
	apiAnswerBytes: 4 * 1024 * 1024,
	/** An OSS PostObject answer body: empty, a `<PostResponse>` or an `<Error>` document, each well under 4 KiB. */
	ossAnswerBytes: 64 * 1024,
	/** Each API request's deadline, as a multiple of its inactivity timeout (15 s by default: 60 s in all). */
	apiDeadlineTimeouts: 4,
	/**
	 * The slowest upload rate an OSS attempt is allowed: its deadline is the inactivity timeout plus the file size at
	 * this rate (a 1,000 MB package gets about 17 hours), so a server that reads one byte now and then cannot hold it.
	 */
	minUploadBytesPerSecond: 16 * 1024,
	/**
	 * A listing read whole (`everyPage`): ListOTATaskByJob's whole depth (CurrentPage × PageSize), more packages,
	 * products or jobs of a package than an account has; a server that keeps answering full pages cannot loop for ever.
	 */
	listingItems: LIFECYCLE_LIMITS.taskPageDepth,
} as const;

/** The answer (or its headers) passed its size limit: refused, never retried (the same server would send it again). */
export function responseTooLarge(what: string, limitBytes: number): OtaError {
	return new OtaError({
		code: 'ResponseTooLarge',
		source: 'network',
		retryable: false,
		message: `${what} was larger than ${formatBytes(limitBytes)}; it was not read further.`,
		hint: 'Check the endpoint and any proxy in between: the real service never answers this much.',
	});
}

/** A compressed answer although only `identity` was accepted: refused unread, so nothing can inflate in memory. */
export function encodedResponse(what: string, encoding: string): OtaError {
	return new OtaError({
		code: 'UnexpectedContentEncoding',
		source: 'network',
		retryable: false,
		message: `${what} came compressed (Content-Encoding ${encoding.slice(0, 40)}) although only uncompressed answers were accepted; it was not read.`,
		hint: 'Check the endpoint and any proxy in between.',
	});
}

/**
 * The whole exchange took longer than its deadline, however often bytes arrived: the connection is dropped. The deadline
 * is computed (an upload's grows with its size), so it is worded rounded, as a measured time ("2 min 1 s").
 */
export function deadlineExceeded(what: string, deadlineMs: number): OtaError {
	return new OtaError({
		code: 'DeadlineExceeded',
		source: 'network',
		retryable: true,
		message: `${what} did not complete within ${formatDuration(deadlineMs)}; the connection was dropped.`,
		hint: 'Check the network or proxy settings; a server that sends only a byte now and then is cut off here.',
	});
}

/** Node's HTTP parser refuses headers over its limit (`maxHeaderSize`, 16 KiB by default): the same refusal. */
export function headerOverflow(error: unknown, what: string): OtaError | undefined {
	return (error as { code?: unknown } | undefined)?.code === 'HPE_HEADER_OVERFLOW'
		? responseTooLarge(`${what} (its headers)`, maxHeaderSize)
		: undefined;
}

/** A listing read whole went past RESPONSE_LIMITS.listingItems without a short page or its total: refused. */
export function listingTooLong(action: string, limit: number): OtaError {
	return new OtaError({
		code: 'ListingTooLong',
		source: 'network',
		retryable: false,
		message: `${action} kept answering full pages past ${limit.toLocaleString('en-US')} items; the listing was not read further.`,
		hint: 'Check the endpoint and any proxy in between: the real service pages no deeper.',
	});
}
