// The client's rules for a multi-file package (CreateOTAFirmware MultiFiles.N, docs/protocols.md §11.4): how many
// files, what names them, and what each entry must hold. The limits are core's facts (otaFacts.ts); the sandbox
// builds its own check from the same facts.
import { OtaError } from '../errors';
import { firmwareUrlProblem } from '../firmwareUrl';
import { formatCount } from '../format';
import { PACKAGE_FILE_NAME_MAX, PACKAGE_FILES_MAX, platformLength, SIGN_HEX_DIGITS } from '../otaFacts';
import { MAX_FIRMWARE_BYTES, type PackageFileEntry, type SignMethod } from '../types';

/** The rule as every message words it. */
export const PACKAGE_FILE_NAME_RULE = `each file of a package needs its own name of 1–${PACKAGE_FILE_NAME_MAX} characters`;
export const PACKAGE_FILES_RULE = `a multi-file package holds at most ${PACKAGE_FILES_MAX} files`;

/** Whether `count` files fit in one multi-file package; more are uploaded one by one (the extension's Upload). */
export const fitsOnePackage = (count: number): boolean => count <= PACKAGE_FILES_MAX;

/** Why `name` cannot name a file of a package whose other files are named `taken`; undefined when it can. */
export function packageFileNameProblem(name: string, taken: ReadonlySet<string>): string | undefined {
	const length = platformLength(name);
	if (length < 1 || length > PACKAGE_FILE_NAME_MAX) {
		return `the name "${name}" has ${length} characters`;
	}
	return taken.has(name) ? `the name "${name}" is used by another file of the package` : undefined;
}

function invalid(code: string, message: string): OtaError {
	return new OtaError({ code, source: 'validation', message });
}

const isHex = (value: string, digits: number): boolean => value.length === digits && /^[0-9a-fA-F]+$/.test(value);

/**
 * Checks MultiFiles.N before it is sent: 1–20 entries, each named by the rule, with an upload URL, a size within the
 * OTA limit, SignValue a digest in `signMethod` and FileMd5 an MD5. Throws OtaError(validation) on the first problem.
 */
export function validatePackageFiles(files: readonly PackageFileEntry[], signMethod: SignMethod): void {
	if (files.length < 1 || !fitsOnePackage(files.length)) {
		throw invalid('InvalidMultiFiles', `Invalid MultiFiles: ${PACKAGE_FILES_RULE} (got ${files.length}).`);
	}
	const taken = new Set<string>();
	for (const file of files) {
		const problem = packageFileNameProblem(file.name, taken);
		if (problem) {
			throw invalid('InvalidPackageFileName', `Invalid MultiFiles.N.Name: ${problem}; ${PACKAGE_FILE_NAME_RULE}.`);
		}
		taken.add(file.name);
		if (firmwareUrlProblem(file.url) !== undefined) {
			throw invalid(
				'InvalidMultiFiles',
				`Invalid MultiFiles.N.Url of "${file.name}": must be the FirmwareUrl GenerateOTAUploadURL returned.`,
			);
		}
		if (!Number.isInteger(file.size) || file.size < 1 || file.size > MAX_FIRMWARE_BYTES) {
			throw invalid(
				'InvalidMultiFiles',
				`Invalid MultiFiles.N.Size of "${file.name}": must be a whole number of bytes from 1 to ${formatCount(MAX_FIRMWARE_BYTES)}.`,
			);
		}
		if (!isHex(file.signValue, SIGN_HEX_DIGITS[signMethod]) || !isHex(file.fileMd5, SIGN_HEX_DIGITS.MD5)) {
			throw invalid(
				'InvalidMultiFiles',
				`Invalid MultiFiles.N.SignValue or FileMd5 of "${file.name}": must be the file's ${signMethod} and MD5 in hex.`,
			);
		}
	}
}
