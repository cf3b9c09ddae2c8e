// Create OTA Firmware and a multi-file package register what the CLI can: the OTA module (asked only when the product
// has modules besides "default"), a delta package from a SrcVersion and a description ("More options…" of the
// sign-method pick), each read back from the sandbox; Show Upload Commands carries them. How More options… and a
// Retry go question by question is createOptions.test.ts's.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, StateKeys } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import { useCreateFile } from './helpers/create';
import { lifecycle } from './helpers/fleet';
import { errorTexts, useSuite } from './helpers/ota';
import { usePackageFiles } from './helpers/package';

describe('IoT OTA create OTA firmware: module, delta package, description', () => {
	const ctx = useSuite();
	const { app, spiffs, upload } = usePackageFiles(ctx);
	const { ofProduct, uploaded } = useCreateFile(ctx, 'module.bin');

	const modulesListed = () => ctx.sandbox.requests.entries.filter((e) => e.action === 'ListOTAModuleByProduct').length;

	it('a product with only the "default" module: its modules are read, no module question, no ModuleName sent', async () => {
		const { api, sandbox } = ctx;
		const entry = await uploaded();
		api.testSeam.queue(
			{ id: 'create.product', pick: ofProduct },
			{ id: 'create.destVersion', input: '1.0.0' },
			{ id: 'create.firmwareName', input: 'module-default-1_0_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const registered = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, entry);
		assert.equal(registered?.status, 'registered', JSON.stringify(errorTexts(api)));
		assert.equal(modulesListed(), 1, "the product's modules were listed");
		const questions = api.testSeam.calls.filter((c) => c.kind === 'pick' || c.kind === 'input').map((c) => c.id);
		assert.deepEqual(
			questions,
			['create.product', 'create.destVersion', 'create.firmwareName', 'create.signMethod'],
			'no module question',
		);
		const sent = sandbox.requests.entries.find((e) => e.action === 'CreateOTAFirmware')?.params ?? {};
		assert.deepEqual([sent.ModuleName, sent.Type, sent.SrcVersion, sent.FirmwareDesc], [undefined, undefined, undefined, undefined]);
		assert.equal((await lifecycle(sandbox).queryFirmware(registered.firmwareId ?? '')).moduleName ?? 'default', 'default');
	});

	it('a product with modules: the chosen module, a delta package and a description land in the sandbox and the row', async () => {
		const { api, sandbox } = ctx;
		sandbox.ota.createModule(sandbox.productKey, 'BLE', { aliasName: 'radio' });
		sandbox.ota.createModule(sandbox.productKey, 'MCU', { aliasName: 'controller' });
		await api.context.workspaceState.update(StateKeys.lastModules, undefined);
		const entry = await uploaded();
		const deltaOfMcu = (srcVersion: string) => [
			{ id: 'create.product', pick: ofProduct },
			{ id: 'create.module', pick: 'MCU' },
			{ id: 'create.destVersion', input: '2.0.0' },
			{ id: 'create.firmwareName', input: 'mcu-delta-2_0_0' },
			{ id: 'create.signMethod', pick: 'More options…' },
			{ id: 'create.packageType', pick: 'Delta package…' },
			{ id: 'create.srcVersion', input: srcVersion },
		];
		api.testSeam.queue(...deltaOfMcu('2.0.0')); // refused: a delta package's SrcVersion differs from its DestVersion
		assert.equal(await vscode.commands.executeCommand(Commands.createOtaFirmware, entry), undefined);
		assert.match(api.testSeam.calls.find((c) => c.id === 'create.srcVersion')?.validation ?? '', /SrcVersion.*DestVersion/);
		assert.deepEqual(api.testSeam.calls.find((c) => c.id === 'create.module')?.options, ['default', 'BLE', 'MCU']);

		api.testSeam.reset();
		sandbox.requests.clear();
		api.testSeam.queue(
			...deltaOfMcu('1.0.0'),
			{ id: 'create.description', input: 'MCU delta from 1.0.0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const registered = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, entry);
		assert.equal(registered?.status, 'registered', JSON.stringify(errorTexts(api)));
		const picks = api.testSeam.calls.filter((c) => c.id === 'create.signMethod');
		assert.match(picks[1]?.text ?? '', /delta package from 1\.0\.0 · with a description/, 'the pick names the options chosen');
		const stored = await lifecycle(sandbox).queryFirmware(registered.firmwareId ?? '');
		assert.deepEqual(
			[stored.moduleName, stored.type, stored.srcVersion, stored.destVersion, stored.firmwareDesc],
			['MCU', 1, '1.0.0', '2.0.0', 'MCU delta from 1.0.0'],
		);
		const row = api.history.get(entry.id);
		assert.deepEqual([row?.moduleName, row?.type, row?.srcVersion], ['MCU', 1, '1.0.0'], 'the Uploads row keeps module and type');
	});

	it('a multi-file package: the module used last is offered next; Show Upload Commands carries ModuleName, Type and SrcVersion', async () => {
		const { api, sandbox } = ctx;
		const packageAnswers = (name: string) => [
			{ id: 'upload.packaging', pick: 'One package with these 2 files' },
			{ id: 'create.product', pick: ofProduct },
			{ id: 'create.module', pick: 'MCU' },
			{ id: 'create.destVersion', input: '5.1.0' },
			{ id: 'create.firmwareName', input: name },
			{ id: 'create.signMethod', pick: 'More options…' },
			{ id: 'create.packageType', pick: 'Delta package…' },
			{ id: 'create.srcVersion', input: '5.0.0' },
			{ id: 'create.description', input: '' },
			{ id: 'create.signMethod', pick: 'MD5' },
		];
		api.testSeam.queue(...packageAnswers('mcu-plan-5_1_0'));
		const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>(Commands.showUploadCommands, app(), [
			app(),
			spiffs(),
		]);
		const text = editor?.document.getText() ?? '';
		const register = text.split('\n').find((line) => line.includes('CreateOTAFirmware  '));
		assert.ok(register?.includes(' ModuleName=MCU'), text);
		assert.ok(register?.includes(' Type=1'), text);
		assert.ok(register?.includes(' SrcVersion=5.0.0'), text);
		assert.equal(register?.includes('FirmwareDesc'), false, 'an empty description is not sent');
		assert.deepEqual(
			api.testSeam.calls.find((c) => c.id === 'create.module')?.options,
			['default', 'MCU', 'BLE'],
			'the last used next',
		);

		api.testSeam.reset();
		api.testSeam.queue(...packageAnswers('mcu-pkg-5_1_0'));
		const last = await upload([app(), spiffs()]);
		assert.equal(last?.status, 'registered', JSON.stringify(errorTexts(api)));
		const stored = await lifecycle(sandbox).queryFirmware(last.firmwareId ?? '');
		assert.deepEqual([stored.moduleName, stored.type, stored.srcVersion, stored.multiFiles?.length], ['MCU', 1, '5.0.0', 2]);
	});

	it('a module listing that fails is said once; the module name is typed instead, checked by the ModuleName rule', async () => {
		const { api, sandbox } = ctx;
		const entry = await uploaded();
		sandbox.faults.add({
			target: 'api',
			action: 'ListOTAModuleByProduct',
			kind: 'status',
			status: 403,
			code: 'Forbidden.RAM',
			times: 10,
		});
		api.testSeam.queue(
			{ id: 'create.product', pick: ofProduct },
			{ id: 'create.moduleName', input: 'BLE' },
			{ id: 'create.destVersion', input: '3.0.0' },
			{ id: 'create.firmwareName', input: 'ble-3_0_0' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		const registered = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, entry);
		assert.equal(registered?.status, 'registered', JSON.stringify(errorTexts(api)));
		const warnings = api.testSeam.calls.filter((c) => c.kind === 'message' && c.severity === 'warning');
		assert.equal(warnings.length, 1, 'said once');
		// Why, in the message itself (a notification that is not modal shows no detail), worded as the error notification is.
		assert.match(warnings[0].text, /could not be listed: .*"default"\. ListOTAModuleByProduct failed.*\(Forbidden\.RAM, RequestId: /);
		assert.equal(api.testSeam.calls.find((c) => c.id === 'create.moduleName')?.value, 'default');
		assert.equal((await lifecycle(sandbox).queryFirmware(registered.firmwareId ?? '')).moduleName, 'BLE');
	});

	it('a ProductKey the platform does not know ends the command at the module listing, with its error', async () => {
		const { api, sandbox } = ctx;
		const entry = await uploaded();
		api.testSeam.queue({ id: 'create.product', pick: 'Enter a ProductKey…' }, { id: 'create.productKey', input: 'a1NoSuchProduct' });
		try {
			assert.equal(await vscode.commands.executeCommand(Commands.createOtaFirmware, entry), undefined);
		} finally {
			await api.context.workspaceState.update(StateKeys.lastProductKey, sandbox.productKey);
		}
		const asked = api.testSeam.calls.filter((c) => c.kind === 'pick' || c.kind === 'input').map((c) => c.id);
		assert.deepEqual(asked, ['create.product', 'create.productKey'], 'no module name, DestVersion or later question');
		assert.match(errorTexts(api).join('\n'), /ListOTAModuleByProduct.*product does not exist/);
		assert.equal(modulesListed(), 1);
		assert.equal(
			sandbox.requests.entries.some((e) => e.action === 'CreateOTAFirmware'),
			false,
		);
	});

	it('Cancel on the notification of a module listing that takes a while ends Create as a cancel, silently', async () => {
		const { api, sandbox } = ctx;
		const entry = await uploaded();
		// The listing is held until the sandbox lets it go: it takes a while, so its notification appears and is cancelled.
		sandbox.faults.add({ target: 'api', action: 'ListOTAModuleByProduct', kind: 'hold' });
		api.testSeam.queue({ id: 'create.product', pick: ofProduct }, { id: 'create.modules', cancel: true });
		try {
			assert.equal(await vscode.commands.executeCommand(Commands.createOtaFirmware, entry), undefined);
			assert.deepEqual(sandbox.faults.holding(), [{ target: 'api', action: 'ListOTAModuleByProduct' }], 'it ended before the answer');
		} finally {
			sandbox.faults.clear();
		}
		const listing = api.testSeam.calls.filter((c) => c.id === 'create.modules');
		assert.deepEqual(
			listing.map((c) => [c.kind, c.text, c.cancelled]),
			[['slowStep', `Reading the OTA modules of product ${sandbox.productKey}…`, true]],
		);
		const asked = api.testSeam.calls.filter((c) => c.kind === 'pick' || c.kind === 'input').map((c) => c.id);
		assert.deepEqual(asked, ['create.product'], 'no module name typed instead, no later question');
		assert.deepEqual(api.testSeam.messages(), [], 'a cancel is silent');
		assert.equal(api.history.get(entry.id)?.status, 'uploaded');
	});
});
