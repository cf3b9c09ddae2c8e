// The lifecycle client on the wire, how often it calls: each action's QPS (and deep-paging QPS) shared per AccessKey,
// job-creating calls never repeated, reads and throttled writes retried. A local responder answers (clientResponder.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { ACTION_FACTS, actionFacts, deepPageRateKey, rateKeyFor } from '../../../src/core/iot/actions';
import { ActionRateLimiter, actionLimiterFor } from '../../../src/core/rateLimiter';
import { okBody } from '../core-api/stubServer';
import { virtualTime } from '../../support/virtualTime';
import { useClientResponder } from './clientResponder';

const responder = useClientResponder();
const { replies, clients, sent } = responder;

void describe('rate limits and retries', () => {
	void test('each action waits for its own QPS: the 6th CancelOTATaskByJob (5 QPS) waits a window, QueryOTAJob (10) does not', async () => {
		const clock = virtualTime();
		const { client } = clients(new ActionRateLimiter({ now: clock.now, sleep: clock.sleep }));
		for (let i = 0; i < 10; i++) {
			replies.QueryOTAJob = [okBody({ Data: { JobId: 'J', JobStatus: 'IN_PROGRESS' } })];
			await client.queryJob('J');
		}
		assert.deepEqual(clock.sleeps, []);
		for (let i = 0; i < 6; i++) {
			await client.cancelTasksByJob({ jobId: 'J', queued: true });
		}
		assert.deepEqual(clock.sleeps, [1000]);
	});

	void test('deep pages (CurrentPage × PageSize ≥ 100,000) of every action with a deep-paging QPS count against it', async () => {
		const clock = virtualTime();
		const { iot, client } = clients(new ActionRateLimiter({ now: clock.now, sleep: clock.sleep }));
		const deep = Object.entries(ACTION_FACTS).filter(([, facts]) => facts.deepPageQps !== undefined);
		assert.deepEqual(
			deep.map(([action, facts]) => [action, facts.deepPageQps]),
			[
				['QueryProductList', 2],
				['QueryDevice', 2],
			],
		);
		for (let i = 0; i < 3; i++) {
			await iot.queryProductList({ currentPage: 1, pageSize: 200 });
			await client.queryDevices({ productKey: 'pk', currentPage: 1, pageSize: 50 });
		}
		assert.deepEqual(clock.sleeps, [], 'shallow pages use the 50-QPS figure');
		for (let i = 0; i < 3; i++) {
			await iot.queryProductList({ currentPage: 500, pageSize: 200 });
		}
		assert.deepEqual(clock.sleeps, [1000], 'the third deep QueryProductList page waited a window');
		for (let i = 0; i < 3; i++) {
			await client.queryDevices({ productKey: 'pk', currentPage: 2000, pageSize: 50, nextToken: 't' });
		}
		assert.deepEqual(clock.sleeps, [1000, 1000], 'the third deep QueryDevice page waited a window');
		assert.equal(actionFacts(deepPageRateKey('QueryProductList')).qps, 2);
		assert.equal(actionFacts(deepPageRateKey('QueryDevice')).qps, 2);
		assert.equal(rateKeyFor('QueryOTAJob', { CurrentPage: 1000, PageSize: 100 }), 'QueryOTAJob', 'no deep figure: the action itself');
	});

	void test('the per-action limits of an AccessKeyId are shared by every client of it (RAM users share the budget)', async () => {
		const clock = virtualTime();
		const shared = new ActionRateLimiter({ now: clock.now, sleep: clock.sleep });
		const first = clients(shared).client;
		const second = clients(shared).client;
		for (let i = 0; i < 3; i++) {
			await first.cancelTasksByJob({ jobId: 'J', queued: true });
			await second.cancelTasksByJob({ jobId: 'J', queued: true });
		}
		assert.deepEqual(clock.sleeps, [1000], 'the sixth call of the two clients together waited');
		assert.equal(actionLimiterFor('LTAIsame'), actionLimiterFor('LTAIsame'));
		assert.notEqual(actionLimiterFor('LTAIsame'), actionLimiterFor('LTAIother'));
	});

	void test('a job-creating call is never repeated after a server fault', async () => {
		replies.CreateOTAVerifyJob = [
			{ status: 503, json: { RequestId: 'R', Code: 'ServiceUnavailable', Message: 'busy' } },
			okBody({ Data: { JobId: 'J2' } }),
		];
		const { client } = clients();
		const { requests, result } = await sent(() => client.createVerifyJob({ firmwareId: 'F', productKey: 'pk', deviceNames: ['d1'] }));
		assert.equal(requests.length, 1);
		assert.ok(result instanceof OtaError && result.code === 'ServiceUnavailable' && !result.retryable);
	});

	void test('reads are retried after a server fault; throttled writes are retried (the gateway refused them)', async () => {
		replies.ListOTATaskByJob = [
			{ status: 503, json: { RequestId: 'R', Code: 'ServiceUnavailable', Message: 'busy' } },
			okBody({ Total: 0, Data: {} }),
		];
		replies.ConfirmOTATask = [{ status: 400, json: { RequestId: 'R', Code: 'Throttling.User', Message: 'flow control' } }];
		const { client } = clients();
		const reads = await sent(() => client.listTasksByJob({ jobId: 'J' }));
		assert.equal(reads.requests.length, 2);
		const writes = await sent(() => client.confirmTasks(['t1']));
		assert.equal(writes.requests.length, 2);
		assert.equal(writes.result, undefined);
	});
});
