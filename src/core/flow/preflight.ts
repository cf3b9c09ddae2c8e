// The pre-flight of every upload, in both shells (docs/architecture.md, "The single flow"): the file checked and read
// once, the suffix, the contents against it; and the rule that the file uploaded is the file that was checked.
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { OtaError } from '../errors';
import { compileVersionMarker } from '../image';
import { FILE_MESSAGES, openFirmwareFile, parseSuffix, type FileReason } from '../limits';
import { fileStampOf, sameFileStamp, type FileStamp } from '../safeFile';
import type { FirmwareSuffix, UploadResult } from '../types';
import type { ContentDigests } from './duplicates';
import { imageSummaryOf, readOpenedImage, refuseDamaged, refuseSuffixMismatch, type CheckedImage, type ImageSummary } from './image';

/** The firmware file as the pre-flight found it: opened once, checked and read through that one descriptor. */
export interface CheckedFirmware {
	filePath: string;
	size: number;
	/** The suffix of the file's name, when it is an allowed one. */
	inferredSuffix?: FirmwareSuffix;
	/** What the file says about itself, and the stamp of the file that was read. */
	identity: CheckedImage;
	/** Findings worth showing that refuse nothing: the file's (no allowed suffix) first, then the image's. */
	warnings: string[];
}

export interface CheckOptions {
	/** The MD5 and SHA-256 are needed before the upload (registering: the same-content lookup, the default name). */
	digests: boolean;
	signal?: AbortSignal;
	/** See FlowRequest.versionMarker. */
	versionMarker?: string;
	/** An earlier read of this path (the extension's Firmware Files view): taken when it is a read of this very file. */
	known?: CheckedImage;
}

/** A pre-flight that passed: what the upload step needs, and what it compares the uploaded bytes with. */
export interface PreparedUpload {
	filePath: string;
	suffix: FirmwareSuffix;
	size: number;
	warnings: string[];
	/** What the file says about itself (read once, before anything is sent). */
	image: ImageSummary;
	/** Measured before the upload when the file was read whole (always when registering). */
	digests?: Required<ContentDigests>;
	/** The file that was checked: an upload of another file (replaced or rewritten since) is refused. */
	stamp: FileStamp;
}

/**
 * The first step of every upload's pre-flight, in both shells: the file opened once without blocking and checked
 * (regular, 1 B–1,000 MB), what it says about itself read through that descriptor (or `known`, when that is a read of
 * this very file with what is needed), and a damaged image refused. OtaError(validation).
 */
export async function checkFirmware(filePath: string, options: CheckOptions): Promise<CheckedFirmware> {
	const marker = options.versionMarker === undefined ? undefined : compileVersionMarker(options.versionMarker);
	const file = await openFirmwareFile(filePath);
	let identity: CheckedImage;
	try {
		const { known } = options;
		const reusable =
			known !== undefined &&
			sameFileStamp(known.stamp, fileStampOf(file.stats)) &&
			known.versionMarker === options.versionMarker &&
			(!options.digests || known.md5 !== undefined);
		identity = reusable
			? known
			: await readOpenedImage(file, { digests: options.digests, signal: options.signal, versionMarker: marker });
	} finally {
		await file.handle.close().catch(() => undefined);
	}
	refuseDamaged(identity);
	return {
		filePath,
		size: file.info.size,
		inferredSuffix: file.info.inferredSuffix,
		identity: { ...identity, versionMarker: options.versionMarker },
		warnings: [...file.info.warnings, ...identity.warnings],
	};
}

/** The suffix the package is uploaded as: the one given, else its name's; one OtaError(validation) when there is neither. */
export function uploadSuffix(checked: CheckedFirmware, given?: string): FirmwareSuffix {
	if (given !== undefined) {
		return parseSuffix(given);
	}
	if (checked.inferredSuffix) {
		return checked.inferredSuffix;
	}
	throw new OtaError({
		code: 'InvalidFileSuffix',
		source: 'validation',
		message: FILE_MESSAGES.noAllowedSuffix(path.basename(checked.filePath)),
		reason: { code: 'file-no-allowed-suffix' satisfies FileReason, values: { name: path.basename(checked.filePath) } },
		hint: 'Rename the file to end in one of them, or choose the suffix (--suffix on the command line; in VS Code, iotOta.suffixMode "ask").',
	});
}

/** The last step of the pre-flight, once the suffix is chosen: contents that are not what it says are refused. */
export function prepareUpload(checked: CheckedFirmware, suffix: FirmwareSuffix): PreparedUpload {
	const { identity } = checked;
	refuseSuffixMismatch(identity, suffix);
	const { md5, sha256, size } = identity;
	const noSuffix = FILE_MESSAGES.noAllowedSuffix(path.basename(checked.filePath));
	return {
		filePath: checked.filePath,
		suffix,
		size: checked.size,
		// "…has no allowed OTA suffix" is moot once the suffix is chosen.
		warnings: checked.warnings.filter((warning) => !warning.startsWith(noSuffix)),
		image: imageSummaryOf(identity),
		digests: md5 && sha256 && size !== undefined ? { md5, sha256, size } : undefined,
		stamp: identity.stamp,
	};
}

function fileChanged(filePath: string, what: string): OtaError {
	return new OtaError({
		code: 'FileChanged',
		source: 'validation',
		message: `${path.basename(filePath)} changed ${what}`,
		hint: 'Upload it again once it is complete (a build may still be writing it).',
	});
}

/**
 * Just before the upload opens the file: when the pre-flight did not measure the digests, the path must still name the
 * file it read (same device, inode, size and times), else nothing is uploaded. With digests the bytes sent decide
 * (refuseChangedUpload), so a file that was only touched still uploads.
 */
export async function refuseReplacedFile(prepared: Pick<PreparedUpload, 'filePath' | 'stamp' | 'digests'>): Promise<void> {
	if (prepared.digests) {
		return;
	}
	// A path that is gone is the upload's to report (FileNotFound).
	const now = await stat(prepared.filePath).catch(() => undefined);
	if (now && !sameFileStamp(fileStampOf(now), prepared.stamp)) {
		throw fileChanged(prepared.filePath, 'after it was checked: it is not the file read before the upload. Nothing was uploaded.');
	}
}

/**
 * After the upload, before anything is registered or inserted: the bytes sent are the bytes the pre-flight checked
 * (their digests when it measured them, else their size). Otherwise the version guard, the damage check, the
 * same-content lookup and the default FirmwareName described another file.
 */
export function refuseChangedUpload(prepared: Pick<PreparedUpload, 'filePath' | 'size' | 'digests'>, upload: UploadResult): void {
	const { digests } = prepared;
	const differs = digests
		? upload.size !== digests.size ||
			(upload.md5 !== undefined && upload.md5 !== digests.md5) ||
			(upload.sha256 !== undefined && upload.sha256 !== digests.sha256)
		: upload.size !== prepared.size;
	if (differs) {
		throw fileChanged(
			prepared.filePath,
			'while it was uploaded: the bytes sent are not the ones checked before. Nothing was registered or inserted; the uploaded object is left unregistered and OSS deletes it.',
		);
	}
}
