import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectionConflict, connectionDifferences, type FileConnection } from '../../../src/vscode/credentials/folderConnection';

const file = (name: string, connection: FileConnection['connection']): FileConnection => ({ name, connection });
const shanghai = { region: 'cn-shanghai' };

void test('files whose folders choose the same connection: no conflict', () => {
	assert.equal(connectionConflict([file('a.bin', shanghai), file('b.bin', { ...shanghai })]), undefined);
	assert.equal(connectionConflict([file('only.bin', shanghai)]), undefined);
});

void test('endpoints compare as URLs (case, trailing slash); instance ids and regions as typed', () => {
	const a = file('a.bin', { ...shanghai, endpoint: 'https://IoT.example.com/' });
	const b = file('b.bin', { ...shanghai, endpoint: 'https://iot.example.com' });
	assert.equal(connectionConflict([a, b]), undefined);
	const upper = file('c.bin', { ...shanghai, iotInstanceId: 'IOT-1' });
	const lower = file('d.bin', { ...shanghai, iotInstanceId: 'iot-1' });
	assert.deepEqual(connectionConflict([upper, lower]), [upper, lower]);
});

void test('the first file that differs from the first file is named with it', () => {
	const a = file('a.bin', shanghai);
	const b = file('b.bin', shanghai);
	const c = file('c.bin', { ...shanghai, iotInstanceId: 'iot-c' });
	assert.deepEqual(connectionConflict([a, b, c]), [a, c]);
	assert.deepEqual(connectionConflict([c, a, b]), [c, a]);
});

void test('the differences name each setting that differs, a value not set as told', () => {
	const a = { region: 'cn-shanghai', iotInstanceId: 'iot-a' };
	const b = { region: 'ap-southeast-1', endpoint: 'http://127.0.0.1:9/' };
	assert.deepEqual(connectionDifferences(a, b, '(not set)'), [
		'iotOta.region "cn-shanghai" ≠ "ap-southeast-1"',
		'iotOta.endpoint (not set) ≠ "http://127.0.0.1:9/"',
		'iotOta.iotInstanceId "iot-a" ≠ (not set)',
	]);
	assert.deepEqual(connectionDifferences(a, { ...a }, '(not set)'), []);
});
