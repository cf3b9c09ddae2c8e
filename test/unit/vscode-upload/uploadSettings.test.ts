// iotOta.upload.timeoutSeconds and .maxAttempts: whole numbers within the manifest's bounds, whatever settings.json holds.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { integerSetting, UPLOAD_SETTING_LIMITS } from '../../../src/vscode/settingValues';

const { timeoutSeconds, maxAttempts } = UPLOAD_SETTING_LIMITS;

void test('a fraction is rounded down (7.5 seconds are 7), out of range clamped, another type the default', () => {
	assert.equal(integerSetting(7.5, timeoutSeconds), 7);
	assert.equal(integerSetting(2.5, maxAttempts), 2);
	assert.equal(integerSetting(4.9, timeoutSeconds), 5, 'clamped to the minimum, a whole number');
	assert.equal(integerSetting(1e9, timeoutSeconds), 86_400);
	assert.equal(integerSetting(0, maxAttempts), 1);
	assert.equal(integerSetting('30', timeoutSeconds), 60);
	assert.equal(integerSetting(Number.NaN, maxAttempts), 4);
	assert.equal(integerSetting(120, timeoutSeconds), 120);
});

void test('the manifest declares both as integers with the bounds and defaults the reader applies', () => {
	const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
		contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
	};
	for (const [key, limits] of Object.entries(UPLOAD_SETTING_LIMITS)) {
		const setting = manifest.contributes.configuration.properties[`iotOta.upload.${key}`];
		assert.deepEqual(
			[setting.type, setting.minimum, setting.maximum, setting.default],
			['integer', limits.min, limits.max, limits.fallback],
			key,
		);
	}
});
