// taskIdsIn, the task ids Retry Failed and Confirm act on when no task is chosen: read page by page, and the reading
// stops at a short page, at the reported total, and at the depth ListOTATaskByJob pages to (docs/protocols.md §11.7).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { maxPageSize } from '../../../src/core/iot/actions';
import { taskIdsIn } from '../../../src/core/lifecycle/control';
import { LIFECYCLE_LIMITS } from '../../../src/core/lifecycle/rules';
import type { OtaTask, TaskStatus } from '../../../src/core/lifecycle/types';
import type { Page } from '../../../src/core/types';

const PAGE = maxPageSize('ListOTATaskByJob');

/** A job whose listing reports `reported` tasks and holds `held` of them; records the pages asked for. */
function job(held: number, reported = held) {
	const asked: number[] = [];
	const api = {
		async listTasksByJob(q: { jobId: string; status?: TaskStatus; currentPage?: number; pageSize?: number }): Promise<Page<OtaTask>> {
			const currentPage = q.currentPage ?? 1;
			const pageSize = q.pageSize ?? 20;
			asked.push(currentPage);
			assert.ok(asked.length <= 2000, 'the reading did not stop');
			const first = (currentPage - 1) * pageSize;
			const count = Math.max(0, Math.min(pageSize, held - first));
			const status = q.status ?? 'QUEUED';
			const items = Array.from({ length: count }, (_, i) => ({
				taskId: `${status}-${first + i}`,
				deviceName: `d${first + i}`,
				status,
			}));
			return { total: reported, pageSize, pageCount: Math.ceil(reported / pageSize), currentPage, items };
		},
	};
	return { api, asked };
}

void describe('taskIdsIn', () => {
	void test('reads every page in the largest page size, until a short page', async () => {
		const { api, asked } = job(2 * PAGE + 7);
		const ids = await taskIdsIn(api, 'J1', 'FAILED');
		assert.equal(ids.length, 2 * PAGE + 7);
		assert.equal(ids[0], 'FAILED-0');
		assert.equal(new Set(ids).size, ids.length);
		assert.deepEqual(asked, [1, 2, 3]);
	});

	void test('a short page ends the reading even when the total promises more', async () => {
		const { api, asked } = job(PAGE + 1, 10 * PAGE);
		assert.equal((await taskIdsIn(api, 'J1', 'CONFIRM')).length, PAGE + 1);
		assert.deepEqual(asked, [1, 2]);
	});

	void test('a total reached on a full page ends the reading without asking for an empty page', async () => {
		const { api, asked } = job(2 * PAGE);
		assert.equal((await taskIdsIn(api, 'J1', 'FAILED')).length, 2 * PAGE);
		assert.deepEqual(asked, [1, 2]);
	});

	void test('no page deeper than ListOTATaskByJob pages to (CurrentPage × PageSize ≤ taskPageDepth)', async () => {
		const depth = LIFECYCLE_LIMITS.taskPageDepth;
		const { api, asked } = job(depth + 3 * PAGE);
		const ids = await taskIdsIn(api, 'J1', 'FAILED');
		assert.equal(ids.length, depth);
		assert.equal(asked.at(-1), depth / PAGE);
		assert.ok(
			asked.every((page) => page * PAGE <= depth),
			'a page past the depth was asked for',
		);
	});
});
