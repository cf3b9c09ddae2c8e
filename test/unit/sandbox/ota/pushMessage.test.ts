// The push a device receives (docs/protocols.md §10.2): the device SDKs' spelling of the sign method, no `module` for
// the default module, and the batch tags plus the package's Udi in extData.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobRecord } from '../../../../src/sandbox/ota/model';
import { pushMessage } from '../../../../src/sandbox/ota/pump';
import type { FirmwareRecord } from '../../../../src/sandbox/storeRecords';

const firmware = (extra: Partial<FirmwareRecord> = {}): FirmwareRecord =>
	({ firmwareSize: 1024, firmwareSign: 'a'.repeat(32), signMethod: 'MD5', ...extra }) as FirmwareRecord;
const job = (extra: Partial<JobRecord['options']> = {}, moduleName = 'default'): JobRecord =>
	({ destVersion: '2.0.0', moduleName, deltaFrom: undefined, options: { tags: [], ...extra } }) as unknown as JobRecord;

void test('MD5 packages push md5 + sign with signMethod "Md5"; the default module is not named; no extData without tags or Udi', () => {
	assert.deepEqual(pushMessage(job(), firmware(), 'https://x/y.bin?sig'), {
		size: 1024,
		version: '2.0.0',
		url: 'https://x/y.bin?sig',
		md5: 'a'.repeat(32),
		sign: 'a'.repeat(32),
		signMethod: 'Md5',
	});
});

void test('tags and the package Udi reach the device in extData; another module is named; SHA256 sends no md5', () => {
	const push = pushMessage(
		job({ tags: [{ key: 'channel', value: 'beta' }] }, 'MCU'),
		firmware({ udi: '{"ota_notice":"reboot"}', signMethod: 'SHA256', firmwareSign: 'b'.repeat(64) }),
		'u',
	);
	assert.deepEqual(push.extData, { channel: 'beta', _package_udi: '{"ota_notice":"reboot"}' });
	assert.equal(push.module, 'MCU');
	assert.equal(push.signMethod, 'SHA256');
	assert.equal(push.md5, undefined);
});
