import { randomUUID } from 'node:crypto';
import path from 'node:path';
import * as vscode from 'vscode';
import { cancelledError, isCancelled, toOtaError } from '../../core/errors';
import { productOfPackage, type ContentDigests, type ExistingPackage } from '../../core/flow/duplicates';
import { prepareUpload } from '../../core/flow/preflight';
import { recordReused, recordStarted, recordStepFailed, recordUploaded } from '../../core/flow/record';
import { formatBytes } from '../../core/format';
import type { FirmwareSuffix, UploadResult } from '../../core/types';
import { uriFromArg, urisFromSelection } from '../commands/args';
import type { Services } from '../commands/services';
import { shownError, withRetry } from '../commands/wrapper';
import { Commands } from '../constants';
import { createIotClient, requireAccount } from '../credentials/client';
import { coreLogger } from '../log';
import { rowFolderOf } from '../ota/access';
import { rowInstanceOf, type HistoryEntry } from '../model';
import { PromptIds } from '../ui/prompter';
import { registerWindowText } from '../validationText';
import { localFileFor } from './fileAccess';
import { gitInfo, type GitInfo } from '../../core/git';
import { checkImage, chooseSuffix, offerExistingPackage } from './imageChecks';
import { withUploadProgress } from './uploadProgress';

const FIRMWARE_FILTER_EXTENSIONS = ['bin', 'dav', 'apk', 'tar', 'gz', 'zip', 'gzip'];

/**
 * "Upload Firmware to IoT Platform": from the explorer (several selected files: one multi-file package, or each
 * uploaded one after the other), the firmware tree, a history entry (re-upload) or the palette (asks for the file).
 */
export async function uploadCommand(s: Services, arg?: unknown, selection?: unknown): Promise<HistoryEntry | undefined> {
	const busy = s.uploads.busyMessage();
	if (busy) {
		const show = vscode.l10n.t('Show Progress');
		void s.prompter
			.message(PromptIds.uploadBusy, 'info', busy, {}, show)
			.then((choice) => (choice === show ? vscode.commands.executeCommand(Commands.showUploadProgress) : undefined));
		return undefined;
	}
	const selected = urisFromSelection(selection);
	const uris = selected.length > 1 ? selected : [uriFromArg(arg) ?? (await pickFirmwareFile(s))];
	const packaging = uris.length > 1 ? await import('../create/packageFlow.js') : undefined;
	if (packaging && (await packaging.choosePackaging(s, uris))) {
		return (await packaging.uploadPackage(s, uris)).at(-1);
	}
	let last: HistoryEntry | undefined;
	for (const uri of uris) {
		last = await runUpload(s, uri);
	}
	return last;
}

/** The file dialog of a command run from the palette; `dialog` says what it is for (Upload's, unless told). */
export async function pickFirmwareFile(
	s: Services,
	dialog = { title: vscode.l10n.t('Select the firmware file to upload'), openLabel: vscode.l10n.t('Upload') },
): Promise<vscode.Uri> {
	const files = await s.prompter.openFiles(PromptIds.uploadPickFile, {
		...dialog,
		canSelectMany: false,
		canSelectFolders: false,
		defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
		filters: { [vscode.l10n.t('Firmware')]: FIRMWARE_FILTER_EXTENSIONS, [vscode.l10n.t('All files')]: ['*'] },
	});
	if (!files?.[0]) {
		throw cancelledError('the file selection');
	}
	return files[0];
}

/**
 * The core's pre-flight (file, what the image says: a damaged one is refused) → suffix (contents that contradict it are
 * refused) → credentials → a package of the same image already registered? (the user may take it instead) → the core's
 * upload step (ticket + upload + retries, the file uploaded is the file checked) with progress → the core's record of
 * it in the history, status bar and next steps.
 */
export async function runUpload(s: Services, uri: vscode.Uri, presetSuffix?: FirmwareSuffix): Promise<HistoryEntry> {
	const fileName = path.posix.basename(uri.path);
	const local = await localFileFor(uri);
	try {
		const checked = await checkImage(s, local, fileName);
		const suffix = presetSuffix ?? (await chooseSuffix(s, checked.inferredSuffix, fileName));
		const prepared = prepareUpload(checked, suffix);
		for (const warning of prepared.warnings) {
			s.log.warn(`[upload] ${warning}`);
		}
		const account = await requireAccount(s);
		const { client, connection } = await createIotClient(s, account, uri);
		const existing = await offerExistingPackage(s, client, prepared, fileName);
		const entry: HistoryEntry = {
			id: randomUUID(),
			fileUri: uri.toString(),
			profile: account.profile.name,
			region: connection.region,
			...rowInstanceOf(connection),
			...rowFolderOf(uri),
			...recordStarted({ fileName, size: prepared.size, suffix }),
			image: prepared.image,
		};
		if (existing) {
			return await finishReused(s, entry, existing, prepared.digests);
		}
		s.uploads.assertIdle();
		await s.history.add(entry);
		const git = uri.scheme === 'file' ? gitInfo(path.dirname(local.path)) : Promise.resolve<GitInfo>({});
		const controller = new AbortController();
		s.uploads.begin({ entryId: entry.id, fileName, controller });
		s.log.info(`[upload] ${fileName} (${formatBytes(prepared.size)}, suffix ${suffix}) started.`);
		try {
			const result = await withUploadProgress(s, entry.id, fileName, controller, (onProgress) =>
				import('../../core/flow/run.js').then(({ uploadStep }) =>
					uploadStep(client, prepared, {
						signal: controller.signal,
						onProgress,
						logger: coreLogger(s.log, s.mask, 'upload'),
						maxAttempts: s.settings.uploadMaxAttempts(),
						timeoutMs: s.settings.uploadTimeoutMs(),
					}),
				),
			);
			return await finishUploaded(s, entry, result, await git);
		} catch (error) {
			throw await finishFailed(s, entry, error, await git, () => runUpload(s, uri, suffix));
		} finally {
			s.uploads.end(entry.id);
		}
	} finally {
		await local.dispose();
	}
}

