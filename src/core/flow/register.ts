import type { Stats } from 'node:fs';
import { cancelledButRegistered, cancelledError, isCancelled, OtaError, throwIfAborted, toOtaError } from '../errors';
import { hashFile, type FileDigests } from '../hashing/fileHasher';
import { maxPageSize } from '../iot/actions';
import { validateCreateFirmware } from '../limits';
import type { Logger } from '../logger';
import type { CreateFirmwareRequest, CreateFirmwareResult, FirmwareInfo, SignMethod } from '../types';
import { sameContentAmong, type ContentDigests, type DuplicateClient, type ExistingPackage } from './duplicates';

/** What registering needs from the IoT client (IotClient satisfies it). */
export interface RegisterClient extends DuplicateClient {
	createOtaFirmware(req: CreateFirmwareRequest, signal?: AbortSignal): Promise<CreateFirmwareResult>;
	/** Undoes a registration when the run is cancelled after the platform accepted it. */
	deleteOtaFirmware(firmwareId: string, signal?: AbortSignal): Promise<void>;
}

export interface Registration {
	firmwareId: string;
	firmwareName: string;
	utcCreate?: string;
	requestId?: string;
	/**
	 * An existing registration was taken instead of creating one (a cancel never deletes it): an earlier registration
	 * of the same FirmwareUrl, or with `reused`, another package of the same content.
	 */
	adopted: boolean;
	reused?: ExistingPackage;
	/**
	 * The module, type and SrcVersion of an earlier registration of the same FirmwareUrl (adopted): those of that package,
	 * which an earlier attempt may have asked otherwise than this request.
	 */
	found?: Pick<FirmwareInfo, 'moduleName' | 'type' | 'srcVersion'>;
}

/**
 * Logged as a warning (every shell shows it) when a cancel lands while CreateOTAFirmware is on the wire: the run is not
 * stuck, it waits to undo.
 */
export const CANCEL_DURING_CREATE =
	'Cancel requested while CreateOTAFirmware is in flight: waiting for its answer to undo the registration (cancel again to stop waiting).';

/** A registration the platform may keep if the process ended now: CreateOTAFirmware unanswered, or its undo under way. */
export type PendingRegistration =
	| { step: 'create'; request: Pick<CreateFirmwareRequest, 'firmwareName' | 'productKey' | 'destVersion'> }
	| { step: 'undo'; firmwareId: string };

/**
 * What is left behind when the process ends while `pending` is in doubt (a second cancel ends it at once); the shell
 * adds its own way to check for it and delete it.
 */
export function pendingRegistrationNotice(pending: PendingRegistration): string {
	return pending.step === 'create'
		? `Stopped waiting for CreateOTAFirmware: "${pending.request.firmwareName}" (product ${pending.request.productKey}, DestVersion ${pending.request.destVersion}) may be registered.`
		: `Stopped before the OTA firmware ${pending.firmwareId} registered by this run was deleted: it may still be registered.`;
}

export interface RegisterHooks {
	signal?: AbortSignal;
	logger?: Logger;
	/**
	 * Looks for a package of the same product, DestVersion, module and content among the listed ones too, and asks
	 * `reuse` whether to take it instead of registering a second (the CLI: yes unless --force-new; the extension asks).
	 */
	sameContent?: { digests: ContentDigests; reuse: (existing: ExistingPackage) => Promise<boolean> };
	/** Told when a registration comes into doubt (sent, or being undone) and, with undefined, when it no longer is. */
	onPending?: (pending: PendingRegistration | undefined) => void;
}

/** The object behind a FirmwareUrl: its path, whatever host form or signed query the platform answers with. */
function objectPath(url: string | undefined): string | undefined {
	try {
		const { pathname } = new URL(url ?? '');
		return pathname.length > 1 ? pathname : undefined;
	} catch {
		return undefined;
	}
}

/**
 * A registration of this FirmwareUrl already on the platform (an earlier attempt whose answer was lost), else, when
 * asked for, a package of the same content the user takes instead. Looked up by ProductKey and DestVersion, first
 * page of 100 (docs/protocols.md §13.2); a failed lookup does not block the registration, a cancelled one does.
 */
