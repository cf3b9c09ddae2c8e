/**
 * Pulls exact byte counts from a chunked stream. Only what a parser asks to `read` (a header, a TLV area) is gathered;
 * `pass` hands large ranges on chunk by chunk, so a 1,000 MB image never sits in memory.
 */
export class ByteReader {
	/** Bytes consumed so far. */
	position = 0;
	private pending: Buffer[] = [];
	private pendingBytes = 0;
	private ended = false;
	private readonly iterator: AsyncIterator<Uint8Array>;

	constructor(source: AsyncIterable<Uint8Array>) {
		this.iterator = source[Symbol.asyncIterator]();
	}

	/** The next `n` bytes without consuming them (fewer at the end of the stream). */
	async peek(n: number): Promise<Buffer> {
		await this.fill(n);
		if (this.pending.length > 1) {
			this.pending = [Buffer.concat(this.pending)];
		}
		return (this.pending[0] ?? Buffer.alloc(0)).subarray(0, n);
	}

	/** Consumes and returns the next `n` bytes (fewer only at the end of the stream). */
	async read(n: number): Promise<Buffer> {
		const bytes = await this.peek(n);
		this.consume(bytes.length);
		return bytes;
	}

	/** Consumes the next `n` bytes (Infinity: to the end), handing each piece to `onChunk`; returns how many there were. */
	async pass(n: number, onChunk?: (chunk: Buffer) => void): Promise<number> {
		let passed = 0;
		while (passed < n) {
			const chunk = await this.nextPending();
			if (!chunk) {
				break;
			}
			const piece = chunk.subarray(0, Math.min(n - passed, chunk.length));
			this.consume(piece.length);
			onChunk?.(piece);
			passed += piece.length;
		}
		return passed;
	}

	/** Consumes everything that is left. */
	drain(onChunk?: (chunk: Buffer) => void): Promise<number> {
		return this.pass(Infinity, onChunk);
	}

	/** The rest of the stream as chunks, for piping into zlib or a tar parser. */
	async *rest(): AsyncGenerator<Buffer> {
		for (let chunk = await this.nextPending(); chunk; chunk = await this.nextPending()) {
			this.consume(chunk.length);
			yield chunk;
		}
	}

	private async nextPending(): Promise<Buffer | undefined> {
		await this.fill(1);
		return this.pending[0];
	}

	private async fill(n: number): Promise<void> {
		while (this.pendingBytes < n && !this.ended) {
			const next = await this.iterator.next();
			if (next.done) {
				this.ended = true;
				break;
			}
			const chunk = Buffer.isBuffer(next.value)
				? next.value
				: Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
			if (chunk.length > 0) {
				this.pending.push(chunk);
				this.pendingBytes += chunk.length;
			}
		}
	}

	private consume(n: number): void {
		this.position += n;
		this.pendingBytes -= n;
		while (n > 0) {
			const head = this.pending[0];
			if (head.length <= n) {
				this.pending.shift();
				n -= head.length;
			} else {
				this.pending[0] = head.subarray(n);
				n = 0;
			}
		}
	}
}

/** Runs `onChunk` on every chunk as it flows through (hashes, CRCs). */
export async function* tap(source: AsyncIterable<Uint8Array>, onChunk: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
	for await (const value of source) {
		const chunk = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
		onChunk(chunk);
		yield chunk;
	}
}
