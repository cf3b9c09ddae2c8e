// The Uploads view's rows of a multi-file package: one per uploaded file, registered with the package or, when it
// stopped, kept to register within the window.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { toOtaError } from '../../core/errors';
import {
	recordRegistered,
	recordStarted,
	recordUploaded,
	uploadedBeforeStop,
	type MultiFileResult,
	type PreparedMultiFile,
	type UploadedPackageFile,
} from '../../core/flow';
import { printable } from '../../core/printable';
import type { Services } from '../commands/services';
import { stoppedPackageNote } from './stoppedPackageNote';
import type { HistoryEntry } from '../model';
import { rowFolderOf } from '../ota/access';

/** Where a package's files were uploaded to and from, for their history rows. */
export interface PackageRows {
	uris: readonly vscode.Uri[];
	prepared: PreparedMultiFile;
	where: { profile: string; region: string; instance: string };
}

/**
 * One history row per uploaded file (the files go up in order: the n-th uploaded is the n-th selected), as a single
 * upload's row; registered ones (`registered`) name the package they are part of; the others carry `note` (the error of
 * a package that may be registered with them, shown in the row's details).
 */
export async function recordFiles(
	s: Services,
	files: readonly UploadedPackageFile[],
	{ uris, prepared, where }: PackageRows,
	{ registered, note }: { registered?: MultiFileResult; note?: string } = {},
): Promise<HistoryEntry[]> {
	const entries = files.map((file, index): HistoryEntry => {
		const started = recordStarted({ fileName: file.name, size: file.upload.size, suffix: file.upload.suffix }, file.startedAt);
		const uploaded = recordUploaded(
			{
				...started,
				id: randomUUID(),
				fileUri: uris[index].toString(),
				...where,
				...rowFolderOf(uris[index]),
				image: prepared.files[index].image,
			},
			file.upload,
			file.finishedAt,
		);
		return registered ? recordRegistered(uploaded, registered.created, registered.request) : { ...uploaded, error: note };
	});
	for (const entry of entries) {
		await s.history.add(entry);
	}
	return entries;
}

/**
 * The files uploaded before the package stopped stay in the Uploads view, to register within the window (OSS deletes
 * them after it; nowhere else keeps their FirmwareUrls). When its CreateOTAFirmware got no definite answer the package
 * may exist with them: their rows then carry its error as its notification words it (stoppedPackageNote.ts),
 * which says to check the package list before registering any (docs/extension.md). A failure to save them is logged:
 * the package's own error is what the user must see.
 */
export async function recordStopped(s: Services, error: unknown, rows: PackageRows): Promise<void> {
	const note = stoppedPackageNote(error, vscode.l10n, s.mask);
	try {
		await recordFiles(s, uploadedBeforeStop(error), rows, { note });
	} catch (failure) {
		const files = uploadedBeforeStop(error).map((file) => `${file.name}: ${file.upload.firmwareUrl}`);
		s.log.error(
			`[upload] The uploaded files could not be saved in the Uploads view (${printable(s.mask.apply(toOtaError(failure).message))}): ${files.join(', ')}`,
		);
	}
}
