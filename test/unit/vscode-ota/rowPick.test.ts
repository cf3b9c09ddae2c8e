// A product named by its key alone (a keybinding, the palette, another command's link) while the OTA Packages view lists
// several connection rows: Filter Devices acts under the row that shows it, looked up row by row as reveal looks; several
// rows show it: the user picks one, named as the row's label; none: one refusal. Show Unfinished Tasks on a device named
// by its keys alone acts under the row whose loaded devices list it, the user picking when several do.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isCleanCancel } from '../../../src/core/errors';
import type { OtaPlace } from '../../../src/vscode/ota/contract';
import { installVscodeStub } from '../../support/vscodeStub';
import { groupA, groupB, placeA, placeB, treeData } from './rowFixtures';

const stub = installVscodeStub();
// What the tree provider's module reads at load.
Object.assign(stub, { env: { language: 'en' }, TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 } });

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

/**
 * The OTA Packages view with rows a and b loaded and, under each, the devices `devices` lists by the row's name (as
 * `productKey:deviceName`), as expanding their products' Devices loads them.
 */
async function viewWithDevices(devices: Record<string, string[]>) {
	const { OtaTreeProvider } = await import('../../../src/vscode/ota/tree.js');
	const { ConnectionNode, ProductNode, DevicesNode, DeviceNode } = await import('../../../src/vscode/ota/nodes.js');
	const none = () => ({ dispose: () => undefined });
	const tree = new OtaTreeProvider({
		access: { onDidChange: none },
		watches: { onDidChange: none },
		groups: { profiles: { active: () => undefined } },
		onDidChangeFolders: none,
	} as never);
	const rows = [groupA, groupB].map((group) =>
		tree.cache.reuse(new ConnectionNode(group.key, group.connection, group.folders, group.place, group.differing)),
	);
	tree.cache.setChildren('ota:root', rows);
	for (const [name, row] of [
		['a', rows[0]],
		['b', rows[1]],
	] as const) {
		for (const [productKey, deviceName] of (devices[name] ?? []).map((device) => device.split(':'))) {
			const list = new DevicesNode(new ProductNode(productKey, 'Lamp', 1, row));
			tree.cache.reuse(new DeviceNode(list, { deviceName, online: true } as never));
		}
	}
	return tree;
}

/**
 * The services the two commands use, with the view's rows from `data` and the devices loaded under them (viewWithDevices);
 * `answer`: the label the row pick chooses.
 */
async function services(
	products: Record<string, string[]>,
	answer?: (labels: string[]) => string | undefined,
	devices: Record<string, string[]> = {},
) {
	const { data } = await treeData([groupA, groupB], products);
	const tree = await viewWithDevices(devices);
	const calls: string[] = [];
	const picks: Array<{ title: string; labels: string[]; descriptions: string[]; ignoreFocusOut?: boolean }> = [];
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
				rowsWithDevice: (productKey: string, deviceName: string) => tree.rowsWithDevice(productKey, deviceName),
				deviceFilter: (productKey: string, place?: OtaPlace) => (calls.push(`deviceFilter ${productKey} ${at(place)}`), undefined),
				filterDevices: async (productKey: string, version: string | undefined, place?: OtaPlace) =>
					void calls.push(`filterDevices ${productKey} ${version} ${at(place)}`),
				revealDeviceTasks: async (productKey: string, deviceName: string, place?: OtaPlace) =>
					void calls.push(`revealDeviceTasks ${productKey} ${deviceName} ${at(place)}`),
			},
		},
		prompter: {
			pick: async (
				_id: string,
				items: Array<{ label: string; description?: string }>,
				{ title, ignoreFocusOut }: { title: string; ignoreFocusOut?: boolean },
			) => {
				const labels = items.map((item) => item.label);
				picks.push({ title, labels, descriptions: items.map((item) => item.description ?? ''), ignoreFocusOut });
				const chosen = answer?.(labels);
				return items.find((item) => item.label === chosen);
			},
			pickOrType: async () => '2.0.0',
		},
	};
	return { s: s as never, calls, picks };
}

