import path from 'node:path';
import * as vscode from 'vscode';
import { cancelledError, isCancelled } from '../../core/errors';
import { shellRefusal } from '../errorWordingsShell';
import {
	defaultFirmwareName,
	firmwareSignFor,
	recordAwaitsRegistration,
	recordMayBeRegistered,
	registerFirmware,
	registrationRequest,
	type Registration,
} from '../../core/flow';
import type { CreateFirmwareRequest } from '../../core/types';
import { entryOrPick } from '../commands/pickEntry';
import type { Services } from '../commands/services';
import { withPlace, withRetry } from '../commands/wrapper';
import { assertFolderOpen, rowPlace } from '../ota/access';
import type { OtaPlace } from '../ota/contract';
import { Commands } from '../constants';
import { createIotClient, requireAccount, type Account } from '../credentials/client';
import { coreLogger } from '../log';
import { REGISTER_WINDOW_MS, type HistoryEntry } from '../model';
import { PromptIds } from '../ui/prompter';
import { registerWindowText } from '../validationText';
import { askReuse, confirmDestVersion, imageDestVersion } from './imageQuestions';
import { pickModule } from './modulePick';
import { confirmPlace, uploadAgainHere } from './placeWarning';
import { askField, askSignAndOptions, type PackageOptions } from './packageQuestions';
import { pickProductKey } from './productPick';
import { recordRegistration } from './registeredRow';
import { detectVersion, localVersionProbe } from '../../core/flow/versionDetect';

/** The answers of a registration that failed: its Retry offers them first, so nothing answered is lost. */
interface Answers {
	moduleName?: string;
	destVersion: string;
	firmwareName: string;
	options: PackageOptions;
}

type Registered = HistoryEntry | 'uploadAgain';

/** "Create OTA Firmware…": registers an uploaded package (CreateOTAFirmware) and stores the FirmwareId in its history entry. */
export async function createOtaFirmware(s: Services, arg?: unknown): Promise<HistoryEntry> {
	const entry = await entryOrPick(s, arg, recordAwaitsRegistration, vscode.l10n.t('Register which upload as an OTA package?'));
	return registerEntry(s, entry);
}

async function registerEntry(s: Services, entry: HistoryEntry, previous?: Answers): Promise<HistoryEntry> {
	if (entry.status === 'registered' && entry.firmwareId) {
		void s.prompter.message(
			PromptIds.info,
			'info',
			vscode.l10n.t('{0} is already registered as FirmwareId {1}.', entry.fileName, entry.firmwareId),
			{},
		);
		return entry;
	}
	if (!entry.firmwareUrl || !recordAwaitsRegistration(entry)) {
		throw shellRefusal('NotUploaded', 'not-uploaded', { fileName: entry.fileName });
	}
	const controller = new AbortController();
	if (!s.uploads.beginRegistration(entry.id, controller)) {
		throw shellRefusal('AlreadyRegistering', 'registering-already', { fileName: entry.fileName });
	}
	let registered: Registered;
	try {
		registered = await register(s, entry, controller, previous);
	} finally {
		s.uploads.endRegistration(entry.id, controller);
	}
	return registered === 'uploadAgain' ? uploadAgainHere(entry) : registered;
}

/**
 * The questions, then the core's registration step (duplicate check, CreateOTAFirmware, undo on cancel); 'uploadAgain'
 * when the connection moved since the upload and the user chose to upload the file again here instead.
 */
