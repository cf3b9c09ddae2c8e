// The gateway's per-action rules for the lifecycle actions (docs/protocols.md §11.1): methods and QPS.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACTION_SPECS } from '../../../src/sandbox/actions/specs';
import { ACTIONS } from '../../../src/sandbox/iotActions';
import { OtaClient } from './otaClient';
import { clientOf, startOtaSandbox } from './otaFixtures';

void describe('sandbox gateway: methods and QPS per action', () => {
	void test('every implemented action has a method and QPS entry, and every entry an action', () => {
		assert.deepEqual([...ACTIONS].sort(), Object.keys(ACTION_SPECS).sort());
	});

	void test('POST-only actions refuse GET and GET-only ListOTAModuleByProduct refuses POST, as an unknown action', async (t) => {
		const { sandbox, client } = await startOtaSandbox();
		t.after(() => sandbox.stop());
		for (const action of ['CreateOTAModule', 'UpdateOTAModule', 'DeleteOTAModule', 'ReupgradeOTATask', 'ConfirmOTATask']) {
			const refused = await client.fails(action, {}, 'InvalidAction.NotFound', 'GET');
			assert.equal(refused.status, 404, action);
			assert.equal(refused.message, 'Specified api is not found, please check your url and method.');
		}
		await client.fails('ListOTAModuleByProduct', { ProductKey: sandbox.productKey }, 'InvalidAction.NotFound', 'POST');
		const modules = await client.ok('ListOTAModuleByProduct', { ProductKey: sandbox.productKey }, 'GET');
		assert.equal(modules.Data[0].ModuleName, 'default');
		// Actions documented for both methods take either (the call reaches the handler).
		await client.fails('QueryOTAJob', {}, 'MissingJobId', 'GET');
		await client.fails('QueryOTAJob', {}, 'MissingJobId', 'POST');
	});

	void test('each action has its own documented quota per account; the main key and STS sessions share it', async (t) => {
		// A frozen clock puts every call in the same second however slowly this machine runs.
		const frozen = Date.now();
		const { sandbox } = await startOtaSandbox({ qps: undefined, now: () => frozen });
		t.after(() => sandbox.stop());
		const main = clientOf(sandbox, () => frozen);
		const sts = new OtaClient({ endpoint: sandbox.endpoint, ...sandbox.sts, now: () => frozen });
		const batch = { ProductKey: sandbox.productKey, DeviceName: ['dev-00001'] };
		// BatchQueryDeviceDetail: 5 per second.
		for (const client of [main, main, main, sts, sts]) {
			await client.ok('BatchQueryDeviceDetail', batch);
		}
		const throttled = await sts.fails('BatchQueryDeviceDetail', batch, 'Throttling.User');
		assert.equal(throttled.status, 400);
		assert.equal(throttled.message, 'Request was denied due to user flow control.');
		await main.fails('BatchQueryDeviceDetail', batch, 'Throttling.User');
		// Another action's quota is untouched: QueryProduct allows 50.
		for (let i = 0; i < 50; i++) {
			await main.ok('QueryProduct', { ProductKey: sandbox.productKey });
		}
		await main.fails('QueryProduct', { ProductKey: sandbox.productKey }, 'Throttling.User');
		assert.equal(sandbox.stats.apiErrors['Throttling.User'], 3);
	});

	void test('QueryDevice pages at CurrentPage × PageSize ≥ 100,000 have their own 2-QPS window, apart from the 50 of the others', async (t) => {
		// The client counts them the same way (its rate key `QueryDevice@deep`, core/iot/actions.ts).
		const frozen = Date.now();
		const { sandbox } = await startOtaSandbox({ qps: undefined, now: () => frozen });
		t.after(() => sandbox.stop());
		const client = clientOf(sandbox, () => frozen);
		const shallow = { ProductKey: sandbox.productKey, PageSize: 1 };
		const token = (await client.ok('QueryDevice', shallow)).NextToken;
		for (let i = 0; i < 47; i++) {
			await client.ok('QueryDevice', shallow);
		}
		const deep = { ProductKey: sandbox.productKey, PageSize: 50, CurrentPage: 2000, NextToken: token };
		await client.ok('QueryDevice', deep);
		await client.ok('QueryDevice', deep);
		await client.fails('QueryDevice', deep, 'Throttling.User');
		await client.ok('QueryDevice', shallow);
		await client.ok('QueryDevice', shallow);
		await client.fails('QueryDevice', shallow, 'Throttling.User');
	});

	void test('the qps option replaces every action’s quota (tests)', async (t) => {
		const frozen = Date.now();
		const { sandbox } = await startOtaSandbox({ qps: 2, now: () => frozen });
		t.after(() => sandbox.stop());
		const client = clientOf(sandbox, () => frozen);
		await client.ok('QueryProduct', { ProductKey: sandbox.productKey });
		await client.ok('QueryProduct', { ProductKey: sandbox.productKey });
		await client.fails('QueryProduct', { ProductKey: sandbox.productKey }, 'Throttling.User');
	});
});
