import { isCancelled, redact, toOtaError } from '../errors';
import { DEFAULT_MODULE } from '../otaFacts';
import type { CreateFirmwareRequest, FirmwareSuffix, SignMethod, UploadResult } from '../types';
import type { ContentDigests, ExistingPackage } from './duplicates';
import type { ImageSummary } from './image';
import type { Registration } from './register';

/** `deleted`: it was registered, and its package was deleted since (DeleteOTAFirmware succeeded). */
export type UploadStatus = 'uploading' | 'uploaded' | 'registered' | 'deleted' | 'failed' | 'interrupted' | 'cancelled';

/**
 * What happened to one upload: the one record of it, which the extension persists (its history row adds where the
 * file and account were) and the CLI prints. Built only through the transitions below, so both shells record the
 * same facts for the same outcome. Never holds a secret; `error` is redacted.
 */
export interface UploadRecord {
	fileName: string;
	size: number;
	suffix: FirmwareSuffix;
	startedAt: number;
	finishedAt?: number;
	status: UploadStatus;
	firmwareUrl?: string;
	key?: string;
	md5?: string;
	sha256?: string;
	/** RequestId of the last answer that matters (the upload's, or the failure's). */
	requestId?: string;
	/** Set once a registration exists (created or adopted). */
	firmwareId?: string;
	firmwareName?: string;
	destVersion?: string;
	productKey?: string;
	/** The OTA module registered in; absent: "default" (and every record written before modules were asked). */
	moduleName?: string;
	/** 1: a delta package from `srcVersion`; absent: a full package. */
	type?: 1;
	srcVersion?: string;
	signMethod?: SignMethod;
	/** Redacted message of the failure. */
	error?: string;
	/** What the image declares about itself (format, version), read before the upload. */
	image?: ImageSummary;
	/** An existing package of the same content was taken: `firmwareUrl` and `firmwareId` are that package's. */
	reused?: boolean;
	/** When its package (`firmwareId`) was deleted (status `deleted`), epoch ms. */
	deletedAt?: number;
}

export function recordStarted(file: { fileName: string; size: number; suffix: FirmwareSuffix }, now = Date.now()): UploadRecord {
	return { fileName: file.fileName, size: file.size, suffix: file.suffix, startedAt: now, status: 'uploading' };
}

export function recordUploaded<R extends UploadRecord>(record: R, upload: UploadResult, now = Date.now()): R {
	return {
		...record,
		status: 'uploaded',
		finishedAt: now,
		size: upload.size,
		firmwareUrl: upload.firmwareUrl,
		key: upload.key,
		md5: upload.md5,
		sha256: upload.sha256,
		requestId: upload.requestId,
		error: undefined,
	};
}

/** A FirmwareUrl uploaded by an earlier run stands for the file, whose digests were measured now (`firmware create`). */
export function recordUploadedEarlier<R extends UploadRecord>(
	record: R,
	uploaded: { firmwareUrl: string; md5: string; sha256: string },
): R {
	return {
		...record,
		status: 'uploaded',
		firmwareUrl: uploaded.firmwareUrl,
		md5: uploaded.md5,
		sha256: uploaded.sha256,
		error: undefined,
	};
}

export function recordRegistered<R extends UploadRecord>(registering: R, registration: Registration, request: CreateFirmwareRequest): R {
	// A file registered again after its package was deleted is no longer deleted (undefined, not omitted: the
	// extension's history merges a record into its row, so an omitted field would keep the old value).
	const record: R = { ...registering, deletedAt: undefined };
	if (registration.reused) {
		// The package taken matched the request's module, type and SrcVersion (duplicates.ts).
		return { ...recordReused(record, registration.reused), ...packageKind(request) };
	}
	return {
		...record,
		status: 'registered',
		firmwareId: registration.firmwareId,
		firmwareName: registration.firmwareName,
		destVersion: request.destVersion,
		productKey: request.productKey,
		// An adopted registration of this FirmwareUrl is in the module and of the type it was registered with.
		...packageKind(registration.found ?? request),
		signMethod: request.firmwareSign || request.multiFiles ? (request.signMethod ?? 'MD5') : undefined,
		// An uploaded row may carry the note of a package that may be registered with it (packageFlow): now it is not.
		error: undefined,
	};
}

