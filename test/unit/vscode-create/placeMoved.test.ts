// The rule of Create OTA Firmware on an Uploads row whose connection moved since the upload (movedPlace): the row's
// recorded profile, region and instance against the profile and connection a registration resolved now; an older row
// without an instance is compared by what it records.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { movedPlace } from '../../../src/vscode/create/placeMoved';
import { DEFAULT_INSTANCE } from '../../../src/vscode/model';

const row = { profile: 'p', region: 'cn-shanghai', instance: 'iot-ent' };
const here = { profile: 'p', region: 'cn-shanghai', iotInstanceId: 'iot-ent' };

void describe('movedPlace', () => {
	void test('the same profile, region and instance: nothing moved', () => {
		assert.equal(movedPlace(row, here), undefined);
	});

	void test("the region's default instance on both sides (no IotInstanceId now, DEFAULT_INSTANCE recorded): nothing moved", () => {
		assert.equal(movedPlace({ ...row, instance: DEFAULT_INSTANCE }, { ...here, iotInstanceId: undefined }), undefined);
		assert.equal(movedPlace({ ...row, instance: DEFAULT_INSTANCE }, { ...here, iotInstanceId: '' }), undefined);
	});

	void test('another instance: both places, the default instance named as the row records it', () => {
		assert.deepEqual(movedPlace(row, { ...here, iotInstanceId: undefined }), {
			recorded: row,
			now: { profile: 'p', region: 'cn-shanghai', instance: DEFAULT_INSTANCE },
		});
		assert.deepEqual(movedPlace({ ...row, instance: DEFAULT_INSTANCE }, here)?.now, {
			profile: 'p',
			region: 'cn-shanghai',
			instance: 'iot-ent',
		});
	});

	void test('another region', () => {
		assert.deepEqual(movedPlace(row, { ...here, region: 'ap-southeast-1' }), {
			recorded: row,
			now: { profile: 'p', region: 'ap-southeast-1', instance: 'iot-ent' },
		});
	});

	void test("another profile (the active one, when the row's is gone here)", () => {
		assert.deepEqual(movedPlace(row, { ...here, profile: 'active' })?.now, {
			profile: 'active',
			region: 'cn-shanghai',
			instance: 'iot-ent',
		});
	});

	void test('an older row without an instance: compared by profile and region only, and named without one', () => {
		const older = { profile: 'p', region: 'cn-shanghai' };
		assert.equal(movedPlace(older, here), undefined);
		assert.equal(movedPlace(older, { ...here, iotInstanceId: undefined }), undefined);
		assert.deepEqual(movedPlace(older, { ...here, region: 'cn-beijing' }), {
			recorded: older,
			now: { profile: 'p', region: 'cn-beijing', instance: 'iot-ent' },
		});
	});
});
