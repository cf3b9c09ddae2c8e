// The groups a batch can target, as both shells list them: static and dynamic (QueryDeviceGroupList lists them apart).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GROUP_PAGES, listDeviceGroups } from '../../../src/core/lifecycle/groups';
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

void test('each kind is read page by page (the largest page) to its total, and no further than GROUP_PAGES pages', async () => {
	const named = (prefix: string, from: number, count: number): DeviceGroup[] =>
		Array.from({ length: count }, (_, i) => ({ groupId: `${prefix}${from + i}`, groupName: `${prefix}${from + i}` }));
	const asked: Array<[boolean, number, number]> = [];
	const api = {
		queryDeviceGroups: async (q: { dynamic?: boolean; currentPage?: number; pageSize?: number } = {}) => {
			const current = q.currentPage ?? 1;
			const size = q.pageSize ?? 10;
			asked.push([q.dynamic === true, current, size]);
			// 450 static groups; dynamic ones without end (a server that ignores CurrentPage's end).
			if (q.dynamic) {
				return page(named('d', (current - 1) * size, size), 1_000_000);
			}
			return page(named('s', (current - 1) * size, Math.max(0, Math.min(size, 450 - (current - 1) * size))), 450);
		},
	};
	const list = await listDeviceGroups(api as never);
	const statics = asked.filter(([dynamic]) => !dynamic);
	assert.deepEqual(statics, [
		[false, 1, 200],
		[false, 2, 200],
		[false, 3, 200],
	]);
	assert.equal(asked.filter(([dynamic]) => dynamic).length, GROUP_PAGES);
	assert.equal(list.groups.filter((g) => !g.dynamic).length, 450);
	assert.equal(list.groups.filter((g) => g.dynamic).length, GROUP_PAGES * 200);
	assert.equal(list.total, 450 + 1_000_000);
});
