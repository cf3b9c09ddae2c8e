import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * Hashing of stored objects (CreateOTAFirmware's FirmwareSign check). Large files are
 * hashed on a worker thread so MD5 (≈600 MB/s on one core) does not block the
 * sandbox's event loop (or the extension host's, when the sandbox runs there). Chunks
 * are batched into 4 MiB buffers that are transferred, not copied, to the worker.
 */

export type HashAlgorithm = 'md5' | 'sha256';
export type Digests = Partial<Record<HashAlgorithm, string>>;

export interface IncrementalHash {
	/** Returns a promise when the caller should wait before the next update (hashing lags behind). */
	update(chunk: Buffer): Promise<void> | undefined;
	/** Lower-case hex digests; call once, after the last update. */
	digest(): Promise<Digests>;
	abort(): void;
}

const BATCH_BYTES = 4 * 1024 * 1024;
/** Below this, posting to the worker costs more than hashing inline. */
const WORKER_THRESHOLD_BYTES = 8 * 1024 * 1024;
const MAX_FREE_BUFFERS = 8;
/** Batches one upload may have queued at the worker: bounds memory when the network outruns MD5. */
const MAX_IN_FLIGHT_BATCHES = 4;

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
		parentPort.postMessage({ id: m.id, free: m.buffer }, [m.buffer]);
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

	update(chunk: Buffer): undefined {
		for (const [, hash] of this.hashes) {
			hash.update(chunk);
		}
		return undefined;
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

/** Main-thread side of one worker job: batches not yet hashed, and who waits for room. */
interface JobFlow {
	inFlight: number;
	waiter?: () => void;
}

export class HashService {
	private worker: Worker | undefined;
	private workerBroken = false;
	private nextId = 1;
	private readonly pending = new Map<number, Pending>();
	private readonly freeBuffers: ArrayBuffer[] = [];
	private readonly flows = new Map<number, JobFlow>();

	/** A hasher for `algorithms`; `expectedBytes` (e.g. Content-Length) picks inline vs worker. */
	create(algorithms: readonly HashAlgorithm[], expectedBytes = Number.POSITIVE_INFINITY): IncrementalHash {
		const worker = expectedBytes >= WORKER_THRESHOLD_BYTES ? this.ensureWorker() : undefined;
		return worker ? this.workerHash(worker, algorithms) : new InlineHash(algorithms);
	}

	async hashFile(filePath: string, algorithms: readonly HashAlgorithm[], size?: number): Promise<Digests> {
		const hash = this.create(algorithms, size);
		try {
			for await (const chunk of createReadStream(filePath, { highWaterMark: 1024 * 1024 })) {
				await hash.update(chunk as Buffer);
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
			worker.on('message', (m: { id: number; digests: Digests } | { id: number; free: ArrayBuffer }) => {
				if ('free' in m) {
					// Hashed batches come back for reuse: fresh 4 MiB buffers cost a page fault per 4 KiB.
					if (this.freeBuffers.length < MAX_FREE_BUFFERS) {
						this.freeBuffers.push(m.free);
					}
					const flow = this.flows.get(m.id);
					if (flow) {
						flow.inFlight -= 1;
						this.release(flow);
					}
					return;
				}
				const pending = this.pending.get(m.id);
				this.pending.delete(m.id);
				this.flows.delete(m.id);
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
		// Let paused uploads move on: they fail when they ask for the digest.
		for (const flow of this.flows.values()) {
			flow.inFlight = 0;
			this.release(flow);
		}
		this.flows.clear();
	}

	private release(flow: JobFlow): void {
		if (flow.waiter && flow.inFlight < MAX_IN_FLIGHT_BATCHES) {
			const wake = flow.waiter;
			flow.waiter = undefined;
			wake();
		}
	}

	private workerHash(worker: Worker, algorithms: readonly HashAlgorithm[]): IncrementalHash {
		const id = this.nextId++;
		const flow: JobFlow = { inFlight: 0 };
		this.flows.set(id, flow);
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
				flow.inFlight += 1;
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
				if (flow.inFlight < MAX_IN_FLIGHT_BATCHES || this.worker !== worker) {
					return undefined;
				}
				return new Promise<void>((resolve) => (flow.waiter = resolve));
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
				this.flows.delete(id);
				if (this.worker === worker) {
					worker.postMessage({ type: 'abort', id });
				}
			},
		};
	}
}
