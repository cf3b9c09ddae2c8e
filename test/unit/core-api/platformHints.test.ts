// Platform refusals that end an action get the core's hint, as the sandbox (standing for the cloud) answers them through
// the real IotClient: a typed module that does not exist names the product's module list and CreateOTAModule.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { OtaError } from '../../../src/core/errors';
import { API_HINTS } from '../../../src/core/iot/popErrors';
import type { IotClient } from '../../../src/core/iotClient';
import { startSandbox, type Sandbox } from '../../../src/sandbox';
import { SEEDED_PRODUCTS } from '../../../src/sandbox/storeRecords';
import { sandboxClient } from '../../support/reliability';

let sandbox: Sandbox;
let client: IotClient;

before(async () => {
	sandbox = await startSandbox({ qps: 1000 });
	client = sandboxClient(sandbox);
});
after(() => sandbox?.stop());

void test('CreateOTAFirmware for a module the product does not have carries the module hint (list, CreateOTAModule)', async () => {
	const error = await client
		.createOtaFirmware({
			productKey: SEEDED_PRODUCTS[0].productKey,
			firmwareName: 'no_such_module',
			destVersion: '1.0.0',
			firmwareUrl: 'https://example.invalid/firmware.bin',
			moduleName: 'nosuchmodule',
		})
		.then(
			() => assert.fail('expected the call to fail'),
			(e: unknown) => e,
		);
	assert.ok(error instanceof OtaError, String(error));
	assert.equal(error.code, 'iot.ota.OtaModuleNotExisted');
	assert.match(error.message, /The specified module does not exist\./);
	assert.equal(error.hint, API_HINTS['module-not-found']);
	assert.match(error.hint, /--module/);
	assert.match(error.hint, /ListOTAModuleByProduct/);
	assert.match(error.hint, /CreateOTAModule/);
});
