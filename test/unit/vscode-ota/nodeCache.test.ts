import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeCache } from '../../../src/vscode/ota/nodeCache';
import { JobNode, PackageNode, ProductNode, TaskGroupNode, TaskNode } from '../../../src/vscode/ota/nodes';
import { job } from './fixtures';

void test('a reloaded list hands out the same objects, updated', () => {
	const cache = new NodeCache();
	const first = cache.reuse(new ProductNode('pk', 'Old'));
	const second = cache.reuse(new ProductNode('pk', 'New'), (n) => (n.productName = 'New'));
	assert.equal(second, first);
	assert.equal(first.productName, 'New');
});

void test('what leaves a list is forgotten with everything below it, so paging bounds the cache', () => {
	const cache = new NodeCache();
	const product = cache.reuse(new ProductNode('pk', 'P'));
	const pkg = cache.reuse(new PackageNode(product, { firmwareId: 'fw', firmwareName: 'f', destVersion: '1' }));
	const jobNode = cache.reuse(new JobNode(pkg, job()));
	const group = cache.reuse(new TaskGroupNode(jobNode, 'IN_PROGRESS', 100_000));
	cache.setChildren('ota:root', [product]);
	cache.setChildren(product.id, [pkg]);
	cache.setChildren(pkg.id, [jobNode]);
	cache.setChildren(jobNode.id, [group]);
	for (let page = 0; page < 20; page++) {
		const tasks = Array.from({ length: 50 }, (_, i) =>
			cache.reuse(new TaskNode(group, { taskId: `t${page * 50 + i}`, deviceName: `d${i}`, status: 'IN_PROGRESS' })),
		);
		cache.setChildren(group.id, tasks);
	}
	assert.equal(cache.size, 4 + 50, 'only the last page of tasks is held');
	cache.setChildren(product.id, []);
	assert.equal(cache.size, 1);
	assert.equal(cache.get(group.id), undefined);
	assert.deepEqual(cache.children(product.id), []);
});
