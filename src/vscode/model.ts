import type { UploadRecord } from '../core/flow/record';

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

export type { UploadStatus } from '../core/flow/record';

/** One row of the per-workspace upload history (workspaceState): the core's record of the upload, plus where from. */
export interface HistoryEntry extends UploadRecord {
	id: string;
	/** File URI as string (works for remote windows). */
	fileUri: string;
	profile: string;
	region: string;
	/**
	 * The workspace folder that held the file when it was uploaded, as URI text (OtaPlace.folder): its settings chose where
	 * the row's package is; OUTSIDE_FOLDERS for a file in no folder (the window's settings chose). Rows written before it
	 * was recorded have none.
	 */
	folder?: string;
	gitCommit?: string;
	gitDirty?: boolean;
}

export { REGISTER_WINDOW_MS } from '../core/otaFacts';

/** An Uploads row's `folder` when its file was in no workspace folder: not URI text, so no folder ever matches it. */
export const OUTSIDE_FOLDERS = 'outside-folders';
