// The product pick of Create OTA Firmware lists every product of QueryProductList, page after page until the listing's
// Total, not only its first page: a product past the first 200 is offered, not reachable only by typing its key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installVscodeStub } from '../../support/vscodeStub';

installVscodeStub();

const products = (from: number, count: number) =>
	Array.from({ length: count }, (_, i) => ({ productKey: `pk${from + i}`, productName: `Product ${from + i}`, description: '' }));

/** A QueryProductList of `total` products in pages of the asked size; records each page asked for. */
function fakeClient(total: number, failFrom = Number.POSITIVE_INFINITY) {
	const asked: Array<{ currentPage: number; pageSize: number }> = [];
	const client = {
		queryProductList: async (q: { currentPage: number; pageSize: number }) => {
			asked.push(q);
			if (q.currentPage >= failFrom) {
				throw new Error('QueryProductList did not answer.');
			}
			const start = (q.currentPage - 1) * q.pageSize;
			const items = products(start, Math.max(0, Math.min(q.pageSize, total - start)));
			return { total, pageSize: q.pageSize, pageCount: Math.ceil(total / q.pageSize), currentPage: q.currentPage, items };
		},
	};
	return { client, asked };
}

/** Services whose pick records the items it was offered and then cancels. */
function services() {
	const offered: Array<Array<{ productKey?: string }>> = [];
	const s = {
		context: { workspaceState: { get: () => 'pk230', update: async () => undefined } },
		log: { warn: () => undefined },
		mask: { apply: (text: string) => text },
		prompter: {
			pick: async (_id: string, items: Promise<Array<{ productKey?: string }>>) => {
				offered.push(await items);
				return undefined;
			},
		},
	};
	return { s, offered };
}

void test('the product pick reads QueryProductList page after page up to its Total and offers every product', async () => {
	const { pickProductKey } = await import('../../../src/vscode/create/productPick.js');
	const { client, asked } = fakeClient(250);
	const { s, offered } = services();
	await assert.rejects(pickProductKey(s as never, client as never), /product selection/);
	assert.deepEqual(asked, [
		{ currentPage: 1, pageSize: 200 },
		{ currentPage: 2, pageSize: 200 },
	]);
	const keys = offered[0].map((item) => item.productKey);
	assert.equal(keys.length, 251, 'the 250 products and "Enter a ProductKey…"');
	assert.equal(keys[0], 'pk230', 'the last used product, from the second page, comes first');
	assert.ok(keys.includes('pk249'));
	assert.equal(keys.at(-1), undefined, 'the typed-key fallback is last');
});

void test('the product pick stops at PRODUCT_PICK_MAX_PAGES pages however large the Total', async () => {
	const { pickProductKey, PRODUCT_PICK_MAX_PAGES } = await import('../../../src/vscode/create/productPick.js');
	const { client, asked } = fakeClient(200 * (PRODUCT_PICK_MAX_PAGES + 5));
	const { s, offered } = services();
	await assert.rejects(pickProductKey(s as never, client as never), /product selection/);
	assert.equal(asked.length, PRODUCT_PICK_MAX_PAGES);
	assert.equal(offered[0].length, 200 * PRODUCT_PICK_MAX_PAGES + 1);
});

void test('a page that fails after the first keeps the products already read, with the typed-key fallback', async () => {
	const { pickProductKey } = await import('../../../src/vscode/create/productPick.js');
	const { client, asked } = fakeClient(450, 3);
	const { s, offered } = services();
	await assert.rejects(pickProductKey(s as never, client as never), /product selection/);
	assert.equal(asked.length, 3);
	const keys = offered[0].map((item) => item.productKey);
	assert.equal(keys.length, 401, 'the 400 products of pages 1 and 2 and "Enter a ProductKey…"');
	assert.equal(keys[0], 'pk230');
	assert.equal(keys.at(-1), undefined);
});

void test('a first page that fails offers only the typed-key fallback', async () => {
	const { pickProductKey } = await import('../../../src/vscode/create/productPick.js');
	const { client } = fakeClient(450, 1);
	const { s, offered } = services();
	await assert.rejects(pickProductKey(s as never, client as never), /product selection/);
	assert.deepEqual(
		offered[0].map((item) => item.productKey),
		[undefined],
	);
});
