// ListOTATaskByJob with DeviceNames on a job of thousands of tasks: the named devices' tasks are found through the
// devices, and the answer is the one a scan of the job gives (creation order, the status filter, paging ignored),
// also after a restart rebuilds the job from its saved state.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import type { TaskRecord, TaskStatus } from '../../../../src/sandbox/ota/model';
import { Harness } from './harness';

let h: Harness;

afterEach(async () => {
	await h?.close();
});

const DEVICES = 4000;
const name = (i: number): string => `dev-${String(i + 1).padStart(5, '0')}`;

/** 0…n-1 in a fixed scrambled order (a multiplier coprime to n), so creation order is neither fleet nor name order. */
function scrambled(n: number, step: number): number[] {
	return Array.from({ length: n }, (_, i) => (i * step + 17) % n);
}

/** What a scan of the whole job answers: its tasks of the named devices, in creation order. */
function scan(tasks: readonly TaskRecord[], names: readonly string[], statuses?: readonly TaskStatus[]): string[] {
	const wanted = new Set(names);
	return tasks.filter((t) => wanted.has(t.device.deviceName) && (!statuses || statuses.includes(t.status))).map((t) => t.taskId);
}

void test('DeviceNames returns exactly the named devices’ tasks of the job, in creation order, paging ignored, before and after a restart', async () => {
	h = await Harness.start({ devices: DEVICES });
	const fw = await h.firmware();
	const order = scrambled(DEVICES, 1237).map(name);
	const job = h.engine.createStaticJob(fw, {
		productKey: h.productKey,
		targetSelection: 'SPECIFIC',
		deviceNames: order,
		fromDeviceListFile: true,
	});
	assert.equal(job.tasks.length, DEVICES);
	assert.deepEqual(
		job.tasks.slice(0, 3).map((t) => t.device.deviceName),
		order.slice(0, 3),
	);
	// A second job over the same devices: their task lists hold tasks of both jobs.
	const other = h.engine.createStaticJob(await h.firmware(), { productKey: h.productKey, targetSelection: 'ALL' });
	assert.equal(other.tasks.length, DEVICES);
	const named = [...scrambled(DEVICES, 911).slice(0, 48).map(name), 'no-such-device'];
	named.push(named[5]); // a name given twice counts once
	h.engine.cancelTasksByDevice(
		fw,
		h.productKey,
		named.slice(0, 20).filter((n) => n !== 'no-such-device'),
		job.jobId,
	);
	const jobId = job.jobId;

	const check = (when: string): void => {
		const tasks = h.engine.queryJob(jobId).tasks;
		for (const statuses of [undefined, ['CANCELED'] as TaskStatus[], ['QUEUED', 'CANCELED'] as TaskStatus[]]) {
			const expected = scan(tasks, named, statuses);
			for (const page of [
				{ currentPage: 1, pageSize: 10 },
				{ currentPage: 7, pageSize: 1 },
				{ currentPage: 1000, pageSize: 100 },
			]) {
				const answer = h.engine.listTasksByJob(jobId, { deviceNames: named, statuses }, page);
				assert.deepEqual(
					answer.items.map((t) => t.taskId),
					expected,
					`${when}: ${statuses?.join(',') ?? 'any status'}, page ${page.currentPage}×${page.pageSize}`,
				);
				assert.equal(answer.total, expected.length);
			}
		}
		assert.equal(scan(tasks, named).length, 48, `${when}: one task per named device of the fleet`);
		assert.equal(scan(tasks, named, ['CANCELED']).length, 20, `${when}: the 20 cancelled devices`);
		const none = h.engine.listTasksByJob(jobId, { deviceNames: ['no-such-device'] }, { currentPage: 1, pageSize: 10 });
		assert.deepEqual([none.total, none.items], [0, []]);
	};
	check('running');
	await h.close(false);
	await h.open();
	check('after a restart');
});
