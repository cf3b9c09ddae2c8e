// The one rule of Create OTA Firmware on an Uploads row whose connection moved (docs/protocols.md §4.3): the row records
// where its file was uploaded (profile, region, instance); the connection a registration would use now comes from the
// row's folder settings as they are now (or the active profile when the row's is gone here). When the two differ, the
// FirmwareUrl (an OSS object of the upload's region and instance) would be registered elsewhere: the user is asked first.
import { reachesRowPlace, rowInstanceOf, type HistoryEntry } from '../model';

/** Where an Uploads row's file is, or a registration would go: `instance` is DEFAULT_INSTANCE for the region's default one, undefined on a row written before instances were recorded. */
export interface RecordedPlace {
	profile: string;
	region: string;
	instance?: string;
}

/**
 * The row's recorded place and the one `now` (the profile and connection a registration resolved) reaches, when they
 * differ; undefined when they are the same. A row without an instance is compared by what it records (profile, region).
 * The endpoint is not compared: the row does not record it (docs/protocols.md §4.3).
 */
export function movedPlace(
	row: Pick<HistoryEntry, 'profile' | 'region' | 'instance'>,
	now: { profile: string; region: string; iotInstanceId?: string },
): { recorded: RecordedPlace; now: RecordedPlace } | undefined {
	const current: RecordedPlace = { profile: now.profile, region: now.region, ...rowInstanceOf(now) };
	if (row.profile === current.profile && reachesRowPlace(row, now)) {
		return undefined;
	}
	const recorded: RecordedPlace = {
		profile: row.profile,
		region: row.region,
		...(row.instance === undefined ? {} : { instance: row.instance }),
	};
	return { recorded, now: current };
}
