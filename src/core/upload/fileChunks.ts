import { promises as fs, read, type Stats } from 'node:fs';
import { OtaError } from '../errors';
import { OPEN_FOR_READING } from '../safeFile';

export function fileChangedError(filePath: string, detail: string): OtaError {
	return new OtaError({
		code: 'FileChanged',
		source: 'validation',
		message: `The firmware file changed during the upload (${detail}): ${filePath}`,
		hint: 'Wait for the build to finish, then upload again.',
	});
}

function fileReadError(filePath: string, error: unknown): OtaError {
	const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
	return new OtaError({ code: 'FileNotReadable', source: 'validation', message: `Cannot read firmware file (${code}): ${filePath}` });
}

export interface FileChunkReaderOptions {
	/** Back each slot with its own SharedArrayBuffer, so a worker thread can read the chunks in place. */
	shared?: boolean;
}

/**
 * Reads a file front to back into a small pool of reusable buffers, so a 1 GB upload allocates
 * a few MiB once instead of a fresh buffer per chunk (which only the GC would give back).
 * A chunk must be handed back with `release` once the socket (and the hasher) no longer need it.
 */
export class FileChunkReader {
	private readonly free: Buffer[];
	/** The pool; chunk `c` lives at the start of `slots[slotIndex(c)]`. */
	readonly slots: readonly Buffer[];
	private waiters: Array<{ resolve: (slot: Buffer) => void; reject: (error: unknown) => void }> = [];
	private position = 0;
	private aborted?: OtaError;

	private constructor(
		private readonly handle: fs.FileHandle,
		readonly filePath: string,
		readonly stats: Stats,
		chunkBytes: number,
		poolSize: number,
		options: FileChunkReaderOptions,
		/** False when the handle was lent (an upload's retries share the one descriptor that was checked). */
		private readonly ownsHandle: boolean,
	) {
		const slotBytes = Math.max(1, Math.min(chunkBytes, stats.size));
		const slots: Buffer[] = [];
		for (let i = 0; i < poolSize; i++) {
			const slot = options.shared ? Buffer.from(new SharedArrayBuffer(slotBytes)) : Buffer.allocUnsafeSlow(slotBytes);
			slots.push(slot);
		}
		this.slots = slots;
		// Handed out last-in first-out; reversed so the first reads use slots 0, 1, 2, …
		this.free = [...slots].reverse();
	}

	/** Opens a non-empty regular file (never blocking in open, checked through its descriptor); throws OtaError(validation) otherwise. */
	static async open(
		filePath: string,
		chunkBytes: number,
		poolSize: number,
		options: FileChunkReaderOptions = {},
	): Promise<FileChunkReader> {
		let handle: fs.FileHandle;
		try {
			handle = await fs.open(filePath, OPEN_FOR_READING);
		} catch (error) {
			throw fileReadError(filePath, error);
		}
		const stats = await handle.stat().catch(async (error: unknown) => {
			await handle.close();
			throw fileReadError(filePath, error);
		});
		try {
			return FileChunkReader.over({ path: filePath, handle, stats }, chunkBytes, poolSize, options, true);
		} catch (error) {
			await handle.close();
			throw error;
		}
	}

	/** Reads a file already opened (and checked) by the caller, who closes it unless `owns` hands it over. */
	static over(
		file: { path: string; handle: fs.FileHandle; stats: Stats },
		chunkBytes: number,
		poolSize: number,
		options: FileChunkReaderOptions = {},
		owns = false,
	): FileChunkReader {
		if (!file.stats.isFile() || file.stats.size === 0) {
			throw new OtaError({ code: 'NotARegularFile', source: 'validation', message: `Not a non-empty regular file: ${file.path}` });
		}
		return new FileChunkReader(file.handle, file.path, file.stats, chunkBytes, poolSize, options, owns);
	}

	get size(): number {
		return this.stats.size;
	}

	/**
	 * The next chunk (a view of a pooled buffer), or undefined once `size` bytes were read.
	 * Small callback-based steps on purpose: this runs once per MiB, and an async function around
	 * FileHandle.read gets a large optimized compile whose scratch memory stays in the process's RSS.
	 */
	next(): Promise<Buffer | undefined> {
		if (this.position >= this.size) {
			return Promise.resolve(undefined);
		}
		return this.acquire().then((slot) => this.readInto(slot));
	}

	private readInto(slot: Buffer): Promise<Buffer> {
		const wanted = Math.min(slot.length, this.size - this.position);
		return new Promise((resolve, reject) => {
			read(this.handle.fd, slot, 0, wanted, this.position, (error, bytesRead) => {
				if (error || bytesRead === 0) {
					this.releaseSlot(slot);
					reject(
						error
							? fileReadError(this.filePath, error)
							: fileChangedError(this.filePath, `it shrank to ${this.position} of ${this.size} bytes`),
					);
					return;
				}
				this.position += bytesRead;
				resolve(bytesRead === slot.length ? slot : slot.subarray(0, bytesRead));
			});
		});
	}

	/** Index in `slots` of the buffer holding `chunk`, or -1. */
	slotIndex(chunk: Buffer): number {
		return this.slots.findIndex((s) => s.buffer === chunk.buffer);
	}

	/** Hands a chunk's buffer back to the pool. */
	release(chunk: Buffer): void {
		const slot = this.slots[this.slotIndex(chunk)];
		if (slot && !this.free.includes(slot)) {
			this.releaseSlot(slot);
		}
	}

	/** After the last chunk: fails if the file grew, shrank or was rewritten since it was opened. */
	async verifyUnchanged(): Promise<void> {
		const probe = Buffer.alloc(1);
		const [{ bytesRead }, now] = await Promise.all([this.handle.read(probe, 0, 1, this.size), this.handle.stat()]).catch(
			(error: unknown) => {
				throw fileReadError(this.filePath, error);
			},
		);
		if (bytesRead > 0 || now.size !== this.size) {
			throw fileChangedError(this.filePath, `size went from ${this.size} to ${now.size} bytes`);
		}
		if (now.mtimeMs !== this.stats.mtimeMs) {
			throw fileChangedError(this.filePath, 'it was rewritten');
		}
	}

	/** Fails pending and future reads (the upload is over); the handle closes once in-flight reads end. */
	abort(reason: OtaError): void {
		this.aborted ??= reason;
		const waiters = this.waiters;
		this.waiters = [];
		for (const waiter of waiters) {
			waiter.reject(reason);
		}
	}

	async close(): Promise<void> {
		if (this.ownsHandle) {
			await this.handle.close().catch(() => undefined);
		}
	}

	private acquire(): Promise<Buffer> {
		if (this.aborted) {
			return Promise.reject(this.aborted);
		}
		const slot = this.free.pop();
		if (slot) {
			return Promise.resolve(slot);
		}
		return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
	}

	private releaseSlot(slot: Buffer): void {
		const waiter = this.waiters.shift();
		if (waiter) {
			waiter.resolve(slot);
		} else {
			this.free.push(slot);
		}
	}
}
