import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CONFIG_FORMATS, computeInsertEdits, describeFormat, detectConfigFormat, type ConfigFormat } from './configInsert';
import { insertIntoFile, readSnapshot } from './configInsert/file';
import { cancelledError, OtaError, throwIfAborted, toOtaError } from './errors';
import { ALLOWED_SUFFIXES_TEXT, checkFirmwareFile, FILE_MESSAGES, inferSuffix, parseSuffix, validateCreateFirmware } from './limits';
import type { Logger } from './logger';
import type {
	CreateFirmwareRequest,
	CreateFirmwareResult,
	FirmwareSuffix,
	SignMethod,
	TicketSource,
	UploadProgress,
	UploadResult,
} from './types';
import { uploadFirmware } from './uploader';

/** What the pipeline needs from the IoT client (IotClient satisfies it). */
export interface FlowClient extends TicketSource {
	createOtaFirmware(req: CreateFirmwareRequest, signal?: AbortSignal): Promise<CreateFirmwareResult>;
	/** Used to undo a registration when the run is cancelled after the platform accepted it. */
	deleteOtaFirmware(firmwareId: string, signal?: AbortSignal): Promise<void>;
}

export interface FlowCreateOptions {
	productKey: string;
	destVersion: string;
	/** Defaults to defaultFirmwareName(file, destVersion). */
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
	create?: FlowCreateOptions;
	insert?: FlowInsertTarget;
}

/** A request that passed every local check; running it only fails for remote or racing reasons. */
export interface PreparedFlow {
	filePath: string;
	suffix: FirmwareSuffix;
	size: number;
	warnings: string[];
	create?: FlowCreateOptions & { firmwareName: string; signMethod: SignMethod };
	insert?: FlowInsertTarget & { format: ConfigFormat };
}

export type FlowStep = 'upload' | 'create' | 'insert';

export interface FlowHooks {
	signal?: AbortSignal;
	logger?: Logger;
	env?: NodeJS.ProcessEnv;
	onProgress?: (progress: UploadProgress) => void;
	/** `soFar` holds the results of the finished steps (on 'done', including this one). */
	onStep?: (step: FlowStep, state: 'start' | 'done', soFar: Readonly<Partial<FlowResult>>) => void;
}

export interface FlowResult {
	upload: UploadResult;
	created?: CreateFirmwareResult & { firmwareName: string };
	inserted?: { file: string; path: string; format: ConfigFormat };
}

