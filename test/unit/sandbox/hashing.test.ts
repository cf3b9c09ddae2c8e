import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { HashService } from '../../../src/sandbox/hashing';

void test('worker and inline hashing give the same digests, whatever the chunking', async (t) => {
	const hashes = new HashService();
	t.after(() => hashes.close());
	const data = randomBytes(9 * 1024 * 1024 + 123); // crosses several 4 MiB batches
	const expected = { md5: createHash('md5').update(data).digest('hex'), sha256: createHash('sha256').update(data).digest('hex') };
	for (const expectedBytes of [data.length, 10]) {
		const hash = hashes.create(['md5', 'sha256'], expectedBytes);
		for (let offset = 0; offset < data.length; offset += 777_777) {
			await hash.update(data.subarray(offset, offset + 777_777));
		}
		assert.deepEqual(await hash.digest(), expected, `expectedBytes=${expectedBytes}`);
	}
	// An aborted job does not disturb the next one.
	const aborted = hashes.create(['md5'], data.length);
	await aborted.update(data);
	aborted.abort();
	const again = hashes.create(['md5'], data.length);
	await again.update(data);
	assert.equal((await again.digest()).md5, expected.md5);
});

void test('the worker path pushes back once 4 batches wait to be hashed, so an upload is never buffered whole', async (t) => {
	const hashes = new HashService();
	t.after(() => hashes.close());
	const hash = hashes.create(['md5'], 1024 * 1024 * 1024);
	const batch = randomBytes(4 * 1024 * 1024);
	const waits = [hash.update(batch), hash.update(batch), hash.update(batch), hash.update(batch)];
	assert.deepEqual(waits.slice(0, 3), [undefined, undefined, undefined]);
	assert.ok(waits[3] instanceof Promise, 'the 4th batch in flight asks the caller to wait');
	await waits[3];
	assert.equal((await hash.digest()).md5, createHash('md5').update(Buffer.concat([batch, batch, batch, batch])).digest('hex'));
});

void test('hashFile streams a file through the service', async (t) => {
	const dir = await fs.mkdtemp(path.join(tmpdir(), 'sandbox-hash-'));
	const hashes = new HashService();
	t.after(async () => {
		await hashes.close();
		await fs.rm(dir, { recursive: true, force: true });
	});
	const file = path.join(dir, 'f.bin');
	const data = randomBytes(3 * 1024 * 1024);
	await fs.writeFile(file, data);
	assert.deepEqual(await hashes.hashFile(file, ['sha256'], data.length), { sha256: createHash('sha256').update(data).digest('hex') });
});

void test('digests pending when the service closes are rejected, not left hanging', async () => {
	const hashes = new HashService();
	const hash = hashes.create(['md5'], 64 * 1024 * 1024);
	await hash.update(randomBytes(1024));
	const rejected = assert.rejects(hash.digest(), /closed/);
	await hashes.close();
	await rejected;
});
