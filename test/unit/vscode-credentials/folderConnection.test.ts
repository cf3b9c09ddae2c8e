import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
	connectionConflict,
	connectionDifferences,
	connectionGroups,
	connectionKey,
	differingSettings,
	type FileConnection,
} from '../../../src/vscode/credentials/folderConnection';

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

void test('the OTA Packages view groups folders by the connection they choose, by the same rule, in folder order', () => {
	const a = file('a', { ...shanghai, iotInstanceId: 'iot-1' });
	const b = file('b', { region: 'ap-southeast-1' });
	const c = file('c', { ...shanghai, iotInstanceId: 'iot-1', endpoint: undefined });
	const d = file('d', { region: 'ap-southeast-1', endpoint: 'https://IoT.example.com/' });
	const e = file('e', { region: 'ap-southeast-1', endpoint: 'https://iot.example.com' });
	const groups = connectionGroups([a, b, c, d, e]);
	assert.deepEqual(
		groups.map((group) => group.members.map((member) => member.name)),
		[['a', 'c'], ['b'], ['d', 'e']],
	);
	assert.deepEqual(groups[0].connection, a.connection, "a group's connection is its first member's");
	assert.equal(new Set(groups.map((group) => group.key)).size, 3);
	assert.deepEqual(
		connectionGroups([a, c]).map((group) => group.members.length),
		[2],
		'one connection: one group (the view shows no connection rows)',
	);
	assert.deepEqual(connectionGroups([]), []);
});

void test('a connection key is equal exactly when connectionDifferences finds no difference', () => {
	const pairs: Array<[FileConnection['connection'], FileConnection['connection']]> = [
		[shanghai, { region: 'cn-shanghai', endpoint: undefined }],
		[
			{ ...shanghai, endpoint: 'https://IoT.example.com/' },
			{ ...shanghai, endpoint: 'https://iot.example.com' },
		],
		[
			{ ...shanghai, iotInstanceId: 'IOT-1' },
			{ ...shanghai, iotInstanceId: 'iot-1' },
		],
		[shanghai, { region: 'cn-beijing' }],
		[shanghai, { ...shanghai, iotInstanceId: 'iot-1' }],
	];
	for (const [x, y] of pairs) {
		assert.equal(connectionKey(x) === connectionKey(y), connectionDifferences(x, y, '').length === 0, JSON.stringify([x, y]));
	}
});

void test('the settings that differ between connections are named for the rows tooltip', () => {
	assert.deepEqual(differingSettings([{ ...shanghai, iotInstanceId: 'iot-1' }, { region: 'ap-southeast-1' }]), [
		'iotOta.region',
		'iotOta.iotInstanceId',
	]);
	assert.deepEqual(
		differingSettings([
			{ ...shanghai, endpoint: 'https://a.example.com' },
			{ ...shanghai, endpoint: 'https://A.example.com/' },
			{ ...shanghai, endpoint: 'https://b.example.com' },
		]),
		['iotOta.endpoint'],
	);
});

void test('differences show an endpoint as output may (no user name, password or secret query), compared as set', () => {
	const a = { region: 'cn-shanghai', endpoint: 'https://ak:pw-one@gw.example.com/?SecurityToken=t0k' };
	const b = { region: 'cn-shanghai', endpoint: 'https://ak:pw-two@gw.example.com/' };
	const [difference, ...rest] = connectionDifferences(a, b, '(not set)');
	assert.deepEqual(rest, []);
	assert.equal(difference, 'iotOta.endpoint "https://***@gw.example.com/?SecurityToken=***" ≠ "https://***@gw.example.com/"');
});
