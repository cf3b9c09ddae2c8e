// Reads a firmware file once, streamed: MD5 and SHA-256 of the whole file while the parser its first bytes call for
// reads what the contents say about themselves (docs/protocols.md §9).
import { createHash } from 'node:crypto';
import { cancelledError, OtaError, throwIfAborted } from '../errors';
import { FILE_MESSAGES, inaccessibleReason, openRegularFile, type OpenedFile } from '../limits';
import { isOtaVersion } from '../upload/createFirmwareRules';
import type { NestedContext } from './archive';
import { InspectionBudget } from './budget';
import { ByteReader, tap } from './byteReader';
import { plainContent } from './checks';
import { parseEspImage } from './espIdf';
import { findMarkedVersion } from './marker';
import { parseMcubootImage } from './mcuboot';
import { checkSuffix, detectFormat, SNIFF_BYTES } from './sniff';
import { inspectGzip, inspectTar } from './tarGzip';
import type { ContentInfo, FirmwareIdentity, InspectOptions } from './types';
import { inspectZipFile } from './zip';

const CHUNK_BYTES = 256 * 1024;

const NESTED_ZIP = 'A ZIP archive inside another archive or gzip stream is identified, not expanded (ZIP needs random access).';

/** Identifies contents from their first bytes and reads them to the end (callers rely on the reader being drained). */
async function inspectContent(reader: ByteReader, ctx: NestedContext): Promise<ContentInfo> {
	const head = await reader.peek(SNIFF_BYTES);
	const content = await inspectAs(detectFormat(head), reader, ctx);
	await reader.drain();
	return content;
}

async function inspectAs(format: ContentInfo['format'], reader: ByteReader, ctx: NestedContext): Promise<ContentInfo> {
	switch (format) {
		case 'esp-idf':
			return parseEspImage(reader);
		case 'mcuboot':
			return parseMcubootImage(reader);
		case 'gzip':
			return inspectGzip(reader, ctx);
		case 'tar':
			return inspectTar(reader, ctx);
		case 'zip':
			return plainContent('zip', [NESTED_ZIP]);
		case 'unknown': {
			const marker = ctx.wholeFile ? ctx.options.versionMarker : undefined;
			const version = marker ? await findMarkedVersion(reader, marker, ctx.file) : undefined;
			return version ? { ...plainContent('unknown'), version, versionSource: 'marker' } : plainContent('unknown');
		}
	}
}

/**
 * What the file says about itself: format, chip, project, embedded version, build date, toolchain, integrity,
 * signature, MD5/SHA-256, size and whether the contents fit the suffix. Memory stays bounded for any file size.
 * Throws OtaError(validation) for a path that is not a readable regular file, OtaError(cancelled) on `signal`.
 */
export async function inspectFirmware(filePath: string, options: InspectOptions = {}): Promise<FirmwareIdentity> {
	throwIfAborted(options.signal, 'firmware inspection');
	// Opened once without blocking and checked through its descriptor; everything below reads that descriptor.
	const file = await openRegularFile(filePath);
	try {
		return await inspectOpenedFirmware(file, options);
	} finally {
		await file.handle.close().catch(() => undefined);
	}
}

/** inspectFirmware of a file the caller opened and checked (openRegularFile), read from that descriptor; the caller closes it. */
export async function inspectOpenedFirmware(file: OpenedFile, options: InspectOptions = {}): Promise<FirmwareIdentity> {
	throwIfAborted(options.signal, 'firmware inspection');
	const { path: filePath, handle, stats } = file;
	const md5 = createHash('md5');
	const sha256 = createHash('sha256');
	const stream = handle.createReadStream({ start: 0, highWaterMark: CHUNK_BYTES, autoClose: false, signal: options.signal });
	const reader = new ByteReader(
		tap(stream, (chunk) => {
			md5.update(chunk);
			sha256.update(chunk);
		}),
	);
	const ctx: NestedContext = {
		file: filePath,
		depth: 0,
		wholeFile: true,
		options,
		inspect: inspectContent,
		budget: new InspectionBudget(stats.size),
	};
	let content: ContentInfo;
	try {
		if (detectFormat(await reader.peek(SNIFF_BYTES)) === 'zip') {
			[content] = await Promise.all([inspectZipFile(handle, stats.size, ctx), reader.drain()]);
		} else {
			content = await inspectContent(reader, ctx);
		}
	} catch (error) {
		throw readFailure(error, filePath, options.signal);
	} finally {
		stream.destroy();
	}
	const suffix = checkSuffix(filePath, content);
	return {
		file: filePath,
		size: reader.position,
		...content,
		md5: md5.digest('hex'),
		sha256: sha256.digest('hex'),
		suffix,
		consistent: content.integrity.verdict !== 'damaged' && suffix.status !== 'mismatch',
	};
}

function readFailure(error: unknown, filePath: string, signal: AbortSignal | undefined): OtaError {
	if (error instanceof OtaError) {
		return error;
	}
	if (signal?.aborted || (error as Error | undefined)?.name === 'AbortError') {
		return cancelledError('firmware inspection');
	}
	const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'UNKNOWN';
	return new OtaError({
		code: 'FileNotReadable',
		source: 'validation',
		message: FILE_MESSAGES.inaccessible(filePath, code),
		reason: inaccessibleReason(filePath, code),
		cause: error,
	});
}

/**
 * The spelling of a declared version that DestVersion can carry, so the one a device reports after installing the image:
 * the first of its spellings OTA versions allow (MCUboot's "1.2.3+4" is reported as "1.2.3.4"); else the version as declared.
 */
export function reportedVersion(content: Pick<ContentInfo, 'version' | 'versionAliases'>): string | undefined {
	const spellings = content.version === undefined ? [] : [content.version, ...(content.versionAliases ?? [])];
	return spellings.find(isOtaVersion) ?? content.version;
}

/**
 * The version the file declares, by the same rules as `inspectFirmware` (ESP-IDF app description, MCUboot header,
 * archive manifest or VERSION file, the marker when given), spelled as a device reports it (`reportedVersion`);
 * undefined when it declares none.
 */
export async function readEmbeddedVersion(filePath: string, options: InspectOptions = {}): Promise<string | undefined> {
	return reportedVersion(await inspectFirmware(filePath, options));
}
