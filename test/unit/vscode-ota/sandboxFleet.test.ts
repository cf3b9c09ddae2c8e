// The sandbox fleet settings (iotOta.sandbox.devices, .behaviours, .timeScale): trusted workspace values only, clamped
// to the bounds the manifest offers, the behaviours the sandbox has.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { BEHAVIOURS } from '../../../src/sandbox/ota/model';
import { SANDBOX_FLEET_LIMITS, SANDBOX_FLEET_KEYS, sandboxFleet } from '../../../src/vscode/sandboxFleet';

void describe('the sandbox fleet settings', () => {
	const inspect = (values: Record<string, { globalValue?: unknown; workspaceValue?: unknown }>) => (key: string) => ({
		defaultValue: { 'sandbox.devices': 20, 'sandbox.behaviours': { 'fail-flash': 5 }, 'sandbox.timeScale': 10 }[key],
		...values[key],
	});

	void test('workspace values apply only in a trusted workspace', () => {
		const settings = inspect({
			'sandbox.devices': { globalValue: 50, workspaceValue: 100_000 },
			'sandbox.timeScale': { workspaceValue: 600 },
		});
		assert.deepEqual(sandboxFleet(settings, true), { devices: 100_000, behaviours: { 'fail-flash': 5 }, timeScale: 600 });
		assert.deepEqual(sandboxFleet(settings, false), { devices: 50, behaviours: { 'fail-flash': 5 }, timeScale: 10 });
	});

	void test('out-of-range numbers are clamped and wrong types fall back to the defaults', () => {
		const settings = inspect({
			'sandbox.devices': { globalValue: 2_000_000 },
			'sandbox.behaviours': { globalValue: ['offline'] },
			'sandbox.timeScale': { globalValue: 'fast' },
		});
		assert.deepEqual(sandboxFleet(settings, true), { devices: 100_000, behaviours: { 'fail-flash': 5 }, timeScale: 10 });
	});

	void test('the manifest offers the sandbox’s behaviours and the bounds the settings are clamped to', () => {
		const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
			contributes: { configuration: { properties: Record<string, Record<string, unknown>> } };
		};
		const setting = (key: string) => manifest.contributes.configuration.properties[`iotOta.${key}`];
		const behaviours = setting(SANDBOX_FLEET_KEYS.behaviours).propertyNames as { enum: string[] };
		assert.deepEqual(
			behaviours.enum,
			BEHAVIOURS.filter((name) => name !== 'ok'),
			"'ok' is the rest of the fleet",
		);
		const devices = setting(SANDBOX_FLEET_KEYS.devices);
		assert.deepEqual([devices.minimum, devices.maximum], [SANDBOX_FLEET_LIMITS.devices.min, SANDBOX_FLEET_LIMITS.devices.max]);
		const timeScale = setting(SANDBOX_FLEET_KEYS.timeScale);
		assert.equal(timeScale.maximum, SANDBOX_FLEET_LIMITS.timeScale.max);
		assert.equal(timeScale.exclusiveMinimum, 0);
		assert.ok(SANDBOX_FLEET_LIMITS.timeScale.min > 0, 'the clamp stays above the exclusive minimum');
	});
});
