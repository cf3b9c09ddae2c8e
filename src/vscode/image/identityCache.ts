import * as vscode from 'vscode';
import { isCancelled, toOtaError } from '../../core/errors';
import { readImageForFlow, type CheckedImage } from '../../core/flow/image';
import { LenientVersionMarker } from '../../core/image';

/** A file as the Firmware Files view lists it (VS Code's stat: modification and creation times, size). */
export interface ListedFile {
	path: string;
	mtime: number;
	ctime: number;
	size: number;
}

interface Reading {
	key: string;
	controller: AbortController;
	result?: CheckedImage;
	/** Set while queued; the worker calls it to start the read. */
	start?: () => Promise<void>;
}

/**
 * What each firmware file says about itself (core/flow/image.ts: contents no parser knows only from their first
 * bytes), read at most once per version of the file and per version marker (iotOta.image.versionMarker). The Firmware
 * Files view asks in the background, by modification and creation times and size (another file moved to the path is
 * read anew): one file at a time, so it never waits on a large image nor floods the disk; a file that changes or leaves
 * the view has its read aborted. The upload takes the last read of a path only through the core's pre-flight, which
 * compares the full stamp of the file it opens (device, inode, size, modification and change times) with the one read.
 */
export class ImageIdentities implements vscode.Disposable {
	private readonly readings = new Map<string, Reading>();
	private readonly queue: Reading[] = [];
	private busy = false;
	/** A bad marker does not blank the view; one too slow to search files is said once in the log. */
	private readonly markers = new LenientVersionMarker((error) =>
		this.log.warn(
			`[views] The Firmware Files view reads files without iotOta.image.versionMarker until it changes: ${error.describe()}`,
		),
	);
	private readonly didRead = new vscode.EventEmitter<string>();
	/** Fires with the path of each file read in the background. */
	readonly onDidRead = this.didRead.event;

	constructor(
		private readonly log: vscode.LogOutputChannel,
		private readonly versionMarker: () => string | undefined,
	) {}

	/**
	 * The identity of this version of the file if it was read; else undefined, and a background read is queued unless
	 * one is under way or failed (an unreadable file is not retried until it changes).
	 */
	peekOrQueue(file: ListedFile): CheckedImage | undefined {
		const key = `${file.mtime}:${file.ctime}:${file.size}:${this.versionMarker() ?? ''}`;
		const known = this.readings.get(file.path);
		if (known?.key === key) {
			return known.result;
		}
		const reading: Reading = { key, controller: new AbortController() };
		reading.start = () => this.backgroundRead(file.path, reading);
		this.replace(file.path, reading);
		this.queue.push(reading);
		this.pump();
		return undefined;
	}

	/** The last finished read of `path`, whichever version of the file it was (the pre-flight decides whether it still applies). */
	lastRead(path: string): CheckedImage | undefined {
		return this.readings.get(path)?.result;
	}

	/** Aborts the reads of files no longer listed and forgets them. */
	retain(paths: ReadonlySet<string>): void {
		for (const path of [...this.readings.keys()].filter((p) => !paths.has(p))) {
			this.replace(path, undefined);
		}
	}

	dispose(): void {
		this.retain(new Set());
		this.didRead.dispose();
	}

	private replace(path: string, reading: Reading | undefined): void {
		const previous = this.readings.get(path);
		if (previous && previous !== reading) {
			previous.controller.abort();
			const queued = this.queue.indexOf(previous);
			if (queued >= 0) {
				this.queue.splice(queued, 1);
			}
		}
		if (reading) {
			this.readings.set(path, reading);
		} else {
			this.readings.delete(path);
		}
	}

	private pump(): void {
		const next = this.busy ? undefined : this.queue.shift();
		if (!next?.start) {
			return;
		}
		this.busy = true;
		void next.start().finally(() => {
			this.busy = false;
			this.pump();
		});
	}

	private async backgroundRead(path: string, reading: Reading): Promise<void> {
		reading.start = undefined;
		try {
			reading.result = await this.markers.read(this.versionMarker(), async (marker) => ({
				...(await readImageForFlow(path, { digests: false, signal: reading.controller.signal, versionMarker: marker?.regex })),
				versionMarker: marker?.pattern,
			}));
			this.didRead.fire(path);
		} catch (error) {
			if (!isCancelled(error)) {
				this.log.debug(`[views] Could not read ${path} as a firmware image: ${toOtaError(error).message}`);
			}
		}
	}
}
