// Every page of a paged action is read the same way wherever a whole list is needed (the CLI's jobs and firmware
// delete, the extension's Delete Package and OTA Packages view): in the action's largest pages, until a short page or
// the total.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { maxPageSize } from '../../../src/core/iot/actions';
import { everyPage, type PageRequest } from '../../../src/core/iot/paging';
import { allJobsByFirmware, type JobSummary } from '../../../src/core/lifecycle';
import { RESPONSE_LIMITS } from '../../../src/core/responseBounds';

/** A list of `total` items answered a page at a time; `asked` records every request. */
function pagedList(total: number, shown = total) {
	const asked: PageRequest[] = [];
	const read = async (page: PageRequest) => {
		asked.push(page);
		const start = (page.currentPage - 1) * page.pageSize;
		const items = Array.from({ length: Math.max(0, Math.min(page.pageSize, shown - start)) }, (_, i) => start + i);
		return { items, total };
	};
	return { asked, read };
}

void test('every page is read in the action’s largest pages, up to a short page', async () => {
	const list = pagedList(450);
	const items = await everyPage('ListOTAJobByFirmware', list.read);
	assert.equal(items.length, 450);
	assert.deepEqual(items.slice(198, 202), [198, 199, 200, 201]);
	assert.deepEqual(
		list.asked,
		[1, 2, 3].map((currentPage) => ({ currentPage, pageSize: maxPageSize('ListOTAJobByFirmware') })),
	);
});

void test('reading stops at the total, and at an empty page when the total overstates the list', async () => {
	const exact = pagedList(200);
	assert.equal((await everyPage('ListOTAJobByFirmware', exact.read)).length, 200);
	assert.equal(exact.asked.length, 1, 'a full last page that reaches the total asks for no further one');
	const overstated = pagedList(500, 200);
	assert.equal((await everyPage('ListOTAJobByFirmware', overstated.read)).length, 200);
	assert.equal(overstated.asked.length, 2);
});

void test('maxPages: at most that many pages are read, and what they hold is the answer (a bound, not an error)', async () => {
	const pageSize = maxPageSize('ListOTAFirmware');
	const long = pagedList(7 * pageSize);
	assert.deepEqual(await everyPage('ListOTAFirmware', long.read, { maxPages: 5 }), [...Array(5 * pageSize).keys()]);
	assert.deepEqual(
		long.asked.map((page) => page.currentPage),
		[1, 2, 3, 4, 5],
	);
	const short = pagedList(2 * pageSize + 1);
	assert.equal((await everyPage('ListOTAFirmware', short.read, { maxPages: 5 })).length, 2 * pageSize + 1);
	assert.equal(short.asked.length, 3, 'a shorter listing still ends at its short page');
});

void test('every job of a package: ListOTAJobByFirmware in pages of its largest size, with the signal', async () => {
	const signal = new AbortController().signal;
	const calls: unknown[] = [];
	const jobs = await allJobsByFirmware(
		{
			listJobsByFirmware: async (q, s) => {
				calls.push({ ...q, signal: s === signal });
				const items =
					q.currentPage === 1 ? Array.from({ length: q.pageSize ?? 0 }, (_, i) => ({ jobId: `j${i}` })) : [{ jobId: 'last' }];
				const [currentPage, pageSize] = [q.currentPage ?? 1, q.pageSize ?? 0];
				return { items: items as JobSummary[], total: pageSize + 1, currentPage, pageSize, pageCount: 2 };
			},
		},
		'fw1',
		signal,
	);
	assert.equal(jobs.length, maxPageSize('ListOTAJobByFirmware') + 1);
	assert.deepEqual(calls, [
		{ firmwareId: 'fw1', currentPage: 1, pageSize: 200, signal: true },
		{ firmwareId: 'fw1', currentPage: 2, pageSize: 200, signal: true },
	]);
});

void test('a server that answers full pages for ever is refused past the listing limit (ListingTooLong), not read on', async () => {
	const endless = pagedList(Number.MAX_SAFE_INTEGER);
	await assert.rejects(everyPage('ListOTAJobByFirmware', endless.read), (error: unknown) => {
		assert.ok(error instanceof OtaError);
		assert.equal(error.code, 'ListingTooLong');
		assert.match(error.message, /ListOTAJobByFirmware kept answering full pages past 100,000 items/);
		return true;
	});
	const pageSize = maxPageSize('ListOTAJobByFirmware');
	assert.equal(endless.asked.length, Math.ceil(RESPONSE_LIMITS.listingItems / pageSize));
	// A listing exactly as long as the limit is read whole: the total ends it first.
	const atLimit = pagedList(RESPONSE_LIMITS.listingItems);
	assert.equal((await everyPage('ListOTAJobByFirmware', atLimit.read)).length, RESPONSE_LIMITS.listingItems);
});
