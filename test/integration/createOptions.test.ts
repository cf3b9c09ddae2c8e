// Create OTA Firmware's "More options…" (a delta package, a description) as the questions go: Escape in one goes back
// with the options as they were, a multi-file package checks the description as it is typed, and a Retry after a failed
// registration offers every answer again. The module questions are createModule.test.ts's.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import { useCreateFile } from './helpers/create';
import { lifecycle } from './helpers/fleet';
import { errorTexts, useSuite, waitFor } from './helpers/ota';
import { usePackageFiles } from './helpers/package';

describe('IoT OTA create OTA firmware: More options… and Retry', () => {
	const ctx = useSuite();
	const { app, spiffs } = usePackageFiles(ctx);
	const { ofProduct, uploaded } = useCreateFile(ctx, 'options.bin');

	// A product with modules besides "default", so the module is asked.
	before(() => ctx.sandbox.ota.createModule(ctx.sandbox.productKey, 'MCU', { aliasName: 'controller' }));

	it('Escape in a question of More options… goes back to the sign-method pick with the options as they were', async () => {
		const { api, sandbox } = ctx;
		const entry = await uploaded();
		const more = { id: 'create.signMethod', pick: 'More options…' };
		api.testSeam.queue(
			{ id: 'create.product', pick: ofProduct },
			{ id: 'create.module', pick: 'MCU' },
			{ id: 'create.destVersion', input: '4.0.0' },
			{ id: 'create.firmwareName', input: 'mcu-escape-4_0_0' },
			more,
			{ id: 'create.packageType', cancel: true },
			more,
			{ id: 'create.packageType', pick: 'Delta package…' },
			{ id: 'create.srcVersion', input: '3.0.0' },
			{ id: 'create.description', input: 'kept' },
			more,
			{ id: 'create.packageType', pick: 'Full package' },
			{ id: 'create.description', cancel: true },
			more,
			{ id: 'create.packageType', pick: 'Delta package…' },
			{ id: 'create.srcVersion', cancel: true },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const registered = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, entry);
		assert.equal(registered?.status, 'registered', JSON.stringify(errorTexts(api)));
		const titles = api.testSeam.calls.filter((c) => c.id === 'create.signMethod').map((c) => c.text.split(' — ')[1] ?? '');
		assert.deepEqual(titles, [
			'',
			'',
			'delta package from 3.0.0 · with a description',
			'delta package from 3.0.0 · with a description',
			'delta package from 3.0.0 · with a description',
		]);
		const stored = await lifecycle(sandbox).queryFirmware(registered.firmwareId ?? '');
		assert.deepEqual([stored.moduleName, stored.type, stored.srcVersion, stored.firmwareDesc], ['MCU', 1, '3.0.0', 'kept']);
	});

	it('a multi-file package checks the description as it is typed (the FirmwareDesc rule), as one file does', async () => {
		const { api } = ctx;
		api.testSeam.queue(
			{ id: 'upload.packaging', pick: 'One package with these 2 files' },
			{ id: 'create.product', pick: ofProduct },
			{ id: 'create.module', pick: 'default' },
			{ id: 'create.destVersion', input: '5.1.0' }, // the version the images declare
			{ id: 'create.firmwareName', input: 'desc-5_1_0' },
			{ id: 'create.signMethod', pick: 'More options…' },
			{ id: 'create.packageType', pick: 'Full package' },
			{ id: 'create.description', input: 'd'.repeat(101) },
			{ id: 'create.signMethod', cancel: true },
		);
		const editor = await vscode.commands.executeCommand(Commands.showUploadCommands, app(), [app(), spiffs()]);
		assert.equal(editor, undefined, 'dismissed: nothing opens');
		const description = api.testSeam.calls.find((c) => c.id === 'create.description');
		assert.match(description?.validation ?? '', /FirmwareDesc.*100.*101/);
	});

	it('Retry after a failed registration offers what was answered first: the module, DestVersion, name and options', async () => {
		const { api, sandbox } = ctx;
		const entry = await uploaded();
		sandbox.faults.add({
			target: 'api',
			action: 'CreateOTAFirmware',
			kind: 'status',
			status: 400,
			code: 'iot.common.InvalidParameter',
			times: 1,
		});
		api.testSeam.queue(
			{ id: 'create.product', pick: ofProduct },
			{ id: 'create.module', pick: 'MCU' },
			{ id: 'create.destVersion', input: '7.0.0' },
			{ id: 'create.firmwareName', input: 'mcu-retry-7_0_0' },
			{ id: 'create.signMethod', pick: 'More options…' },
			{ id: 'create.packageType', pick: 'Delta package…' },
			{ id: 'create.srcVersion', input: '6.0.0' },
			{ id: 'create.description', input: 'retried' },
			{ id: 'create.signMethod', pick: 'MD5' },
			{ id: 'error', button: 'Retry' },
			// The Retry: Enter on each question keeps what was answered before.
			{ id: 'create.product', pick: ofProduct },
			{ id: 'create.module', pick: () => true },
			{ id: 'create.destVersion', input: '7.0.0' },
			{ id: 'create.firmwareName', input: 'mcu-retry-7_0_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		assert.equal(await vscode.commands.executeCommand(Commands.createOtaFirmware, entry), undefined, 'the first attempt fails');
		const row = await waitFor(() => {
			const current = api.history.get(entry.id);
			return current?.status === 'registered' && current;
		}, 'the Retry to register the upload');
		const modules = api.testSeam.calls.filter((c) => c.id === 'create.module').map((c) => c.options?.[0]);
		assert.deepEqual(modules, ['default', 'MCU'], "the Retry's pick offers the module chosen before first");
		const prefilled = (id: string) => api.testSeam.calls.filter((c) => c.id === id).map((c) => c.value);
		assert.deepEqual(prefilled('create.destVersion')[1], '7.0.0');
		assert.deepEqual(prefilled('create.firmwareName')[1], 'mcu-retry-7_0_0');
		const lastTitle = api.testSeam.calls.filter((c) => c.id === 'create.signMethod').at(-1)?.text ?? '';
		assert.match(lastTitle, /delta package from 6\.0\.0 · with a description/, 'the options are kept');
		const stored = await lifecycle(sandbox).queryFirmware(row.firmwareId ?? '');
		assert.deepEqual([stored.moduleName, stored.type, stored.srcVersion, stored.firmwareDesc], ['MCU', 1, '6.0.0', 'retried']);
	});
});
