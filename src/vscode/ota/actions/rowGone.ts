// An Uploads row's package deleted elsewhere (the CLI, the console): an action on the row that reaches the row's place
// and gets the platform's definite not-found answer for the row's FirmwareId marks its rows deleted, as a successful
// Delete Package does (HistoryStore.markPackageDeleted), and says so in the error's hint (docs/protocols.md §4.3).
import { OtaError } from '../../../core/errors';
import { FIRMWARE_NOT_FOUND } from '../../../core/apiErrorCodes';
import type { Services } from '../../commands/services';
import { withShellHint } from '../../errorWordingsShell';
import { reachesRowPlace } from '../../model';
import type { OtaConnection } from '../contract';
import { uploadRowPlace } from './resolve';

/**
 * The FirmwareId of an Uploads row the action reaches at the row's own place (a row with its profile and recorded folder,
 * no follow-up `place`) through `conn`, in the region and instance the row recorded; undefined for anything else: a
 * not-found answer elsewhere (another profile, region, instance, the folder holding a row's file now when the row recorded
 * none) proves nothing. A row written before rows kept their instance is judged by its folder and region alone.
 */
export function rowFirmwareId(arg: unknown, conn: OtaConnection): string | undefined {
	if (typeof arg !== 'object' || arg === null || 'place' in arg || uploadRowPlace(arg) === undefined) {
		return undefined;
	}
	const { firmwareId, folder, region, instance } = (arg as { entry: Record<string, unknown> }).entry;
	const recorded = { region, instance: typeof instance === 'string' ? instance : undefined };
	if (typeof folder !== 'string' || !reachesRowPlace(recorded, conn.connection)) {
		return undefined;
	}
	return typeof firmwareId === 'string' && firmwareId !== '' ? firmwareId : undefined;
}

/** Whether `error` is the platform's not-found answer (never a timeout or another failure). */
export function isPackageNotFound(error: unknown): error is OtaError {
	return error instanceof OtaError && error.code === FIRMWARE_NOT_FOUND;
}

/**
 * `run` (a step of an action on `arg` through `conn`); its not-found answer for a row's package marks the rows of that
 * FirmwareId deleted and is thrown again with a hint that says so (worded in the window, English in the log; the answer's
 * code, RequestId and own wording kept). Any other outcome is `run`'s own.
 */
export async function markedWhenGone<T>(s: Services, arg: unknown, conn: OtaConnection, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		const firmwareId = rowFirmwareId(arg, conn);
		if (firmwareId === undefined || !isPackageNotFound(error)) {
			throw error;
		}
		const rows = await s.history.markPackageDeleted(firmwareId);
		s.log.info(`[uploads] OTA package ${firmwareId} does not exist any more; ${rows} upload(s) marked deleted.`);
		throw withShellHint(error, 'package-deleted-elsewhere');
	}
}
