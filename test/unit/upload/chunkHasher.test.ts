// MD5 + SHA-256 on a worker thread over shared slots: same digests as one-shot hashing, slots handed back.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { createChunkHasher, WORKER_HASH_MIN_BYTES } from '../../../src/core/upload/chunkHasher';
import { postObject } from '../../../src/core/uploader';
import { digestsOf, patternBytes, receivePost, scratchDir, startServer, ticketFor } from './stubOss';

const scratch = scratchDir();
after(() => scratch.cleanup());

void describe('chunk hashing', () => {
	void test('a worker hashes shared slots in order and calls back per chunk', async () => {
		const slotBytes = 64 * 1024;
		const slots = [0, 1, 2].map(() => Buffer.from(new SharedArrayBuffer(slotBytes)));
		const data = patternBytes(10 * slotBytes + 123, 9);
		const hasher = createChunkHasher(WORKER_HASH_MIN_BYTES, slots, (error) => assert.fail(error));
		const free = [0, 1, 2];
		const waiters: Array<() => void> = [];
		for (let offset = 0; offset < data.length; offset += slotBytes) {
			if (free.length === 0) {
				await new Promise<void>((resolve) => waiters.push(resolve));
			}
			const slot = free.shift()!;
			const n = data.copy(slots[slot], 0, offset, offset + slotBytes);
			hasher.update(slots[slot].subarray(0, n), slot, () => {
				free.push(slot);
				waiters.shift()?.();
			});
		}
		assert.deepEqual(await hasher.digest(), digestsOf(data));
	});

	void test('small uploads and unshared buffers hash inline', async () => {
		const slot = Buffer.alloc(1024);
		const hasher = createChunkHasher(WORKER_HASH_MIN_BYTES * 10, [slot], () => undefined);
		let done = false;
		slot.fill(7);
		hasher.update(slot, 0, () => (done = true));
		assert.ok(done, 'inline hashing calls back at once');
		assert.deepEqual(await hasher.digest(), digestsOf(Buffer.alloc(1024, 7)));
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
		const result = await postObject(ticketFor(oss.host), file);
		assert.ok(received?.equals(bytes));
		assert.deepEqual({ md5: result.md5, sha256: result.sha256 }, digestsOf(bytes));
	});
});
