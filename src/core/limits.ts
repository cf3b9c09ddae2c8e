import { promises as fs, type Stats } from 'node:fs';
import { OtaError, type MessageReason } from './errors';
import { formatBytes, formatCount } from './format';
import { openChecked } from './safeFile';
import { FIRMWARE_SUFFIXES, MAX_FIRMWARE_BYTES, type FirmwareSuffix } from './types';

export {
	validateCreateFirmware,
	FIELD_RULES,
	invalidFieldMessage,
	isProductKey,
	type CreateFirmwareField,
} from './upload/createFirmwareRules';

/** "bin, dav, apk, tar, gz, tar.gz, zip, gzip" — used in every suffix message. */
export const ALLOWED_SUFFIXES_TEXT = FIRMWARE_SUFFIXES.join(', ');

/** "1,000 MB (1,048,576,000 bytes)": the wording every size message uses. */
export const MAX_FIRMWARE_TEXT = `${formatBytes(MAX_FIRMWARE_BYTES)} (${formatCount(MAX_FIRMWARE_BYTES)} bytes)`;

export function isFirmwareSuffix(value: string): value is FirmwareSuffix {
	return (FIRMWARE_SUFFIXES as readonly string[]).includes(value);
}

/** 'fw.tar.gz' → 'tar.gz', 'FW.BIN' → 'bin', 'fw.tgz' / 'firmware' / '.bin' → undefined. Accepts paths with / or \. */
export function inferSuffix(fileName: string): FirmwareSuffix | undefined {
	const base = (fileName.split(/[\\/]/).pop() ?? '').toLowerCase();
	if (base.endsWith('.tar.gz') && base.length > '.tar.gz'.length) {
		return 'tar.gz';
	}
	const dot = base.lastIndexOf('.');
	if (dot <= 0) {
		return undefined;
	}
	const extension = base.slice(dot + 1);
	return isFirmwareSuffix(extension) ? extension : undefined;
}

/** Normalises a user-given suffix ('.BIN' → 'bin'); throws OtaError(validation, 'InvalidFileSuffix') outside the allow-list. */
export function parseSuffix(value: string): FirmwareSuffix {
	const normalised = value.trim().replace(/^\./, '').toLowerCase();
	if (isFirmwareSuffix(normalised)) {
		return normalised;
	}
	throw new OtaError({
		code: 'InvalidFileSuffix',
		source: 'validation',
		message: unsupportedSuffixMessage(value),
		reason: { code: 'suffix-unsupported', values: { suffix: value } },
	});
}

export function unsupportedSuffixMessage(value: string): string {
	return `Unsupported firmware file suffix "${value}". Allowed suffixes: ${ALLOWED_SUFFIXES_TEXT}.`;
}

export interface FirmwareFileInfo {
	path: string;
	size: number;
	inferredSuffix?: FirmwareSuffix;
	/** Non-fatal findings (suffix/contents mismatch, no allowed suffix) worth showing to the user. */
	warnings: string[];
}

/** Exact texts of the pre-flight failures and warnings (tests and callers compare against these). */
export const FILE_MESSAGES = {
	notFound: (p: string) => `Firmware file not found: ${p}`,
	brokenLink: (p: string) => `Firmware path is a symbolic link to a file that does not exist: ${p}`,
	symlinkLoop: (p: string) => `Firmware path is a symbolic link loop: ${p}`,
	directory: (p: string) => `Firmware path is a directory, not a file: ${p}`,
	notRegular: (p: string) => `Firmware path is not a regular file (FIFO, socket or device): ${p}`,
	unreadable: (p: string) => `Firmware file is not readable (permission denied): ${p}`,
	inaccessible: (p: string, code: string) => `Cannot read firmware file (${code}): ${p}`,
	empty: (p: string) => `Firmware file is empty (0 bytes): ${p}`,
	tooLarge: (p: string, size: number) =>
		`Firmware file is too large: ${formatCount(size)} bytes; the OTA limit is ${MAX_FIRMWARE_TEXT}: ${p}`,
	noAllowedSuffix: (name: string, looksLike?: string) =>
		`"${name}" has no allowed OTA suffix (${ALLOWED_SUFFIXES_TEXT}).` + (looksLike ? ` Its contents look like ${looksLike}.` : ''),
	contentsMismatch: (name: string, suffix: FirmwareSuffix, expected: string) =>
		`"${name}" is named .${suffix} but its contents do not look like ${expected}; check that this is the right file.`,
	archiveAsImage: (name: string, suffix: FirmwareSuffix, found: string) =>
		`"${name}" is named .${suffix} but its contents are ${found}, not a raw image; check that this is the right file.`,
} as const;

