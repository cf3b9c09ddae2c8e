import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CONFIG_FORMATS, computeInsertEdits, describeFormat, detectConfigFormat, type ConfigFormat } from '../configInsert';
import { readSnapshot } from '../configInsert/file';
import { OtaError } from '../errors';
import { validateCreateFirmware } from '../limits';
import type { CreateFirmwareRequest, FirmwareSuffix, SignMethod } from '../types';
import { defaultFirmwareName } from '../upload/defaultFirmwareName';
import { checkDestVersion, destVersionFor } from './image';
import { checkFirmware, prepareUpload, uploadSuffix, type PreparedUpload } from './preflight';

export interface FlowCreateOptions {
	productKey: string;
	/** Defaults to the version the image declares; must agree with it unless `allowVersionMismatch`. */
	destVersion?: string;
	allowVersionMismatch?: boolean;
	/** Upload and register even when a package of the same product, version and content exists. */
	forceNew?: boolean;
	/** Defaults to defaultFirmwareName(file, destVersion, SHA-256 of the file). */
	firmwareName?: string;
	signMethod?: SignMethod;
	srcVersion?: string;
	moduleName?: string;
	firmwareDesc?: string;
	type?: 0 | 1;
	needToVerify?: boolean;
}

export interface FlowInsertTarget {
	file: string;
	/** Dotted key path (or macro/key name for flat formats) that receives the FirmwareUrl. */
	keyPath: string;
}

export interface FlowRequest {
	filePath: string;
	suffix?: FirmwareSuffix | string;
	/** A regular expression whose first group is the version, for contents no parser knows (off unless given). */
	versionMarker?: string;
	create?: FlowCreateOptions;
	insert?: FlowInsertTarget;
}

/** A request that passed every local check; running it only fails for remote or racing reasons. */
export interface PreparedFlow extends PreparedUpload {
	create?: PreparedCreate;
	insert?: FlowInsertTarget & { format: ConfigFormat };
}

/** A stand-in FirmwareUrl of the right shape: the field rules run before anything is uploaded. */
export const PLACEHOLDER_URL = 'https://placeholder.invalid/firmware.bin';

/**
 * Every check that needs no network: file, suffix, what the image says about itself (damaged, contents against the
 * suffix, its version against the DestVersion), CreateOTAFirmware fields, insert target. Reads the file once.
 */
export async function prepareFlow(req: FlowRequest, options: { signal?: AbortSignal } = {}): Promise<PreparedFlow> {
	const checked = await checkFirmware(req.filePath, {
		digests: req.create !== undefined,
		signal: options.signal,
		versionMarker: req.versionMarker,
	});
	const upload = prepareUpload(checked, uploadSuffix(checked, req.suffix));
	let create: PreparedFlow['create'];
	if (req.create) {
		const signMethod: SignMethod = req.create.signMethod ?? 'MD5';
		const destVersion = destVersionFor(upload.image, path.basename(req.filePath), req.create.destVersion);
		create = {
			...req.create,
			destVersion,
			signMethod,
			firmwareName: req.create.firmwareName?.trim() || defaultFirmwareName(req.filePath, destVersion, upload.digests?.sha256),
		};
		// The sign and URL are not known yet: stand-ins of the right shape let the field rules run now.
		validateCreateFirmware(
			registrationRequest(create, PLACEHOLDER_URL, signMethod === 'SHA256' ? '0'.repeat(64) : '0'.repeat(32), upload.size),
		);
		const mismatch = checkDestVersion(upload.image, destVersion, req.create.allowVersionMismatch);
		upload.warnings.push(...(mismatch ? [mismatch] : []));
	}
	const insert = req.insert ? await prepareInsert(req.insert) : undefined;
	return { ...upload, create, insert };
}

/** The create options once the pre-flight settled them (a DestVersion, a FirmwareName, a SignMethod). */
export type PreparedCreate = FlowCreateOptions & { destVersion: string; firmwareName: string; signMethod: SignMethod };

/**
 * The CreateOTAFirmware request for an uploaded package, whichever shell collected the options. Without a sign (a
 * file that changed since its upload) neither FirmwareSign nor SignMethod is sent and the platform uses the stored
 * object's MD5.
 */
export function registrationRequest(
	opts: PreparedCreate,
	firmwareUrl: string,
	firmwareSign: string | undefined,
	firmwareSize: number,
): CreateFirmwareRequest {
	const req: CreateFirmwareRequest = { ...packageRequest(opts), firmwareUrl, firmwareSize };
	if (firmwareSign) {
		req.firmwareSign = firmwareSign;
		req.signMethod = opts.signMethod;
	}
	return req;
}

/** What every CreateOTAFirmware request of these options holds, single- or multi-file: the package, not its files. */
export function packageRequest(opts: PreparedCreate): CreateFirmwareRequest {
	const req: CreateFirmwareRequest = {
		firmwareName: opts.firmwareName,
		destVersion: opts.destVersion,
		productKey: opts.productKey,
	};
	const optional = {
		srcVersion: opts.srcVersion,
		moduleName: opts.moduleName,
		firmwareDesc: opts.firmwareDesc,
		type: opts.type,
		needToVerify: opts.needToVerify,
	};
	for (const [key, value] of Object.entries(optional)) {
		if (value !== undefined) {
			(req as unknown as Record<string, unknown>)[key] = value;
		}
	}
	return req;
}

async function prepareInsert(target: FlowInsertTarget): Promise<NonNullable<PreparedFlow['insert']>> {
	const invalid = (code: string, message: string, hint?: string): OtaError => new OtaError({ code, message, hint, source: 'validation' });
	const keyPath = target.keyPath.trim();
	if (!keyPath) {
		throw invalid(
			'InvalidInsertKey',
			`No key path was given for the config file ${target.file}.`,
			'Name the key that receives the FirmwareUrl, e.g. ota.url.',
		);
	}
	const format = detectConfigFormat(target.file);
	if (!format) {
		throw invalid(
			'UnknownConfigFormat',
			`Cannot tell the format of the config file ${target.file} from its name.`,
			`Supported: ${CONFIG_FORMATS.map(describeFormat).join(', ')}.`,
		);
	}
	await assertTargetExists(target.file);
	// readSnapshot also refuses a read-only file or folder now, before anything is uploaded.
	const { text } = await readSnapshot(target.file);
	// A dry run with a stand-in value catches parse errors and unusable key paths before anything is uploaded.
	computeInsertEdits(text, format, keyPath, PLACEHOLDER_URL);
	return { file: target.file, keyPath, format };
}

async function assertTargetExists(file: string): Promise<void> {
	try {
		const stat = await fs.stat(file);
		if (!stat.isFile()) {
			throw new OtaError({ code: 'ConfigNotAFile', source: 'validation', message: `The config file ${file} is not a regular file.` });
		}
	} catch (error) {
		if (error instanceof OtaError) {
			throw error;
		}
		const code = (error as NodeJS.ErrnoException).code;
		throw new OtaError({
			code: code === 'ENOENT' ? 'ConfigNotFound' : 'ConfigUnreadable',
			source: 'validation',
			message:
				code === 'ENOENT' ? `The config file ${file} does not exist.` : `Cannot read the config file ${file} (${code ?? 'error'}).`,
			hint: code === 'ENOENT' ? 'Create it first, or check the path before the #.' : undefined,
		});
	}
}
