// The upload commands load the upload path's vendor files while their first picker is up (core/uploadPreload.ts): each
// one asks for the preload before it does anything else, and no other command does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installVscodeStub } from '../../support/vscodeStub';

installVscodeStub();

const PRELOADING = [
	'iotOta.uploadFirmware',
	'iotOta.uploadLatestBuild',
	'iotOta.uploadFromFolder',
	'iotOta.showUploadCommands',
	'iotOta.createOtaFirmware',
];

class Preloaded extends Error {}

void test('the upload commands ask for the preload first, the other commands never', async () => {
	const { createCommandTable } = await import('../../../src/vscode/commands/index.js');
	const { Commands } = await import('../../../src/vscode/constants.js');
	// The preload stops the command at once, so no flow runs; any other use of the services stops it too.
	const services = new Proxy(
		{},
		{
			get: (_target, name) => {
				if (name === 'preloadUploadPath') {
					return () => {
						throw new Preloaded();
					};
				}
				throw new Error(`services.${String(name)}`);
			},
		},
	);
	const table = createCommandTable(services as never, undefined);
	const preloading: string[] = [];
	const running: Array<Promise<unknown>> = [];
	for (const [id, handler] of Object.entries(table)) {
		try {
			running.push(Promise.resolve(handler()));
		} catch (error) {
			if (error instanceof Preloaded) {
				preloading.push(id);
			}
		}
	}
	await Promise.allSettled(running);
	assert.deepEqual(preloading.sort(), [...PRELOADING].sort());
	assert.ok(PRELOADING.every((id) => Object.values(Commands).includes(id as never)));
});