const HEAD_BYTES = 512;

export type Container = 'zip' | 'gzip' | 'tar';

/** The signature detectContainer looks for, as users are shown it (the extension words it in their language). */
export const CONTAINER_MAGIC = { zip: 'PK\\x03\\x04', gzip: '1f 8b', tar: '"ustar"', tarOffset: 257 } as const;

export const CONTAINER_TEXT: Record<Container, string> = {
	zip: `a ZIP archive (${CONTAINER_MAGIC.zip})`,
	gzip: `gzip data (${CONTAINER_MAGIC.gzip})`,
	tar: `a tar archive (${CONTAINER_MAGIC.tar} at offset ${CONTAINER_MAGIC.tarOffset})`,
};

export const EXPECTED_CONTAINER: Partial<Record<FirmwareSuffix, Container>> = {
	zip: 'zip',
	apk: 'zip',
	gz: 'gzip',
	gzip: 'gzip',
	'tar.gz': 'gzip',
	tar: 'tar',
};

export function detectContainer(head: Buffer): Container | undefined {
	if (
		head.length >= 4 &&
		head[0] === 0x50 &&
		head[1] === 0x4b &&
		((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))
	) {
		return 'zip';
	}
	if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
		return 'gzip';
	}
	const ustar = CONTAINER_MAGIC.tarOffset;
	if (head.length >= ustar + 5 && head.toString('latin1', ustar, ustar + 5) === 'ustar') {
		return 'tar';
	}
	return undefined;
}

/**
 * Warnings the first bytes of the file justify (never fatal: the platform accepts any bytes): a name without an allowed
 * suffix, and what the contents look like. Contents that contradict the suffix are the image check's to refuse
 * (core/image/sniff.ts checkContentsAs, once the suffix is chosen).
 */
export function contentWarnings(fileName: string, suffix: FirmwareSuffix | undefined, head: Buffer): string[] {
	const name = fileName.split(/[\\/]/).pop() ?? fileName;
	const found = detectContainer(head);
	return suffix ? [] : [FILE_MESSAGES.noAllowedSuffix(name, found && CONTAINER_TEXT[found])];
}

/**
 * The reasons of the file errors (MessageReason codes; `path` and the values each message names): the extension words
 * them in the window's language. The size limit is MAX_FIRMWARE_BYTES, never a value.
 */
export const FILE_REASONS = [
	'file-not-found',
	'file-broken-link',
	'file-symlink-loop',
	'file-directory',
	'file-not-regular',
	'file-unreadable',
	'file-inaccessible',
	'file-empty',
	'file-too-large',
	'file-no-allowed-suffix',
	'suffix-unsupported',
] as const;

export type FileReason = (typeof FILE_REASONS)[number];

/** The reason of "Cannot read firmware file (CODE): PATH" (FILE_MESSAGES.inaccessible), for every site that says it. */
export function inaccessibleReason(path: string, code: string): MessageReason {
	return { code: 'file-inaccessible' satisfies FileReason, values: { path, code } };
}

function fileError(code: string, message: string, hint: string | undefined, reason: MessageReason): OtaError {
	return new OtaError({ code, message, source: 'validation', hint, reason });
}

/** What to do about each file check that names only the path. */
const PATH_HINTS = {
	'file-not-found': 'Build the firmware first, or pick an existing file.',
	'file-broken-link': 'Rebuild the firmware or fix the link.',
	'file-symlink-loop': 'Point the link at the real firmware file.',
	'file-unreadable': 'Fix the file permissions and try again.',
	'file-directory': 'Pick the built firmware file inside it.',
	'file-not-regular': 'Pick the built firmware file.',
	'file-empty': 'Rebuild the firmware; the build may have failed.',
} satisfies Partial<Record<FileReason, string>>;

/** The error of a file check that names only the path. */
function pathError(code: string, reason: keyof typeof PATH_HINTS, message: (p: string) => string, path: string): OtaError {
	return fileError(code, message(path), PATH_HINTS[reason], { code: reason, values: { path } });
}

