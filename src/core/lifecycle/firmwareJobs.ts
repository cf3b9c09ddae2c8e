// Every job of a package (ListOTAJobByFirmware, docs/protocols.md §11.7), read the same way by `iot-ota jobs`,
// `iot-ota firmware delete` and the extension's Delete Package and OTA Packages view.
import { everyPage } from '../iot/paging';
import type { LifecycleApi } from './client';
import type { JobSummary } from './types';

export function allJobsByFirmware(
	api: Pick<LifecycleApi, 'listJobsByFirmware'>,
	firmwareId: string,
	signal?: AbortSignal,
): Promise<JobSummary[]> {
	return everyPage('ListOTAJobByFirmware', (page) => api.listJobsByFirmware({ firmwareId, ...page }, signal));
}
