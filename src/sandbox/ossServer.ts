import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ossRequestId } from './httpUtil';
import type { OssContext } from './ossContext';
import { OssError, ossErrors } from './ossErrors';
import { checkSignedGet } from './ossSignedUrl';
import { PostObjectUpload } from './ossUpload';
import { validateObjectKey } from './postFormChecks';

/** The OSS listener: PostObject on `POST /`, GetObject/HeadObject on `/<key>` (signed URLs only: the bucket is private). */

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
			void getObject(req, res, ctx, requestId, new URL(req.url ?? '/', 'http://sandbox'));
			return;
		}
		req.resume();
		ctx.sendError(res, ossErrors.methodNotAllowed(), requestId);
	};
}

/**
 * One `Range: bytes=…` (first-last, first-, -suffix) of an object of `size` bytes, as OSS serves it (docs/protocols.md
 * §10.4): a range that starts past the end is refused; anything OSS does not read as one range (several ranges, other
 * units, nonsense) is ignored and the whole object served.
 */
function byteRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
	const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
	if (!match || (match[1] === '' && match[2] === '')) {
		return undefined;
	}
	if (match[1] === '') {
		const suffix = Number(match[2]);
		return suffix === 0 ? 'unsatisfiable' : [Math.max(0, size - suffix), size - 1];
	}
	const start = Number(match[1]);
	const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	if (start >= size) {
		return 'unsatisfiable';
	}
	return end < start ? undefined : [start, end];
}

/** GetObject / HeadObject of the private bucket: only with a valid, unexpired V1 query-string signature. */
async function getObject(req: IncomingMessage, res: ServerResponse, ctx: OssContext, requestId: string, url: URL): Promise<void> {
	const { pathname } = url;
	let key: string;
	try {
		key = decodeURIComponent(pathname.slice(1));
		ctx.requests.oss(req.method === 'HEAD' ? 'HeadObject' : 'GetObject', { key });
		validateObjectKey(key);
	} catch (error) {
		ctx.sendError(res, error instanceof OssError ? error : ossErrors.noSuchKey(pathname.slice(1)), requestId);
		return;
	}
	const method = req.method === 'HEAD' ? 'HEAD' : 'GET';
	const denied = checkSignedGet(method, url.searchParams, { bucket: ctx.bucket, key, owner: ctx.identity.oss, nowMs: ctx.now() });
	if (denied) {
		ctx.sendError(res, denied, requestId);
		return;
	}
	const fault = ctx.faults.take('oss', 'GetObject', ['status', 'reset', 'stall', 'delay']);
	if (fault?.kind === 'status') {
		ctx.sendError(res, ossErrors.injected(fault.status, fault.code, fault.message), requestId);
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
	const range = byteRange(req.headers.range, object.size);
	if (range === 'unsatisfiable') {
		ctx.sendError(res, ossErrors.invalidRange(object.size), requestId);
		return;
	}
	const [start, end] = range ?? [0, object.size - 1];
	res.writeHead(range ? 206 : 200, {
		'Content-Type': object.contentType || 'application/octet-stream',
		'Content-Length': range ? end - start + 1 : object.size,
		...(range ? { 'Content-Range': `bytes ${start}-${end}/${object.size}` } : {}),
		'Accept-Ranges': 'bytes',
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
	const file = createReadStream(ctx.store.objectPath(key), { highWaterMark: 1024 * 1024, ...(range ? { start, end } : {}) });
	file.on('error', () => res.destroy());
	file.pipe(res);
}
