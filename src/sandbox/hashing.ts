import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * Digests of stored objects (CreateOTAFirmware's FirmwareSign check). Large files are read
 * and hashed on a worker thread, so MD5 (≈600 MB/s on one core) does not block the sandbox's
 * event loop (or the extension host's, when the sandbox runs there).
 */

export type HashAlgorithm = 'md5' | 'sha256';
export type Digests = Partial<Record<HashAlgorithm, string>>;

/** Below this, handing the file to the worker costs more than hashing it here. */
const WORKER_THRESHOLD_BYTES = 8 * 1024 * 1024;
const READ_CHUNK_BYTES = 1024 * 1024;

// Plain CommonJS, eval'd as the worker (no file to ship next to the bundles).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
parentPort.on('message', async ({ id, filePath, algorithms }) => {
	try {
		const hashes = algorithms.map((a) => [a, createHash(a)]);
		for await (const chunk of createReadStream(filePath, { highWaterMark: ${READ_CHUNK_BYTES} })) {
			for (const [, h] of hashes) h.update(chunk);
		}
		parentPort.postMessage({ id, digests: Object.fromEntries(hashes.map(([a, h]) => [a, h.digest('hex')])) });
	} catch (error) {
		parentPort.postMessage({ id, error: String((error && error.message) || error) });
	}
});
`;

async function hashFileHere(filePath: string, algorithms: readonly HashAlgorithm[]): Promise<Digests> {
	const hashes = algorithms.map((a) => [a, createHash(a)] as const);
	for await (const chunk of createReadStream(filePath, { highWaterMark: READ_CHUNK_BYTES })) {
		for (const [, hash] of hashes) {
			hash.update(chunk as Buffer);
		}
	}
	return Object.fromEntries(hashes.map(([a, hash]) => [a, hash.digest('hex')]));
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

	/** Lower-case hex digests of the file; `size` (when known) picks inline vs worker. */
	hashFile(filePath: string, algorithms: readonly HashAlgorithm[], size = Number.POSITIVE_INFINITY): Promise<Digests> {
		const worker = size >= WORKER_THRESHOLD_BYTES ? this.ensureWorker() : undefined;
		if (!worker) {
			return hashFileHere(filePath, algorithms);
		}
		const id = this.nextId++;
		return new Promise<Digests>((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			worker.postMessage({ id, filePath, algorithms });
		});
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
			worker.on('message', (m: { id: number; digests?: Digests; error?: string }) => {
				const pending = this.pending.get(m.id);
				this.pending.delete(m.id);
				if (m.digests) {
					pending?.resolve(m.digests);
				} else {
					pending?.reject(new Error(m.error ?? 'Hashing failed.'));
				}
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
}
