// The device groups a batch can target (`iot-ota groups`, the extension's roll-out group pick): the static groups and
// the dynamic ones, which QueryDeviceGroupList lists apart (GroupTypes LINK_PLATFORM_DYNAMIC, docs/protocols.md §11.2).
import { maxPageSize } from '../iot/actions';
import type { LifecycleApi } from './client';

export interface ListedGroup {
	groupId: string;
	groupName: string;
	/** A dynamic group makes a dynamic batch: devices that join it later get the update too. */
	dynamic: boolean;
	groupDesc?: string;
	utcCreate?: string;
}

export interface GroupList {
	groups: ListedGroup[];
	/** Groups of the account or instance, listed or not (each kind is read up to one page of the largest size). */
	total: number;
}

export async function listDeviceGroups(api: Pick<LifecycleApi, 'queryDeviceGroups'>, signal?: AbortSignal): Promise<GroupList> {
	const pageSize = maxPageSize('QueryDeviceGroupList');
	const [plain, dynamic] = await Promise.all([
		api.queryDeviceGroups({ pageSize }, signal),
		api.queryDeviceGroups({ pageSize, dynamic: true }, signal),
	]);
	const dynamicIds = new Set(dynamic.items.map((group) => group.groupId));
	const all = [...plain.items, ...dynamic.items.filter((group) => !plain.items.some((other) => other.groupId === group.groupId))];
	return {
		groups: all.map(({ groupId, groupName, groupType, groupDesc, utcCreate }) => ({
			groupId,
			groupName,
			dynamic: dynamicIds.has(groupId) || groupType === 'LINK_PLATFORM_DYNAMIC',
			...(groupDesc ? { groupDesc } : {}),
			...(utcCreate ? { utcCreate } : {}),
		})),
		total: plain.total + dynamic.total,
	};
}
