// Reading the answer to a PostObject (the firmware upload and the lifecycle's device list): bounded in size, never
// inflated, and reported once (docs/protocols.md §14.1).
import type { IncomingMessage } from 'node:http';
import type { OtaError } from '../errors';
import { encodedResponse, RESPONSE_LIMITS, responseTooLarge, type Exchange } from '../responseBounds';

export type OssAnswer =
	/** The body as received; `complete` is false when the connection ended before the body did. */
	| { body: string; complete: boolean; error?: undefined }
	/** Refused: too large or compressed. The answer was not read further (its socket is destroyed). */
	| { error: OtaError };

/** Collects the answer's body (at most RESPONSE_LIMITS.ossAnswerBytes), then calls back exactly once. */
export function readOssAnswer(res: IncomingMessage, what: Exchange, done: (answer: OssAnswer) => void): void {
	const limit = RESPONSE_LIMITS.ossAnswerBytes;
	const chunks: Buffer[] = [];
	let length = 0;
	let called = false;
	const settle = (answer: OssAnswer): void => {
		if (!called) {
			called = true;
			done(answer);
		}
	};
	const refuse = (error: OtaError): void => {
		settle({ error });
		res.destroy();
	};
	const encoding = res.headers['content-encoding']?.trim();
	if (encoding && encoding.toLowerCase() !== 'identity') {
		refuse(encodedResponse(what, encoding));
		return;
	}
	if (Number(res.headers['content-length']) > limit) {
		refuse(responseTooLarge(what, limit));
		return;
	}
	res.on('data', (chunk: Buffer) => {
		length += chunk.length;
		if (length > limit) {
			refuse(responseTooLarge(what, limit));
		} else {
			chunks.push(chunk);
		}
	});
	const finish = (complete: boolean) => () => settle({ body: Buffer.concat(chunks).toString('utf8'), complete });
	res.on('end', finish(true));
	res.on('close', finish(false));
	res.on('error', finish(false));
}

/** How long an upload of `bytes` may take in all: the inactivity timeout plus the bytes at the slowest allowed rate. */
export function uploadDeadlineMs(bytes: number, timeoutMs: number): number {
	return timeoutMs + Math.ceil((bytes * 1000) / RESPONSE_LIMITS.minUploadBytesPerSecond);
}
