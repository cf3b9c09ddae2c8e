import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { escapeXml, type OssError, ossErrorXml } from './ossErrors';

/** The two answers an OSS listener writes: the error XML, and PostObject's success (204, 200 or 201 with XML). */

export function sendOssError(res: ServerResponse, error: OssError, requestId: string, headers: OutgoingHttpHeaders = {}): void {
	if (res.headersSent) {
		res.destroy();
		return;
	}
	const host = res.req?.headers.host ?? '127.0.0.1';
	const body = ossErrorXml(error, requestId, host);
	res.writeHead(error.status, {
		...headers,
		'Content-Type': 'application/xml',
		'Content-Length': Buffer.byteLength(body),
		'x-oss-request-id': requestId,
		...(error.ec ? { 'x-oss-ec': error.ec } : {}),
		Server: 'AliyunOSS',
	});
	res.end(body);
}

/** 204 by default; 200 (empty) or 201 (PostResponse XML) when success_action_status asks for it. */
export function sendPostObjectSuccess(
	res: ServerResponse,
	answer: { successActionStatus?: string; requestId: string; bucket: string; location: string; key: string; etag: string },
): void {
	const { successActionStatus, requestId, bucket, location, key, etag } = answer;
	const status = successActionStatus === '200' || successActionStatus === '201' ? Number(successActionStatus) : 204;
	const headers = { 'x-oss-request-id': requestId, ETag: `"${etag}"`, Server: 'AliyunOSS' };
	if (status === 201) {
		const body =
			'<?xml version="1.0" encoding="UTF-8"?>\n' +
			`<PostResponse><Bucket>${escapeXml(bucket)}</Bucket><Location>${escapeXml(location)}</Location><Key>${escapeXml(key)}</Key><ETag>"${etag}"</ETag></PostResponse>\n`;
		res.writeHead(201, { ...headers, 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) }).end(body);
	} else {
		res.writeHead(status, { ...headers, 'Content-Length': 0 }).end();
	}
}
