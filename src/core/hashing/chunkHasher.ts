import { createHash, type Hash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { markWorkersUnavailable, startHashWorker, WORKER_HASH_MIN_BYTES, type Digests } from './worker';

export { WORKER_HASH_MIN_BYTES, type Digests } from './worker';

/**
 * MD5 + SHA-256 of the uploaded bytes, computed from the very buffers that go to the socket
 * (one read pass). Large uploads hash on a worker thread, in parallel with the socket writes:
 * the chunks live in SharedArrayBuffer-backed slots, so the worker reads the same memory
 * (no copy, no transfer) and only slot numbers cross threads. A slot is reused once both its
 * socket write and its hashing are done, so memory stays flat whatever the file size.
 */

export interface ChunkHasher {
	/** Hashes `chunk` (a view at the start of pooled slot `slot`); `done` runs once the bytes were hashed. */
	update(chunk: Buffer, slot: number, done: () => void): void;
	/** Digests of everything updated so far; call once, after the last update. */
	digest(): Promise<Digests>;
	/** Stops hashing (upload over); pending `done` callbacks never run. */
	close(): void;
}

/** A pre-started worker nobody claimed within this time ends. */
const WARM_WORKER_IDLE_MS = 10_000;

class InlineHasher implements ChunkHasher {
	private readonly md5: Hash = createHash('md5');
	private readonly sha256: Hash = createHash('sha256');

	update(chunk: Buffer, _slot: number, done: () => void): void {
		this.md5.update(chunk);
		this.sha256.update(chunk);
		done();
	}

	digest(): Promise<Digests> {
		return Promise.resolve({ md5: this.md5.digest('hex'), sha256: this.sha256.digest('hex') });
	}

	close(): void {
		// Nothing outside this object.
	}
}

class WorkerHasher implements ChunkHasher {
	/** `done` per slot (a slot holds at most one chunk at a time). */
	private readonly pending = new Map<number, () => void>();
	private result: Promise<Digests> | undefined;
	private resolveResult?: (digests: Digests) => void;
	private rejectResult?: (error: Error) => void;
	private failure: Error | undefined;
	private closed = false;

	constructor(
		private readonly worker: Worker,
		slots: readonly Buffer[],
		private readonly onError: (error: Error) => void,
	) {
		worker.on('message', (m: number | Digests) => {
			if (typeof m === 'number') {
				const done = this.pending.get(m);
				this.pending.delete(m);
				done?.();
				return;
			}
			this.resolveResult?.(m);
			this.rejectResult = undefined;
			this.close();
		});
		worker.on('error', (error) => this.fail(error));
		worker.on('exit', () => this.fail(new Error('The hash worker exited unexpectedly.')));
		worker.postMessage({ slots: slots.map((s) => s.buffer) });
	}

	update(chunk: Buffer, slot: number, done: () => void): void {
		this.pending.set(slot, done);
		// One number per chunk: length * 256 + slot (chunks are far below 2^45 bytes, pools below 256 slots).
		this.worker.postMessage(chunk.length * 256 + slot);
	}

	digest(): Promise<Digests> {
		this.result ??= new Promise<Digests>((resolve, reject) => {
			if (this.failure || this.closed) {
				reject(this.failure ?? new Error('The hash worker was closed.'));
				return;
			}
			this.resolveResult = resolve;
			this.rejectResult = reject;
			this.worker.postMessage(-1);
		});
		return this.result;
	}

	close(): void {
		if (!this.closed) {
			this.closed = true;
			this.pending.clear();
			void this.worker.terminate();
		}
	}

	private fail(error: Error): void {
		if (this.closed && !this.rejectResult) {
			return;
		}
		this.failure ??= error;
		this.rejectResult?.(error);
		this.rejectResult = undefined;
		if (!this.closed) {
			this.onError(error);
		}
		this.close();
	}
}

let warm: { worker: Worker; timer: NodeJS.Timeout } | undefined;

/**
 * Starts a hash worker ahead of a large upload (while its ticket is requested), so the worker's start-up
 * overlaps that round trip instead of the first megabytes. Unclaimed for 10 s, it ends.
 */
export function prewarmHashWorker(size: number): void {
	if (warm || size < WORKER_HASH_MIN_BYTES) {
		return;
	}
	const worker = startHashWorker();
	if (worker) {
		const timer = setTimeout(() => {
			if (warm?.worker === worker) {
				warm = undefined;
				void worker.terminate();
			}
		}, WARM_WORKER_IDLE_MS);
		timer.unref();
		worker.on('error', () => undefined);
		worker.once('exit', () => {
			if (warm?.worker === worker) {
				clearTimeout(warm.timer);
				warm = undefined;
			}
		});
		warm = { worker, timer };
	}
}

/**
 * A hasher for an upload of `size` bytes whose chunks live in `slots`. Worker-backed when the slots
 * are shared memory and the file is large enough; `onError` reports a worker that died mid-upload.
 */
export function createChunkHasher(size: number, slots: readonly Buffer[], onError: (error: Error) => void): ChunkHasher {
	const shared =
		slots.length > 0 && slots.length <= 256 && slots.every((s) => s.buffer instanceof SharedArrayBuffer && s.byteOffset === 0);
	if (!shared || size < WORKER_HASH_MIN_BYTES) {
		return new InlineHasher();
	}
	let worker: Worker | undefined;
	if (warm) {
		clearTimeout(warm.timer);
		worker = warm.worker;
		warm = undefined;
	} else {
		worker = startHashWorker();
	}
	if (!worker) {
		return new InlineHasher();
	}
	return new WorkerHasher(worker, slots, (error) => {
		markWorkersUnavailable();
		onError(error);
	});
}
