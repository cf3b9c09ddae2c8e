// A product named by its key alone (a keybinding, the palette, another command's link) while the OTA Packages view lists
// several connection rows: Filter Devices and Show Unfinished Tasks act under the row that shows it, looked up row by
// row as reveal looks; several rows show it: the user picks one, named as the row's label; none: one refusal.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCleanCancel } from '../../../src/core/errors';
import type { OtaPlace } from '../../../src/vscode/ota/contract';
import { installVscodeStub } from '../../support/vscodeStub';
import { groupA, groupB, placeA, placeB, treeData } from './rowFixtures';

const stub = installVscodeStub();
Object.assign(stub, { env: { language: 'en' } });

void describe('the rows that show a reference', () => {
	void test('each row that lists the product, in the view order; a row without it is passed over', async () => {
		const { data } = await treeData([groupA, groupB], { a: ['pk1'], b: ['pk1', 'pk2'] });
		assert.deepEqual(
			(await data.rowsShowing({ productKey: 'pk1' })).map((row) => row.place),
			[placeA, placeB],
		);
		assert.deepEqual(
			(await data.rowsShowing({ productKey: 'pk2' })).map((row) => row.place),
			[placeB],
		);
	});

	void test('no row shows it: the view\'s one "not in the OTA Packages view" refusal; one connection: no rows', async () => {
		const { data } = await treeData([groupA, groupB]);
		await assert.rejects(data.rowsShowing({ productKey: 'pk9' }), /^OtaError: pk9 is not in the OTA Packages view\.$/);
		const single = await treeData([]);
		assert.deepEqual(await single.data.rowsShowing({ productKey: 'pk1' }), []);
	});
});

/** The services the two commands use, with the view's rows from `data`; `answer`: the label the row pick chooses. */
async function services(products: Record<string, string[]>, answer?: (labels: string[]) => string | undefined) {
	const { data } = await treeData([groupA, groupB], products);
	const calls: string[] = [];
	const picks: Array<{ title: string; labels: string[]; descriptions: string[] }> = [];
	const at = (place?: OtaPlace) => place?.scope ?? 'window';
	const lifecycle = { listFirmware: async () => ({ items: [{ destVersion: '2.0.0' }], total: 1 }) };
	const s = {
		ota: {
			access: {
				connect: async () => (calls.push('connect'), { lifecycle }),
				connectAt: async (place: OtaPlace) => (calls.push(`connectAt ${at(place)}`), { lifecycle }),
			},
			view: {
				rowsShowing: (ref: object) => data.rowsShowing(ref),
				deviceFilter: (productKey: string, place?: OtaPlace) => (calls.push(`deviceFilter ${productKey} ${at(place)}`), undefined),
				filterDevices: async (productKey: string, version: string | undefined, place?: OtaPlace) =>
					void calls.push(`filterDevices ${productKey} ${version} ${at(place)}`),
				revealDeviceTasks: async (productKey: string, deviceName: string, place?: OtaPlace) =>
					void calls.push(`revealDeviceTasks ${productKey} ${deviceName} ${at(place)}`),
			},
		},
		prompter: {
			pick: async (_id: string, items: Array<{ label: string; description?: string }>, options: { title: string }) => {
				const labels = items.map((item) => item.label);
				picks.push({ title: options.title, labels, descriptions: items.map((item) => item.description ?? '') });
				const chosen = answer?.(labels);
				return items.find((item) => item.label === chosen);
			},
			pickOrType: async () => '2.0.0',
		},
	};
	return { s: s as never, calls, picks };
}

void describe('Filter Devices and Show Unfinished Tasks with a ProductKey alone', () => {
	void test('the product under one row: that row, no question', async () => {
		const { filterDevices, showDeviceTasks } = await import('../../../src/vscode/ota/commands.js');
		const { s, calls, picks } = await services({ a: ['pk0'], b: ['pk1'] });
		await filterDevices(s, { productKey: 'pk1' });
		await showDeviceTasks(s, { productKey: 'pk1', deviceName: 'd1' });
		assert.deepEqual(picks, []);
		assert.deepEqual(calls, [
			'deviceFilter pk1 file:///w/b',
			'connectAt file:///w/b',
			'filterDevices pk1 2.0.0 file:///w/b',
			'revealDeviceTasks pk1 d1 file:///w/b',
		]);
	});

	void test('the product under several rows: the user picks the row, named by its label and folders', async () => {
		const { filterDevices, showDeviceTasks } = await import('../../../src/vscode/ota/commands.js');
		const { s, calls, picks } = await services({ a: ['pk1'], b: ['pk1'] }, (labels) => labels[1]);
		await filterDevices(s, { productKey: 'pk1' });
		await showDeviceTasks(s, { productKey: 'pk1', deviceName: 'd1' });
		const asked = {
			title: 'Product pk1 is under several connections: which one?',
			labels: ['cn-shanghai · iot-1', 'ap-southeast-1 · public instance'],
			descriptions: ['a', 'b'],
		};
		assert.deepEqual(picks, [asked, asked]);
		assert.deepEqual(calls, [
			'deviceFilter pk1 file:///w/b',
			'connectAt file:///w/b',
			'filterDevices pk1 2.0.0 file:///w/b',
			'revealDeviceTasks pk1 d1 file:///w/b',
		]);
	});

	void test('the pick dismissed: cancelled, nothing filtered; under no row: the refusal, nothing asked', async () => {
		const { filterDevices, showDeviceTasks } = await import('../../../src/vscode/ota/commands.js');
		const both = await services({ a: ['pk1'], b: ['pk1'] }, () => undefined);
		await assert.rejects(filterDevices(both.s, { productKey: 'pk1' }), (error: unknown) => isCleanCancel(error));
		assert.deepEqual(both.calls, []);
		const none = await services({ a: ['pk0'], b: ['pk0'] });
		await assert.rejects(filterDevices(none.s, { productKey: 'pk1' }), /pk1 is not in the OTA Packages view/);
		await assert.rejects(showDeviceTasks(none.s, { productKey: 'pk1', deviceName: 'd1' }), /pk1 is not in the OTA Packages view/);
		assert.deepEqual([none.calls, none.picks], [[], []]);
	});

	void test("a node's (or a follow-up's) place: that place, the rows not looked at", async () => {
		const { filterDevices } = await import('../../../src/vscode/ota/commands.js');
		const { s, calls, picks } = await services({ a: ['pk1'], b: ['pk1'] }, () => assert.fail('asked'));
		await filterDevices(s, { productKey: 'pk1', place: placeA });
		assert.deepEqual(picks, []);
		assert.deepEqual(calls, ['deviceFilter pk1 file:///w/a', 'connectAt file:///w/a', 'filterDevices pk1 2.0.0 file:///w/a']);
	});
});