/** The module and type of a registration, as a record keeps them: set only when not the default (module, full package). */
function packageKind(p: {
	moduleName?: string;
	type?: number;
	srcVersion?: string;
}): Pick<UploadRecord, 'moduleName' | 'type' | 'srcVersion'> {
	return {
		moduleName: p.moduleName && p.moduleName !== DEFAULT_MODULE ? p.moduleName : undefined,
		type: p.type === 1 ? 1 : undefined,
		srcVersion: p.type === 1 ? p.srcVersion : undefined,
	};
}

/**
 * DeleteOTAFirmware succeeded for `firmwareId` (call it only then): a record registered as that package becomes `deleted`,
 * keeping its digests, FirmwareUrl and provenance (the file may be registered again); any other record is returned as is.
 */
export function recordPackageDeleted<R extends UploadRecord>(record: R, firmwareId: string, now = Date.now()): R {
	if (record.status !== 'registered' || record.firmwareId !== firmwareId) {
		return record;
	}
	return { ...record, status: 'deleted', deletedAt: now };
}

/**
 * Whether the record's uploaded object waits for CreateOTAFirmware (within the registration window, counted from the end
 * of the upload): an upload not registered yet, or one whose package was deleted since, unless the record took an
 * existing package instead of its own upload (`reused`: its FirmwareUrl was that package's).
 */
export function recordAwaitsRegistration(record: UploadRecord): boolean {
	if (record.status === 'deleted') {
		return !record.reused && record.firmwareUrl !== undefined;
	}
	return record.status === 'uploaded' && record.firmwareId === undefined;
}

/**
 * Whether the record's file may be registered already: an upload not registered that carries an error, which only a
 * multi-file package whose CreateOTAFirmware got no definite answer leaves on its files (packageMayBeRegistered, its
 * message says which package and where to look). Registering the file again may make a second package of it.
 */
export function recordMayBeRegistered(record: UploadRecord): boolean {
	return record.status === 'uploaded' && record.firmwareId === undefined && record.error !== undefined;
}

/**
 * An existing package of the same content stands for this file: before an upload (nothing was sent) or instead of
 * registering one (the uploaded object is left to expire). The record then names that package and its URL.
 */
export function recordReused<R extends UploadRecord>(
	record: R,
	existing: ExistingPackage,
	digests: ContentDigests = {},
	now = Date.now(),
): R {
	return {
		...record,
		status: 'registered',
		finishedAt: record.finishedAt ?? now,
		md5: record.md5 ?? digests.md5,
		sha256: record.sha256 ?? digests.sha256,
		firmwareUrl: existing.firmwareUrl,
		key: undefined,
		firmwareId: existing.firmwareId,
		firmwareName: existing.firmwareName,
		destVersion: existing.destVersion,
		productKey: existing.productKey,
		...packageKind(existing),
		signMethod: existing.signMethod,
		error: undefined,
		reused: true,
	};
}

/**
 * The upload ended in `error`: the record is cancelled or failed (with the redacted message). A later step that
 * fails (registering, inserting) leaves the record as it is: the upload it describes still succeeded.
 */
export function recordStepFailed<R extends UploadRecord>(record: R, error: unknown, secrets: readonly string[] = [], now = Date.now()): R {
	if (record.status !== 'uploading') {
		return record;
	}
	const otaError = toOtaError(error, secrets);
	if (isCancelled(otaError)) {
		return { ...record, status: 'cancelled', finishedAt: now };
	}
	return { ...record, status: 'failed', finishedAt: now, error: redact(otaError.describe(), secrets), requestId: otaError.requestId };
}
