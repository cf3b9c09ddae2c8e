// The module Create OTA Firmware used last is remembered per product: two Creates at once, for different products, each
// read the stored modules before their pick and write after it; the second write must not drop the first one's product.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StateKeys } from '../../../src/vscode/constants';
import { installVscodeStub } from '../../support/vscodeStub';

installVscodeStub();

/** workspaceState as VS Code's: `get` sees an update at once, the write itself completes later. */
function memento(initial: Record<string, unknown> = {}) {
	const values = new Map(Object.entries(initial));
	return {
		get: (key: string) => values.get(key),
		update: (key: string, value: unknown) => {
			values.set(key, value);
			return Promise.resolve();
		},
		keys: () => [...values.keys()],
	};
}

/** Services whose module pick waits until the test answers it; `asked` resolves once both products' picks are open. */
function services(workspaceState: ReturnType<typeof memento>) {
	const answers = new Map<string, (moduleName: string) => void>();
	let bothAsked: () => void = () => undefined;
	const asked = new Promise<void>((resolve) => (bothAsked = resolve));
	const s = {
		context: { workspaceState },
		prompter: {
			pick: (_id: string, items: Array<{ moduleName: string }>, options: { title: string }) =>
				new Promise((resolve) => {
					const productKey = /product (\w+)/.exec(options.title)?.[1] ?? '';
					answers.set(productKey, (name) => resolve(items.find((item) => item.moduleName === name)));
					if (answers.size === 2) {
						bothAsked();
					}
				}),
		},
	};
	return { s, asked, answer: (productKey: string, moduleName: string) => answers.get(productKey)?.(moduleName) };
}

/** ListOTAModuleByProduct: every product has "default" and "MCU". */
const client = { call: async () => ({ RequestId: 'r', Data: [{ ModuleName: 'default' }, { ModuleName: 'MCU' }] }) };
const request = (productKey: string) => ({ productKey, destVersion: '1.0.0', firmwareName: 'fw', firmwareUrl: 'https://o/fw.bin' });

void test('two interleaved Creates for different products both keep the module they chose', async () => {
	const { pickModule } = await import('../../../src/vscode/create/modulePick.js');
	const state = memento({ [StateKeys.lastModules]: { pkOld: 'MCU' } });
	const { s, asked, answer } = services(state);
	const first = pickModule(s as never, client as never, request('pkA'));
	const second = pickModule(s as never, client as never, request('pkB'));
	await asked;
	answer('pkA', 'MCU');
	assert.equal(await first, 'MCU');
	answer('pkB', 'default');
	assert.equal(await second, undefined, '"default" is sent as no ModuleName');
	assert.deepEqual(state.get(StateKeys.lastModules), { pkOld: 'MCU', pkA: 'MCU', pkB: 'default' });
});

void test('rememberModule merges into the value stored at the moment it writes, and replaces one that is not a record', async () => {
	const { rememberModule } = await import('../../../src/vscode/create/modulePick.js');
	const state = memento({ [StateKeys.lastModules]: { pkA: 'MCU' } });
	await rememberModule(state as never, 'pkB', 'BLE');
	await rememberModule(state as never, 'pkA', 'default');
	assert.deepEqual(state.get(StateKeys.lastModules), { pkA: 'default', pkB: 'BLE' });
	const odd = memento({ [StateKeys.lastModules]: 'MCU' });
	await rememberModule(odd as never, 'pkC', 'MCU');
	assert.deepEqual(odd.get(StateKeys.lastModules), { pkC: 'MCU' });
});
