// The pre-flight of a multi-file package (several files, one CreateOTAFirmware with MultiFiles.N; docs/protocols.md
// §11.4), for both shells: every file checked as a single-file upload checks it, the files' names, the package's
// DestVersion, the CreateOTAFirmware fields. Nothing is sent before all of it passed.
import { createHash } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ABOUT_FILE, OtaError, type MessageReason } from '../errors';
import { PACKAGE_FILES_MAX, SIGN_HEX_DIGITS } from '../otaFacts';
import type { CreateFirmwareRequest, FirmwareSuffix, PackageFileEntry, SignMethod } from '../types';
import { defaultFirmwareName } from '../upload/defaultFirmwareName';
import { validateCreateFirmware } from '../upload/createFirmwareRules';
import { fitsOnePackage, PACKAGE_FILE_NAME_RULE, PACKAGE_FILES_RULE, packageFileNameProblem } from '../upload/packageFileRules';
import type { ContentDigests } from './duplicates';
import { checkDestVersion, DEST_VERSION_HINT, destVersionFor, type ImageSummary } from './image';
import { checkFirmware, prepareUpload, uploadSuffix, type PreparedUpload } from './preflight';
import { packageRequest, PLACEHOLDER_URL, type FlowCreateOptions, type PreparedCreate } from './prepare';

/** A multi-file package has at least two files: one file is a single-file package (prepareFlow). */
export const PACKAGE_FILES_MIN = 2;

export interface PackageFileRequest {
	filePath: string;
	/** The upload suffix; defaults to the file name's. */
	suffix?: FirmwareSuffix | string;
	/** MultiFiles.N.Name; defaults to the file's base name. */
	name?: string;
}

export interface MultiFileRequest {
	files: readonly PackageFileRequest[];
	/** See FlowRequest.versionMarker; applies to every file. */
	versionMarker?: string;
	/** forceNew does not apply: a multi-file package is always uploaded and registered anew. */
	create: FlowCreateOptions;
}

export interface PreparedPackageFile extends PreparedUpload {
	name: string;
	digests: Required<ContentDigests>;
}

/** A multi-file request that passed every local check; running it only fails for remote or racing reasons. */
export interface PreparedMultiFile {
	files: PreparedPackageFile[];
	create: PreparedCreate;
	/** Findings that refuse nothing, each naming its file. */
	warnings: string[];
}

function refused(code: string, message: string, hint?: string, reason?: MessageReason): OtaError {
	return new OtaError({ code, source: 'validation', message, hint, reason });
}

/** An error about one of several files, its message made to name the file (a damage summary does not). */
export function aboutFile(name: string, error: unknown): unknown {
	if (!(error instanceof OtaError) || error.message.includes(name)) {
		return error;
	}
	const { code, source, requestId, status, retryable, hint } = error;
	const reason = { code: ABOUT_FILE, values: { name } };
	return new OtaError({ code, source, requestId, status, retryable, hint, message: `${name}: ${error.message}`, reason, cause: error });
}

function refuseFileCount(files: readonly PackageFileRequest[]): void {
	if (files.length < PACKAGE_FILES_MIN || !fitsOnePackage(files.length)) {
		throw refused(
			'InvalidMultiFiles',
			`A multi-file package is made of ${PACKAGE_FILES_MIN} to ${PACKAGE_FILES_MAX} files; ${files.length} were given (${PACKAGE_FILES_RULE}).`,
			!fitsOnePackage(files.length) ? 'Split the files into several packages.' : 'Upload a single file as a single-file package.',
		);
	}
}

const SAME_FILE_HINT = 'Give each file once.';

/**
 * The key a file shares with its hard links (the same device and inode), or undefined where the inode cannot tell:
 * a file of one link (some Windows network and virtual-machine shares report one inode for files that are not one),
 * or an inode of 0 (a file system that has none).
 */
export function hardLinkKey(stats: { dev: bigint; ino: bigint; nlink: bigint }): string | undefined {
	return stats.ino !== 0n && stats.nlink > 1n ? `${stats.dev}:${stats.ino}` : undefined;
}

