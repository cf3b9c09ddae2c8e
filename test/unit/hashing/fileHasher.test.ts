import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { FileHasher } from '../../../src/core/hashing/fileHasher';

async function scratchFile(t: TestContext, data: Buffer): Promise<string> {
	const dir = await fs.mkdtemp(path.join(tmpdir(), 'sandbox-hash-'));
	t.after(() => fs.rm(dir, { recursive: true, force: true }));
	const file = path.join(dir, 'f.bin');
	await fs.writeFile(file, data);
	return file;
}

void test('the worker and the inline path give the same digests as one createHash over the bytes', async (t) => {
	const hashes = new FileHasher();
	t.after(() => hashes.close());
	const large = randomBytes(9 * 1024 * 1024 + 123); // above the worker threshold, several read chunks
	const small = randomBytes(100_000); // below it: hashed inline
	for (const data of [large, small]) {
		const file = await scratchFile(t, data);
		const expected = { md5: createHash('md5').update(data).digest('hex'), sha256: createHash('sha256').update(data).digest('hex') };
		assert.deepEqual(await hashes.hashFile(file, ['md5', 'sha256']), expected, `${data.length} bytes`);
		assert.deepEqual(await hashes.hashFile(file, ['sha256']), { sha256: expected.sha256 }, 'only the algorithms asked for');
	}
});

void test('a path that is no regular file rejects with the pre-flight message, and the service keeps working', async (t) => {
	const hashes = new FileHasher();
	t.after(() => hashes.close());
	const missing = path.join(tmpdir(), `sandbox-hash-missing-${process.pid}.bin`);
	await assert.rejects(hashes.hashFile(missing, ['md5']), (e: unknown) => e instanceof OtaError && e.code === 'FileNotFound');
	await assert.rejects(hashes.hashFile(tmpdir(), ['md5']), (e: unknown) => e instanceof OtaError && e.code === 'FileIsDirectory');
	const data = randomBytes(9 * 1024 * 1024);
	const file = await scratchFile(t, data);
	assert.equal((await hashes.hashFile(file, ['md5'])).md5, createHash('md5').update(data).digest('hex'));
});

void test('digests pending when the service closes are rejected, not left hanging', async (t) => {
	const hashes = new FileHasher();
	const file = await scratchFile(t, randomBytes(16 * 1024 * 1024));
	const rejected = assert.rejects(hashes.hashFile(file, ['md5', 'sha256']), /closed|exited/);
	await hashes.close();
	await rejected;
});
