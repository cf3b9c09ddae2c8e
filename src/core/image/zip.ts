// ZIP archives through yauzl, which reads the central directory at the end of the file (so only the file itself,
// not a ZIP nested in another archive, can be expanded). yauzl leaves CRC-32 checking to its caller: done here.
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import type { RandomAccessReader } from 'yauzl';
import { throwIfAborted } from '../errors';
import { yauzl } from '../vendor';
import { ArchiveCollector, type NestedContext } from './archive';
import { ByteReader, tap } from './byteReader';
import { hex32, named } from './checks';
import { errorText, failedCheck, rethrowUnlessDamage } from './tarGzip';
import type { ContentInfo } from './types';

/** Bytes [start, end) of `handle` by positional reads (a FileHandle's own stream closes the handle when destroyed). */
function rangeStream(handle: FileHandle, start: number, end: number): Readable {
	let position = start;
	return new Readable({
		read(size) {
			const length = Math.min(size, end - position);
			if (length <= 0) {
				this.push(null);
				return;
			}
			handle.read(Buffer.allocUnsafe(length), 0, length, position).then(
				({ bytesRead, buffer }) => {
					position += bytesRead;
					this.push(bytesRead === 0 ? null : buffer.subarray(0, bytesRead));
				},
				(error: Error) => this.destroy(error),
			);
		},
	});
}

/**
 * yauzl reading through the caller's checked descriptor. (yauzl's own descriptor reader closes the descriptor when it
 * is done with it, which belongs to the caller here.)
 */
function handleReader(handle: FileHandle): RandomAccessReader {
	return new (class extends yauzl().RandomAccessReader {
		_readStreamForRange(start: number, end: number): Readable {
			return rangeStream(handle, start, end);
		}
	})();
}

/** The ZIP of `size` bytes behind `handle` (a descriptor the caller opened, checked and closes). */
export async function inspectZipFile(handle: FileHandle, size: number, ctx: NestedContext): Promise<ContentInfo> {
	const collector = new ArchiveCollector('zip', ctx);
	let zipFile: Awaited<ReturnType<ReturnType<typeof yauzl>['fromRandomAccessReaderPromise']>>;
	try {
		zipFile = await yauzl().fromRandomAccessReaderPromise(handleReader(handle), size, {
			validateEntrySizes: true,
			strictFileNames: false,
		});
	} catch (error) {
		collector.check({ ...named({ kind: 'zip-structure' }), status: 'mismatch', detail: errorText(error) });
		return collector.finish();
	}
	const crcAvailable = typeof zlib.crc32 === 'function';
	let crcChecked = 0;
	try {
		for await (const entry of zipFile.eachEntry()) {
			throwIfAborted(ctx.options.signal, 'firmware inspection');
			if (entry.fileName.endsWith('/')) {
				await collector.add(entry.fileName, 0, 'directory');
				continue;
			}
			if (entry.isEncrypted()) {
				await collector.add(entry.fileName, entry.uncompressedSize, 'file');
				collector.warn(`${entry.fileName} is encrypted; its contents were not read.`);
				continue;
			}
			let crc = 0;
			const stream = await zipFile.openReadStreamPromise(entry);
			const reader = new ByteReader(
				tap(stream, (chunk) => {
					throwIfAborted(ctx.options.signal, 'firmware inspection');
					ctx.budget.inflate(chunk.length);
					crc = crcAvailable ? zlib.crc32(chunk, crc) : 0;
				}),
			);
			await collector.add(entry.fileName, entry.uncompressedSize, 'file', reader);
			if (crcAvailable && crc !== entry.crc32) {
				collector.check({
					...named({ kind: 'zip-crc', within: [entry.fileName] }),
					status: 'mismatch',
					stored: hex32(entry.crc32),
					computed: hex32(crc),
				});
			} else {
				crcChecked++;
			}
		}
	} catch (error) {
		rethrowUnlessDamage(error, ctx);
		collector.check(failedCheck(error, 'zip-structure'));
	} finally {
		zipFile.close();
	}
	if (crcChecked > 0) {
		collector.check(
			crcAvailable
				? { ...named({ kind: 'zip-crc', count: crcChecked }), status: 'verified' }
				: { ...named({ kind: 'zip-crc' }), status: 'unverifiable', detail: 'this Node.js has no zlib.crc32 (added in Node 20.15)' },
		);
	}
	return collector.finish();
}
