// How much and for how long the client reads what a server (or a proxy) sends: one place for the numbers and the
// errors, so a hostile or broken endpoint can neither grow the process's memory nor keep it alive for ever
// (docs/protocols.md §14.1).
import { maxHeaderSize } from 'node:http';
import { OtaError } from './errors';
import { formatBytes, formatCount, formatDuration } from './format';
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

/**
 * What a bound refused: an API action's answer, the answer of a host, an upload to a host, or the device list posted to
 * a host. `name` is the action or the host; `headers` marks an answer's headers (Node's header limit). A shell words the
 * refusals by these (the reasons below); exchangeText is the English.
 */
export interface Exchange {
	kind: 'action-answer' | 'host-answer' | 'upload' | 'device-list';
	name: string;
	headers?: boolean;
}

export const EXCHANGE_TEXTS: Record<Exchange['kind'], string> = {
	'action-answer': "{0}'s answer",
	'host-answer': 'The answer of {0}',
	upload: 'The upload to {0}',
	'device-list': 'Posting the device list to {0}',
};

/** "GenerateOTAUploadURL's answer", "The answer of b.oss-….aliyuncs.com (its headers)". */
export function exchangeText(exchange: Exchange): string {
	return `${EXCHANGE_TEXTS[exchange.kind].replace('{0}', () => exchange.name)}${exchange.headers ? ' (its headers)' : ''}`;
}

/** The reasons (MessageReason codes) of the refusals here; `exchange`, `name` and `headers` name what was refused. */
export const BOUND_REASONS = ['response-too-large', 'unexpected-encoding', 'deadline-exceeded', 'listing-too-long'] as const;

const exchangeValues = ({ kind, name, headers }: Exchange) => ({ exchange: kind, name, headers: headers ? 1 : 0 });

/** The answer (or its headers) passed its size limit: refused, never retried (the same server would send it again). */
export function responseTooLarge(exchange: Exchange, limitBytes: number): OtaError {
	return new OtaError({
		code: 'ResponseTooLarge',
		source: 'network',
		retryable: false,
		message: `${exchangeText(exchange)} was larger than ${formatBytes(limitBytes)}; it was not read further.`,
		hint: 'Check the endpoint and any proxy in between: the real service never answers this much.',
		reason: { code: 'response-too-large', values: { ...exchangeValues(exchange), limit: limitBytes } },
	});
}

/** A compressed answer although only `identity` was accepted: refused unread, so nothing can inflate in memory. */
export function encodedResponse(exchange: Exchange, encoding: string): OtaError {
	const shown = encoding.slice(0, 40);
	return new OtaError({
		code: 'UnexpectedContentEncoding',
		source: 'network',
		retryable: false,
		message: `${exchangeText(exchange)} came compressed (Content-Encoding ${shown}) although only uncompressed answers were accepted; it was not read.`,
		hint: 'Check the endpoint and any proxy in between.',
		reason: { code: 'unexpected-encoding', values: { ...exchangeValues(exchange), encoding: shown } },
	});
}

/**
 * The whole exchange took longer than its deadline, however often bytes arrived: the connection is dropped. The deadline
 * is computed (an upload's grows with its size), so it is worded rounded, as a measured time ("2 min 1 s").
 */
export function deadlineExceeded(exchange: Exchange, deadlineMs: number): OtaError {
	return new OtaError({
		code: 'DeadlineExceeded',
		source: 'network',
		retryable: true,
		message: `${exchangeText(exchange)} did not complete within ${formatDuration(deadlineMs)}; the connection was dropped.`,
		hint: 'Check the network or proxy settings; a server that sends only a byte now and then is cut off here.',
		reason: { code: 'deadline-exceeded', values: { ...exchangeValues(exchange), deadlineMs } },
	});
}

/** Node's HTTP parser refuses headers over its limit (`maxHeaderSize`, 16 KiB by default): the same refusal. */
export function headerOverflow(error: unknown, exchange: Exchange): OtaError | undefined {
	return (error as { code?: unknown } | undefined)?.code === 'HPE_HEADER_OVERFLOW'
		? responseTooLarge({ ...exchange, headers: true }, maxHeaderSize)
		: undefined;
}

/** A listing read whole went past RESPONSE_LIMITS.listingItems without a short page or its total: refused. */
export function listingTooLong(action: string, limit: number): OtaError {
	return new OtaError({
		code: 'ListingTooLong',
		source: 'network',
		retryable: false,
		message: `${action} kept answering full pages past ${formatCount(limit)} items; the listing was not read further.`,
		hint: 'Check the endpoint and any proxy in between: the real service pages no deeper.',
		reason: { code: 'listing-too-long', values: { action, limit } },
	});
}
