// Uploads the files of a prepared multi-file package one after the other (each with its own ticket, retries and
// digests: the single flow's upload step) and registers them as one package (docs/protocols.md §11.4).
import {
	isCancelled,
	isCancelledButRegistered,
	OtaError,
	PACKAGE_MAY_BE_REGISTERED,
	throwIfAborted,
	toOtaError,
	type OtaErrorInit,
} from '../errors';
import { isThrottling } from '../iot/popErrors';
import { REGISTER_WINDOW_TEXT } from '../format';
import type { CreateFirmwareRequest, UploadResult } from '../types';
import { checkPackageTarget } from './packageTarget';
import { aboutFile, multiFileRequest, packageFileEntry, type PreparedMultiFile } from './multiFilePrepare';
import { registerFirmware, type RegisterClient, type RegisterHooks, type Registration } from './register';
import { uploadStep, type FlowClient, type UploadStepOptions } from './run';

/** The file whose upload starts: `index` of `count`, 1-based. */
export interface PackageFileStart {
	index: number;
	count: number;
	name: string;
	filePath: string;
}

export interface MultiFileHooks extends UploadStepOptions, Pick<RegisterHooks, 'onPending'> {
	/** Told before each file's upload; `onProgress` then reports that file's bytes. */
	onFile?: (file: PackageFileStart) => void;
	/** Told once every file is uploaded, before CreateOTAFirmware. */
	onRegistering?: () => void;
}

export interface UploadedPackageFile {
	name: string;
	filePath: string;
	upload: UploadResult;
	/** When this file's upload started and ended (ms since the epoch), for its record. */
	startedAt: number;
	finishedAt: number;
}

export interface MultiFileResult {
	files: UploadedPackageFile[];
	created: Registration;
	request: CreateFirmwareRequest;
}

/**
 * A run that stopped before its package was surely registered, with the files it had uploaded (for the shells to list).
 * `mayBeRegistered`: its CreateOTAFirmware got no definite answer, so the package may exist with these very files.
 */
export class PackageStoppedError extends OtaError {
	constructor(
		init: OtaErrorInit,
		readonly uploaded: readonly UploadedPackageFile[],
		readonly mayBeRegistered = false,
	) {
		super(init);
	}
}

/** The files a failed or cancelled runMultiFile had uploaded and not registered; none for any other error. */
export function uploadedBeforeStop(error: unknown): readonly UploadedPackageFile[] {
	return error instanceof PackageStoppedError ? error.uploaded : [];
}

/** Whether the package of a stopped runMultiFile may be registered all the same (its CreateOTAFirmware's answer was lost). */
export function packageMayBeRegistered(error: unknown): boolean {
	return error instanceof PackageStoppedError && error.mayBeRegistered;
}

/**
 * What a shell shows under the error of a stopped package: each uploaded file's FirmwareUrl and the window it can still
 * be registered in (a single upload's "The upload itself succeeded: FirmwareUrl …", for several files); when the
 * package may be registered (`packageMayBeRegistered`), only after checking that it is not.
 */
export function uploadedBeforeStopText(uploaded: readonly UploadedPackageFile[], { mayBeRegistered = false } = {}): string {
	const succeeded = uploaded.length === 1 ? 'The upload itself succeeded' : 'The uploads themselves succeeded';
	const window = `a FirmwareUrl can be registered within ${REGISTER_WINDOW_TEXT} of its upload`;
	const lead = mayBeRegistered
		? `${succeeded}, and the package may be registered with them: check the package list first; only if the package is not there, ${window}:`
		: `${succeeded}; ${window}:`;
	const urls = uploaded.map((file) => `  ${file.name}: FirmwareUrl ${file.upload.firmwareUrl}`);
	return [lead, ...urls].join('\n');
}

/** What was uploaded and is left unregistered (OSS deletes it), as the end of a message. */
function leftBehind(uploaded: readonly UploadedPackageFile[]): string {
	return uploaded.length === 0
		? 'No file of the package was uploaded.'
		: `Uploaded and left unregistered (OSS deletes ${uploaded.length === 1 ? 'it' : 'them'} after ${REGISTER_WINDOW_TEXT}): ${uploaded.map((file) => file.name).join(', ')}.`;
}

/**
 * Whether a failed CreateOTAFirmware may have registered the package all the same: the request may have reached the
 * platform and its answer was lost (a network failure, a timeout, a server fault). Only a refusal the platform answered
 * (a business error, throttling) or one before anything was sent says for sure that nothing was registered.
 */
