// MD5 + SHA-256 on a worker thread over shared slots: same digests as one-shot hashing, slots handed back, and the
// worker really used (a worker thread starts, `done` comes back asynchronously) where it should be.
import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { after, describe, test } from 'node:test';
import { createChunkHasher, WORKER_HASH_MIN_BYTES } from '../../../src/core/hashing/chunkHasher';
import { postObject } from '../../../src/core/uploader';
import { digestsOf, patternBytes, receivePost, scratchDir, startServer, ticketFor } from '../upload/stubOss';

const scratch = scratchDir();
after(() => scratch.cleanup());

/**
 * How many worker threads started while `run` ran and answered as a hash worker does (slot numbers, digests).
 * Other workers (tsx compiling on a cold cache starts one) are not counted.
 */
async function countHashWorkers<T>(run: () => Promise<T>): Promise<{ result: T; workers: number }> {
	const hashing = new Set<Worker>();
	const watched: Array<() => void> = [];
	const onWorker = (worker: Worker): void => {
		const onMessage = (m: unknown): void => {
			if (typeof m === 'number' || (typeof m === 'object' && m !== null && 'sha256' in m)) {
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
	void test('a worker hashes shared slots in order and calls back per chunk', async () => {
		const slotBytes = 64 * 1024;
		const slots = [0, 1, 2].map(() => Buffer.from(new SharedArrayBuffer(slotBytes)));
		const data = patternBytes(10 * slotBytes + 123, 9);
		const { result, workers } = await countHashWorkers(async () => {
			const hasher = createChunkHasher(WORKER_HASH_MIN_BYTES, slots, (error) => assert.fail(error));
			const free = [0, 1, 2];
			const waiters: Array<() => void> = [];
			let doneInline = 0;
			for (let offset = 0; offset < data.length; offset += slotBytes) {
				if (free.length === 0) {
					await new Promise<void>((resolve) => waiters.push(resolve));
				}
				const slot = free.shift()!;
				const n = data.copy(slots[slot], 0, offset, offset + slotBytes);
				let returned = false;
				hasher.update(slots[slot].subarray(0, n), slot, () => {
					doneInline += returned ? 0 : 1;
					free.push(slot);
					waiters.shift()?.();
				});
				returned = true;
			}
			return { digests: await hasher.digest(), doneInline };
		});
		assert.equal(workers, 1, 'one worker hashed the chunks');
		assert.equal(result.doneInline, 0, 'a worker hands each slot back later, never within update()');
		assert.deepEqual(result.digests, digestsOf(data));
	});

	void test('small uploads and unshared buffers hash inline', async () => {
		const slot = Buffer.alloc(1024);
		const shared = [Buffer.from(new SharedArrayBuffer(1024))];
		const { result, workers } = await countHashWorkers(async () => {
			const hasher = createChunkHasher(WORKER_HASH_MIN_BYTES * 10, [slot], () => undefined);
			let done = false;
			slot.fill(7);
			hasher.update(slot, 0, () => (done = true));
			const small = createChunkHasher(WORKER_HASH_MIN_BYTES - 1, shared, () => undefined);
			small.update(shared[0], 0, () => undefined);
			await small.digest();
			return { done, digests: await hasher.digest() };
		});
		assert.equal(workers, 0, 'no worker hashed unshared buffers or a file below the threshold');
		assert.ok(result.done, 'inline hashing calls back at once');
		assert.deepEqual(result.digests, digestsOf(Buffer.alloc(1024, 7)));
	});

	void test('postObject of a file above the worker threshold reports the right digests', async (t) => {
		const bytes = patternBytes(WORKER_HASH_MIN_BYTES * 3 + 777, 11);
		const file = scratch.file('large.bin', bytes);
		let received: Buffer | undefined;
		const oss = await startServer(async (req, res) => {
			received = (await receivePost(req)).file?.bytes;
			res.writeHead(200);
			res.end();
		});
		t.after(() => oss.close());
		const { result, workers } = await countHashWorkers(() => postObject(ticketFor(oss.host), file));
		assert.equal(workers, 1, 'the upload hashed on a worker');
		assert.ok(received?.equals(bytes));
		assert.deepEqual({ md5: result.md5, sha256: result.sha256 }, digestsOf(bytes));
	});
});
