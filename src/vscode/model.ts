import type { FirmwareSuffix, SignMethod } from '../core/types';

/** A credential profile as persisted in globalState; secrets live in SecretStorage under SecretKeys. */
export interface ProfileRecord {
	name: string;
	accessKeyId: string;
	region: string;
	iotInstanceId?: string;
	/** Custom endpoint (e.g. the local sandbox); undefined = the region's public endpoint. */
	endpoint?: string;
	hasSecurityToken: boolean;
	/** 'sandbox' profiles are created by "Start Local Sandbox". */
	kind: 'user' | 'sandbox';
}

export type UploadStatus = 'uploading' | 'uploaded' | 'registered' | 'failed' | 'interrupted' | 'cancelled';

/** One row of the per-workspace upload history (workspaceState). */
export interface HistoryEntry {
	id: string;
	/** File URI as string (works for remote windows). */
	fileUri: string;
	fileName: string;
	size: number;
	suffix: FirmwareSuffix;
	md5?: string;
	sha256?: string;
	gitCommit?: string;
	gitDirty?: boolean;
	profile: string;
	region: string;
	startedAt: number;
	finishedAt?: number;
	status: UploadStatus;
	firmwareUrl?: string;
	key?: string;
	/** Set once CreateOTAFirmware succeeded. */
	firmwareId?: string;
	firmwareName?: string;
	destVersion?: string;
	productKey?: string;
	signMethod?: SignMethod;
	/** Redacted error message for failed uploads. */
	error?: string;
	requestId?: string;
}

/** CreateOTAFirmware must follow the upload within 60 minutes or OSS deletes the file. */
export const REGISTER_WINDOW_MS = 60 * 60 * 1000;
