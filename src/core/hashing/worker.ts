import { Worker } from 'node:worker_threads';

/**
 * The one hash worker of the code base: MD5 / SHA-256 off the event loop, for the uploader (copies of the chunks it
 * sends, chunkHasher.ts) and for whole files (the sandbox's stored objects, a re-hash before registering; fileHasher.ts,
 * which hands over the descriptor it opened and checked: threads share descriptors). Each front end owns its worker.
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
// Chunks: a Uint8Array → 'hashed'; 'digest' → {md5, sha256}. Files: {id, fd, algorithms} → {id, digests} or {id, error}.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const md5 = createHash('md5');
const sha256 = createHash('sha256');
parentPort.on('message', async (m) => {
	if (m instanceof Uint8Array) {
		md5.update(m);
		sha256.update(m);
		parentPort.postMessage('hashed');
		return;
	}
	if (m === 'digest') {
		parentPort.postMessage({ md5: md5.digest('hex'), sha256: sha256.digest('hex') });
		return;
	}
	const { id, fd, algorithms } = m;
	try {
		const hashes = algorithms.map((a) => [a, createHash(a)]);
		for await (const chunk of createReadStream('', { fd, autoClose: false, start: 0, highWaterMark: ${READ_CHUNK_BYTES} })) {
			for (const [, h] of hashes) h.update(chunk);
		}
		parentPort.postMessage({ id, digests: Object.fromEntries(hashes.map(([a, h]) => [a, h.digest('hex')])) });
	} catch (error) {
		parentPort.postMessage({ id, error: String((error && error.message) || error) });
	}
});
`;

/** A hash worker, or undefined where workers cannot be used (e.g. a host without worker threads). */
export function startHashWorker(): Worker | undefined {
	try {
		// No inherited execArgv: loaders or preloads of the host process have no business in the hasher.
		const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
		// Never the reason a process stays alive; the work it serves keeps the process running meanwhile.
		worker.unref();
		return worker;
	} catch {
		return undefined;
	}
}
