import type Busboy from 'busboy';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { OssContext } from './ossContext';
import { OssError, ossErrors } from './ossErrors';
import { MAX_FORM_FIELD_BYTES, postFormParser, STREAM_BYTES } from './ossPostForm';
import { sendPostObjectSuccess } from './ossResponses';
import { startPostObject } from './ossUploadFault';
import { UploadFile } from './ossUploadFile';
import { checkPostForm } from './postFormChecks';
import { RESPONSE_LIMITS } from '../core/responseBounds';

/**
 * One PostObject request: fields are checked when the `file` part starts (OSS
 * requires it last), then the file streams straight into a temp file, which is renamed
 * into place only when the form ended cleanly. Nothing is hashed on the way in: OSS
 * documents a PostObject ETag as an opaque content id, not the MD5 (only PutObject's
 * is), so the MD5/SHA-256 are computed from the stored file when CreateOTAFirmware
 * checks a FirmwareSign (actions/uploads.ts), and the sandbox's ingest is a plain copy.
 */

const OSS_MAX_BODY_BYTES = 5 * 1024 ** 3;
/** Bytes after the file data: CRLF, boundary (≤ 70), "--", CRLF, and some slack for epilogues. */
const FORM_TRAILER_SLACK = 1024;
/** What may follow the file's data (ignored fields, an epilogue) before the body counts as too large. */
const MAX_TRAILER_BYTES = 64 * 1024;
/** How long a rejected request may keep sending its body before the socket is dropped. */
const DISCARD_GRACE_MS = 5_000;

export class PostObjectUpload {
	/** Settles when the request is fully handled (answered or aborted) and temp files are gone. */
	readonly settled: Promise<void>;
	private settle!: () => void;
	private readonly fields = new Map<string, string>();
	private fieldBytes = 0;
	private answered = false;
	private fileSeen = false;
	private bytesReceived = 0;
	private maxBytes = Number.POSITIVE_INFINITY;
	private minBytes = 0;
	private forceExpired = false;
	private busboy: Busboy.Busboy | undefined;
	private file: UploadFile | undefined;
	private readonly contentLength: number;
	/** Body bytes received when the file part began: the offset the size limits count from. */
	private fileStartedAt = 0;
	private deadline: NodeJS.Timeout | undefined;

	constructor(
		private readonly req: IncomingMessage,
		private readonly res: ServerResponse,
		private readonly ctx: OssContext,
		private readonly requestId: string,
	) {
		this.settled = new Promise<void>((resolve) => (this.settle = resolve)).then(() => clearTimeout(this.deadline));
		const length = Number(req.headers['content-length']);
		this.contentLength = Number.isFinite(length) ? length : Number.NaN;
	}

	start(): void {
		// The response closing unanswered means the client left (or the sandbox stopped). The request
		// may count as complete even then: a small body can sit fully parsed but unread during a stall.
		this.res.on('close', () => {
			if (!this.answered) {
				this.answered = true;
				void this.cleanup().then(() => this.ctx.events.emit('uploadAborted', { requestId: this.requestId }));
			}
		});
		if (!/^multipart\/form-data\b/i.test(this.req.headers['content-type'] ?? '')) {
			this.fail(ossErrors.notMultipart());
			return;
		}
		if (this.contentLength > OSS_MAX_BODY_BYTES) {
			this.fail(ossErrors.tooLarge());
			return;
		}
		this.busboy = postFormParser(this.req.headers, {
			field: (name, value, truncated) => this.onField(name, value, truncated),
			fieldTooLong: () => this.fail(ossErrors.fieldTooLong()),
			file: (stream) => this.onFile(stream),
			malformed: () => this.fail(ossErrors.malformedPost()),
			partsLimit: () => this.fail(this.fileSeen ? ossErrors.tooLarge() : ossErrors.preDataTooLong()),
			end: () => void this.onFormEnd(),
		});
		if (!this.busboy) {
			this.fail(ossErrors.malformedPost());
			return;
		}
		this.startDeadline();
		startPostObject(this.ctx, this.req, {
			read: (resetAfterBytes) => this.read(resetAfterBytes),
			fail: (error) => this.fail(error),
			expirePolicy: () => (this.forceExpired = true),
		});
	}

	/** However slowly the client sends: done within the idle timeout plus the body at the slowest allowed rate. */
	private startDeadline(): void {
		const bytes = Number.isFinite(this.contentLength) ? this.contentLength : OSS_MAX_BODY_BYTES;
		const ms = this.ctx.idleTimeoutMs + Math.ceil((bytes * 1000) / RESPONSE_LIMITS.minUploadBytesPerSecond);
		this.deadline = setTimeout(() => this.fail(ossErrors.requestTimeout()), ms);
		this.deadline.unref();
	}

	/** A body that goes on past the file and its trailer is refused while it streams, not read to its end. */
	private checkBodySize(): void {
		if (this.fileSeen && this.bytesReceived - this.fileStartedAt > this.maxBytes + MAX_TRAILER_BYTES) {
			this.fail(ossErrors.tooLarge());
		}
	}

