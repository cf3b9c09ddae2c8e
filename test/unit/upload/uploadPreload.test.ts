// The upload path's vendor files load on an idle turn after the first call of the preloader, once, and a failing load
// is ignored (the upload's own load reports it); loadUploadPath loads pop-core's RPC client and form-data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadUploadPath, uploadPathPreloader } from '../../../src/core/uploadPreload';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

void test('the preloader loads on a later turn, on its first call only', async () => {
	let loads = 0;
	const preload = uploadPathPreloader(() => void loads++);
	preload();
	assert.equal(loads, 0, 'loaded inside the command, before its picker is up');
	await nextTurn();
	assert.equal(loads, 1);
	preload();
	await nextTurn();
	assert.equal(loads, 1);
});

void test('a failing load is ignored', async () => {
	let tried = false;
	const preload = uploadPathPreloader(() => {
		tried = true;
		throw new Error('vendor file missing');
	});
	const uncaught: unknown[] = [];
	const record = (error: unknown) => void uncaught.push(error);
	process.on('uncaughtException', record);
	try {
		preload();
		await nextTurn();
		await nextTurn();
	} finally {
		process.off('uncaughtException', record);
	}
	assert.ok(tried);
	assert.deepEqual(uncaught, []);
});

void test('loadUploadPath loads pop-core RPC and form-data', () => {
	const files = [require.resolve('@alicloud/pop-core/lib/rpc'), require.resolve('form-data')];
	assert.deepEqual(
		files.filter((file) => require.cache[file]),
		[],
	);
	loadUploadPath();
	assert.deepEqual(
		files.filter((file) => !require.cache[file]),
		[],
	);
});
