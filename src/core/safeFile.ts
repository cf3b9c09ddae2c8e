// Opening the files the program reads (firmware, config files, device lists, the aliyun config) so that a path
// swapped for a FIFO, a device or a link after it was checked can neither hang the process nor slip past the checks:
// open once without blocking, check the descriptor that open returned (fstat), and read from that descriptor
// (docs/protocols.md §14.4).
import { constants, promises as fs, type Stats } from 'node:fs';

/**
 * Read-only, and never blocking in open(): a FIFO without a writer would block it for ever, in a thread no signal
 * handler can reach. O_NOCTTY keeps a terminal device from becoming the controlling one. (Windows has neither flag and
 * no FIFOs that block an open.) Reads of a regular file are not affected by O_NONBLOCK.
 */
export const OPEN_FOR_READING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** Opens for appending without blocking (a FIFO without a reader fails at once with ENXIO instead of waiting). */
export const OPEN_FOR_APPENDING =
	constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** An Error with a Node-style errno `code`, so callers word it like the fs errors they already handle. */
export function fileError(code: 'ENOTREGULAR' | 'EFBIG', message: string): NodeJS.ErrnoException {
	return Object.assign(new Error(message), { code });
}

/** `filePath` opened with `flags` (default: for reading), and the descriptor's own stats: what is checked is what is read. */
export async function openChecked(filePath: string, flags: number = OPEN_FOR_READING): Promise<{ handle: fs.FileHandle; stats: Stats }> {
	const handle = await fs.open(filePath, flags);
	try {
		return { handle, stats: await handle.stat() };
	} catch (error) {
		await handle.close().catch(() => undefined);
		throw error;
	}
}

/** Reads the whole of an open regular file of at most `maxBytes` (it may not grow past that while it is read). */
export async function readHandle(handle: fs.FileHandle, stats: Stats, filePath: string, maxBytes: number): Promise<Buffer> {
	if (!stats.isFile()) {
		throw fileError('ENOTREGULAR', `${filePath} is not a regular file`);
	}
	if (stats.size > maxBytes) {
		throw fileError('EFBIG', `${filePath} is larger than ${maxBytes} bytes`);
	}
	let buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stats.size + 1, 4096)));
	let length = 0;
	for (;;) {
		if (length === buffer.length) {
			if (length > maxBytes) {
				throw fileError('EFBIG', `${filePath} is larger than ${maxBytes} bytes`);
			}
			buffer = Buffer.concat([buffer, Buffer.alloc(Math.min(maxBytes + 1, length * 2) - length)]);
		}
		const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
		if (bytesRead === 0) {
			return buffer.subarray(0, length);
		}
		length += bytesRead;
	}
}

/** The contents of the regular file at `filePath`, at most `maxBytes`, read from the descriptor that was checked. */
export async function readRegularFile(filePath: string, maxBytes: number): Promise<Buffer> {
	const { handle, stats } = await openChecked(filePath);
	try {
		return await readHandle(handle, stats, filePath, maxBytes);
	} finally {
		await handle.close().catch(() => undefined);
	}
}

/**
 * Which file a path named when it was read: its device, inode, size and times. The change time (ctime) moves with any
 * write or rename and cannot be set back by a program, so a file rewritten in place with its old size and modification
 * time still gets a new stamp.
 */
export interface FileStamp {
	dev: number;
	ino: number;
	size: number;
	mtimeMs: number;
	ctimeMs: number;
}

export function fileStampOf(stats: Pick<Stats, 'dev' | 'ino' | 'size' | 'mtimeMs' | 'ctimeMs'>): FileStamp {
	return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

export function sameFileStamp(a: FileStamp, b: FileStamp): boolean {
	return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}
