// What the flow does with a firmware file's identity before anything ships (docs/protocols.md §9, §13.4): a damaged
// image or contents that contradict the upload suffix are refused, the DestVersion defaults to the version the image
// declares and must agree with it unless the user overrides the guard. Both shells call these; only their wording of
// the override (a flag, a button) differs.
import path from 'node:path';
import { OtaError, throwIfAborted } from '../errors';
import {
	checkContentsAs,
	damagedChecks,
	damageSummary,
	declaredVersionOf,
	detectFormat,
	FORMAT_TEXT,
	inspectOpenedFirmware,
	reportedVersion,
	SNIFF_BYTES,
	versionGuard,
	type ContentFormat,
	type DeclaredImageVersion,
	type FirmwareIdentity,
} from '../image';
import { FILE_MESSAGES, inaccessibleReason, openRegularFile, type OpenedFile } from '../limits';
import { fileStampOf, type FileStamp } from '../safeFile';
import type { FirmwareSuffix } from '../types';
import { isOtaVersion } from '../upload/createFirmwareRules';

/**
 * The reasons (MessageReason codes) of the version and contents checks here and of a multi-file package's versions
 * (multiFilePrepare.ts), for a shell to word them in its own language; the English stays the CLI's.
 */
export const IMAGE_CHECK_REASONS = [
	'damaged-image',
	'contents-do-not-match-suffix',
	'dest-version-required',
	'dest-version-none',
	'versions-differ',
	'version-mismatch',
] as const;

/** What an upload keeps of the image's identity (the history persists it; Create OTA Firmware reads it later). */
export interface ImageSummary {
	format: ContentFormat;
	/** Undefined when the image declares no version. */
	declared?: DeclaredImageVersion;
}

/** What the flow reads of a file: its identity; the digests only when they were needed before the upload. */
export type ImageRead = Omit<FirmwareIdentity, 'md5' | 'sha256' | 'size' | 'suffix' | 'consistent'> &
	Partial<Pick<FirmwareIdentity, 'md5' | 'sha256' | 'size'>>;

/** An ImageRead and the file it describes (the stamp of the descriptor that was read), so an upload can tell it is the same file. */
export type CheckedImage = ImageRead & {
	stamp: FileStamp;
	/** The version marker pattern the contents were searched with, if any. */
	versionMarker?: string;
};

export interface ImageReadOptions {
	/** The MD5 and SHA-256 are needed now (the same-content lookup, the default FirmwareName), so the file is read whole. */
	digests: boolean;
	signal?: AbortSignal;
	/** Searched in contents no parser knows (compileVersionMarker); those are then read whole too. */
	versionMarker?: RegExp;
}

/**
 * Reads what the file says about itself for the flow, opened once without blocking and checked through its descriptor.
 * Contents no parser knows have nothing to verify and no version (unless a version marker is given), so without
 * `digests` their first bytes say all there is and the file is not read twice (the upload measures its digests on the
 * way); anything else is read whole (inspectFirmware).
 */
export async function readImageForFlow(filePath: string, options: ImageReadOptions): Promise<CheckedImage> {
	const file = await openRegularFile(filePath);
	try {
		return await readOpenedImage(file, options);
	} finally {
		await file.handle.close().catch(() => undefined);
	}
}

/** readImageForFlow of a file the caller opened and checked (openRegularFile); the caller closes it. */
export async function readOpenedImage(file: OpenedFile, options: ImageReadOptions): Promise<CheckedImage> {
	const stamp = fileStampOf(file.stats);
	if (!options.digests && !options.versionMarker) {
		const head = Buffer.alloc(SNIFF_BYTES);
		const { bytesRead } = await file.handle.read(head, 0, SNIFF_BYTES, 0).catch((error: NodeJS.ErrnoException) => {
			throw new OtaError({
				code: 'FileNotReadable',
				source: 'validation',
				message: FILE_MESSAGES.inaccessible(file.path, error.code ?? 'UNKNOWN'),
				reason: inaccessibleReason(file.path, error.code ?? 'UNKNOWN'),
			});
		});
		// A cancel while the head was read ends the read here too (contents no parser knows are not read further).
		throwIfAborted(options.signal, 'firmware inspection');
		if (detectFormat(head.subarray(0, bytesRead)) === 'unknown') {
			const nothing = { verdict: 'not-applicable' as const, checks: [] };
			return {
				file: file.path,
				format: 'unknown',
				integrity: nothing,
				signature: { present: false, kinds: [] },
				warnings: [],
				stamp,
			};
		}
	}
	const identity = await inspectOpenedFirmware(file, { signal: options.signal, versionMarker: options.versionMarker });
	return { ...identity, stamp };
}

export function imageSummaryOf(identity: ImageRead): ImageSummary {
	const declared = declaredVersionOf(identity);
	return declared ? { format: identity.format, declared } : { format: identity.format };
}