	/** Reads the body (attaching 'data' starts the flow, so only now, with the pipe); a reset fault cuts it short. */
	private read(resetAfterBytes = Number.POSITIVE_INFINITY): void {
		if (!this.answered && this.busboy) {
			this.req.on('data', (chunk: Buffer) => {
				this.bytesReceived += chunk.length;
				if (this.bytesReceived >= resetAfterBytes) {
					this.req.socket.destroy();
				}
				if (!this.answered) {
					this.checkBodySize();
				}
			});
			this.req.pipe(this.busboy);
		}
	}

	private onField(name: string, value: string, truncated: boolean): void {
		if (this.answered) {
			return;
		}
		if (this.fileSeen) {
			return; // OSS reads nothing after the file: later fields are ignored (its own sample form sends one)
		}
		this.fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
		if (truncated || this.fieldBytes > MAX_FORM_FIELD_BYTES) {
			this.fail(ossErrors.fieldTooLong());
			return;
		}
		this.fields.set(name.toLowerCase(), value);
	}

	private onFile(stream: Readable): void {
		if (this.answered) {
			stream.resume();
			return;
		}
		if (this.fileSeen) {
			this.fail(ossErrors.wrongFileCount());
			stream.resume();
			return;
		}
		this.fileSeen = true;
		this.fileStartedAt = this.bytesReceived;
		try {
			this.checkFieldsAndPolicy();
			if (this.contentLength - this.bytesReceived > this.maxBytes + FORM_TRAILER_SLACK) {
				throw ossErrors.tooLarge();
			}
		} catch (error) {
			this.fail(error instanceof OssError ? error : ossErrors.malformedPost());
			stream.resume();
			return;
		}
		this.receiveFile(stream);
	}

	private checkFieldsAndPolicy(): void {
		const range = checkPostForm(this.fields, {
			owner: this.ctx.identity.oss,
			bucket: this.ctx.bucket,
			now: this.ctx.now(),
			forceExpired: this.forceExpired,
		});
		this.minBytes = range.min;
		this.maxBytes = range.max;
	}

	private receiveFile(stream: Readable): void {
		this.file = new UploadFile(
			stream,
			this.ctx.store.newTempPath(),
			this.maxBytes,
			() => this.fail(ossErrors.tooLarge()),
			STREAM_BYTES,
		);
		this.file.written.catch(() => this.fail(new OssError(500, 'InternalError', 'The sandbox could not write the uploaded file.')));
	}

	private async onFormEnd(): Promise<void> {
		if (this.answered) {
			return;
		}
		try {
			const file = this.file;
			if (!this.fileSeen || !file) {
				this.checkFieldsAndPolicy();
				throw ossErrors.wrongFileCount();
			}
			await file.written;
			if (this.answered) {
				return;
			}
			if (file.size < this.minBytes) {
				throw ossErrors.tooSmall();
			}
			const etag = randomBytes(16).toString('hex').toUpperCase();
			const key = this.fields.get('key') as string;
			if (this.answered) {
				return;
			}
			await this.ctx.store.putObject(file.tempPath, {
				key,
				size: file.size,
				etag,
				contentType: this.fields.get('content-type'),
				createdAt: this.ctx.now(),
				registered: false,
			});
			file.keep();
			this.succeed(key, etag, file.size);
		} catch (error) {
			this.fail(error instanceof OssError ? error : new OssError(500, 'InternalError', 'The sandbox failed to store the upload.'));
		}
	}

	private succeed(key: string, etag: string, size: number): void {
		this.answered = true;
		this.ctx.stats.ossUploads += 1;
		this.ctx.stats.ossBytes += size;
		this.ctx.logger.info(`sandbox oss: stored ${key} (${size} bytes)`);
		sendPostObjectSuccess(this.res, {
			successActionStatus: this.fields.get('success_action_status'),
			requestId: this.requestId,
			bucket: this.ctx.bucket,
			location: `${this.ctx.ossHost}/${key}`,
			key,
			etag,
		});
		this.ctx.events.emit('objectStored', { key, size, etag });
		this.settle();
	}

	/**
	 * Drops the partial file, then answers with an OSS error. The rest of the body is
	 * read and discarded (for a few seconds at most) rather than the socket closed, so
	 * the client reliably gets to read the answer instead of a connection reset.
	 */
	private fail(error: OssError): void {
		if (this.answered) {
			return;
		}
		this.answered = true;
		this.ctx.stats.count(this.ctx.stats.ossErrors, error.code);
		this.ctx.logger.info(`sandbox oss: PostObject rejected: ${error.code}`);
		if (this.busboy) {
			this.req.unpipe(this.busboy);
		}
		if (!this.req.complete) {
			this.req.resume();
			const timer = setTimeout(() => this.req.socket.destroy(), DISCARD_GRACE_MS);
			timer.unref();
			this.req.once('end', () => clearTimeout(timer));
		}
		void this.cleanup().then(() => {
			this.ctx.sendError(this.res, error, this.requestId);
			this.ctx.events.emit('uploadRejected', { requestId: this.requestId, code: error.code });
		});
	}

	private async cleanup(): Promise<void> {
		const discarded = this.file?.discard(); // stops the file part at once
		this.busboy?.destroy();
		await discarded;
		this.settle();
	}
}
