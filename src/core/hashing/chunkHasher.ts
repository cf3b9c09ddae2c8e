import { createHash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { startHashWorker, type Digests } from './worker';

export type { Digests } from './worker';

/**
 * MD5 + SHA-256 of the uploaded bytes, computed from the very buffers that go to the socket (one read pass).
 * Measured on this machine (docs/performance.md): a worker thread costs its start-up (50–130 ms on a loaded 2-core VM),
 * most of a small image's upload, so images below UPLOAD_WORKER_MIN_BYTES hash on the event loop, in slices; larger
 * ones hash on a worker, which keeps the event loop's p99 (the extension host's) about 2.5× lower during a 1,000 MB
 * upload than slices on the loop do.
 */
export interface ChunkHasher {
	/** Chunks should live in SharedArrayBuffers: the worker then reads them in place instead of a copy per chunk. */
	readonly sharesMemory: boolean;
	/** Hashes `chunk` after the chunks given before; `done` runs (never within this call) once its buffer may be reused. */
	update(chunk: Buffer, done: () => void): void;
	/** Digests of everything updated so far; call once, after the last update. Rejects when a worker failed. */
	digest(): Promise<Digests>;
	/** Stops hashing (the upload is over); pending `done` callbacks and digests never run. */
	close(): void;
}

export const UPLOAD_WORKER_MIN_BYTES = 128 * 1024 * 1024;

/** At most this many bytes are hashed per event-loop turn (~1 ms for MD5 + SHA-256 on an idle core here). */
const SLICE_BYTES = 256 * 1024;

/** A hasher for an upload of `size` bytes: inline below UPLOAD_WORKER_MIN_BYTES (or where workers cannot start). */
export function createChunkHasher(size: number): ChunkHasher {
	const worker = size >= UPLOAD_WORKER_MIN_BYTES ? startHashWorker() : undefined;
	return worker ? new WorkerHasher(worker) : new InlineHasher();
}

/**
 * On the event loop, in slices of their own turn (setImmediate): I/O that is ready goes first (a chunk just read is
 * written before it is hashed, a ticket's answer is handled), and no turn hashes more than one slice.
 */
class InlineHasher implements ChunkHasher {
	readonly sharesMemory = false;
	private readonly md5 = createHash('md5');
	private readonly sha256 = createHash('sha256');
	private readonly queue: Array<{ chunk: Buffer; done: () => void }> = [];
	/** Bytes of the queue's first chunk already hashed. */
	private offset = 0;
	private scheduled = false;
	private closed = false;
	private idle: Array<() => void> = [];

	update(chunk: Buffer, done: () => void): void {
		this.queue.push({ chunk, done });
		this.schedule();
	}

	digest(): Promise<Digests> {
		return new Promise<void>((resolve) => (this.queue.length === 0 ? resolve() : this.idle.push(resolve))).then(() => ({
			md5: this.md5.digest('hex'),
			sha256: this.sha256.digest('hex'),
		}));
	}

	close(): void {
		this.closed = true;
		this.queue.length = 0;
		this.idle = [];
	}

	private schedule(): void {
		if (!this.scheduled && !this.closed) {
			this.scheduled = true;
			setImmediate(this.step);
		}
	}

	private readonly step = (): void => {
		this.scheduled = false;
		const next = this.queue[0];
		if (!next || this.closed) {
			return;
		}
		const slice = next.chunk.subarray(this.offset, this.offset + SLICE_BYTES);
		this.md5.update(slice);
		this.sha256.update(slice);
		this.offset += slice.length;
		if (this.offset >= next.chunk.length) {
			this.queue.shift();
			this.offset = 0;
			next.done();
		}
		if (this.queue.length > 0) {
			this.schedule();
		} else {
			const idle = this.idle;
			this.idle = [];
			idle.forEach((resolve) => resolve());
		}
	};
}

/**
 * On a worker thread. A chunk in a SharedArrayBuffer is posted as a view of that memory (no copy); its buffer is given
 * back once the worker hashed it. Copying each chunk into the message instead cost ~50 MB of peak RSS at 1,000 MB
 * (the worker's garbage copies: docs/performance.md).
 */
class WorkerHasher implements ChunkHasher {
	readonly sharesMemory = true;
	private readonly pending: Array<() => void> = [];
	private result?: { resolve: (digests: Digests) => void; reject: (error: Error) => void };
	private failure?: Error;
	private closed = false;

	constructor(private readonly worker: Worker) {
		worker.on('message', (m: 'hashed' | Digests) => {
			if (m === 'hashed') {
				this.pending.shift()?.();
			} else {
				this.result?.resolve(m);
				this.close();
			}
		});
		worker.on('error', (error) => this.fail(error));
		worker.on('exit', () => this.fail(new Error('The hash worker exited unexpectedly.')));
	}

	update(chunk: Buffer, done: () => void): void {
		if (this.failure) {
			setImmediate(done);
			return;
		}
		this.pending.push(done);
		this.worker.postMessage(chunk);
	}

	digest(): Promise<Digests> {
		return new Promise<Digests>((resolve, reject) => {
			if (this.failure) {
				reject(this.failure);
				return;
			}
			this.result = { resolve, reject };
			this.worker.postMessage('digest');
		});
	}

	close(): void {
		if (!this.closed) {
			this.closed = true;
			this.pending.length = 0;
			void this.worker.terminate();
		}
	}

	/** The upload goes on (the buffers come back); its digests reject, so it fails as retryable (HashFailed). */
	private fail(error: Error): void {
		if (this.closed) {
			return;
		}
		this.failure ??= error;
		this.result?.reject(error);
		this.pending.splice(0).forEach((done) => done());
		this.close();
	}
}
