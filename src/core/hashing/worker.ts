import { Worker } from 'node:worker_threads';
import { OPEN_FOR_READING } from '../safeFile';

/**
 * The one hash worker of the code base: MD5 / SHA-256 off the event loop, for the uploader (chunks it is sending,
 * chunkHasher.ts) and for whole files (the sandbox's stored objects, a re-hash before registering; fileHasher.ts).
 * Each front end owns its worker, so the two message protocols never meet in one thread.
 */

export type HashAlgorithm = 'md5' | 'sha256';

export interface Digests {
	md5: string;
	sha256: string;
}

/** Below this many bytes, hashing inline beats a worker's start-up (~50 ms on a small VM). */
export const WORKER_HASH_MIN_BYTES = 4 * 1024 * 1024;
export const READ_CHUNK_BYTES = 1024 * 1024;

// Plain CommonJS, eval'd (no file to ship next to the bundles; runs the same from esbuild bundles, tsx and tests).
// Chunks: first {slots} (SharedArrayBuffers), then one number per chunk (length * 256 + slot), -1 for the digests.
// Files: {id, filePath, algorithms} → {id, digests} or {id, error}.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const md5 = createHash('md5');
const sha256 = createHash('sha256');
let slots = [];
async function hashFile({ id, filePath, algorithms }) {
	try {
		const hashes = algorithms.map((a) => [a, createHash(a)]);
		for await (const chunk of createReadStream(filePath, { flags: ${OPEN_FOR_READING}, highWaterMark: ${READ_CHUNK_BYTES} })) {
			for (const [, h] of hashes) h.update(chunk);
		}
		parentPort.postMessage({ id, digests: Object.fromEntries(hashes.map(([a, h]) => [a, h.digest('hex')])) });
	} catch (error) {
		parentPort.postMessage({ id, error: String((error && error.message) || error) });
	}
}
parentPort.on('message', (m) => {
	if (typeof m === 'object' && m.slots) {
		slots = m.slots.map((s) => Buffer.from(s));
	} else if (typeof m === 'object') {
		void hashFile(m);
	} else if (m === -1) {
		parentPort.postMessage({ md5: md5.digest('hex'), sha256: sha256.digest('hex') });
	} else {
		const slot = m % 256;
		const view = slots[slot].subarray(0, (m - slot) / 256);
		md5.update(view);
		sha256.update(view);
		parentPort.postMessage(slot);
	}
});
`;

/** After a worker could not start or died (e.g. a host without worker threads), everything hashes inline. */
let workersUnavailable = false;

export function markWorkersUnavailable(): void {
	workersUnavailable = true;
}

/** A hash worker, or undefined where workers cannot be used. */
export function startHashWorker(): Worker | undefined {
	if (workersUnavailable) {
		return undefined;
	}
	try {
		// No inherited execArgv: loaders or preloads of the host process have no business in the hasher.
		const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
		// Never the reason a process stays alive; the work it serves keeps the process running meanwhile.
		worker.unref();
		return worker;
	} catch {
		workersUnavailable = true;
		return undefined;
	}
}
