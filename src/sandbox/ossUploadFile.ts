import { createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';

/**
 * The `file` part of one PostObject, streamed straight into a temp file (no hashing on the way in: ossUpload.ts).
 * Past `maxBytes` it stops writing and calls `tooLarge`; `discard()` stops it and removes the temp file unless
 * the store took it.
 */
export class UploadFile {
	/** Bytes received so far. */
	size = 0;
	/** Settles when every byte received is on disk (the part ended); rejects when the file cannot be written. */
	readonly written: Promise<void>;
	private readonly out: WriteStream;
	private stopped = false;
	private kept = false;

	constructor(
		private readonly part: Readable,
		readonly tempPath: string,
		maxBytes: number,
		tooLarge: () => void,
		streamBytes: number,
	) {
		const out = createWriteStream(tempPath, { highWaterMark: 4 * streamBytes });
		this.out = out;
		this.written = new Promise((resolve, reject) => {
			out.on('finish', resolve);
			out.on('error', reject);
		});
		part.on('data', (chunk: Buffer) => {
			if (this.stopped) {
				return;
			}
			this.size += chunk.length;
			if (this.size > maxBytes) {
				tooLarge();
				return;
			}
			if (!out.write(chunk)) {
				part.pause();
				out.once('drain', () => part.resume());
			}
		});
		part.on('end', () => {
			if (!this.stopped) {
				out.end();
			}
		});
	}

	/** The store moved the temp file into place: nothing to remove any more. */
	keep(): void {
		this.kept = true;
	}

	/** Stops receiving and writing (synchronously), then closes the file and removes it unless it was kept. */
	async discard(): Promise<void> {
		this.stopped = true;
		this.part.destroy();
		if (!this.out.closed) {
			await new Promise<void>((resolve) => {
				this.out.once('close', resolve);
				this.out.destroy();
			});
		}
		if (!this.kept) {
			await fs.rm(this.tempPath, { force: true }).catch(() => undefined);
		}
	}
}
