// What "Export Upload History" writes, decided without vscode (unit-tested in plain Node).
import type { FirmwareSuffix, SignMethod } from '../core/types';
import { loadHistoryRows } from './historyRows';
import { rowEnterpriseInstance, type HistoryEntry, type UploadStatus } from './model';

/** One upload as exported: facts for release notes, never credentials or upload tickets. */
export interface ExportedUpload {
	fileName: string;
	/** Workspace-relative when the file is inside the workspace, else its full path. */
	filePath: string;
	size: number;
	suffix: FirmwareSuffix;
	status: UploadStatus;
	md5?: string;
	sha256?: string;
	gitCommit?: string;
	gitDirty?: boolean;
	firmwareUrl?: string;
	firmwareId?: string;
	firmwareName?: string;
	destVersion?: string;
	productKey?: string;
	/** Absent: the "default" module. */
	moduleName?: string;
	/** 1: a delta package from srcVersion; absent: a full package. */
	type?: 1;
	srcVersion?: string;
	signMethod?: SignMethod;
	/** The version the image itself declares (read before the upload). */
	imageVersion?: string;
	/** An existing package of the same image was taken instead of uploading or registering again. */
	reused?: boolean;
	region: string;
	/** The Enterprise instance its package is at; absent: the region's default instance, or a row that did not record it. */
	iotInstanceId?: string;
	profile: string;
	requestId?: string;
	startedAt: string;
	finishedAt?: string;
	/** Status `deleted`: when its package was deleted. */
	deletedAt?: string;
}

export interface HistoryExport {
	exportedAt: string;
	uploads: ExportedUpload[];
}

export interface HistoryExportOptions {
	now: number;
	/** How the file of an entry is named in the export (vscode.workspace.asRelativePath in the extension). */
	filePath: (fileUri: string) => string;
}

/**
 * Entries → export, newest first. Rows pass the history's own sanitising again and only the fields
 * listed in ExportedUpload are copied, so nothing a row might carry besides them (an error text, the
 * OSS object key) reaches the file.
 */
export function buildHistoryExport(entries: readonly HistoryEntry[], options: HistoryExportOptions): HistoryExport {
	const rows = loadHistoryRows(entries, Number.POSITIVE_INFINITY);
	return {
		exportedAt: new Date(options.now).toISOString(),
		uploads: rows.map((entry) => exportedUpload(entry, options.filePath(entry.fileUri))),
	};
}

function exportedUpload(entry: HistoryEntry, filePath: string): ExportedUpload {
	const upload: ExportedUpload = {
		fileName: entry.fileName,
		filePath,
		size: entry.size,
		suffix: entry.suffix,
		status: entry.status,
		md5: entry.md5,
		sha256: entry.sha256,
		gitCommit: entry.gitCommit,
		gitDirty: entry.gitDirty,
		firmwareUrl: entry.firmwareUrl,
		firmwareId: entry.firmwareId,
		firmwareName: entry.firmwareName,
		destVersion: entry.destVersion,
		productKey: entry.productKey,
		moduleName: entry.moduleName,
		type: entry.type,
		srcVersion: entry.srcVersion,
		signMethod: entry.signMethod,
		imageVersion: entry.image?.declared?.version,
		reused: entry.reused,
		region: entry.region,
		iotInstanceId: rowEnterpriseInstance(entry),
		profile: entry.profile,
		requestId: entry.requestId,
		startedAt: new Date(entry.startedAt).toISOString(),
		finishedAt: entry.finishedAt === undefined ? undefined : new Date(entry.finishedAt).toISOString(),
		deletedAt: entry.deletedAt === undefined ? undefined : new Date(entry.deletedAt).toISOString(),
	};
	return Object.fromEntries(Object.entries(upload).filter(([, value]) => value !== undefined)) as unknown as ExportedUpload;
}

/** The JSON text written to the file. */
export function historyExportText(data: HistoryExport): string {
	return `${JSON.stringify(data, null, 2)}\n`;
}

/** `iot-ota-uploads-YYYY-MM-DD.json` with the local date. */
export function historyExportFileName(date: Date): string {
	const pad = (value: number) => String(value).padStart(2, '0');
	return `iot-ota-uploads-${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}.json`;
}