async function finishUploaded(s: Services, entry: HistoryEntry, result: UploadResult, git: GitInfo): Promise<HistoryEntry> {
	const uploaded = recordUploaded(entry, result);
	const finishedAt = uploaded.finishedAt ?? Date.now();
	const updated = (await s.history.update(entry.id, { ...uploaded, gitCommit: git.commit, gitDirty: git.dirty })) ?? entry;
	s.statusBar.update({
		kind: 'done',
		fileName: entry.fileName,
		firmwareUrl: result.firmwareUrl,
		size: result.size,
		md5: result.md5,
		durationMs: result.durationMs,
		finishedAt,
		entryRef: { id: entry.id, fileUri: entry.fileUri, status: 'uploaded' },
	});
	s.log.info(
		`[upload] ${entry.fileName} uploaded in ${result.durationMs} ms (${result.attempts} attempt(s), RequestId ${result.requestId ?? '-'}): ${result.firmwareUrl} MD5 ${result.md5}.`,
	);
	void offerNextSteps(s, updated);
	return updated;
}

/** The user took an existing package of the same image: the history row names it and its URL; nothing was uploaded. */
async function finishReused(
	s: Services,
	entry: HistoryEntry,
	existing: ExistingPackage,
	digests: ContentDigests | undefined,
): Promise<HistoryEntry> {
	const reused = recordReused(entry, existing, digests);
	await s.history.add(reused);
	s.log.info(
		`[upload] ${entry.fileName} not uploaded: the same image is OTA package ${existing.firmwareName} (FirmwareId ${existing.firmwareId}, product ${productOfPackage(existing)}, version ${existing.destVersion}).`,
	);
	void offerNextSteps(s, reused);
	return reused;
}

async function finishFailed(s: Services, entry: HistoryEntry, error: unknown, git: GitInfo, retry: () => unknown): Promise<unknown> {
	const otaError = toOtaError(error, s.mask.list());
	const ended = recordStepFailed(entry, otaError, s.mask.list());
	const finishedAt = ended.finishedAt ?? Date.now();
	await s.history.update(entry.id, { ...ended, gitCommit: git.commit, gitDirty: git.dirty });
	if (isCancelled(otaError)) {
		s.statusBar.update({ kind: 'cancelled', fileName: entry.fileName, finishedAt });
		s.log.info(`[upload] ${entry.fileName} cancelled.`);
		return otaError;
	}
	s.statusBar.update({ kind: 'failed', fileName: entry.fileName, message: shownError(otaError, s.mask), finishedAt });
	return withRetry(otaError, retry);
}

async function offerNextSteps(s: Services, entry: HistoryEntry): Promise<void> {
	const insert = vscode.l10n.t('Insert into Config');
	const copy = vscode.l10n.t('Copy URL');
	const create = vscode.l10n.t('Create OTA Firmware…');
	const choice = entry.reused
		? await s.prompter.message(
				PromptIds.uploadResult,
				'info',
				vscode.l10n.t(
					'{0} is OTA package {1} (FirmwareId {2}) already; nothing was uploaded.',
					entry.fileName,
					entry.firmwareName ?? '',
					entry.firmwareId ?? '',
				),
				{},
				insert,
				copy,
			)
		: await s.prompter.message(
				PromptIds.uploadResult,
				'info',
				vscode.l10n.t(
					'Uploaded {0} ({1}). Register it with Create OTA Firmware within {2}, or OSS deletes the file.',
					entry.fileName,
					formatBytes(entry.size),
					registerWindowText(vscode.l10n),
				),
				{},
				insert,
				copy,
				create,
			);
	const command =
		choice === insert
			? Commands.insertFirmwareUrl
			: choice === copy
				? Commands.copyFirmwareUrl
				: choice === create
					? Commands.createOtaFirmware
					: undefined;
	if (command) {
		await vscode.commands.executeCommand(command, entry);
	}
}