/**
 * Refuses what must not ship: an image whose checksum or digest does not verify (or that ends early), and contents
 * that are not what the upload suffix says (a .zip that is not a ZIP, an archive uploaded as .bin). The suffix is the
 * package type the platform records and devices act on, so a mismatch is the wrong file or the wrong suffix; the same
 * findings make `iot-ota inspect` exit 2. Throws OtaError(validation).
 */
export function refuseUnshippable(identity: ImageRead, uploadSuffix: FirmwareSuffix): void {
	refuseDamaged(identity);
	refuseSuffixMismatch(identity, uploadSuffix);
}

/** The damage half of refuseUnshippable, which needs no suffix (the extension checks it before asking for one). */
export function refuseDamaged(identity: ImageRead): void {
	const damage = damageSummary(identity);
	const checks = damagedChecks(identity);
	if (damage && checks) {
		throw new OtaError({
			code: 'DamagedImage',
			source: 'validation',
			message: damage,
			reason: { code: 'damaged-image', values: {}, checks },
		});
	}
}

export function refuseSuffixMismatch(identity: ImageRead, uploadSuffix: FirmwareSuffix): void {
	const contents = checkContentsAs(path.basename(identity.file), uploadSuffix, identity);
	if (contents.status === 'mismatch') {
		throw new OtaError({
			code: 'ContentsDoNotMatchSuffix',
			source: 'validation',
			message: contents.message,
			hint: suffixHint(identity.format),
			reason: {
				code: 'contents-do-not-match-suffix',
				values: {
					name: path.basename(identity.file),
					suffix: uploadSuffix,
					problem: contents.problem.code,
					container: contents.problem.code === 'archive-as-image' ? contents.problem.found : contents.problem.expected,
					inGzip: contents.problem.code === 'contents-mismatch' && contents.problem.inGzip ? 1 : 0,
					format: identity.format,
				},
			},
		});
	}
}

/** The suffix to upload a container as, by its format (the hint to contents that do not match the suffix). */
export const CONTAINER_SUFFIX: Partial<Record<ContentFormat, FirmwareSuffix>> = { zip: 'zip', gzip: 'gz', tar: 'tar' };

function suffixHint(format: ContentFormat): string {
	const suffix = CONTAINER_SUFFIX[format];
	return suffix
		? `Its contents are a ${FORMAT_TEXT[format]}: upload it as .${suffix} (--suffix ${suffix} on the command line), or pick the right file.`
		: 'If it is a raw image, upload it as .bin (--suffix bin on the command line); otherwise pick the right file.';
}

/**
 * The DestVersion given (checked later like any field), else the version the image declares, in the first of its spellings DestVersion's
 * charset allows (MCUboot's "1.2.3+4" is also "1.2.3.4"); throws OtaError(validation) when there is none.
 */
export function destVersionFor(image: ImageSummary, fileName: string, given: string | undefined): string {
	if (given !== undefined) {
		return given;
	}
	const declared = image.declared;
	const spelled = declared ? reportedVersion({ version: declared.version, versionAliases: declared.aliases }) : undefined;
	if (spelled !== undefined && isOtaVersion(spelled)) {
		return spelled;
	}
	const what = declared
		? `declares version ${declared.version}, which DestVersion's characters (letters, digits, ".", "_", "-") cannot spell`
		: 'declares no version to take it from';
	throw new OtaError({
		code: 'DestVersionRequired',
		source: 'validation',
		message: `DestVersion is required: "${fileName}" (${FORMAT_TEXT[image.format]}) ${what}.`,
		hint: DEST_VERSION_HINT,
		reason: { code: 'dest-version-required', values: { file: fileName, format: image.format, declared: declared?.version ?? '' } },
	});
}

/** What to do when no DestVersion can be taken from the image(s). */
export const DEST_VERSION_HINT = 'Give the version devices report after the update (--dest-version on the command line), e.g. 1.2.0.';

/**
 * The version guard: a DestVersion other than the version the image declares is refused (OtaError validation, one
 * message naming both) unless `allowMismatch`; then the message comes back as a warning. Undefined when they agree or
 * the image declares none.
 */
export function checkDestVersion(image: ImageSummary, destVersion: string, allowMismatch = false): string | undefined {
	const guard = versionGuard(image.declared, destVersion);
	if (guard.verdict !== 'mismatch') {
		return undefined;
	}
	const { message } = guard;
	const declared = image.declared;
	if (allowMismatch) {
		return message;
	}
	throw new OtaError({
		code: 'VersionMismatch',
		source: 'validation',
		message,
		hint: `Register it as ${guard.embedded}, or rebuild the image; if the image is right as it is, allow the mismatch (--allow-version-mismatch on the command line).`,
		reason: {
			code: 'version-mismatch',
			values: {
				declared: guard.embedded,
				requested: guard.requested,
				source: declared?.source ?? '',
				entry: declared?.sourceParts?.entry ?? '',
				sourceKind: declared?.sourceParts?.source ?? '',
			},
		},
	});
}