function mayHaveRegistered(error: OtaError): boolean {
	if (error.source === 'network') {
		return true;
	}
	const serverFault = error.code === 'NonJsonResponse' || (error.status !== undefined && error.status >= 500);
	return error.source === 'api' && serverFault && !isThrottling(error); // a throttled request was not processed
}

/** What the registration's failure leaves: nothing, or the package that may be registered (`request`, named to check). */
function registrationOutcome(uploaded: readonly UploadedPackageFile[], request?: CreateFirmwareRequest): string {
	if (!request) {
		return `Nothing was registered. ${leftBehind(uploaded)}`;
	}
	return `CreateOTAFirmware got no definite answer: "${request.firmwareName}" (product ${request.productKey}, DestVersion ${request.destVersion}) may be registered all the same, with ${uploaded.map((file) => file.name).join(', ')}.`;
}

/** The run stopped before a package was (surely) registered: the error says so, and what was uploaded. */
export function notRegistered(
	error: unknown,
	uploaded: readonly UploadedPackageFile[],
	stage: string,
	request?: CreateFirmwareRequest,
): OtaError {
	const cause = toOtaError(error);
	if (isCancelledButRegistered(cause)) {
		return cause; // it names the package that stays registered
	}
	const what = isCancelled(cause) ? `Cancelled during ${stage}` : cause.message.replace(/\.$/, '');
	const { code, source, requestId, status, retryable, hint } = cause;
	const mayBeRegistered = request !== undefined && mayHaveRegistered(cause);
	const message = `${what}. ${registrationOutcome(uploaded, mayBeRegistered ? request : undefined)}`;
	const reason = mayBeRegistered
		? {
				code: PACKAGE_MAY_BE_REGISTERED,
				values: {
					firmwareName: request.firmwareName,
					productKey: request.productKey,
					destVersion: request.destVersion,
					files: uploaded.map((file) => file.name).join(', '),
				},
			}
		: undefined;
	return new PackageStoppedError(
		{ code, source, requestId, status, retryable, hint, message, reason, cause },
		[...uploaded],
		mayBeRegistered,
	);
}

/**
 * Checks the package's product and module (packageTarget.ts), then uploads each file (just-in-time ticket, retries with a fresh ticket, the bytes sent must be the bytes checked), then
 * sends one CreateOTAFirmware with MultiFiles.N (Name, Url, Size, SignValue in the SignMethod, FileMd5) and none of
 * the single-file fields. A cancel or failure before the registration leaves nothing registered and says which files
 * were uploaded; a cancel while CreateOTAFirmware is in flight deletes the package again (registerFirmware).
 */
export async function runMultiFile(client: FlowClient, prepared: PreparedMultiFile, hooks: MultiFileHooks = {}): Promise<MultiFileResult> {
	const { signal } = hooks;
	const uploaded: UploadedPackageFile[] = [];
	const count = prepared.files.length;
	// Before the first ticket: a product or module CreateOTAFirmware would refuse after every upload is refused now.
	await checkPackageTarget(client, prepared.create, { signal, logger: hooks.logger });
	for (const [offset, file] of prepared.files.entries()) {
		const stage = `the upload of ${file.name} (file ${offset + 1} of ${count})`;
		try {
			throwIfAborted(signal, stage);
			hooks.onFile?.({ index: offset + 1, count, name: file.name, filePath: file.filePath });
			const startedAt = Date.now();
			const upload = await uploadStep(client, file, hooks);
			uploaded.push({ name: file.name, filePath: file.filePath, upload, startedAt, finishedAt: Date.now() });
		} catch (error) {
			throw notRegistered(aboutFile(file.name, error), uploaded, stage);
		}
	}
	const request = multiFileRequest(
		prepared.create,
		uploaded.map(({ name, upload }) => packageFileEntry(name, upload.firmwareUrl, upload, prepared.create.signMethod)),
	);
	try {
		throwIfAborted(signal, 'the firmware registration');
		hooks.onRegistering?.();
		const created = await registerPackage(client, request, hooks);
		return { files: uploaded, created, request };
	} catch (error) {
		throw notRegistered(error, uploaded, 'the firmware registration', request);
	}
}

/**
 * The registration of a multi-file package whose files are uploaded (`upload` of several files, `firmware create` of
 * several FirmwareUrls): one CreateOTAFirmware, no lookup of a package of the same content (a package is always
 * registered anew, docs/protocols.md §13.6), undone when the run is cancelled while it is in flight.
 */
export function registerPackage(
	client: RegisterClient,
	request: CreateFirmwareRequest,
	hooks: Pick<RegisterHooks, 'signal' | 'logger' | 'onPending'> = {},
): Promise<Registration> {
	return registerFirmware(client, request, { signal: hooks.signal, logger: hooks.logger, onPending: hooks.onPending });
}
