// Several firmware files selected: one multi-file OTA package (CreateOTAFirmware MultiFiles.N), or a package per file.
// The questions are the extension's; every check and step is the core's (core/flow/multiFilePrepare.ts, multiFileRun.ts).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import * as vscode from 'vscode';
import { cancelledError, isCancelled, toOtaError } from '../../core/errors';
import {
	checkPackageFiles,
	defaultPackageName,
	packageDestVersion,
	runMultiFile,
	settlePackage,
	type CheckedPackageFiles,
	type MultiFileResult,
	type PackageFileRequest,
	type PreparedMultiFile,
} from '../../core/flow';
import { PLACEHOLDER_URL } from '../../core/flow/prepare';
import { versionGuard } from '../../core/image';
import { inferSuffix } from '../../core/limits';
import { PACKAGE_FILES_MAX } from '../../core/otaFacts';
import { fitsOnePackage } from '../../core/upload/packageFileRules';
import type { IotClient } from '../../core/iotClient';
import type { CreateFirmwareRequest } from '../../core/types';
import type { Services } from '../commands/services';
import { shownError, withPlace } from '../commands/wrapper';
import { placeAt } from '../ota/access';
import type { OtaPlace } from '../ota/contract';
import { createIotClient, requireAccount, type Account } from '../credentials/client';
import { coreLogger } from '../log';
import { rowInstanceOf, type HistoryEntry } from '../model';
import { PromptIds } from '../ui/prompter';
import { withLocalFiles, type LocalFile } from '../upload/fileAccess';
import type { ResolvedConnection } from '../workspaceTrust';
import { chooseSuffix } from '../upload/imageChecks';
import { formatProgressMessage, Throttle } from '../upload/progressFormat';
import { offerVerify } from './createFlow';
import { versionMismatchText } from './imageQuestions';
import { assertOneConnection } from './packageConnection';
import { pickModule } from './modulePick';
import { recordFiles, recordStopped, type PackageRows } from './packageRows';
import { askField, askSignAndOptions } from './packageQuestions';
import { pickProductKey } from './productPick';

/**
 * "One package with these N files" (true) or "A package per file" (false); cancelled when dismissed. More files than a
 * package holds are uploaded one by one without the question (offering what the core would refuse helps nobody).
 */
export async function choosePackaging(s: Services, uris: readonly vscode.Uri[]): Promise<boolean> {
	if (!fitsOnePackage(uris.length)) {
		s.log.info(`[upload] ${uris.length} files selected, more than one package holds (${PACKAGE_FILES_MAX}): a package per file.`);
		return false;
	}
	const names = uris.map((uri) => path.posix.basename(uri.path)).join(', ');
	const items = [
		{ label: vscode.l10n.t('One package with these {0} files', uris.length), detail: names, one: true },
		{ label: vscode.l10n.t('A package per file'), detail: vscode.l10n.t('Upload each file; register each one on its own'), one: false },
	];
	const chosen = await s.prompter.pick(PromptIds.uploadPackaging, items, {
		title: vscode.l10n.t('Upload {0} firmware files as', uris.length),
		ignoreFocusOut: true,
	});
	if (!chosen) {
		throw cancelledError('the choice of packaging');
	}
	return chosen.one;
}

