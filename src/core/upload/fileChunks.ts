import { read } from 'node:fs';
import { OtaError } from '../errors';
import { fileNotReadable, type OpenedFile } from '../limits';

export function fileChangedError(filePath: string, detail: string): OtaError {
	return new OtaError({
		code: 'FileChanged',
		source: 'validation',
		message: `The firmware file changed during the upload (${detail}): ${filePath}`,
		hint: 'Wait for the build to finish, then upload again.',
	});
}

/** Sees every chunk once, in file order, as soon as it is read (the hasher); its buffer is reused after `done`. */
export type ChunkObserver = (chunk: Buffer, done: () => void) => void;

/**
 * Reads a file front to back into a small pool of reusable buffers, so a 1 GB upload allocates a few MiB once
 * instead of a fresh buffer per chunk (which only the GC would give back). From the first `next()` on it reads ahead
 * while a buffer is free. A chunk's buffer is reused once its consumer `release`d it and the observer called `done`.
 */
export class FileChunkReader {
	private readonly free: Buffer[] = [];
	/** Read, in file order, not yet taken by `next()`. */
	private readonly ready: Buffer[] = [];
	/** Holds on each lent buffer: the consumer's, and the observer's until it is done. */
	private readonly holds = new Map<ArrayBufferLike, number>();
	private waiter?: { resolve: (chunk: Buffer | undefined) => void; reject: (error: unknown) => void };
	private reading?: Promise<void>;
	private position = 0;
	private failure?: OtaError;

	private constructor(
		private readonly handle: OpenedFile['handle'],
		readonly filePath: string,
		readonly stats: OpenedFile['stats'],
		chunkBytes: number,
		poolSize: number,
		private readonly observe: ChunkObserver | undefined,
		shared: boolean,
	) {
		const slotBytes = Math.max(1, Math.min(chunkBytes, stats.size));
		// No more buffers than the file fills: a 1 MB image allocates 1 MB.
		for (let i = Math.min(poolSize, Math.ceil(stats.size / slotBytes)); i > 0; i--) {
			this.free.push(shared ? Buffer.from(new SharedArrayBuffer(slotBytes)) : Buffer.allocUnsafeSlow(slotBytes));
		}
	}

	/**
	 * Reads a file the caller opened (and checked) and closes (an upload's retries share the one descriptor). `shared`
	 * backs the pool with SharedArrayBuffers, which a worker thread reads in place when a chunk is posted to it.
	 */
	static over(file: OpenedFile, chunkBytes: number, poolSize: number, observe?: ChunkObserver, shared = false): FileChunkReader {
		if (!file.stats.isFile() || file.stats.size === 0) {
			throw new OtaError({ code: 'NotARegularFile', source: 'validation', message: `Not a non-empty regular file: ${file.path}` });
		}
		return new FileChunkReader(file.handle, file.path, file.stats, chunkBytes, poolSize, observe, shared);
	}

	get size(): number {
		return this.stats.size;
	}

	/** The next chunk in file order (a view of a pooled buffer), or undefined once `size` bytes were handed out. */
	next(): Promise<Buffer | undefined> {
		if (this.failure) {
			return Promise.reject(this.failure);
		}
		const chunk = this.ready.shift();
		if (chunk || (this.position >= this.size && !this.reading)) {
			this.readAhead();
			return Promise.resolve(chunk);
		}
		return new Promise((resolve, reject) => {
			this.waiter = { resolve, reject };
			this.readAhead();
		});
	}

	/** Reads into the free buffers (one read at a time, in order) without waiting for the next `next()`. */
	private readAhead(): void {
		if (this.reading || this.failure) {
			return;
		}
		if (this.position >= this.size) {
			// Everything was read: a `next()` waiting for more learns that there is none.
			const waiter = this.waiter;
			this.waiter = undefined;
			waiter?.resolve(undefined);
			return;
		}
		const slot = this.free.pop();
		if (slot) {
			this.reading = this.readInto(slot).finally(() => {
				this.reading = undefined;
				this.readAhead();
			});
		}
	}

	/** The consumer is done with `chunk` (its bytes are on the socket). */
	release(chunk: Buffer): void {
		this.drop(chunk.buffer);
	}

	/** Resolves once no read is in flight on the descriptor (after `abort`, none starts again). */
	async idle(): Promise<void> {
		while (this.reading) {
			await this.reading;
		}
	}

	/** After the last chunk: fails if the file grew, shrank or was rewritten since it was opened. */
	async verifyUnchanged(): Promise<void> {
		const probe = Buffer.alloc(1);
		const [{ bytesRead }, now] = await Promise.all([this.handle.read(probe, 0, 1, this.size), this.handle.stat()]).catch(
			(error: unknown) => {
				throw fileNotReadable(this.filePath, error);
			},
		);
		if (bytesRead > 0 || now.size !== this.size) {
			throw fileChangedError(this.filePath, `size went from ${this.size} to ${now.size} bytes`);
		}
		if (now.mtimeMs !== this.stats.mtimeMs) {
			throw fileChangedError(this.filePath, 'it was rewritten');
		}
	}

	/** Fails the waiting and every later `next()` (the upload is over); no read starts after this. */
	abort(reason: OtaError): void {
		this.failure ??= reason;
		const waiter = this.waiter;
		this.waiter = undefined;
		waiter?.reject(this.failure);
	}

	private readInto(slot: Buffer): Promise<void> {
		const wanted = Math.min(slot.length, this.size - this.position);
		return new Promise((resolve) => {
			read(this.handle.fd, slot, 0, wanted, this.position, (error, bytesRead) => {
				// A regular file reads in full up to its size; a short read means it shrank under us.
				if (error || bytesRead < wanted) {
					this.free.push(slot);
					this.abort(
						error
							? fileNotReadable(this.filePath, error)
							: fileChangedError(this.filePath, `it shrank to ${this.position + bytesRead} of ${this.size} bytes`),
					);
				} else if (!this.failure) {
					this.position += bytesRead;
					this.deliver(bytesRead === slot.length ? slot : slot.subarray(0, bytesRead));
				} else {
					this.free.push(slot);
				}
				resolve();
			});
		});
	}

	private deliver(chunk: Buffer): void {
		this.holds.set(chunk.buffer, this.observe ? 2 : 1);
		this.observe?.(chunk, () => this.drop(chunk.buffer));
		const waiter = this.waiter;
		this.waiter = undefined;
		if (waiter) {
			waiter.resolve(chunk);
		} else {
			this.ready.push(chunk);
		}
	}

	private drop(buffer: ArrayBufferLike): void {
		const left = (this.holds.get(buffer) ?? 0) - 1;
		if (left > 0) {
			this.holds.set(buffer, left);
			return;
		}
		if (left === 0) {
			this.holds.delete(buffer);
			// The whole buffer goes back (a chunk may be a view of its start).
			this.free.push(Buffer.from(buffer));
			this.readAhead();
		}
	}
}