/** Why `filePath` could not be opened, in the words of FILE_MESSAGES. */
export async function openFailure(filePath: string, error: unknown): Promise<OtaError> {
	const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
	if (code === 'ENOENT' || code === 'ENOTDIR') {
		const link = await fs.lstat(filePath).catch(() => undefined);
		if (link?.isSymbolicLink()) {
			return pathError('FileNotFound', 'file-broken-link', FILE_MESSAGES.brokenLink, filePath);
		}
		return notFoundError(filePath);
	}
	if (code === 'ELOOP') {
		return pathError('FileIsSymlinkLoop', 'file-symlink-loop', FILE_MESSAGES.symlinkLoop, filePath);
	}
	if (code === 'EACCES' || code === 'EPERM') {
		return pathError('FileNotReadable', 'file-unreadable', FILE_MESSAGES.unreadable, filePath);
	}
	if (code === 'EISDIR') {
		return directoryError(filePath);
	}
	if (code === 'ENXIO') {
		// open() of a Unix socket (or of a FIFO for writing without a reader)
		return notRegularError(filePath);
	}
	return fileNotReadable(filePath, error);
}

/** The file checks a shell makes on a resource it reads itself (a remote URI), named by `filePath`: the core's errors. */
export function notFoundError(filePath: string): OtaError {
	return pathError('FileNotFound', 'file-not-found', FILE_MESSAGES.notFound, filePath);
}

export function tooLargeError(filePath: string, size: number): OtaError {
	const reason = { code: 'file-too-large' satisfies FileReason, values: { path: filePath, size } };
	return fileError(
		'FileTooLarge',
		FILE_MESSAGES.tooLarge(filePath, size),
		'Split the package or use a delta (differential) package.',
		reason,
	);
}

export function directoryError(filePath: string): OtaError {
	return pathError('FileIsDirectory', 'file-directory', FILE_MESSAGES.directory, filePath);
}

function notRegularError(filePath: string): OtaError {
	return pathError('NotARegularFile', 'file-not-regular', FILE_MESSAGES.notRegular, filePath);
}

/** A firmware path opened once (never blocking) and checked through the descriptor it got; the caller closes `handle`. */
export interface OpenedFile {
	path: string;
	handle: fs.FileHandle;
	stats: Stats;
}

/**
 * Opens `filePath` for reading without blocking (a FIFO or device swapped in cannot hang the open) and checks the
 * opened descriptor: an existing, readable regular file (not a directory, FIFO, socket or device). OtaError(validation).
 */
export async function openRegularFile(filePath: string): Promise<OpenedFile> {
	let opened: { handle: fs.FileHandle; stats: Stats };
	try {
		opened = await openChecked(filePath);
	} catch (error) {
		throw await openFailure(filePath, error);
	}
	const { handle, stats } = opened;
	if (stats.isDirectory() || !stats.isFile()) {
		await handle.close().catch(() => undefined);
		throw stats.isDirectory() ? directoryError(filePath) : notRegularError(filePath);
	}
	return { path: filePath, handle, stats };
}

/** A read of an opened firmware file failed (its message names the file and the system's code). */
export function fileNotReadable(filePath: string, error: unknown): OtaError {
	const code = (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
	return fileError('FileNotReadable', FILE_MESSAGES.inaccessible(filePath, code), undefined, inaccessibleReason(filePath, code));
}

async function readHead(file: OpenedFile): Promise<Buffer> {
	try {
		const head = Buffer.alloc(Math.min(HEAD_BYTES, file.stats.size));
		const { bytesRead } = await file.handle.read(head, 0, head.length, 0);
		return head.subarray(0, bytesRead);
	} catch (error) {
		throw fileNotReadable(file.path, error);
	}
}

/**
 * The pre-flight checks on a firmware file opened once: regular, non-empty, within the 1,000 MB OTA limit, and the
 * warnings its first 512 bytes justify. The caller uploads from `handle` and closes it.
 */
export async function openFirmwareFile(filePath: string): Promise<OpenedFile & { info: FirmwareFileInfo }> {
	const file = await openRegularFile(filePath);
	try {
		const { size } = file.stats;
		if (size === 0) {
			throw pathError('FileEmpty', 'file-empty', FILE_MESSAGES.empty, filePath);
		}
		if (size > MAX_FIRMWARE_BYTES) {
			throw tooLargeError(filePath, size);
		}
		const head = await readHead(file);
		const inferredSuffix = inferSuffix(filePath);
		return { ...file, info: { path: filePath, size, inferredSuffix, warnings: contentWarnings(filePath, inferredSuffix, head) } };
	} catch (error) {
		await file.handle.close().catch(() => undefined);
		throw error;
	}
}
