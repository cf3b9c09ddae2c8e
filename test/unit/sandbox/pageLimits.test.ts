// Page limits have one source (docs/protocols.md §12.1): every sandbox handler that pages names an action whose
// ACTION_FACTS entry gives its largest PageSize, and the sandbox refuses one more with the documented message.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ACTION_FACTS, actionFacts, isPagedAction, maxPageSize, PAGED_ACTIONS } from '../../../src/core/iot/actions';
import type { Sandbox } from '../../../src/sandbox';
import { ParamReader, type PageRule } from '../../../src/sandbox/actions/params';
import { ACTIONS } from '../../../src/sandbox/iotActions';
import type { OtaClient, Params } from './otaClient';
import { createPackage, imageWithVersion, setDevices, startOtaSandbox } from './otaFixtures';

/** A fleet with a package, a job and a group; `known` is what any handler needs to get as far as its paging. */
async function fleet(): Promise<{ sandbox: Sandbox; client: OtaClient; known: Params }> {
	const { sandbox, client } = await startOtaSandbox({ devices: 3 });
	const pk = sandbox.productKey;
	await setDevices(sandbox, { productKey: pk, match: '*', online: false });
	const firmwareId = await createPackage(client, pk, '2.0.0', imageWithVersion('2.0.0'), { NeedToVerify: false });
	const job = await client.ok('CreateOTAStaticUpgradeJob', { FirmwareId: firmwareId, ProductKey: pk, TargetSelection: 'ALL' });
	const group = (await client.ok('QueryDeviceGroupList', { GroupName: 'sandbox-lab' })).Data.GroupInfo[0];
	const known = { ProductKey: pk, DeviceName: 'dev-00001', FirmwareId: firmwareId, JobId: job.Data.JobId, GroupId: group.GroupId };
	return { sandbox, client, known };
}

void describe('sandbox page limits come from ACTION_FACTS', () => {
	void test('every action whose sandbox handler pages has a maxPageSize fact, and every such fact has a paging handler', async (t) => {
		// A fleet of its own: every action is sent, writes (deletes, cancels) included.
		const { sandbox, client, known } = await fleet();
		t.after(() => sandbox.stop());
		const paging: Array<{ called: string; named: string }> = [];
		const page = Object.getOwnPropertyDescriptor(ParamReader.prototype, 'page')?.value as ParamReader['page'];
		ParamReader.prototype.page = function (this: ParamReader, rule: PageRule) {
			paging.push({ called: String(this.raw.Action), named: rule.action });
			return page.call(this, rule);
		};
		try {
			// Reads first, so that no write (a cancel, a delete) takes away what a read needs.
			const ordered = [...ACTIONS].sort((a, b) => Number(actionFacts(b).repeatable) - Number(actionFacts(a).repeatable));
			for (const action of ordered) {
				await client.send(action, { ...known, CurrentPage: 1, PageSize: 1 }, actionFacts(action).method);
			}
		} finally {
			ParamReader.prototype.page = page;
		}
		for (const { called, named } of paging) {
			assert.equal(named, called, `${called} pages under its own action's limit`);
			assert.ok(isPagedAction(called), `${called} pages but ACTION_FACTS gives it no maxPageSize`);
		}
		assert.deepEqual([...new Set(paging.map((p) => p.called))].sort(), [...PAGED_ACTIONS].sort());
	});

	void test('each paged action takes its maxPageSize and refuses one more with the documented message', async (t) => {
		const { sandbox, client, known } = await fleet();
		t.after(() => sandbox.stop());
		assert.ok(PAGED_ACTIONS.length >= 2);
		for (const action of PAGED_ACTIONS) {
			const max = maxPageSize(action);
			assert.equal(max, ACTION_FACTS[action].maxPageSize);
			const { method } = actionFacts(action);
			const answer = await client.ok(action, { ...known, CurrentPage: 1, PageSize: max }, method);
			assert.equal(answer.PageSize ?? answer.Data?.PageSize, max, action);
			const refused = await client.fails(
				action,
				{ ...known, CurrentPage: 1, PageSize: max + 1 },
				'iot.common.InvalidPageParams',
				method,
			);
			assert.equal(refused.message, `Invalid paging parameters: PageSize must be an integer from 1 to ${max}.`, action);
		}
	});
});
