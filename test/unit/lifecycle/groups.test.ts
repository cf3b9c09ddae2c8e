// The groups a batch can target, as both shells list them: static and dynamic (QueryDeviceGroupList lists them apart).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listDeviceGroups } from '../../../src/core/lifecycle/groups';
import type { DeviceGroup } from '../../../src/core/lifecycle/types';

const page = (items: DeviceGroup[], total = items.length) => ({ items, total, pageSize: 200, pageCount: 1, currentPage: 1 });

void test('static groups, then the dynamic ones (marked), each once; the total counts both kinds', async () => {
	const asked: Array<boolean | undefined> = [];
	const api = {
		queryDeviceGroups: async (q: { dynamic?: boolean } = {}) => {
			asked.push(q.dynamic);
			return q.dynamic
				? page(
						[
							{ groupId: 'g3', groupName: 'tenth', groupType: 'LINK_PLATFORM_DYNAMIC' },
							{ groupId: 'g1', groupName: 'lab' },
						],
						250,
					)
				: page([
						{ groupId: 'g1', groupName: 'lab', groupDesc: 'bench' },
						{ groupId: 'g2', groupName: 'canary' },
					]);
		},
	};
	const list = await listDeviceGroups(api as never);
	assert.deepEqual(asked.sort(), [true, undefined]);
	assert.deepEqual(list.groups, [
		{ groupId: 'g1', groupName: 'lab', dynamic: true, groupDesc: 'bench' },
		{ groupId: 'g2', groupName: 'canary', dynamic: false },
		{ groupId: 'g3', groupName: 'tenth', dynamic: true },
	]);
	assert.equal(list.total, 252);
});
