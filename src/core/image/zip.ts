// ZIP archives through yauzl, which reads the central directory at the end of the file (so only the file itself,
// not a ZIP nested in another archive, can be expanded). yauzl leaves CRC-32 checking to its caller: done here.
import * as zlib from 'node:zlib';
import { throwIfAborted } from '../errors';
import { yauzl } from '../vendor';
import { ArchiveCollector, type NestedContext } from './archive';
import { ByteReader, tap } from './byteReader';
import { hex32 } from './checks';
import { errorText, rethrowIfCancelled } from './tarGzip';
import type { ContentInfo } from './types';

export async function inspectZipFile(filePath: string, ctx: NestedContext): Promise<ContentInfo> {
	const collector = new ArchiveCollector('zip', ctx);
	let zipFile: Awaited<ReturnType<ReturnType<typeof yauzl>['openPromise']>>;
	try {
		zipFile = await yauzl().openPromise(filePath, { validateEntrySizes: true, strictFileNames: false });
	} catch (error) {
		collector.check({ name: 'ZIP structure', status: 'mismatch', detail: errorText(error) });
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
					crc = crcAvailable ? zlib.crc32(chunk, crc) : 0;
				}),
			);
			await collector.add(entry.fileName, entry.uncompressedSize, 'file', reader);
			if (crcAvailable && crc !== entry.crc32) {
				collector.check({
					name: `${entry.fileName}: ZIP CRC-32`,
					status: 'mismatch',
					stored: hex32(entry.crc32),
					computed: hex32(crc),
				});
			} else {
				crcChecked++;
			}
		}
	} catch (error) {
		rethrowIfCancelled(error, ctx);
		collector.check({ name: 'ZIP structure', status: 'mismatch', detail: errorText(error) });
	} finally {
		zipFile.close();
	}
	if (crcChecked > 0) {
		collector.check(
			crcAvailable
				? { name: `ZIP CRC-32 of ${crcChecked} ${crcChecked === 1 ? 'entry' : 'entries'}`, status: 'verified' }
				: { name: 'ZIP CRC-32', status: 'unverifiable', detail: 'this Node.js has no zlib.crc32 (added in Node 20.15)' },
		);
	}
	return collector.finish();
}
