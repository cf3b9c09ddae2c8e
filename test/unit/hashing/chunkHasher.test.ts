// MD5 + SHA-256 of an upload's chunks: on the event loop in slices for small uploads, on a worker thread for large
// ones. Both give the digests of one-shot hashing and call each chunk's `done` in order, never within update().
import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { describe, test } from 'node:test';
import { createChunkHasher, UPLOAD_WORKER_MIN_BYTES, type ChunkHasher } from '../../../src/core/hashing/chunkHasher';
import { digestsOf, patternBytes } from '../upload/stubOss';

/** Feeds `data` in pieces of `piece` bytes; the indexes of the pieces whose `done` ran, in that order. */
async function feed(hasher: ChunkHasher, data: Buffer, piece: number): Promise<number[]> {
	const done: number[] = [];
	let updating = false;
	for (let offset = 0, n = 0; offset < data.length; offset += piece, n++) {
		updating = true;
		hasher.update(data.subarray(offset, offset + piece), () => {
			assert.equal(updating, false, 'done never runs within update()');
			done.push(n);
		});
		updating = false;
	}
	return done;
}

/**
 * How many worker threads started while `run` ran and hashed chunks (answered 'hashed'). Other workers (tsx compiling
 * on a cold cache starts one) are not counted.
 */
async function hashWorkersDuring<T>(run: () => Promise<T>): Promise<{ result: T; workers: number }> {
	const hashing = new Set<Worker>();
	const watched: Array<() => void> = [];
	const onWorker = (worker: Worker): void => {
		const onMessage = (m: unknown): void => {
			if (m === 'hashed') {
				hashing.add(worker);
			}
		};
		worker.on('message', onMessage);
		// A message listener keeps a worker referenced; leave the others (tsx's) as they were.
		watched.push(() => worker.off('message', onMessage).unref());
	};
	process.on('worker', onWorker);
	try {
		return { result: await run(), workers: hashing.size };
	} finally {
		process.off('worker', onWorker);
		watched.forEach((unwatch) => unwatch());
	}
}

void describe('chunk hashing', () => {
	const data = patternBytes(3 * 1024 * 1024 + 321, 9);

	const cases = [
		{ name: 'a small upload hashes inline', size: data.length, workers: 0 },
		// As the uploader does for a worker: the chunks live in a SharedArrayBuffer, which the worker reads in place.
		{ name: 'a large upload hashes on a worker', size: UPLOAD_WORKER_MIN_BYTES, workers: 1 },
	];
	for (const { name, size, workers: expected } of cases) {
		void test(`${name}: chunks in order, the digests of the whole`, async () => {
			const { result, workers } = await hashWorkersDuring(async () => {
				const hasher = createChunkHasher(size);
				const input = hasher.sharesMemory ? Buffer.from(new SharedArrayBuffer(data.length)) : Buffer.alloc(data.length);
				data.copy(input);
				const done = await feed(hasher, input, 700_000);
				return { digests: await hasher.digest(), done, sharesMemory: hasher.sharesMemory };
			});
			assert.equal(workers, expected);
			assert.equal(result.sharesMemory, expected === 1);
			assert.deepEqual(result.digests, digestsOf(data));
			assert.deepEqual(result.done, [0, 1, 2, 3, 4]);
		});
	}

	void test('a worker that dies gives the buffers back and fails the digests', async () => {
		const started = new Promise<Worker>((resolve) => process.once('worker', resolve));
		const hasher = createChunkHasher(UPLOAD_WORKER_MIN_BYTES);
		let released = false;
		hasher.update(Buffer.alloc(1024, 1), () => (released = true));
		await (await started).terminate();
		const digests = await hasher.digest().then(
			() => 'resolved',
			(error: Error) => error.message,
		);
		assert.deepEqual({ released, digests }, { released: true, digests: 'The hash worker exited unexpectedly.' });
	});

	void test('inline, a large chunk is hashed in slices: work queued meanwhile runs before it is done', async () => {
		const hasher = createChunkHasher(2 * 1024 * 1024);
		const order: string[] = [];
		const hashed = new Promise<void>((resolve) =>
			hasher.update(patternBytes(2 * 1024 * 1024, 3), () => {
				order.push('hashed');
				resolve();
			}),
		);
		setImmediate(() => order.push('other work'));
		await hashed;
		assert.deepEqual(order, ['other work', 'hashed']);
	});

	void test('close drops what is queued: no done runs afterwards', async () => {
		const hasher = createChunkHasher(1024);
		let called = false;
		hasher.update(Buffer.alloc(1024, 1), () => (called = true));
		hasher.close();
		// Two turns: the slice scheduled by update() would have run (and called done) in the first.
		await new Promise<void>((resolve) => setImmediate(resolve));
		await new Promise<void>((resolve) => setImmediate(resolve));
		assert.equal(called, false);
	});
});