async function register(s: Services, entry: HistoryEntry, controller: AbortController, previous?: Answers): Promise<Registered> {
	const fileUri = vscode.Uri.parse(entry.fileUri);
	const account = await accountFor(s, entry);
	// Where it is registered: the settings the upload used (rowPlace); a cancel's Delete Package and the Verify… offered
	// after it go there too.
	const place = rowPlace(account.profile.name, entry);
	if (account.profile.kind !== 'sandbox') {
		// Uploaded with the settings of the folder it recorded: without that folder another instance could be reached.
		// Refused before the warnings below: a refused row asks nothing.
		assertFolderOpen(place);
	}
	const scope = place.scope === undefined ? undefined : fileUri;
	// The settings may have changed since the upload: asked first, as Upload Again Here makes the other warnings moot.
	if ((await confirmPlace(s, entry, account.profile, scope, fileUri)) === 'uploadAgain') {
		return 'uploadAgain';
	}
	await confirmMayBeRegistered(s, entry);
	await confirmWindow(s, entry);
	const { client, connection } = await createIotClient(s, account, scope);
	const productKey = await pickProductKey(s, client);
	// askField judges only the field it asks for; the rest of the request is a stand-in.
	const stub: CreateFirmwareRequest & { firmwareUrl: string } = {
		firmwareUrl: entry.firmwareUrl ?? '',
		productKey,
		destVersion: '1.0.0',
		firmwareName: 'firmware',
	};
	const moduleName = await pickModule(s, client, stub, previous?.moduleName);
	const base = { ...stub, ...(moduleName ? { moduleName } : {}) };
	const typedVersion = await askField(s, PromptIds.createVersion, 'InvalidDestVersion', (value) => ({ ...base, destVersion: value }), {
		title: vscode.l10n.t('DestVersion (the version devices report after the upgrade)'),
		value: previous?.destVersion ?? imageDestVersion(entry) ?? (await suggestVersion(s, fileUri)),
	});
	const destVersion = await confirmDestVersion(s, entry, typedVersion);
	const firmwareName = await askField(
		s,
		PromptIds.createName,
		'InvalidFirmwareName',
		(value) => ({ ...base, destVersion, firmwareName: value }),
		{
			title: vscode.l10n.t('FirmwareName (unique in the account, cannot be changed later)'),
			value: previous?.firmwareName ?? defaultFirmwareName(entry.fileName, destVersion, entry.sha256 ?? entry.md5),
		},
	);
	const { signMethod, ...options } = await askSignAndOptions(s, { ...base, destVersion, firmwareName }, previous?.options);
	const filePath = fileUri.scheme === 'file' ? fileUri.fsPath : undefined;
	const firmwareSign = await firmwareSignFor(entry, signMethod, filePath);
	if (!firmwareSign && filePath) {
		s.log.warn(
			`[create] ${entry.fileName} changed or vanished since the upload; registering without FirmwareSign (the platform uses the stored object's MD5).`,
		);
	}
	const request = registrationRequest(
		{ productKey, moduleName, destVersion, firmwareName, signMethod, ...options },
		base.firmwareUrl,
		firmwareSign,
		entry.size,
	);
	try {
		const digests = {
			md5: entry.md5 ?? (signMethod === 'MD5' ? firmwareSign : undefined),
			sha256: entry.sha256 ?? (signMethod === 'SHA256' ? firmwareSign : undefined),
			size: entry.size,
		};
		// Cancel on the notification or "Cancel Upload" on the entry aborts through `controller`.
		const registration = await s.prompter.progress(
			PromptIds.createProgress,
			vscode.l10n.t('Registering {0}…', firmwareName),
			(signal) =>
				registerFirmware(client, request, {
					signal,
					logger: coreLogger(s.log, s.mask, 'create'),
					sameContent: { digests, reuse: askReuse(s, entry) },
				}),
			controller,
		);
		const updated = await recordRegistration(s.history, entry, { registration, request, place, connection });
		s.log.info(
			`[create] ${entry.fileName} ${registration.adopted ? 'was already registered' : 'registered'} as ${registration.firmwareName} ${destVersion} (FirmwareId ${registration.firmwareId}, RequestId ${registration.requestId ?? '-'}).`,
		);
		void announce(s, entry, registration, productKey, place);
		return updated;
	} catch (error) {
		// A cancel may leave the package registered: its Delete Package goes to `place`.
		const answers = { moduleName, destVersion, firmwareName, options };
		throw withPlace(isCancelled(error) ? error : withRetry(error, () => registerEntry(s, entry, answers)), place);
	}
}

