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
	/**
	 * The IotInstanceId its package is at (the connection of its upload, then of its registration); DEFAULT_INSTANCE when
	 * the connection sent none. Rows written before it was recorded have none (docs/protocols.md §4.3).
	 */
	instance?: string;
	gitCommit?: string;
	gitDirty?: boolean;
}

export { REGISTER_WINDOW_MS } from '../core/otaFacts';

/** An Uploads row's `folder` when its file was in no workspace folder: not URI text, so no folder ever matches it. */
export const OUTSIDE_FOLDERS = 'outside-folders';

/** An Uploads row's `instance` when its connection sent no IotInstanceId (the region's default instance): not an instance id. */
export const DEFAULT_INSTANCE = 'region-default';

/** The instance a connection reaches, as an Uploads row records it. */
export function rowInstanceOf(connection: { iotInstanceId?: string }): { instance: string } {
	return { instance: connection.iotInstanceId || DEFAULT_INSTANCE };
}

/**
 * Whether a connection reaches the region and instance an Uploads row recorded; a row written before rows kept their
 * instance is judged by its region alone (docs/protocols.md §4.3).
 */
export function reachesRowPlace(
	row: { region?: unknown; instance?: string },
	connection: { region: string; iotInstanceId?: string },
): boolean {
	return row.region === connection.region && (row.instance === undefined || row.instance === rowInstanceOf(connection).instance);
}

/** The Enterprise instance an Uploads row's package is at; undefined for the region's default instance and for older rows. */
export function rowEnterpriseInstance(entry: { instance?: string }): string | undefined {
	return entry.instance === DEFAULT_INSTANCE ? undefined : entry.instance;
}
