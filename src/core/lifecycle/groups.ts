// The device groups a batch can target (`iot-ota groups`, the extension's roll-out group pick): the static groups and
// the dynamic ones, which QueryDeviceGroupList lists apart (GroupTypes LINK_PLATFORM_DYNAMIC, docs/protocols.md §11.2).
import { everyPage } from '../iot/paging';
import type { LifecycleApi } from './client';
import type { DeviceGroup } from './types';

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
	/** Groups of the account or instance, listed or not (each kind is read up to GROUP_PAGES pages). */
	total: number;
}

/** Pages of each kind read at most (200 groups a page): the listing of an account's groups stays bounded. */
export const GROUP_PAGES = 50;

type GroupsApi = Pick<LifecycleApi, 'queryDeviceGroups'>;

/** Every group of one kind, page by page (up to GROUP_PAGES), with the total the platform gives. */
async function groupsOfKind(api: GroupsApi, dynamic: boolean, signal?: AbortSignal): Promise<{ items: DeviceGroup[]; total: number }> {
	let total = 0;
	const items = await everyPage(
		'QueryDeviceGroupList',
		async (page) => {
			const read = await api.queryDeviceGroups({ ...page, ...(dynamic ? { dynamic } : {}) }, signal);
			total = read.total;
			return read;
		},
		{ maxPages: GROUP_PAGES },
	);
	return { items, total: Math.max(total, items.length) };
}

export async function listDeviceGroups(api: GroupsApi, signal?: AbortSignal): Promise<GroupList> {
	const [plain, dynamic] = await Promise.all([groupsOfKind(api, false, signal), groupsOfKind(api, true, signal)]);
	const dynamicIds = new Set(dynamic.items.map((group) => group.groupId));
	const plainIds = new Set(plain.items.map((group) => group.groupId));
	const all = [...plain.items, ...dynamic.items.filter((group) => !plainIds.has(group.groupId))];
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
