import type { EventEmitter } from 'node:events';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Logger } from '../core/logger';
import type { FaultInjector } from './faults';
import { ossRequestId } from './httpUtil';
import type { SandboxIdentity } from './identity';
import { escapeXml, OssError, ossErrorXml, ossErrors } from './ossErrors';
import { PostObjectUpload } from './ossUpload';
import { validateObjectKey } from './postObjectForm';
import type { RequestLog } from './requestLog';
import type { SandboxStats } from './stats';
import type { SandboxStore } from './store';

/** The OSS listener: PostObject on `POST /`, GetObject/HeadObject on `/<key>`. */

export interface OssContext {
	store: SandboxStore;
	identity: SandboxIdentity;
	faults: FaultInjector;
	stats: SandboxStats;
	logger: Logger;
	events: EventEmitter;
	now: () => number;
	bucket: string;
	ossHost: string;
	requests: RequestLog;
	/** Aborted when the sandbox stops. */
	stopSignal: AbortSignal;
	/** Abortable wait that ends early when the sandbox stops. */
	pause: (ms: number) => Promise<void>;
	sendError: (res: ServerResponse, error: OssError, requestId: string, headers?: OutgoingHttpHeaders) => void;
	/** Uploads in flight, so stop() can wait for their temp files to be removed. */
	uploads: Set<PostObjectUpload>;
}

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

export function createOssHandler(ctx: OssContext): (req: IncomingMessage, res: ServerResponse) => void {
	return (req, res) => {
		const requestId = ossRequestId();
		const pathname = new URL(req.url ?? '/', 'http://sandbox').pathname;
		if (req.method === 'POST' && pathname === '/') {
			ctx.requests.oss('PostObject');
			const upload = new PostObjectUpload(req, res, ctx, requestId);
			ctx.uploads.add(upload);
			void upload.settled.then(() => ctx.uploads.delete(upload));
			upload.start();
			return;
		}
		if ((req.method === 'GET' || req.method === 'HEAD') && pathname !== '/') {
			void getObject(req, res, ctx, requestId, pathname);
			return;
		}
		req.resume();
		ctx.sendError(res, ossErrors.methodNotAllowed(), requestId);
	};
}

async function getObject(req: IncomingMessage, res: ServerResponse, ctx: OssContext, requestId: string, pathname: string): Promise<void> {
	let key: string;
	try {
		key = decodeURIComponent(pathname.slice(1));
		ctx.requests.oss(req.method === 'HEAD' ? 'HeadObject' : 'GetObject', { key });
		validateObjectKey(key);
	} catch (error) {
		ctx.sendError(res, error instanceof OssError ? error : ossErrors.noSuchKey(pathname.slice(1)), requestId);
		return;
	}
	const fault = ctx.faults.take('oss', 'GetObject', ['status', 'reset', 'stall', 'delay']);
	if (fault?.kind === 'status') {
		ctx.sendError(res, ossErrors.injected(fault.status, fault.code), requestId);
		return;
	}
	if (fault?.kind === 'reset') {
		req.socket.destroy();
		return;
	}
	if (fault?.kind === 'stall' || fault?.kind === 'delay') {
		if (fault.ms === undefined) {
			return;
		}
		await ctx.pause(fault.ms);
	}
	const object = ctx.store.getObject(key);
	if (!object) {
		ctx.sendError(res, ossErrors.noSuchKey(key), requestId);
		return;
	}
	res.writeHead(200, {
		'Content-Type': object.contentType || 'application/octet-stream',
		'Content-Length': object.size,
		ETag: `"${object.etag}"`,
		'Last-Modified': new Date(object.createdAt).toUTCString(),
		'x-oss-request-id': requestId,
		'x-oss-object-type': 'Normal',
		Server: 'AliyunOSS',
	});
	if (req.method === 'HEAD') {
		res.end();
		return;
	}
	const file = createReadStream(ctx.store.objectPath(key), { highWaterMark: 1024 * 1024 });
	file.on('error', () => res.destroy());
	file.pipe(res);
}
