import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * Incremental hashing for uploads. Large uploads are hashed on a worker thread
 * so MD5 (≈600 MB/s on one core) runs beside the socket → disk copy instead of
 * in series with it, and the extension host's event loop stays free. Chunks are
 * batched into 4 MiB buffers that are transferred, not copied, to the worker.
 */

export type HashAlgorithm = 'md5' | 'sha256';
export type Digests = Partial<Record<HashAlgorithm, string>>;

export interface IncrementalHash {
	update(chunk: Buffer): void;
	/** Lower-case hex digests; call once, after the last update. */
	digest(): Promise<Digests>;
	abort(): void;
}

const BATCH_BYTES = 4 * 1024 * 1024;
/** Below this, posting to the worker costs more than hashing inline. */
const WORKER_THRESHOLD_BYTES = 8 * 1024 * 1024;
const MAX_FREE_BUFFERS = 8;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const jobs = new Map();
parentPort.on('message', (m) => {
	if (m.type === 'start') {
		jobs.set(m.id, m.algorithms.map((a) => [a, createHash(a)]));
	} else if (m.type === 'data') {
		const chunk = Buffer.from(m.buffer, 0, m.length);
		for (const [, h] of jobs.get(m.id) || []) h.update(chunk);
		parentPort.postMessage({ free: m.buffer }, [m.buffer]);
	} else if (m.type === 'end') {
		const hashes = jobs.get(m.id) || [];
		jobs.delete(m.id);
		parentPort.postMessage({ id: m.id, digests: Object.fromEntries(hashes.map(([a, h]) => [a, h.digest('hex')])) });
	} else if (m.type === 'abort') {
		jobs.delete(m.id);
	}
});
`;

class InlineHash implements IncrementalHash {
	private readonly hashes: Array<[HashAlgorithm, Hash]>;

	constructor(algorithms: readonly HashAlgorithm[]) {
		this.hashes = algorithms.map((a) => [a, createHash(a)]);
	}

	update(chunk: Buffer): void {
		for (const [, hash] of this.hashes) {
			hash.update(chunk);
		}
	}

	digest(): Promise<Digests> {
		return Promise.resolve(Object.fromEntries(this.hashes.map(([a, h]) => [a, h.digest('hex')])));
	}

	abort(): void {
		// Nothing held outside this object.
	}
}

interface Pending {
	resolve: (digests: Digests) => void;
	reject: (error: Error) => void;
}

export class HashService {
	private worker: Worker | undefined;
	private workerBroken = false;
	private nextId = 1;
	private readonly pending = new Map<number, Pending>();
	private readonly freeBuffers: ArrayBuffer[] = [];

	/** A hasher for `algorithms`; `expectedBytes` (e.g. Content-Length) picks inline vs worker. */
	create(algorithms: readonly HashAlgorithm[], expectedBytes = Number.POSITIVE_INFINITY): IncrementalHash {
		const worker = expectedBytes >= WORKER_THRESHOLD_BYTES ? this.ensureWorker() : undefined;
		return worker ? this.workerHash(worker, algorithms) : new InlineHash(algorithms);
	}

	async hashFile(filePath: string, algorithms: readonly HashAlgorithm[], size?: number): Promise<Digests> {
		const hash = this.create(algorithms, size);
		try {
			for await (const chunk of createReadStream(filePath, { highWaterMark: 1024 * 1024 })) {
				hash.update(chunk as Buffer);
			}
		} catch (error) {
			hash.abort();
			throw error;
		}
		return hash.digest();
	}

	async close(): Promise<void> {
		const worker = this.worker;
		this.worker = undefined;
		this.workerBroken = true;
		this.failPending(new Error('Hash service closed.'));
		await worker?.terminate();
	}

	private ensureWorker(): Worker | undefined {
		if (this.worker || this.workerBroken) {
			return this.worker;
		}
		try {
			const worker = new Worker(WORKER_SOURCE, { eval: true });
			worker.unref();
			worker.on('message', (m: { id: number; digests: Digests } | { free: ArrayBuffer }) => {
				if ('free' in m) {
					// Hashed batches come back for reuse: fresh 4 MiB buffers cost a page fault per 4 KiB.
					if (this.freeBuffers.length < MAX_FREE_BUFFERS) {
						this.freeBuffers.push(m.free);
					}
					return;
				}
				const pending = this.pending.get(m.id);
				this.pending.delete(m.id);
				pending?.resolve(m.digests);
			});
			const fail = (error: Error): void => {
				this.worker = undefined;
				this.workerBroken = true;
				this.failPending(error);
			};
			worker.on('error', fail);
			worker.on('exit', () => fail(new Error('Hash worker exited.')));
			this.worker = worker;
		} catch {
			this.workerBroken = true;
		}
		return this.worker;
	}

	private failPending(error: Error): void {
		for (const { reject } of this.pending.values()) {
			reject(error);
		}
		this.pending.clear();
	}

	private workerHash(worker: Worker, algorithms: readonly HashAlgorithm[]): IncrementalHash {
		const id = this.nextId++;
		worker.postMessage({ type: 'start', id, algorithms });
		const nextBatch = (): Buffer => {
			const reused = this.freeBuffers.pop();
			return reused ? Buffer.from(reused) : Buffer.allocUnsafeSlow(BATCH_BYTES);
		};
		let batch = nextBatch();
		let filled = 0;
		const flush = (): void => {
			if (filled > 0) {
				worker.postMessage({ type: 'data', id, buffer: batch.buffer, length: filled }, [batch.buffer as ArrayBuffer]);
				batch = nextBatch();
				filled = 0;
			}
		};
		return {
			update: (chunk) => {
				let offset = 0;
				while (offset < chunk.length) {
					const n = chunk.copy(batch, filled, offset, Math.min(chunk.length, offset + BATCH_BYTES - filled));
					filled += n;
					offset += n;
					if (filled === BATCH_BYTES) {
						flush();
					}
				}
			},
			digest: () =>
				new Promise<Digests>((resolve, reject) => {
					if (this.worker !== worker) {
						reject(new Error('Hash worker is not running.'));
						return;
					}
					flush();
					this.pending.set(id, { resolve, reject });
					worker.postMessage({ type: 'end', id });
				}),
			abort: () => {
				if (this.worker === worker) {
					worker.postMessage({ type: 'abort', id });
				}
			},
		};
	}
}
