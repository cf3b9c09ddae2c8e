// When a watch goes on and when it ends: the errors no retry can mend, the wait before a retry, what a persisted watch
// must hold (and keeps of its connection), whether a Watch Job sets another guard, which clients a watch polls with, where
// it polls on when its folder is gone.
import * as vscode from 'vscode';
import { ACCESS_KEY_NOT_FOUND, JOB_NOT_FOUND } from '../../core/apiErrorCodes';
import type { GuardPolicy } from '../../core/lifecycle';
import { endpointSecretPart } from '../../core/regions';
import { connectionKey, type ConnectionChoice } from '../credentials/folderConnection';
import { plainL10n, type Translator } from '../upload/progressFormat';
import type { OtaAccess, OtaConnection, OtaPlace, WatchedJob } from './contract';

/** The wait before retrying after the n-th failed refresh in a row: 5 s doubling up to 5 min. */
export const defaultRetryDelay = (failures: number) => Math.min(300_000, 5000 * 2 ** Math.min(failures - 1, 6));

/**
 * Errors no retry can mend: the job is gone (docs/protocols.md §11.10), or the watch's profile has no credentials, or
 * its AccessKey is unknown (§5.1), or the folder whose settings it polls with is no longer open.
 */
export const PERMANENT = new Set(['NoCredentials', JOB_NOT_FOUND, ACCESS_KEY_NOT_FOUND, 'FolderNotOpen']);

export const sameGuard = (a: GuardPolicy | undefined, b: GuardPolicy | undefined) =>
	a?.failurePercent === b?.failurePercent && a?.minFinished === b?.minFinished;

const sandboxStoppedText = (l10n: Translator) => l10n.t('The Local sandbox was stopped.');

/** Why the watches of the Local Sandbox's profile ended when the user stopped it (none restarts it): shown, and logged in English. */
export const sandboxStopped = () => ({
	sandboxStopped: true as const,
	error: sandboxStoppedText(vscode.l10n),
	logged: sandboxStoppedText(plainL10n),
});

const optionalText = (value: unknown) => value === undefined || typeof value === 'string';

/**
 * Whether a saved watch may keep `endpoint`: not one with a part that may hold a secret, which the calls refuse too
 * (core/regions.ts endpointSecretPart). None: the region's endpoint.
 */
const keepableEndpoint = (endpoint: string | undefined) => endpoint === undefined || endpointSecretPart(endpoint) === undefined;

const isSavedConnection = (value: unknown): value is ConnectionChoice => {
	const v = value as Partial<ConnectionChoice> | null | undefined;
	return typeof v?.region === 'string' && optionalText(v.endpoint) && optionalText(v.iotInstanceId);
};

/** A saved watch; one saved before watches had places (no scope, no folder) or kept their connection is one too (resumable). */
export function isWatchedJob(value: unknown): value is WatchedJob {
	const v = value as Partial<WatchedJob> | undefined;
	return (
		typeof v?.jobId === 'string' &&
		typeof v.profile === 'string' &&
		typeof v.since === 'number' &&
		optionalText(v.scope) &&
		optionalText(v.folder)
	);
}

/**
 * A saved watch as it resumes: of its connection, the region, endpoint and instance id a watch saves (watchedConnection).
 * A malformed connection, or one a watch may not keep, is left out, not the watch (its halt guard still acts): it resumes as
 * one saved before watches kept their connection, and the next save drops what that connection held. It follows a re-run
 * (`afterRerun`) only when it saved `true`; anything else there is dropped.
 */
export function resumable(watched: WatchedJob): WatchedJob {
	const { connection, afterRerun, ...rest } = watched;
	return {
		...rest,
		...(afterRerun === true ? { afterRerun } : {}),
		...(isSavedConnection(connection) ? watchedConnection(rest, connection) : {}),
	};
}

/**
 * What a watch with a place saves of the connection `used` (its region, endpoint and instance id: nothing else of it, no
 * secret): what placeInstead finds another folder of after a reload. None without a place (it never moves), nor for an
 * endpoint a saved watch may not keep (keepableEndpoint).
 */
export function watchedConnection(watched: Pick<WatchedJob, 'scope'>, used: ConnectionChoice | undefined): Pick<WatchedJob, 'connection'> {
	if (watched.scope === undefined || used === undefined || !keepableEndpoint(used.endpoint)) {
		return {};
	}
	const { region, endpoint, iotInstanceId } = used;
	return {
		connection: { region, ...(endpoint === undefined ? {} : { endpoint }), ...(iotInstanceId === undefined ? {} : { iotInstanceId }) },
	};
}

/** Whether two saved connections are one (connectionKey, the rule of the view's rows); none is only the same as none. */
export const sameConnection = (a: ConnectionChoice | undefined, b: ConnectionChoice | undefined) =>
	a === undefined || b === undefined ? a === b : connectionKey(a) === connectionKey(b);

/**
 * A place as a saved watch keeps it (its `scope` and `folder`; the profile is the watch's own): none for a place without a
 * file, whose connection is the profile's with the window's settings. `placeOf` reads it back.
 */
export function watchedPlace(place: OtaPlace | undefined): Pick<WatchedJob, 'scope' | 'folder'> {
	return place?.scope === undefined ? {} : { scope: place.scope, ...(place.folder === undefined ? {} : { folder: place.folder }) };
}

/** The place a watch polls at, when it was started with one (the inverse of `watchedPlace`). */
export function placeOf({ profile, scope, folder }: WatchedJob): OtaPlace | undefined {
	return scope === undefined ? undefined : { profile, scope, ...(folder === undefined ? {} : { folder }) };
}

/**
 * The clients a watch polls with: its place's (that folder's settings), else its profile's (the window's settings);
 * undefined when the profile has no credentials on this machine. A place's connection is made anew for each call.
 */
export async function watchConnection(access: OtaAccess, watched: WatchedJob): Promise<OtaConnection | undefined> {
	const place = placeOf(watched);
	if (!place) {
		return access.forProfile(watched.profile);
	}
	return (await access.hasCredentials(place.profile)) ? access.connectAt(place) : undefined;
}

/**
 * Where a watch whose place's folder was removed polls on: another open folder whose settings choose the connection it
 * last polled with (same profile, region, endpoint, instance: the job is in that instance), found by `placeChoosing`.
 * Before its first connection in this session (a saved watch resumed after a reload), the connection it saved; a watch
 * saved without one (before watches kept it) ends. None for the same folder.
 */
export function placeInstead(
	watched: WatchedJob,
	last: OtaConnection | undefined,
	placeChoosing: ((profile: string, connection: ConnectionChoice) => OtaPlace | undefined) | undefined,
): OtaPlace | undefined {
	const used = last?.connection ?? watched.connection;
	if (watched.scope === undefined || !used || !placeChoosing) {
		return undefined;
	}
	const place = placeChoosing(watched.profile, { region: used.region, endpoint: used.endpoint, iotInstanceId: used.iotInstanceId });
	return place?.folder === watched.folder ? undefined : place;
}
