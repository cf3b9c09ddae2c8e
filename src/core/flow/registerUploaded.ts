// Registering a FirmwareUrl uploaded earlier (an upload without registration, or whose registration failed) with the
// local file that went up to it: the upload flow's pre-flight and create step, without the upload (docs/protocols.md
// §13.7). The CLI's `firmware create` runs it; `upload --create` runs the same create step (run.ts createStep).
import path from 'node:path';
import { checkFirmwareUrl } from '../firmwareUrl';
import { FIRMWARE_SUFFIXES, type FirmwareSuffix } from '../types';
import { prepareFlow, type FlowCreateOptions, type PreparedCreate, type PreparedFlow } from './prepare';
import { recordRegistered, recordStarted, recordUploadedEarlier } from './record';
import { createStep, type FlowHooks, type FlowResult } from './run';
import type { RegisterClient } from './register';
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
 * and FirmwareSize are the file's, measured now, so the platform refuses a file that is not the one uploaded there
 * (docs/protocols.md §13.7). A FirmwareUrl already registered is adopted; a package of the same product, version and
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
