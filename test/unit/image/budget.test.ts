// Reading a file costs a bounded amount of work (core/image/budget.ts): a ZIP or gzip bomb is inflated only up to the
// limit and its contents are reported as not verified beyond it, and an archive's entries are examined up to a count.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { after, describe, test } from 'node:test';
import * as yazl from 'yazl';
import { MAX_ARCHIVE_ENTRIES, MIN_INFLATED_BYTES } from '../../../src/core/image/budget';
import { checkStatuses, FixtureDir, zipArchive } from '../../support/firmware';

const dir = new FixtureDir();
after(() => dir.dispose());

/** `bytes` zero bytes as a stream of 1 MiB chunks (nothing that size is held in memory). */
function zeros(bytes: number): Readable {
	const chunk = Buffer.alloc(1024 * 1024);
	let left = bytes;
	return new Readable({
		read() {
			const n = Math.min(left, chunk.length);
			left -= n;
			this.push(n > 0 ? chunk.subarray(0, n) : null);
		},
	});
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) {
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

/** More zeros than the smallest inflation limit, compressed to well under a megabyte. */
const BOMB_BYTES = MIN_INFLATED_BYTES + 8 * 1024 * 1024;

void describe('inspection budget', () => {
	void test('a gzip bomb: inflated only up to the limit, its contents reported unverifiable', async () => {
		const bomb = await collect(zeros(BOMB_BYTES).pipe(createGzip({ level: 9 })));
		assert.ok(bomb.length < 1024 * 1024, `the bomb is ${bomb.length} bytes`);
		const identity = await dir.inspect('bomb.gz', bomb);
		assert.equal(identity.format, 'gzip');
		assert.deepEqual(checkStatuses(identity.integrity.checks), ['archive contents: unverifiable']);
		assert.match(identity.integrity.checks[0].detail ?? '', /^they inflate to more than .+; the rest was not read$/);
		assert.equal(identity.size, bomb.length, 'the file itself is still read and hashed whole');
	});

	void test('a ZIP bomb: the entry is inflated only up to the limit; the entries before it are kept', async () => {
		const zip = new yazl.ZipFile();
		zip.addBuffer(Buffer.from('1.4.0\n'), 'VERSION');
		zip.addReadStream(zeros(BOMB_BYTES), 'zeros.bin', { compress: true });
		zip.end();
		const bomb = await collect(zip.outputStream);
		const identity = await dir.inspect('bomb.zip', bomb);
		assert.deepEqual(checkStatuses(identity.integrity.checks), ['archive contents: unverifiable', 'ZIP CRC-32 of 1 entry: verified']);
		assert.equal(identity.version, '1.4.0');
		assert.deepEqual(
			identity.archive?.entries.map((e) => e.name),
			['VERSION'],
		);
	});

	void test(`an archive of more than ${MAX_ARCHIVE_ENTRIES} entries: the rest are not examined`, async () => {
		const files = Array.from({ length: MAX_ARCHIVE_ENTRIES + 5 }, (_, i): [string, string] => [`f${i}.txt`, '']);
		const identity = await dir.inspect('many.zip', await zipArchive(files, { store: true }));
		assert.equal(identity.archive?.entryCount, MAX_ARCHIVE_ENTRIES);
		assert.deepEqual(
			checkStatuses(identity.integrity.checks).filter((c) => !c.startsWith('ZIP CRC-32')),
			['archive entries: unverifiable'],
		);
	});
});