/** What makes two paths one file: the same real path (a symbolic link anywhere in either), or hard links of one inode. */
async function sameFileKeys(resolved: string): Promise<string[]> {
	// A path that cannot be looked at is its own check's to report (checkFirmware).
	const [real, stats] = await Promise.all([
		realpath(resolved).catch(() => undefined),
		stat(resolved, { bigint: true }).catch(() => undefined),
	]);
	const inode = stats && hardLinkKey(stats);
	return [...(real === undefined ? [] : [`path ${real}`]), ...(inode === undefined ? [] : [`inode ${inode}`])];
}

/**
 * Each file given once: not by the same path, nor through a symbolic or hard link to a file given already; a copy is
 * a file of its own. Its two uploads would be one file twice: refused before the names are compared, and before any
 * file is read.
 */
async function refuseSameFileTwice(files: readonly PackageFileRequest[]): Promise<void> {
	const paths = new Set<string>();
	const firstGiven = new Map<string, string>();
	for (const { filePath } of files) {
		const resolved = path.resolve(filePath);
		if (paths.has(resolved)) {
			throw refused('InvalidMultiFiles', `${filePath} is given twice; a package holds each file once.`, SAME_FILE_HINT);
		}
		paths.add(resolved);
		const keys = await sameFileKeys(resolved);
		const earlier = keys.map((key) => firstGiven.get(key)).find((given) => given !== undefined);
		if (earlier !== undefined) {
			throw refused(
				'InvalidMultiFiles',
				`${filePath} and ${earlier} are one file (through a link); a package holds each file once.`,
				SAME_FILE_HINT,
			);
		}
		for (const key of keys) {
			firstGiven.set(key, filePath);
		}
	}
}

/** The names the files get in the package, refused (naming the file and the rule) before any file is read. */
function packageFileNames(files: readonly PackageFileRequest[]): string[] {
	const owners = new Map<string, string>();
	return files.map(({ filePath, name: given }) => {
		const name = given ?? path.basename(filePath);
		const problem = packageFileNameProblem(name, new Set(owners.keys()));
		if (problem) {
			const other = owners.get(name);
			throw refused(
				'InvalidPackageFileName',
				`${filePath}: ${problem}${other === undefined ? '' : ` (${other})`}; ${PACKAGE_FILE_NAME_RULE}.`,
				'Rename the file (or a copy of it) to a name that fits.',
			);
		}
		owners.set(name, filePath);
		return name;
	});
}

/** The version every file that declares one agrees on; refused when they disagree (naming each) or none declares one. */
function agreedVersion(files: ReadonlyArray<{ name: string; image: ImageSummary }>): string {
	const declared = files
		.filter((file) => file.image.declared)
		.map((file) => ({ name: file.name, version: destVersionFor(file.image, file.name, undefined) }));
	const distinct = new Set(declared.map((file) => file.version));
	const hint = DEST_VERSION_HINT;
	if (distinct.size > 1) {
		const each = declared.map((file) => `${file.name} ${file.version}`).join(', ');
		throw refused('VersionMismatch', `The files declare different versions (${each}); a package has one DestVersion.`, hint, {
			code: 'versions-differ',
			values: { each },
		});
	}
	if (distinct.size === 0) {
		throw refused(
			'DestVersionRequired',
			`DestVersion is required: none of the ${files.length} files declares a version to take it from.`,
			hint,
			{ code: 'dest-version-none', values: { count: files.length } },
		);
	}
	return declared[0].version;
}

/**
 * The package's DestVersion: the one given, else the version the images agree on. Each file is then held to it by the
 * single-file version guard (checkDestVersion): a mismatch is refused unless allowed, and then a warning naming the file.
 */
export function packageDestVersion(
	files: ReadonlyArray<{ name: string; image: ImageSummary }>,
	given: string | undefined,
	allowMismatch = false,
): { destVersion: string; warnings: string[] } {
	const destVersion = given ?? agreedVersion(files);
	const warnings = files.flatMap((file) => {
		try {
			const mismatch = checkDestVersion(file.image, destVersion, allowMismatch);
			return mismatch ? [`${file.name}: ${mismatch}`] : [];
		} catch (error) {
			throw aboutFile(file.name, error);
		}
	});
	return { destVersion, warnings };
}

