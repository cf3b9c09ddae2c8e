import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import {
	DEFAULT_PROMOTION_CRITERIA,
	guardVerdict,
	haltPlan,
	parseHaltAt,
	promote,
	promotionRequest,
	promotionVerdict,
} from '../../../src/core/lifecycle';
import { emptyCounts, summarize } from '../../../src/core/lifecycle/monitorPlan';
import { FakeOta, job, tasks } from './fakeOta';

void describe('--halt-at PCT[:N]', () => {
	void test('parses a percentage and an optional minimum of finished tasks (default 10)', () => {
		assert.deepEqual(parseHaltAt('5'), { failurePercent: 5, minFinished: 10 });
		assert.deepEqual(parseHaltAt('2.5:40'), { failurePercent: 2.5, minFinished: 40 });
		assert.deepEqual(parseHaltAt('5%:3'), { failurePercent: 5, minFinished: 3 });
	});

	void test('rejects what is not PCT or PCT:N with one validation error', () => {
		for (const bad of ['', 'x', '0', '101', '5:0', '5:-1', '5:2.5', ':5', '5:']) {
			assert.throws(
				() => parseHaltAt(bad),
				(e: unknown) => e instanceof OtaError && e.source === 'validation' && e.code === 'InvalidHaltAt',
				bad,
			);
		}
	});
});

void describe('guard verdict', () => {
	const counts = (succeeded: number, failed: number, extra = {}) => ({
		...emptyCounts(),
		SUCCEEDED: succeeded,
		FAILED: failed,
		...extra,
	});

	void test('halts at the threshold once enough tasks finished; cancelled tasks do not count as finished', () => {
		assert.equal(guardVerdict(counts(19, 1), { failurePercent: 5, minFinished: 20 }).halt, true);
		assert.equal(guardVerdict(counts(20, 1), { failurePercent: 5, minFinished: 20 }).halt, false, '1/21 = 4.8 %');
		assert.equal(guardVerdict(counts(8, 1, { CANCELED: 50 }), { failurePercent: 5, minFinished: 10 }).halt, false, 'only 9 finished');
		assert.equal(guardVerdict(counts(0, 0), { failurePercent: 5, minFinished: 1 }).halt, false);
	});

	void test('the verdict explains itself', () => {
		assert.equal(
			guardVerdict(counts(38, 2), { failurePercent: 5, minFinished: 10 }).reason,
			'2 of 40 finished tasks failed (5 % ≥ 5 %)',
		);
		assert.equal(
			guardVerdict(counts(3, 1), { failurePercent: 5, minFinished: 10 }).reason,
			'4 of the 10 finished tasks the guard waits for',
		);
	});

	void test('the halt plan: unconfirmed, queued and notified tasks; the strategy only for a running dynamic job', () => {
		assert.deepEqual(haltPlan({ jobId: 'J', selectionType: 'STATIC', jobStatus: 'IN_PROGRESS' }), {
			cancelStrategy: false,
			cancelTasks: { jobId: 'J', queued: true, notified: true, unconfirmed: true },
		});
		assert.equal(haltPlan({ jobId: 'J', selectionType: 'DYNAMIC', jobStatus: 'IN_PROGRESS' }).cancelStrategy, true);
		assert.equal(haltPlan({ jobId: 'J', selectionType: 'DYNAMIC', jobStatus: 'CANCELED' }).cancelStrategy, false);
	});
});

void describe('promotion', () => {
	const gray = job('G', {
		targetSelection: 'GRAY',
		grayPercent: '10.00',
		jobStatus: 'COMPLETED',
		srcVersions: ['1.0.0'],
		timeoutInMinutes: 30,
		retryInterval: 10,
		retryCount: 2,
		maximumPerMinute: 500,
		overwriteMode: 1,
		needConfirm: false,
		tags: [{ key: 'stage', value: 'gray' }],
	});

	void test('the verdict lists every unmet criterion', () => {
		const running = summarize({ ...emptyCounts(), SUCCEEDED: 8, FAILED: 1, IN_PROGRESS: 1 });
		assert.deepEqual(promotionVerdict(gray, running, { maxFailurePercent: 5, minSucceeded: 10 }).reasons, [
			'the gray stage is still running: 1 of 10 tasks have not finished.',
			'1 of 9 finished tasks failed (11.1 % > 5 %).',
			'only 8 tasks succeeded; at least 10 are required.',
		]);
		assert.deepEqual(
			promotionVerdict({ ...gray, targetSelection: 'ALL' }, summarize({ ...emptyCounts(), SUCCEEDED: 3 }), DEFAULT_PROMOTION_CRITERIA)
				.reasons,
			['job G is not a gray batch (ALL).'],
		);
	});

	void test('the promoted batch targets every device with the gray batch settings', () => {
		assert.deepEqual(promotionRequest(gray), {
			firmwareId: 'FW1',
			productKey: 'pk1',
			target: { kind: 'all' },
			srcVersions: ['1.0.0'],
			timeoutInMinutes: 30,
			retryInterval: 10,
			retryCount: 2,
			maximumPerMinute: 500,
			overwriteMode: undefined,
			multiModuleMode: undefined,
			needPush: undefined,
			needConfirm: false,
			downloadProtocol: undefined,
			tags: [{ key: 'stage', value: 'gray' }],
		});
	});

	void test('promote creates the all-devices batch only when the gray stage met its criteria', async () => {
		const fake = new FakeOta().add(gray, tasks('G', { SUCCEEDED: 10 }));
		const result = await promote(fake, 'G');
		assert.equal(result.promoted, true);
		assert.equal(fake.called('createStaticJob').length, 1);
		assert.deepEqual((fake.called('createStaticJob')[0].args as { target: unknown }).target, { kind: 'all' });
	});

	void test('promote refuses (and creates nothing) when a gray task failed', async () => {
		const fake = new FakeOta().add(gray, tasks('G', { SUCCEEDED: 9, FAILED: 1 }));
		const result = await promote(fake, 'G');
		assert.equal(result.promoted, false);
		assert.deepEqual(result.verdict.reasons, ['1 of 10 finished tasks failed (10 % > 0 %).']);
		assert.equal(fake.called('createStaticJob').length, 0);
	});
});
