// The step of Create OTA Firmware that records a registration on its Uploads row: the core's record of it, and where the
// package now is (the profile that registered it, the folder whose settings chose the connection, the region and instance
// of that connection).
import { recordRegistered, type Registration } from '../../core/flow';
import type { ConnectionSettings, CreateFirmwareRequest } from '../../core/types';
import type { HistoryStore } from '../history';
import { rowInstanceOf, type HistoryEntry } from '../model';
import { registeredRowFolder } from '../ota/access';
import type { OtaPlace } from '../ota/contract';

/** Stores `registration` (made with `request` at `place`, through `connection`) on `entry`'s row; the updated row, else `entry`. */
export async function recordRegistration(
	history: Pick<HistoryStore, 'update'>,
	entry: HistoryEntry,
	registered: { registration: Registration; request: CreateFirmwareRequest; place: OtaPlace; connection: ConnectionSettings },
): Promise<HistoryEntry> {
	const { registration, request, place, connection } = registered;
	const patch: Partial<HistoryEntry> = {
		...recordRegistered(entry, registration, request),
		// The row's own profile, or the active one when the row's profile or its secret is gone here (createFlow accountFor):
		// the row's actions then reach the package where it was registered.
		profile: place.profile,
		folder: registeredRowFolder(place),
		region: connection.region,
		...rowInstanceOf(connection),
	};
	return (await history.update(entry.id, patch)) ?? entry;
}
