import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { cancelledError, OtaError } from '../../core/errors';
import { defaultFirmwareName } from '../../core/flow';
import type { IotClient } from '../../core/iotClient';
import { validateCreateFirmware } from '../../core/limits';
import type { CreateFirmwareRequest, CreateFirmwareResult, SignMethod } from '../../core/types';
import { entryOrPick } from '../commands/pickEntry';
import type { Services } from '../commands/services';
import { withRetry } from '../commands/wrapper';
import { createIotClient, requireAccount, type Account } from '../credentials/client';
import { REGISTER_WINDOW_MS, type HistoryEntry } from '../model';
import { PromptIds } from '../ui/prompter';
import { gitDescribe } from '../upload/git';
import { pickProductKey } from './productPick';
import { detectVersion } from './versionDetect';

const inFlight = new Set<string>();

/** "Create OTA Firmware…": registers an uploaded package (CreateOTAFirmware) and stores the FirmwareId in its history entry. */
export async function createOtaFirmware(s: Services, arg?: unknown): Promise<HistoryEntry> {
	const entry = await entryOrPick(s, arg, (e) => e.status === 'uploaded', vscode.l10n.t('Register which upload as an OTA package?'));
	if (entry.firmwareId) {
		void s.prompter.message(
			PromptIds.info,
			'info',
			vscode.l10n.t('{0} is already registered as FirmwareId {1}.', entry.fileName, entry.firmwareId),
			{},
		);
		return entry;
	}
	if (!entry.firmwareUrl || entry.status !== 'uploaded') {
		throw new OtaError({
			code: 'NotUploaded',
			source: 'validation',
			message: vscode.l10n.t('{0} has not been uploaded successfully, so it cannot be registered.', entry.fileName),
		});
	}
	if (inFlight.has(entry.id)) {
		throw new OtaError({
			code: 'AlreadyRegistering',
			source: 'validation',
			message: vscode.l10n.t('{0} is being registered already.', entry.fileName),
		});
	}
	inFlight.add(entry.id);
	try {
		return await register(s, entry);
	} finally {
		inFlight.delete(entry.id);
	}
}