const NAME_MAX = 40;
const NAME_ALLOWED = /[A-Za-z0-9\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\-_()]/u;
const NAME_START = /^[A-Za-z0-9\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const PLACEHOLDER_URL = 'https://placeholder.invalid/firmware.bin';

/**
 * "<base name without suffix>-<version>" in CreateOTAFirmware's charset (letters, digits, CJK, - _ ( ))
 * and ≤ 40 characters; the version is kept whole when it fits because it is what tells packages apart.
 */
export function defaultFirmwareName(filePath: string, destVersion: string): string {
	const base = path.basename(filePath.replace(/\\/g, '/'));
	const suffix = inferSuffix(base);
	const stem = suffix ? base.slice(0, base.length - suffix.length - 1) : base;
	const clean = (text: string): string =>
		Array.from(text)
			.map((ch) => (NAME_ALLOWED.test(ch) ? ch : '_'))
			.join('')
			.replace(/_+/g, '_');
	const version = Array.from(clean(destVersion))
		.slice(0, NAME_MAX - 2)
		.join('');
	let head = clean(stem).replace(/^[^A-Za-z0-9\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/u, '');
	if (!head) {
		head = 'firmware';
	}
	const room = NAME_MAX - 1 - Array.from(version).length;
	head =
		Array.from(head)
			.slice(0, Math.max(1, room))
			.join('')
			.replace(/[-_]+$/, '') || 'fw';
	const name = version ? `${head}-${version}` : head;
	const trimmed = Array.from(name).slice(0, NAME_MAX).join('');
	return NAME_START.test(trimmed) ? trimmed : `fw${trimmed}`.slice(0, NAME_MAX);
}

/** Every check that needs no network: file, suffix, CreateOTAFirmware fields, insert target. */
export async function prepareFlow(req: FlowRequest): Promise<PreparedFlow> {
	const info = await checkFirmwareFile(req.filePath);
	const suffix = resolveSuffix(req.filePath, req.suffix, info.inferredSuffix);
	let create: PreparedFlow['create'];
	if (req.create) {
		const signMethod: SignMethod = req.create.signMethod ?? 'MD5';
		create = {
			...req.create,
			signMethod,
			firmwareName: req.create.firmwareName?.trim() || defaultFirmwareName(req.filePath, req.create.destVersion),
		};
		// The sign and URL are not known yet: stand-ins of the right shape let the field rules run now.
		validateCreateFirmware(
			createRequest(create, PLACEHOLDER_URL, signMethod === 'SHA256' ? '0'.repeat(64) : '0'.repeat(32), info.size),
		);
	}
	const insert = req.insert ? await prepareInsert(req.insert) : undefined;
	// "…uploaded as .bin unless you choose a suffix" is moot once a suffix was chosen.
	const moot = FILE_MESSAGES.noAllowedSuffix(path.basename(req.filePath));
	const warnings = req.suffix === undefined ? info.warnings : info.warnings.filter((w) => !w.startsWith(moot));
	return { filePath: req.filePath, suffix, size: info.size, warnings, create, insert };
}

/** Upload → (CreateOTAFirmware with the hash and size measured during the upload) → (insert the URL). */
export async function runFlow(client: FlowClient, prepared: PreparedFlow, hooks: FlowHooks = {}): Promise<FlowResult> {
	const { signal } = hooks;
	hooks.onStep?.('upload', 'start', {});
	const upload = await uploadFirmware(client, prepared.filePath, {
		suffix: prepared.suffix,
		signal,
		onProgress: hooks.onProgress,
		logger: hooks.logger,
		env: hooks.env,
		hash: true,
		logWarnings: false, // prepareFlow already handed them (filtered) to the caller
	});
	const result: FlowResult = { upload };
	hooks.onStep?.('upload', 'done', result);
	if (prepared.create) {
		throwIfAborted(signal, 'the upload');
		hooks.onStep?.('create', 'start', result);
		const sign = prepared.create.signMethod === 'SHA256' ? upload.sha256 : upload.md5;
		// No signal: once the request is on the wire the platform may register it whatever we do, so an abort would
		// only hide the outcome. We wait for the answer and undo the registration below if the run was cancelled.
		const created = await client.createOtaFirmware(createRequest(prepared.create, upload.firmwareUrl, sign, upload.size));
		result.created = { ...created, firmwareName: prepared.create.firmwareName };
		hooks.onStep?.('create', 'done', result);
		if (signal?.aborted) {
			await undoRegistration(client, created.firmwareId, hooks.logger);
		}
	}
	if (prepared.insert) {
		throwIfAborted(signal, 'the firmware registration');
		hooks.onStep?.('insert', 'start', result);
		// insertIntoFile re-reads the file (it may have changed during the upload), refuses read-only files and
		// writes in one rename only if nothing changed it meanwhile.
		await insertIntoFile(prepared.insert.file, prepared.insert.keyPath, upload.firmwareUrl, { format: prepared.insert.format });
		result.inserted = { file: prepared.insert.file, path: prepared.insert.keyPath, format: prepared.insert.format };
		hooks.onStep?.('insert', 'done', result);
	}
	return result;
}

/** Cancelled after CreateOTAFirmware succeeded: delete the package again so nothing is left half done, then report the cancel. */
async function undoRegistration(client: FlowClient, firmwareId: string, logger: Logger | undefined): Promise<never> {
	try {
		await client.deleteOtaFirmware(firmwareId);
		logger?.info(`Cancelled: the OTA firmware ${firmwareId} registered just before was deleted again.`);
	} catch (error) {
		throw new OtaError({
			code: 'CancelledButRegistered',
			source: 'cancelled',
			message: `Cancelled, but the OTA firmware ${firmwareId} registered just before could not be deleted (${toOtaError(error).message}).`,
			hint: 'Delete it in the IoT Platform console (OTA Upgrade → Firmware).',
		});
	}
	throw cancelledError('the firmware registration');
}

function resolveSuffix(filePath: string, given: string | undefined, inferred: FirmwareSuffix | undefined): FirmwareSuffix {
	if (given !== undefined) {
		return parseSuffix(given);
	}
	if (inferred) {
		return inferred;
	}
	throw new OtaError({
		code: 'InvalidFileSuffix',
		source: 'validation',
		message: `Cannot tell the firmware type of "${path.basename(filePath)}" from its name. Allowed suffixes: ${ALLOWED_SUFFIXES_TEXT}.`,
		hint: 'Rename the file to end in one of them, or state the suffix explicitly (--suffix on the command line).',
	});
}

function createRequest(
	opts: NonNullable<PreparedFlow['create']>,
	firmwareUrl: string,
	firmwareSign: string,
	firmwareSize: number,
): CreateFirmwareRequest {
	const req: CreateFirmwareRequest = {
		firmwareUrl,
		firmwareName: opts.firmwareName,
		destVersion: opts.destVersion,
		productKey: opts.productKey,
		firmwareSign,
		signMethod: opts.signMethod,
		firmwareSize,
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
