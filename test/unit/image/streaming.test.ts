// The reader streams: a 512 MB (sparse) ESP-IDF image is read whole, checksum verified, with the peak memory of a
// child process no higher than for a 2 KB image plus a small margin. A whole-file buffer would add 512 MB.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { espImage, FixtureDir } from '../../support/firmware';

const dir = new FixtureDir();
after(() => dir.dispose());

const BIG = 512 * 1024 * 1024;
const MARGIN = 96 * 1024 * 1024;
const root = path.resolve(__dirname, '..', '..', '..');

/** A valid image whose second segment is `BIG` bytes of zeros, written sparsely (only its ends touch the disk). */
function writeSparseImage(file: string): void {
	const small = espImage({ hashAppended: false, segments: [Buffer.alloc(4)] });
	// Image header (24), first segment (8 + its length), the second segment's header (8); its 4 data bytes become BIG.
	const head = Buffer.from(small.subarray(0, 24 + 8 + small.readUInt32LE(28) + 8));
	head.writeUInt32LE(BIG, head.length - 4);
	const end = head.length + BIG;
	const padding = 15 - (end % 16);
	const fd = openSync(file, 'w');
	try {
		writeSync(fd, head, 0, head.length, 0);
		// Zeros do not change the XOR checksum, so the small image's checksum byte is still right.
		writeSync(fd, Buffer.from([small[small.length - 1]]), 0, 1, end + padding);
	} finally {
		closeSync(fd);
	}
}

/** Inspects `file` in a fresh Node process and returns its verdict, size and peak RSS. */
function inspectInChild(file: string): { verdict: string; size: number; version: string; maxRss: number } {
	const script = `
		const { inspectFirmware } = require(${JSON.stringify(path.join(root, 'src', 'core', 'image'))});
		inspectFirmware(${JSON.stringify(file)}).then((id) => {
			process.stdout.write(JSON.stringify({ verdict: id.integrity.verdict, size: id.size, version: id.version, maxRss: process.resourceUsage().maxRSS * 1024 }));
		});`;
	const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
		cwd: root,
		encoding: 'utf8',
		env: { ...process.env, NODE_OPTIONS: '' },
		timeout: 300_000,
	});
	assert.equal(run.status, 0, run.stderr);
	return JSON.parse(run.stdout) as { verdict: string; size: number; version: string; maxRss: number };
}

void test('a 512 MB image is inspected with bounded memory (peak RSS of a child, compared with a 2 KB image)', () => {
	const big = path.join(dir.dir, 'big.bin');
	writeSparseImage(big);
	const small = dir.write('small.bin', espImage({ hashAppended: false }));
	const baseline = inspectInChild(small);
	const large = inspectInChild(big);
	assert.equal(large.verdict, 'verified');
	assert.equal(large.version, '1.2.0');
	assert.ok(large.size > BIG, `read ${large.size} bytes`);
	assert.ok(
		large.maxRss - baseline.maxRss < MARGIN,
		`peak RSS grew by ${Math.round((large.maxRss - baseline.maxRss) / 1048576)} MB for a ${BIG / 1048576} MB file`,
	);
});
