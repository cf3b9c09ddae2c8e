// ZIP (yazl), tar (tar-stream) and gzip (zlib) archives, and the nRF Connect SDK's dfu_application.zip
// (docs/protocols.md §9.3).
import { gzipSync } from 'node:zlib';
import * as tarStream from 'tar-stream';
import * as yazl from 'yazl';

export type ArchiveFiles = Array<[name: string, contents: Buffer | string]>;

function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		stream.on('data', (chunk: Buffer) => chunks.push(chunk));
		stream.on('end', () => resolve(Buffer.concat(chunks)));
		stream.on('error', reject);
	});
}

/** A ZIP written by yazl; `store` keeps entries uncompressed (so a flipped byte is a CRC mismatch, not an inflate error). */
export function zipArchive(files: ArchiveFiles, options: { store?: boolean } = {}): Promise<Buffer> {
	const zip = new yazl.ZipFile();
	for (const [name, contents] of files) {
		zip.addBuffer(Buffer.from(contents), name, { compress: !options.store, mtime: new Date(2025, 0, 1) });
	}
	zip.end();
	return collect(zip.outputStream);
}

/** A ustar archive written by tar-stream; names ending in "/" become directories. */
export async function tarArchive(files: ArchiveFiles): Promise<Buffer> {
	const pack = tarStream.pack();
	const done = collect(pack as unknown as NodeJS.ReadableStream);
	for (const [name, contents] of files) {
		if (name.endsWith('/')) {
			pack.entry({ name, type: 'directory', mtime: new Date(2025, 0, 1) });
		} else {
			pack.entry({ name, mtime: new Date(2025, 0, 1) }, Buffer.from(contents));
		}
	}
	pack.finalize();
	return done;
}

export const gzip = (bytes: Buffer): Buffer => gzipSync(bytes);

/** nRF Connect SDK's dfu_application.zip: manifest.json naming app_update.bin and its version_MCUBOOT. */
export function nrfDfuZip(image: Buffer, versionMcuboot: string): Promise<Buffer> {
	const manifest = {
		'format-version': 0,
		time: 1735689600,
		files: [
			{
				type: 'application',
				board: 'nrf52840dk/nrf52840',
				soc: 'nRF52840_xxAA',
				load_address: 49152,
				image_index: '0',
				slot_index_primary: '1',
				slot_index_secondary: '2',
				version_MCUBOOT: versionMcuboot,
				size: image.length,
				file: 'app_update.bin',
				modtime: 1735689600,
			},
		],
		name: 'dfu_application',
	};
	return zipArchive([
		['manifest.json', JSON.stringify(manifest, null, 2)],
		['app_update.bin', image],
	]);
}
