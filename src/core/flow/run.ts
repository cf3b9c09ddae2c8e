import path from 'node:path';
import type { ConfigFormat } from '../configInsert';
import { insertIntoFile } from '../configInsert/file';
import { throwIfAborted } from '../errors';
import { checkFirmwareUrl } from '../firmwareUrl';
import type { Logger } from '../logger';
import type { RpcCaller } from '../lifecycle/client';
import type { CreateFirmwareRequest, FirmwareInfo, TicketSource, UploadProgress, UploadResult } from '../types';
import { uploadFirmware } from '../uploader';
import { findSameContent } from './duplicates';
import { checkPackageTarget } from './packageTarget';
import { refuseChangedUpload, refuseReplacedFile, type PreparedUpload } from './preflight';
import { registrationRequest, type PreparedCreate, type PreparedFlow } from './prepare';
import { recordRegistered, recordReused, recordStarted, recordUploaded, type UploadRecord } from './record';
import { registerFirmware, undoRegistration, type RegisterClient, type RegisterHooks, type Registration } from './register';
import { sameContentLookup } from './sameContentLookup';

/** What the pipeline needs from the IoT client (IotClient satisfies it); `call` checks a registration's target. */
export interface FlowClient extends TicketSource, RegisterClient, RpcCaller {}

export type FlowStep = 'upload' | 'create' | 'insert';

export interface UploadStepOptions {
	signal?: AbortSignal;
	logger?: Logger;
	env?: NodeJS.ProcessEnv;
	onProgress?: (progress: UploadProgress) => void;
	/** Attempts, each with a fresh ticket (default 4); the extension's iotOta.upload.maxAttempts. */
	maxAttempts?: number;
	/** An attempt with no progress for this long is dropped and retried; the extension's iotOta.upload.timeoutSeconds. */
	timeoutMs?: number;
}

export interface FlowHooks extends UploadStepOptions, Pick<RegisterHooks, 'onPending'> {
	/** `soFar` holds the results of the finished steps (on 'done', including this one). */
	onStep?: (step: FlowStep, state: 'start' | 'done', soFar: Readonly<Partial<FlowResult>>) => void;
}

export interface FlowResult {
	/** Absent when a package of the same content was reused instead of uploading (`created.reused`). */
	upload?: UploadResult;
	created?: Registration;
	inserted?: { file: string; path: string; format: ConfigFormat };
	record: UploadRecord;
}

/**
 * The upload step, the same for every shell: just-in-time ticket, retries with a fresh ticket, MD5 and SHA-256
 * measured on the way (a registration needs one of them); the file uploaded must be the file the pre-flight checked.
 */
export async function uploadStep(
	client: TicketSource,
	prepared: Pick<PreparedUpload, 'filePath' | 'suffix' | 'size' | 'digests' | 'stamp'>,
	opts: UploadStepOptions = {},
): Promise<UploadResult> {
	await refuseReplacedFile(prepared);
	const upload = await uploadFirmware(client, prepared.filePath, {
		suffix: prepared.suffix,
		signal: opts.signal,
		onProgress: opts.onProgress,
		logger: opts.logger,
		env: opts.env,
		maxAttempts: opts.maxAttempts,
		timeoutMs: opts.timeoutMs,
		hash: true,
		logWarnings: false, // pre-flight warnings are the shell's to show (the pre-flight hands them over)
	});
	refuseChangedUpload(prepared, upload);
	return upload;
}

/**
 * (A package of the same product, version and content already registered? Take it, nothing is uploaded) → (the
 * product and module exist? packageTarget.ts) → upload →
 * (register, with the hash and size measured during the upload) → (insert the URL), all or nothing: a cancel before
 * the insert is done deletes a registration this run created. A failure after the upload keeps what succeeded (the
 * shell reports the FirmwareUrl and FirmwareId with the error).
 */