async function findRegistration(
	client: RegisterClient,
	request: CreateFirmwareRequest,
	hooks: RegisterHooks,
): Promise<Registration | undefined> {
	const wanted = objectPath(request.firmwareUrl);
	if (wanted === undefined && !hooks.sameContent) {
		// A multi-file package: ListOTAFirmware items carry no MultiFiles (docs/protocols.md §11.4), nothing to match.
		return undefined;
	}
	try {
		const page = await client.listOtaFirmware(
			{ currentPage: 1, pageSize: maxPageSize('ListOTAFirmware'), productKey: request.productKey, destVersion: request.destVersion },
			hooks.signal,
		);
		const match = page.items.find((item) => wanted !== undefined && objectPath(item.firmwareUrl) === wanted);
		if (match) {
			hooks.logger?.info(
				`${request.firmwareUrl} is already registered as FirmwareId ${match.firmwareId}; not creating a second one.`,
			);
			const found = { moduleName: match.moduleName, type: match.type, srcVersion: match.srcVersion };
			return { firmwareId: match.firmwareId, firmwareName: match.firmwareName, utcCreate: match.utcCreate, adopted: true, found };
		}
		if (hooks.sameContent) {
			const [same] = await sameContentAmong(client, page.items, hooks.sameContent.digests, request, hooks.signal);
			if (same && (await hooks.sameContent.reuse(same))) {
				hooks.logger?.info(`The same content is already registered as FirmwareId ${same.firmwareId}; reusing it.`);
				return {
					firmwareId: same.firmwareId,
					firmwareName: same.firmwareName,
					utcCreate: same.utcCreate,
					adopted: true,
					reused: same,
				};
			}
		}
	} catch (error) {
		if (isCancelled(error)) {
			throw error;
		}
		hooks.logger?.debug(`ListOTAFirmware before registering failed (continuing): ${toOtaError(error).message}`);
	}
	return undefined;
}

/**
 * Registers an uploaded package (docs/protocols.md §13.3): checks the fields, adopts an existing registration of the
 * same FirmwareUrl, else sends CreateOTAFirmware. Once that request is on the wire the platform may register it whatever the client does,
 * so it is not aborted: the answer is awaited and, when the run was cancelled meanwhile, the registration is
 * deleted again before the cancel is reported. An adopted registration is never deleted.
 */
export async function registerFirmware(
	client: RegisterClient,
	request: CreateFirmwareRequest,
	hooks: RegisterHooks = {},
): Promise<Registration> {
	validateCreateFirmware(request);
	throwIfAborted(hooks.signal, 'the firmware registration');
	const existing = await findRegistration(client, request, hooks);
	if (existing) {
		return existing;
	}
	throwIfAborted(hooks.signal, 'the firmware registration');
	const onAbort = (): void => hooks.logger?.warn(CANCEL_DURING_CREATE);
	hooks.signal?.addEventListener('abort', onAbort, { once: true });
	hooks.onPending?.({ step: 'create', request });
	let created: CreateFirmwareResult;
	try {
		created = await client.createOtaFirmware(request);
	} finally {
		hooks.signal?.removeEventListener('abort', onAbort);
		hooks.onPending?.(undefined);
	}
	if (hooks.signal?.aborted) {
		await undoRegistration(client, created.firmwareId, hooks);
	}
	return { ...created, firmwareName: request.firmwareName, adopted: false };
}

/** Cancelled after CreateOTAFirmware succeeded: delete the package again so nothing is left half done, then report the cancel. */
export async function undoRegistration(
	client: Pick<RegisterClient, 'deleteOtaFirmware'>,
	firmwareId: string,
	hooks: Pick<RegisterHooks, 'logger' | 'onPending'> = {},
): Promise<never> {
	const { logger } = hooks;
	hooks.onPending?.({ step: 'undo', firmwareId });
	try {
		await client.deleteOtaFirmware(firmwareId);
		hooks.onPending?.(undefined);
		logger?.info(`Cancelled: the OTA firmware ${firmwareId} registered just before was deleted again.`);
	} catch (error) {
		hooks.onPending?.(undefined);
		throw cancelledButRegistered(firmwareId, toOtaError(error).message);
	}
	throw cancelledError('the firmware registration');
}

/**
 * FirmwareSign for a registration: the digest measured during the upload; without one, the file hashed again, but only
 * while it is still the file uploaded: the same size and, when the record has the other digest, that digest too (a
 * same-size rebuild is another file); with no digest at all, not modified since the upload started. Undefined when it
 * changed or is gone (the platform then takes the stored object's MD5).
 */
export async function firmwareSignFor(
	uploaded: { md5?: string; sha256?: string; size: number; startedAt?: number },
	method: SignMethod,
	filePath: string | undefined,
): Promise<string | undefined> {
	const algorithm = method === 'MD5' ? 'md5' : 'sha256';
	const other = method === 'MD5' ? 'sha256' : 'md5';
	const known = uploaded[algorithm];
	if (known || filePath === undefined) {
		return known;
	}
	const recorded = uploaded[other];
	// Checked on the descriptor that is hashed (one open: no swap between the check and the hash).
	const stillUploaded = (info: Stats) =>
		info.size === uploaded.size && (recorded !== undefined || (uploaded.startedAt !== undefined && info.mtimeMs <= uploaded.startedAt));
	const digests = await hashFile(filePath, recorded === undefined ? [algorithm] : [algorithm, other], stillUploaded).catch(
		(error: unknown): FileDigests => {
			if (error instanceof OtaError && error.source === 'validation') {
				return {}; // gone, or no longer a regular file
			}
			throw error;
		},
	);
	return recorded === undefined || digests[other]?.toLowerCase() === recorded.toLowerCase() ? digests[algorithm] : undefined;
}
