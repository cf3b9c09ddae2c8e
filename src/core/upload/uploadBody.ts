import { cancelledError, OtaError } from '../errors';
import type { OpenedFile } from '../limits';
import { createChunkHasher, type ChunkHasher, type Digests } from '../hashing/chunkHasher';
import { FileChunkReader } from './fileChunks';

/**
 * Large reads keep per-chunk costs (syscalls, callbacks, hash calls) negligible, and fewer iterations per GB mean
 * less optimizing-compiler work (whose pages show up in peak RSS).
 */
const CHUNK_BYTES = 2 * 1024 * 1024;
/**
 * One chunk on the socket, one being hashed, one being read, one spare: 8 MiB for any file size. The pool is the
 * only backpressure: a buffer comes back once the socket took its bytes and the hasher is done with them.
 */
const POOL_SIZE = 4;

/**
 * The file bytes of one upload attempt and their digests: read once, front to back, into a fixed pool of buffers
 * that go to the socket and through MD5 + SHA-256. Reading starts when the upload asks for its first chunk.
 */
export class UploadBody {
	private constructor(
		readonly reader: FileChunkReader,
		private readonly hasher: ChunkHasher | undefined,
	) {}

	/** The body of a file the caller opened, checked and closes (after `discard`). */
	static over(file: OpenedFile, options: { hash: boolean }): UploadBody {
		const hasher = options.hash ? createChunkHasher(file.stats.size) : undefined;
		const observe = hasher && ((chunk: Buffer, done: () => void) => hasher.update(chunk, done));
		return new UploadBody(FileChunkReader.over(file, CHUNK_BYTES, POOL_SIZE, observe, hasher?.sharesMemory), hasher);
	}

	get size(): number {
		return this.reader.size;
	}

	/** MD5 and SHA-256 of every byte read (lower-case hex), once hashed; empty strings when hashing is off. Rejects
	 * with a retryable HashFailed when the hash worker died. */
	digests(): Promise<Digests> {
		if (!this.hasher) {
			return Promise.resolve({ md5: '', sha256: '' });
		}
		return this.hasher.digest().catch((error: Error) => {
			throw new OtaError({
				code: 'HashFailed',
				source: 'network',
				retryable: true,
				cause: error,
				message: `Hashing the firmware failed during the upload: ${error.message}`,
			});
		});
	}

	/** Stops reading and hashing: the next chunk asked for fails with `reason`; a read in flight still completes. */
	stop(reason: OtaError): void {
		this.reader.abort(reason);
		this.hasher?.close();
	}

	/** Stops, then resolves once no read is in flight on the file any more (the caller may close it then). */
	async discard(reason: OtaError = cancelledError('the upload')): Promise<void> {
		this.stop(reason);
		await this.reader.idle();
	}
}