async function announce(s: Services, entry: HistoryEntry, registration: Registration, productKey: string, place: OtaPlace): Promise<void> {
	const text = registration.reused
		? vscode.l10n.t(
				'{0}: the existing OTA package {1} (FirmwareId {2}) is used. The file just uploaded is not registered; OSS deletes it within {3}.',
				entry.fileName,
				registration.firmwareName,
				registration.firmwareId,
				registerWindowText(vscode.l10n),
			)
		: registration.adopted
			? vscode.l10n.t(
					'{0} was already registered as OTA package {1} (FirmwareId {2}); no second registration was created.',
					entry.fileName,
					registration.firmwareName,
					registration.firmwareId,
				)
			: vscode.l10n.t(
					'Registered {0} as OTA package {1} (FirmwareId {2}).',
					entry.fileName,
					registration.firmwareName,
					registration.firmwareId,
				);
	await offerVerify(s, PromptIds.info, text, { firmwareId: registration.firmwareId, productKey, place });
}

/**
 * A registration's announcement, with its next steps: Verify… (the package on test devices) and Copy FirmwareId. Verify…
 * goes to the `place` of the registration: its profile and its file's folder settings (region, endpoint, instance).
 */
export async function offerVerify(
	s: Services,
	promptId: string,
	text: string,
	registered: { firmwareId: string; productKey: string; place: OtaPlace },
): Promise<void> {
	const { firmwareId } = registered;
	const verify = vscode.l10n.t('Verify…');
	const copy = vscode.l10n.t('Copy FirmwareId');
	const choice = await s.prompter.message(promptId, 'info', text, {}, verify, copy);
	if (choice === copy) {
		await vscode.env.clipboard.writeText(firmwareId);
	} else if (choice === verify) {
		await vscode.commands.executeCommand(Commands.verifyOnDevices, registered);
	}
}

/**
 * A file of a package whose CreateOTAFirmware got no definite answer may be registered already, in that package: asked
 * before it is registered again. The row's error is the core's text of it (which package, where to look).
 */
async function confirmMayBeRegistered(s: Services, entry: HistoryEntry): Promise<void> {
	if (!recordMayBeRegistered(entry)) {
		return;
	}
	const text = vscode.l10n.t(
		'{0} may already be registered, as a file of an OTA package. Check the OTA Packages view (or the package list) first.',
		entry.fileName,
	);
	await warnOrCancel(
		s,
		PromptIds.createMayBeRegistered,
		text,
		entry.error,
		vscode.l10n.t('Create Anyway'),
		'the registration of a file that may be registered',
	);
}

async function confirmWindow(s: Services, entry: HistoryEntry): Promise<void> {
	const age = Date.now() - (entry.finishedAt ?? entry.startedAt);
	if (age <= REGISTER_WINDOW_MS) {
		return;
	}
	const text = vscode.l10n.t(
		'{0} was uploaded {1} minutes ago. OSS deletes packages that are not registered within {2}, so registration will probably fail.',
		entry.fileName,
		Math.floor(age / 60_000),
		registerWindowText(vscode.l10n),
	);
	const detail = vscode.l10n.t('Upload the file again to get a fresh FirmwareUrl.');
	await warnOrCancel(s, PromptIds.createLate, text, detail, vscode.l10n.t('Register Anyway'), 'the late registration');
}

/** A modal warning whose one button (`anyway`) goes on; dismissed, the command is cancelled at `stage`. */
async function warnOrCancel(
	s: Services,
	id: string,
	text: string,
	detail: string | undefined,
	anyway: string,
	stage: string,
): Promise<void> {
	if ((await s.prompter.message(id, 'warning', text, { modal: true, detail }, anyway)) !== anyway) {
		throw cancelledError(stage);
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

async function suggestVersion(s: Services, fileUri: vscode.Uri): Promise<string | undefined> {
	if (fileUri.scheme !== 'file') {
		return undefined;
	}
	const root = vscode.workspace.getWorkspaceFolder(fileUri)?.uri.fsPath;
	const found = await detectVersion(path.dirname(fileUri.fsPath), root, localVersionProbe);
	if (found) {
		s.log.info(`[create] DestVersion ${found.version} suggested from ${found.source} (${found.from}).`);
	}
	return found?.version;
}