/** The DestVersion: prefilled with the version the images agree on; one an image contradicts is confirmed or cancelled. */
async function askPackageVersion(s: Services, checked: CheckedPackageFiles, base: CreateFirmwareRequest): Promise<[string, boolean]> {
	let agreed: string | undefined;
	try {
		agreed = packageDestVersion(checked.files, undefined).destVersion;
	} catch {
		agreed = undefined; // the images disagree or declare none: the user types it
	}
	const typed = await askField(s, PromptIds.createVersion, 'InvalidDestVersion', (value) => ({ ...base, destVersion: value }), {
		title: vscode.l10n.t('DestVersion of the package (the version devices report after the upgrade)'),
		value: agreed,
	});
	// The version guard of the CLI, asked instead of refused (as Create OTA Firmware asks for one file), naming every
	// file it holds against: the answer allows each of them.
	const [first, ...others] = checked.files.flatMap(({ name, image: { declared } }) =>
		declared && versionGuard(declared, typed).verdict === 'mismatch' ? [versionMismatchText(name, declared, typed)] : [],
	);
	if (first === undefined) {
		return [typed, false];
	}
	const keep = vscode.l10n.t('Register as {0}', typed);
	const detail = others.length > 0 ? others.join('\n') : undefined;
	if ((await s.prompter.message(PromptIds.createVersionMismatch, 'warning', first, { modal: true, detail }, keep)) !== keep) {
		throw cancelledError('the DestVersion');
	}
	return [typed, true];
}

async function askPackage(s: Services, client: IotClient, checked: CheckedPackageFiles): Promise<PreparedMultiFile> {
	const productKey = await pickProductKey(s, client);
	// askField judges only the field it asks for; the rest of the request is a stand-in (a URL too: the rules of the
	// fields checked after FirmwareUrl, such as FirmwareDesc, are reached only past it).
	const stub = { productKey, destVersion: '1.0.0', firmwareName: 'firmware', firmwareUrl: PLACEHOLDER_URL };
	const moduleName = await pickModule(s, client, stub);
	const base = { ...stub, ...(moduleName ? { moduleName } : {}) };
	const [destVersion, allowVersionMismatch] = await askPackageVersion(s, checked, base);
	const firmwareName = await askField(
		s,
		PromptIds.createName,
		'InvalidFirmwareName',
		(value) => ({ ...base, destVersion, firmwareName: value }),
		{
			title: vscode.l10n.t('FirmwareName (unique in the account, cannot be changed later)'),
			value: defaultPackageName(checked.files, destVersion),
		},
	);
	const { signMethod, ...options } = await askSignAndOptions(s, { ...base, destVersion, firmwareName });
	return settlePackage(checked, { productKey, moduleName, destVersion, allowVersionMismatch, firmwareName, signMethod, ...options });
}

/** Uploads the files one after the other and registers them, under a notification that says which file is uploading. */
function uploadWithProgress(s: Services, client: IotClient, prepared: PreparedMultiFile): Promise<MultiFileResult> {
	const controller = new AbortController();
	const id = randomUUID();
	const count = prepared.files.length;
	s.uploads.begin({ entryId: id, fileName: prepared.create.firmwareName, controller });
	const title = vscode.l10n.t('Uploading OTA package {0} ({1} files)', prepared.create.firmwareName, count);
	return s.prompter
		.progress(PromptIds.packageUpload, title, (signal, report) => {
			signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
			const throttle = new Throttle(250);
			let current = '';
			let fileName = '';
			return runMultiFile(client, prepared, {
				signal: controller.signal,
				logger: coreLogger(s.log, s.mask, 'upload'),
				maxAttempts: s.settings.uploadMaxAttempts(),
				timeoutMs: s.settings.uploadTimeoutMs(),
				onFile: (file) => {
					fileName = file.name;
					current = vscode.l10n.t('File {0} of {1}: {2}', file.index, file.count, file.name);
					report(current);
					s.log.info(`[upload] ${file.name} (file ${file.index} of ${file.count} of ${prepared.create.firmwareName}) started.`);
				},
				onProgress: (progress) => {
					s.uploads.report(progress);
					s.statusBar.update({ kind: 'uploading', fileName, ...progress });
					if (throttle.ready(false)) {
						report(`${current} · ${formatProgressMessage(progress, vscode.l10n)}`);
					}
				},
				onRegistering: () => report(vscode.l10n.t('Registering {0}…', prepared.create.firmwareName)),
			});
		})
		.then(
			(result) => {
				s.statusBar.update({ kind: 'idle' }); // the package is announced by its notification
				return result;
			},
			(error: unknown) => {
				const otaError = toOtaError(error, s.mask.list());
				const fileName = prepared.create.firmwareName;
				const finishedAt = Date.now();
				s.statusBar.update(
					isCancelled(otaError)
						? { kind: 'cancelled', fileName, finishedAt }
						: { kind: 'failed', fileName, message: shownError(otaError, s.mask), finishedAt },
				);
				throw error;
			},
		)
		.finally(() => s.uploads.end(id));
}