void describe('Filter Devices with a ProductKey alone', () => {
	void test('the product under one row: that row, no question', async () => {
		const { filterDevices } = await import('../../../src/vscode/ota/commands.js');
		const { s, calls, picks } = await services({ a: ['pk0'], b: ['pk1'] });
		await filterDevices(s, { productKey: 'pk1' });
		assert.deepEqual(picks, []);
		assert.deepEqual(calls, ['deviceFilter pk1 file:///w/b', 'connectAt file:///w/b', 'filterDevices pk1 2.0.0 file:///w/b']);
	});

	void test('the product under several rows: the user picks the row, named by its label and folders, the pick kept open while the tree is clicked', async () => {
		const { filterDevices } = await import('../../../src/vscode/ota/commands.js');
		const { s, calls, picks } = await services({ a: ['pk1'], b: ['pk1'] }, (labels) => labels[1]);
		await filterDevices(s, { productKey: 'pk1' });
		assert.deepEqual(picks, [
			{
				title: 'Product pk1 is under several connections: which one?',
				labels: ['cn-shanghai · iot-1', 'ap-southeast-1 · public instance'],
				descriptions: ['a', 'b'],
				ignoreFocusOut: true,
			},
		]);
		assert.deepEqual(calls, ['deviceFilter pk1 file:///w/b', 'connectAt file:///w/b', 'filterDevices pk1 2.0.0 file:///w/b']);
	});

	void test('the pick dismissed: cancelled, nothing filtered; under no row: the refusal, nothing asked', async () => {
		const { filterDevices } = await import('../../../src/vscode/ota/commands.js');
		const both = await services({ a: ['pk1'], b: ['pk1'] }, () => undefined);
		await assert.rejects(filterDevices(both.s, { productKey: 'pk1' }), (error: unknown) => isCleanCancel(error));
		assert.deepEqual(both.calls, []);
		const none = await services({ a: ['pk0'], b: ['pk0'] });
		await assert.rejects(filterDevices(none.s, { productKey: 'pk1' }), /pk1 is not in the OTA Packages view/);
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

void describe('Show Unfinished Tasks with a device named by its keys alone', () => {
	void test('the product under both rows, the device loaded under one: that row, no question', async () => {
		const { showDeviceTasks } = await import('../../../src/vscode/ota/commands.js');
		const { s, calls, picks } = await services({ a: ['pk1'], b: ['pk1'] }, () => assert.fail('asked'), {
			a: ['pk1:d2'],
			b: ['pk1:d1'],
		});
		await showDeviceTasks(s, { productKey: 'pk1', deviceName: 'd1' });
		assert.deepEqual(picks, []);
		assert.deepEqual(calls, ['revealDeviceTasks pk1 d1 file:///w/b']);
	});

	void test('the device loaded under several rows: the user picks the row, asked about the device', async () => {
		const { showDeviceTasks } = await import('../../../src/vscode/ota/commands.js');
		const { s, calls, picks } = await services({ a: ['pk1'], b: ['pk1'] }, (labels) => labels[1], { a: ['pk1:d1'], b: ['pk1:d1'] });
		await showDeviceTasks(s, { productKey: 'pk1', deviceName: 'd1' });
		assert.deepEqual(picks, [
			{
				title: 'Device d1 of pk1 is under several connections: which one?',
				labels: ['cn-shanghai · iot-1', 'ap-southeast-1 · public instance'],
				descriptions: ['a', 'b'],
				ignoreFocusOut: true,
			},
		]);
		assert.deepEqual(calls, ['revealDeviceTasks pk1 d1 file:///w/b']);
	});

	void test("the device loaded under no row: nothing asked, the view's one refusal (expand its devices first)", async () => {
		const { showDeviceTasks } = await import('../../../src/vscode/ota/commands.js');
		const { s, calls, picks } = await services({ a: ['pk1'], b: ['pk1'] }, () => assert.fail('asked'), {
			a: ['pk2:d1'],
			b: ['pk1:d2'],
		});
		await showDeviceTasks(s, { productKey: 'pk1', deviceName: 'd1' });
		assert.deepEqual([calls, picks], [['revealDeviceTasks pk1 d1 window'], []]);
		const view = await viewWithDevices({ a: ['pk2:d1'], b: ['pk1:d2'] });
		await assert.rejects(view.revealDeviceTasks('pk1', 'd1'), /^OtaError: Expand the Devices of pk1 and choose d1 there first\.$/);
		view.dispose();
	});

	void test("a device node's place: that place, the rows not looked at", async () => {
		const { showDeviceTasks } = await import('../../../src/vscode/ota/commands.js');
		const { s, calls, picks } = await services({ a: ['pk1'], b: ['pk1'] }, () => assert.fail('asked'), {
			a: ['pk1:d1'],
			b: ['pk1:d1'],
		});
		await showDeviceTasks(s, { productKey: 'pk1', deviceName: 'd1', place: placeA });
		assert.deepEqual([calls, picks], [['revealDeviceTasks pk1 d1 file:///w/a'], []]);
	});
});
