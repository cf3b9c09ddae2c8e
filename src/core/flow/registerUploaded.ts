// Registering FirmwareUrls uploaded earlier (an upload without registration, or whose registration failed) with the
// local files that went up to them: the upload flow's pre-flight and registration, without the upload
// (docs/protocols.md §13.9). One FirmwareUrl: `upload --create`'s create step (run.ts createStep); several: one
// multi-file package, as `upload` of several files registers it (multiFileRun.ts registerPackage). The CLI's
// `firmware create` runs it.
import path from 'node:path';
import { checkFirmwareUrl } from '../firmwareUrl';
import { FIRMWARE_SUFFIXES, type FirmwareSuffix } from '../types';
import { multiFileRequest, packageFileEntry, prepareMultiFile, type PreparedMultiFile } from './multiFilePrepare';
import { registerPackage } from './multiFileRun';
import { prepareFlow, type FlowCreateOptions, type PreparedCreate, type PreparedFlow } from './prepare';
import { recordRegistered, recordStarted, recordUploadedEarlier } from './record';
import { createStep, type FlowHooks, type FlowResult } from './run';
import type { RegisterClient, RegisterHooks, Registration } from './register';
import type { CreateFirmwareRequest } from '../types';
import type { EndpointTrust } from '../uploadHost';

export interface UploadedRegistrationRequest {
	firmwareUrl: string;
	filePath: string;
	create: FlowCreateOptions;
	versionMarker?: string;
}

/** A registration of an uploaded FirmwareUrl that passed every local check. */
export interface PreparedUploadedRegistration extends PreparedFlow {
	firmwareUrl: string;
	create: PreparedCreate;
	digests: NonNullable<PreparedFlow['digests']>;
}

/**
 * The suffix GenerateOTAUploadURL ended the FirmwareUrl's key with (its FileSuffix, docs/protocols.md §4.1), or
 * undefined when the path ends in none of the allowed ones. The longest match wins (`.tar.gz` over `.gz`).
 */
export function firmwareUrlSuffix(firmwareUrl: string): FirmwareSuffix | undefined {
	let pathname: string;
	try {
		pathname = new URL(firmwareUrl).pathname.toLowerCase();
	} catch {
		return undefined;
	}
	const matches = FIRMWARE_SUFFIXES.filter((suffix) => pathname.endsWith(`.${suffix}`));
	return matches.sort((a, b) => b.length - a.length)[0];
}

/**
 * Every check that needs no network: the FirmwareUrl's form (its endpoint is judged when registering), and the upload's
 * pre-flight of the file with the suffix the FirmwareUrl names, so contents that cannot be what was uploaded there are
 * refused; the file read whole for its digests, the version guard and the CreateOTAFirmware fields.
 */
export async function prepareUploadedRegistration(
	req: UploadedRegistrationRequest,
	options: { signal?: AbortSignal } = {},
): Promise<PreparedUploadedRegistration> {
	const firmwareUrl = checkFirmwareUrl(req.firmwareUrl);
	const suffix = firmwareUrlSuffix(firmwareUrl);
	const prepared = await prepareFlow(
		{ filePath: req.filePath, suffix, versionMarker: req.versionMarker, create: req.create },
		{ signal: options.signal },
	);
	const { create, digests } = prepared;
	if (!create || !digests) {
		throw new Error('prepareFlow with create options measures the digests and settles the create options');
	}
	return { ...prepared, firmwareUrl, create, digests };
}

/**
 * Registers the FirmwareUrl as the file (registerFirmware through the create step of `upload --create`): the FirmwareSign
 * and FirmwareSize are the file's, measured now, for the platform to refuse a file that is not the one uploaded there
 * (assumed: docs/protocols.md §13.9). A FirmwareUrl already registered is adopted; a package of the same product, version and
 * content is taken instead unless `forceNew`.
 */
export async function registerUploaded(
	client: RegisterClient & { readonly endpointTrust?: EndpointTrust },
	prepared: PreparedUploadedRegistration,
	hooks: Pick<FlowHooks, 'signal' | 'logger' | 'onPending'> = {},
): Promise<FlowResult> {
	const firmwareUrl = checkFirmwareUrl(prepared.firmwareUrl, client.endpointTrust);
	const uploaded = { firmwareUrl, ...prepared.digests, size: prepared.size };
	const started = recordStarted({ fileName: path.basename(prepared.filePath), size: prepared.size, suffix: prepared.suffix });
	const record = { ...recordUploadedEarlier(started, uploaded), image: prepared.image };
	const { created, request } = await createStep(client, prepared.create, uploaded, hooks);
	return { created, record: recordRegistered(record, created, request) };
}

export interface UploadedPackageRequest {
	/** In the package's order; each file is named in it by its file name (as `upload` of several files names them). */
	files: ReadonlyArray<{ firmwareUrl: string; filePath: string }>;
	/** forceNew does not apply: a multi-file package is always registered anew. */
	create: FlowCreateOptions;
	versionMarker?: string;
}

/** A multi-file package of uploaded FirmwareUrls that passed every local check; `urls[i]` is `files[i]`'s. */
export interface PreparedUploadedPackage extends PreparedMultiFile {
	urls: string[];
}

/** prepareUploadedRegistration for several FirmwareUrls: each file checked with the suffix its URL names, then the package. */
export async function prepareUploadedPackage(
	req: UploadedPackageRequest,
	options: { signal?: AbortSignal } = {},
): Promise<PreparedUploadedPackage> {
	const urls = req.files.map((file) => checkFirmwareUrl(file.firmwareUrl));
	const files = req.files.map((file, index) => ({ filePath: file.filePath, suffix: firmwareUrlSuffix(urls[index]) }));
	const prepared = await prepareMultiFile({ files, versionMarker: req.versionMarker, create: req.create }, options);
	return { ...prepared, urls };
}

/** Registers the FirmwareUrls as one package of the files (MultiFiles.N with each file's size and digests, measured now). */
export async function registerUploadedPackage(
	client: RegisterClient & { readonly endpointTrust?: EndpointTrust },
	prepared: PreparedUploadedPackage,
	hooks: Pick<RegisterHooks, 'signal' | 'logger' | 'onPending'> = {},
): Promise<{ created: Registration; request: CreateFirmwareRequest }> {
	const { create } = prepared;
	const entries = prepared.files.map((file, index) =>
		packageFileEntry(file.name, checkFirmwareUrl(prepared.urls[index], client.endpointTrust), file.digests, create.signMethod),
	);
	const request = multiFileRequest(create, entries);
	return { created: await registerPackage(client, request, hooks), request };
}