export async function runFlow(client: FlowClient, prepared: PreparedFlow, hooks: FlowHooks = {}): Promise<FlowResult> {
	const { signal } = hooks;
	const started = {
		...recordStarted({ fileName: path.basename(prepared.filePath), size: prepared.size, suffix: prepared.suffix }),
		image: prepared.image,
	};
	// Before the upload: a package of this product, version and content already registered is taken instead.
	const lookup = sameContentLookup(prepared, { offers: false });
	let listed: readonly FirmwareInfo[] = [];
	const onListed = (items: readonly FirmwareInfo[]): void => void (listed = items);
	const [existing] = lookup
		? await findSameContent(client, lookup.destVersion, prepared.digests ?? {}, lookup.wanted, { ...hooks, onListed })
		: [];
	if (!existing && prepared.create) {
		// Before the ticket: a product or module CreateOTAFirmware would refuse after the upload is refused now.
		await checkPackageTarget(client, prepared.create, { signal, listed, logger: hooks.logger });
	}
	const result: FlowResult = existing
		? {
				created: { firmwareId: existing.firmwareId, firmwareName: existing.firmwareName, adopted: true, reused: existing },
				record: recordReused(started, existing, prepared.digests),
			}
		: await uploadAndRegister(client, prepared, started, hooks);
	if (prepared.insert) {
		if (signal?.aborted && result.created && !result.created.adopted) {
			await undoRegistration(client, result.created.firmwareId, hooks);
		}
		throwIfAborted(signal, 'the firmware registration');
		hooks.onStep?.('insert', 'start', result);
		// The URL came from the endpoint (a ticket, a reused package's record): judged by the one rule before it is written.
		const url = checkFirmwareUrl(result.record.firmwareUrl, client.endpointTrust);
		// insertIntoFile re-reads the file (it may have changed during the upload), refuses read-only files and
		// writes in one rename only if nothing changed it meanwhile.
		await insertIntoFile(prepared.insert.file, prepared.insert.keyPath, url, { format: prepared.insert.format });
		result.inserted = { file: prepared.insert.file, path: prepared.insert.keyPath, format: prepared.insert.format };
		hooks.onStep?.('insert', 'done', result);
	}
	return result;
}

async function uploadAndRegister(client: FlowClient, prepared: PreparedFlow, started: UploadRecord, hooks: FlowHooks): Promise<FlowResult> {
	const { signal } = hooks;
	hooks.onStep?.('upload', 'start', {});
	const upload = await uploadStep(client, prepared, hooks);
	const result: FlowResult = { upload, record: recordUploaded(started, upload) };
	hooks.onStep?.('upload', 'done', result);
	if (prepared.create) {
		throwIfAborted(signal, 'the upload');
		hooks.onStep?.('create', 'start', result);
		const { created, request } = await createStep(client, prepared.create, upload, hooks);
		result.created = created;
		result.record = recordRegistered(result.record, created, request);
		hooks.onStep?.('create', 'done', result);
	}
	return result;
}

/** The uploaded object and the digests of the file uploaded to it: what registering it needs. */
export interface UploadedObject {
	firmwareUrl: string;
	md5: string;
	sha256: string;
	size: number;
}

/**
 * The create step of every single-file registration the CLI makes (`upload --create`, `firmware create`): the request
 * with the sign in the chosen method, then registerFirmware, which adopts a registration of the same FirmwareUrl and,
 * unless `forceNew`, takes a package of the same product, version and content instead of a second one.
 */
export async function createStep(
	client: RegisterClient,
	create: PreparedCreate,
	uploaded: UploadedObject,
	hooks: Pick<FlowHooks, 'signal' | 'logger' | 'onPending'> = {},
): Promise<{ created: Registration; request: CreateFirmwareRequest }> {
	const sign = create.signMethod === 'SHA256' ? uploaded.sha256 : uploaded.md5;
	const request = registrationRequest(create, uploaded.firmwareUrl, sign, uploaded.size);
	const sameContent = create.forceNew ? undefined : { digests: uploaded, reuse: async () => true };
	const created = await registerFirmware(client, request, {
		signal: hooks.signal,
		logger: hooks.logger,
		sameContent,
		onPending: hooks.onPending,
	});
	return { created, request };
}