async function register(s: Services, entry: HistoryEntry): Promise<HistoryEntry> {
	await confirmWindow(s, entry);
	const fileUri = vscode.Uri.parse(entry.fileUri);
	const account = await accountFor(s, entry);
	const { client } = await createIotClient(s, account, fileUri);
	const productKey = await pickProductKey(s, client);
	const base: CreateFirmwareRequest = {
		firmwareUrl: entry.firmwareUrl ?? '',
		productKey,
		destVersion: '1.0.0',
		firmwareName: 'firmware',
	};
	const destVersion = await askField(s, PromptIds.createVersion, 'InvalidDestVersion', (value) => ({ ...base, destVersion: value }), {
		title: vscode.l10n.t('DestVersion (the version devices report after the upgrade)'),
		value: await suggestVersion(s, fileUri),
	});
	const firmwareName = await askField(
		s,
		PromptIds.createName,
		'InvalidFirmwareName',
		(value) => ({ ...base, destVersion, firmwareName: value }),
		{
			title: vscode.l10n.t('FirmwareName (unique in the account, cannot be changed later)'),
			value: defaultFirmwareName(entry.fileName, destVersion),
		},
	);
	const signMethod = await pickSignMethod(s);
	const firmwareSign = await signFor(s, entry, signMethod, fileUri);
	const request: CreateFirmwareRequest = {
		...base,
		destVersion,
		firmwareName,
		signMethod: firmwareSign ? signMethod : undefined,
		firmwareSign,
		firmwareSize: entry.size,
	};
	validateCreateFirmware(request);
	try {
		const result =
			(await findExisting(s, client, request, entry)) ??
			(await vscode.window.withProgress(
				{ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Registering {0}…', firmwareName) },
				() => client.createOtaFirmware(request),
			));
		const updated =
			(await s.history.update(entry.id, {
				status: 'registered',
				firmwareId: result.firmwareId,
				firmwareName,
				destVersion,
				productKey,
				signMethod: request.signMethod,
			})) ?? entry;
		s.log.info(
			`[create] ${entry.fileName} registered as ${firmwareName} ${destVersion} (FirmwareId ${result.firmwareId}, RequestId ${result.requestId ?? '-'}).`,
		);
		const copy = vscode.l10n.t('Copy FirmwareId');
		void s.prompter
			.message(
				PromptIds.info,
				'info',
				vscode.l10n.t('Registered {0} as OTA package {1} (FirmwareId {2}).', entry.fileName, firmwareName, result.firmwareId),
				{},
				copy,
			)
			.then((choice) => (choice === copy ? vscode.env.clipboard.writeText(result.firmwareId) : undefined));
		return updated;
	} catch (error) {
		throw withRetry(error, () => createOtaFirmware(s, entry));
	}
}

async function confirmWindow(s: Services, entry: HistoryEntry): Promise<void> {
	const age = Date.now() - (entry.finishedAt ?? entry.startedAt);
	if (age <= REGISTER_WINDOW_MS) {
		return;
	}
	const anyway = vscode.l10n.t('Register Anyway');
	const choice = await s.prompter.message(
		PromptIds.createLate,
		'warning',
		vscode.l10n.t(
			'{0} was uploaded {1} minutes ago. OSS deletes packages that are not registered within 60 minutes, so registration will probably fail.',
			entry.fileName,
			Math.floor(age / 60000),
		),
		{ modal: true, detail: vscode.l10n.t('Upload the file again to get a fresh FirmwareUrl.') },
		anyway,
	);
	if (choice !== anyway) {
		throw cancelledError('the late registration');
	}
}

/** The profile that uploaded the package (its bucket and account), else the active one. */
async function accountFor(s: Services, entry: HistoryEntry): Promise<Account> {
	const profile = s.profiles.list().find((p) => p.name === entry.profile);
	const credentials = profile ? await s.profiles.getCredentials(profile.name) : undefined;
	if (profile && credentials) {
		s.mask.add(credentials.accessKeySecret, credentials.securityToken);
		return { profile, credentials };
	}
	return requireAccount(s);
}

async function askField(
	s: Services,
	id: string,
	code: string,
	request: (value: string) => CreateFirmwareRequest,
	options: { title: string; value?: string },
): Promise<string> {
	const problem = (value: string): string | undefined => {
		try {
			validateCreateFirmware(request(value.trim()));
			return undefined;
		} catch (error) {
			return error instanceof OtaError && error.code === code ? error.message : undefined;
		}
	};
	const value = await s.prompter.input(id, { title: options.title, value: options.value, ignoreFocusOut: true, validateInput: problem });
	if (value === undefined) {
		throw cancelledError('the OTA package details');
	}
	return value.trim();
}

async function suggestVersion(s: Services, fileUri: vscode.Uri): Promise<string | undefined> {
	if (fileUri.scheme !== 'file') {
		return undefined;
	}
	const root = vscode.workspace.getWorkspaceFolder(fileUri)?.uri.fsPath;
	const found = await detectVersion(path.dirname(fileUri.fsPath), root, {
		readText: (file) => readFile(file, 'utf8').catch(() => undefined),
		gitDescribe: (dir) => gitDescribe(dir),
	});
	if (found) {
		s.log.info(`[create] DestVersion ${found.version} suggested from ${found.source} (${found.from}).`);
	}
	return found?.version;
}

async function pickSignMethod(s: Services): Promise<SignMethod> {
	const items: Array<vscode.QuickPickItem & { method: SignMethod }> = [
		{ label: 'MD5', description: vscode.l10n.t('recommended; accepted by every instance'), method: 'MD5' },
		{ label: 'SHA256', description: vscode.l10n.t('only where your instance supports it'), method: 'SHA256' },
	];
	const chosen = await s.prompter.pick(PromptIds.createSignMethod, items, {
		title: vscode.l10n.t('Signature method (computed locally during the upload)'),
	});
	if (!chosen) {
		throw cancelledError('the sign method selection');
	}
	return chosen.method;
}

/** The digest computed during the upload; re-hashes the file when the entry has none (and the file is unchanged). */
async function signFor(s: Services, entry: HistoryEntry, method: SignMethod, fileUri: vscode.Uri): Promise<string | undefined> {
	const known = method === 'MD5' ? entry.md5 : entry.sha256;
	if (known) {
		return known;
	}
	if (fileUri.scheme !== 'file') {
		return undefined;
	}
	const info = await stat(fileUri.fsPath).catch(() => undefined);
	if (!info || info.size !== entry.size) {
		s.log.warn(
			`[create] ${entry.fileName} changed or vanished since the upload; registering without FirmwareSign (the platform uses the stored object's MD5).`,
		);
		return undefined;
	}
	const hash = createHash(method === 'MD5' ? 'md5' : 'sha256');
	for await (const chunk of createReadStream(fileUri.fsPath)) {
		hash.update(chunk as Buffer);
	}
	return hash.digest('hex');
}

/** A package already registered for this FirmwareUrl (an earlier attempt whose answer was lost): adopt it instead of creating a duplicate. */
async function findExisting(
	s: Services,
	client: IotClient,
	request: CreateFirmwareRequest,
	entry: HistoryEntry,
): Promise<CreateFirmwareResult | undefined> {
	try {
		const page = await client.listOtaFirmware({
			currentPage: 1,
			pageSize: 100,
			productKey: request.productKey,
			destVersion: request.destVersion,
		});
		const samePackage = (url: string | undefined) => Boolean(url && entry.key && url.split('?')[0].endsWith(entry.key));
		const match = page.items.find((f) => samePackage(f.firmwareUrl));
		if (match) {
			s.log.info(`[create] ${entry.fileName} is already registered as FirmwareId ${match.firmwareId}; not creating a duplicate.`);
			return { firmwareId: match.firmwareId, utcCreate: match.utcCreate };
		}
	} catch (error) {
		s.log.debug(
			`[create] ListOTAFirmware before creating failed (continuing): ${s.mask.apply(String((error as Error)?.message ?? error))}`,
		);
	}
	return undefined;
}
