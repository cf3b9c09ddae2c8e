import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { openRegularFile, type OpenedFile } from '../limits';
import { READ_CHUNK_BYTES, startHashWorker, WORKER_HASH_MIN_BYTES, type HashAlgorithm } from './worker';

/**
 * Digests of whole files: the sandbox's stored objects (CreateOTAFirmware's FirmwareSign check) and a local file
 * re-hashed before it is registered. Large files are read and hashed on the hash worker, so MD5 (≈600 MB/s on one
 * core) does not block the event loop (the extension host's, when the sandbox or the extension hashes there).
 * The file is opened once without blocking and checked through its descriptor (openRegularFile); that descriptor is
 * what is hashed.
 */

export type FileDigests = Partial<Record<HashAlgorithm, string>>;

async function hashHere(file: OpenedFile, algorithms: readonly HashAlgorithm[]): Promise<FileDigests> {
	const hashes = algorithms.map((a) => [a, createHash(a)] as const);
	for await (const chunk of file.handle.createReadStream({ start: 0, autoClose: false, highWaterMark: READ_CHUNK_BYTES })) {
		for (const [, hash] of hashes) {
			hash.update(chunk as Buffer);
		}
	}
	return Object.fromEntries(hashes.map(([a, hash]) => [a, hash.digest('hex')]));
}

interface Pending {
	resolve: (digests: FileDigests) => void;
	reject: (error: Error) => void;
}

/** Hashes files, on one lazily started worker for large ones; close() ends it. */
export class FileHasher {
	private worker: Worker | undefined;
	private workerBroken = false;
	private closed = false;
	private nextId = 1;
	private readonly pending = new Map<number, Pending>();

	/**
	 * Lower-case hex digests of the regular file at `filePath`; throws OtaError(validation) when it is not one. With
	 * `accept`, the file is hashed only when the stats of the descriptor opened for it pass (else no digest).
	 */
	async hashFile(filePath: string, algorithms: readonly HashAlgorithm[], accept?: (stats: Stats) => boolean): Promise<FileDigests> {
		const file = await openRegularFile(filePath);
		try {
			if (this.closed) {
				throw new Error('Hash service closed.');
			}
			if (accept && !accept(file.stats)) {
				return {};
			}
			const worker = file.stats.size >= WORKER_HASH_MIN_BYTES ? this.ensureWorker() : undefined;
			return await (worker ? this.hashOn(worker, file, algorithms) : hashHere(file, algorithms));
		} finally {
			await file.handle.close().catch(() => undefined);
		}
	}

	async close(): Promise<void> {
		const worker = this.worker;
		this.worker = undefined;
		this.closed = true;
		this.failPending(new Error('Hash service closed.'));
		await worker?.terminate();
	}

	private hashOn(worker: Worker, file: OpenedFile, algorithms: readonly HashAlgorithm[]): Promise<FileDigests> {
		const id = this.nextId++;
		return new Promise<FileDigests>((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			worker.postMessage({ id, fd: file.handle.fd, algorithms });
		});
	}

	private ensureWorker(): Worker | undefined {
		if (this.worker || this.workerBroken) {
			return this.worker;
		}
		const worker = startHashWorker();
		if (!worker) {
			this.workerBroken = true;
			return undefined;
		}
		worker.on('message', (m: { id: number; digests?: FileDigests; error?: string }) => {
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
		return worker;
	}

	private failPending(error: Error): void {
		for (const { reject } of this.pending.values()) {
			reject(error);
		}
		this.pending.clear();
	}
}

/** One file, one worker at most, ended afterwards. */
export async function hashFile(
	filePath: string,
	algorithms: readonly HashAlgorithm[],
	accept?: (stats: Stats) => boolean,
): Promise<FileDigests> {
	const hasher = new FileHasher();
	try {
		return await hasher.hashFile(filePath, algorithms, accept);
	} finally {
		await hasher.close();
	}
}
