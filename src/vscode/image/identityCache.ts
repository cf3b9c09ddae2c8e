import * as vscode from 'vscode';
import { isCancelled, toOtaError } from '../../core/errors';
import { readImageForFlow, type ImageRead } from '../../core/flow/image';

/** One version of a local file: a read is valid for as long as its modification time and size stay the same. */
export interface FileStamp {
	path: string;
	mtime: number;
	size: number;
}

interface Reading {
	stamp: string;
	controller: AbortController;
	result?: ImageRead;
	/** Set while queued; the worker calls it to start the read. */
	start?: () => Promise<void>;
}

const stampOf = (file: FileStamp): string => `${file.mtime}:${file.size}`;

/**
 * What each firmware file says about itself (core/flow/image.ts: contents no parser knows only from their first
 * bytes), read at most once per version of the file. The Firmware Files view asks in the background: one file at a
 * time, so it never waits on a large image nor floods the disk; a file that changes or leaves the view has its read
 * aborted. The upload reads at once, reusing a finished read.
 */
export class ImageIdentities implements vscode.Disposable {
	private readonly readings = new Map<string, Reading>();
	private readonly queue: Reading[] = [];
	private busy = false;
	private readonly didRead = new vscode.EventEmitter<string>();
	/** Fires with the path of each file read in the background. */
	readonly onDidRead = this.didRead.event;

	constructor(private readonly log: vscode.LogOutputChannel) {}

	/**
	 * The identity of this version of the file if it was read; else undefined, and a background read is queued unless
	 * one is under way or failed (an unreadable file is not retried until it changes).
	 */
	peekOrQueue(file: FileStamp): ImageRead | undefined {
		const known = this.current(file);
		if (known) {
			return known.result;
		}
		const reading: Reading = { stamp: stampOf(file), controller: new AbortController() };
		reading.start = () => this.backgroundRead(file, reading);
		this.replace(file.path, reading);
		this.queue.push(reading);
		this.pump();
		return undefined;
	}

	/** The finished read of this version of the file, if there is one (queues nothing). */
	peek(file: FileStamp): ImageRead | undefined {
		return this.current(file)?.result;
	}

	/** Reads the file now (or takes the finished read of this version); cancelled through `signal`. */
	async readNow(file: FileStamp, signal?: AbortSignal): Promise<ImageRead> {
		const known = this.peek(file);
		if (known) {
			return known;
		}
		const result = await readImageForFlow(file.path, { digests: false, signal });
		this.replace(file.path, { stamp: stampOf(file), controller: new AbortController(), result });
		return result;
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

	private current(file: FileStamp): Reading | undefined {
		const reading = this.readings.get(file.path);
		return reading?.stamp === stampOf(file) ? reading : undefined;
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

	private async backgroundRead(file: FileStamp, reading: Reading): Promise<void> {
		reading.start = undefined;
		try {
			reading.result = await readImageForFlow(file.path, { digests: false, signal: reading.controller.signal });
			this.didRead.fire(file.path);
		} catch (error) {
			if (!isCancelled(error)) {
				this.log.debug(`[views] Could not read ${file.path} as a firmware image: ${toOtaError(error).message}`);
			}
		}
	}
}
