// The upload path's vendor files load on an idle turn after the first call of the preloader, once, and a failing load
// is ignored (the upload's own load reports it); loadUploadPath loads pop-core's RPC client and form-data.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs';
import { test } from 'node:test';
import { loadUploadPath, uploadPathPreloader } from '../../../src/core/uploadPreload';

/** After the preloader's turns: an immediate, then a timer. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(() => setTimeout(resolve, 0)));

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

void test('the load waits for the timers the command’s turn set: a remote window’s extension host sends the picker’s request on one', async () => {
	const order: string[] = [];
	// The command runs in an I/O callback (the window's message arrived), where an immediate comes before any timer.
	await new Promise<void>((resolve) =>
		readFile(__filename, () => {
			uploadPathPreloader(() => {
				order.push('load');
				resolve();
			})();
			setTimeout(() => order.push('picker request sent'), 0);
		}),
	);
	assert.deepEqual(order, ['picker request sent', 'load']);
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