/** A package whose every check passed and whose questions are answered, and the account it goes to. */
export interface PackageToUpload {
	prepared: PreparedMultiFile;
	account: Account;
	client: IotClient;
	connection: ResolvedConnection;
}

/**
 * Files whose folders' settings choose different connections are refused first (packageConnection.ts). The core's
 * pre-flight of every file (nothing is sent before all pass), then the product, DestVersion, FirmwareName and
 * sign method: what the package's upload, or its plan (Show Upload Commands), starts from. `locals` are the files' paths.
 */
export async function preparePackage(s: Services, uris: readonly vscode.Uri[], locals: readonly LocalFile[]): Promise<PackageToUpload> {
	const active = s.profiles.active();
	if (active) {
		assertOneConnection(s, uris, active);
	}
	const requests: PackageFileRequest[] = [];
	for (const [index, uri] of uris.entries()) {
		const name = path.posix.basename(uri.path);
		// A name without an allowed suffix: asked, as for one file (iotOta.suffixMode "ask"), else the core refuses it.
		const ask = inferSuffix(name) === undefined && s.settings.suffixMode() === 'ask';
		requests.push({ filePath: locals[index].path, name, suffix: ask ? await chooseSuffix(s, undefined, name) : undefined });
	}
	const checked = await s.prompter.progress(PromptIds.packageRead, vscode.l10n.t('Reading {0} files…', uris.length), (signal) =>
		checkPackageFiles(requests, { signal, versionMarker: s.settings.versionMarker() }),
	);
	const account = await requireAccount(s);
	assertOneConnection(s, uris, account.profile); // the profile just configured, when there was none
	const { client, connection } = await createIotClient(s, account, uris[0]);
	const prepared = await askPackage(s, client, checked);
	for (const warning of prepared.warnings) {
		s.log.warn(`[upload] ${warning}`);
	}
	return { prepared, account, client, connection };
}

/** "One package with these N files": preparePackage, then the core's upload of each file and one registration. */
export function uploadPackage(s: Services, uris: readonly vscode.Uri[]): Promise<HistoryEntry[]> {
	return withLocalFiles(uris, async (locals) => {
		const { prepared, account, client, connection } = await preparePackage(s, uris, locals);
		s.uploads.assertIdle();
		const where = { profile: account.profile.name, region: connection.region, ...rowInstanceOf(connection) };
		const rows: PackageRows = { uris, prepared, where };
		// Where it is registered: a cancel's Delete Package and the Verify… offered after it go to this profile and folder.
		const place = placeAt(account.profile.name, uris[0]);
		const result = await uploadWithProgress(s, client, prepared).catch(async (error: unknown) => {
			await recordStopped(s, error, rows);
			throw withPlace(error, place);
		});
		const entries = await recordFiles(s, result.files, rows, { registered: result });
		const { firmwareId, firmwareName } = result.created;
		s.log.info(
			`[create] ${result.files.length} files registered as ${firmwareName} ${prepared.create.destVersion} (FirmwareId ${firmwareId}).`,
		);
		s.ota.view.refresh({ productKey: prepared.create.productKey });
		void announce(s, result, prepared.create.productKey, place);
		return entries;
	});
}

function announce(s: Services, result: MultiFileResult, productKey: string, place: OtaPlace): Promise<void> {
	const { firmwareId, firmwareName } = result.created;
	const text = vscode.l10n.t('Registered {0} files as OTA package {1} (FirmwareId {2}).', result.files.length, firmwareName, firmwareId);
	return offerVerify(s, PromptIds.packageRegistered, text, { firmwareId, productKey, place });
}