/** "<first file>-<version>-<tag>", the tag from the files' SHA-256s in order: another set of contents, another name. */
export function defaultPackageName(files: readonly PreparedPackageFile[], destVersion: string): string {
	const tag = createHash('sha256');
	for (const file of files) {
		tag.update(file.digests.sha256);
	}
	return defaultFirmwareName(files[0].filePath, destVersion, tag.digest('hex'));
}

/** MultiFiles.N of one file: its name, URL, size, digest in the package's SignMethod and MD5 (docs/protocols.md §13.6). */
export function packageFileEntry(name: string, url: string, digests: Required<ContentDigests>, signMethod: SignMethod): PackageFileEntry {
	return { name, url, size: digests.size, signValue: signMethod === 'SHA256' ? digests.sha256 : digests.md5, fileMd5: digests.md5 };
}

/** The CreateOTAFirmware request of a multi-file package: the package's fields and MultiFiles.N, no single-file fields. */
export function multiFileRequest(create: PreparedCreate, files: readonly PackageFileEntry[]): CreateFirmwareRequest {
	return { ...packageRequest(create), signMethod: create.signMethod, multiFiles: files };
}

/** The files of a package as the pre-flight found them, before the package's fields are settled. */
export interface CheckedPackageFiles {
	files: PreparedPackageFile[];
	warnings: string[];
}

/**
 * The files' half of the pre-flight: the count, each file once and the names first, then each file as the single-file pre-flight
 * checks it (regular, 1 B–1,000 MB, suffix, a damaged image or contents that contradict the suffix refused; read
 * whole for its digests). Every refusal names its file.
 */
export async function checkPackageFiles(
	requests: readonly PackageFileRequest[],
	options: { signal?: AbortSignal; versionMarker?: string } = {},
): Promise<CheckedPackageFiles> {
	refuseFileCount(requests);
	await refuseSameFileTwice(requests);
	const names = packageFileNames(requests);
	const files: PreparedPackageFile[] = [];
	const warnings: string[] = [];
	for (const [index, request] of requests.entries()) {
		const name = names[index];
		try {
			const checked = await checkFirmware(request.filePath, {
				digests: true,
				signal: options.signal,
				versionMarker: options.versionMarker,
			});
			const upload = prepareUpload(checked, uploadSuffix(checked, request.suffix));
			if (!upload.digests) {
				throw refused('FileNotReadable', `${request.filePath} could not be read whole for its digests.`);
			}
			files.push({ ...upload, name, digests: upload.digests });
			warnings.push(...upload.warnings.map((warning) => (warning.includes(name) ? warning : `${name}: ${warning}`)));
		} catch (error) {
			throw aboutFile(name, error);
		}
	}
	return { files, warnings };
}

/** The package's half: the DestVersion against every image, the default FirmwareName, the CreateOTAFirmware fields. */
export function settlePackage(checked: CheckedPackageFiles, given: FlowCreateOptions): PreparedMultiFile {
	const { files } = checked;
	const version = packageDestVersion(files, given.destVersion, given.allowVersionMismatch);
	const signMethod = given.signMethod ?? 'MD5';
	const create: PreparedCreate = {
		...given,
		destVersion: version.destVersion,
		signMethod,
		firmwareName: given.firmwareName?.trim() || defaultPackageName(files, version.destVersion),
	};
	// The URLs and digests are not known yet: stand-ins of the right shape let the field rules run now.
	const standIns = files.map((file) => ({
		name: file.name,
		url: PLACEHOLDER_URL,
		size: file.size,
		signValue: '0'.repeat(SIGN_HEX_DIGITS[signMethod]),
		fileMd5: '0'.repeat(SIGN_HEX_DIGITS.MD5),
	}));
	validateCreateFirmware(multiFileRequest(create, standIns));
	return { files, create, warnings: [...checked.warnings, ...version.warnings] };
}

/** Every check that needs no network (checkPackageFiles, then settlePackage), before anything is sent. */
export async function prepareMultiFile(req: MultiFileRequest, options: { signal?: AbortSignal } = {}): Promise<PreparedMultiFile> {
	const checked = await checkPackageFiles(req.files, { signal: options.signal, versionMarker: req.versionMarker });
	return settlePackage(checked, req.create);
}
