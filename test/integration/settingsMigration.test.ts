// iotOta.extraFirmwarePatterns and iotOta.firmwareGlobs move into iotOta.firmwarePatterns at the scope they were set
// in, converted to its syntax, and the merged patterns still drive the Explorer menu and the Firmware Files view.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONFIG_SECTION } from '../../src/vscode/constants';
import type { IotOtaTestApi } from '../extension/testApi';
import { extensionApi, folder, resetExtensionState, waitFor } from './helpers/ota';

const { Global, Workspace } = vscode.ConfigurationTarget;
const config = () => vscode.workspace.getConfiguration(CONFIG_SECTION, folder().uri);

describe('firmware pattern settings: the move into iotOta.firmwarePatterns', () => {
	let api: IotOtaTestApi;

	before(async () => {
		api = await extensionApi();
		await resetExtensionState(api);
	});

	after(async () => {
		await resetExtensionState(api);
	});

	it('moves user values at once, and workspace values only after asking', async () => {
		api.testSeam.queue({ id: 'settings.movePatterns', button: 'Move' });
		await config().update('firmwarePatterns', ['*.hex'], Global);
		await config().update('extraFirmwarePatterns', ['fw-*.ota', '*.hex'], Global);
		await config().update('firmwareGlobs', ['*.bin', 'out/**/*.elf'], Workspace);

		const moved = await waitFor(() => {
			const inspect = (key: string) => config().inspect<string[]>(key);
			const done =
				inspect('extraFirmwarePatterns')?.globalValue === undefined &&
				inspect('firmwareGlobs')?.workspaceValue === undefined &&
				inspect('firmwarePatterns')?.workspaceValue !== undefined;
			return done && inspect('firmwarePatterns');
		}, 'the old keys to move');
		assert.deepEqual(moved.globalValue, ['*.hex', 'fw-*.ota']);
		assert.deepEqual(moved.workspaceValue, ['./*.bin', 'out/**/*.elf'], 'a bare firmwareGlobs name keeps matching at the top only');
		assert.deepEqual(
			api.settings.firmwarePatterns(folder().uri),
			['*.hex', 'fw-*.ota', './*.bin', 'out/**/*.elf'],
			'the scopes add up',
		);
		const asked = api.testSeam.calls.filter((c) => c.id === 'settings.movePatterns');
		assert.equal(asked.length, 1, 'one question, for the workspace settings only');
		assert.match(asked[0].text, /iotOta\.firmwareGlobs \(workspace settings\)/);
		assert.doesNotMatch(asked[0].text, /extraFirmwarePatterns/, 'user settings move without a question');
		assert.deepEqual(asked[0].options, ['Move', 'Keep Them']);
		assert.deepEqual(api.testSeam.errors, []);
	});

	it('leaves workspace values where they are when the question is dismissed; they keep applying', async () => {
		api.testSeam.reset();
		api.testSeam.queue({ id: 'settings.movePatterns', cancel: true });
		await config().update('firmwareGlobs', ['*.img'], Workspace);
		await waitFor(() => api.testSeam.calls.some((c) => c.id === 'settings.movePatterns'), 'the question');
		try {
			assert.deepEqual(config().inspect('firmwareGlobs')?.workspaceValue, ['*.img'], 'nothing was written');
			assert.ok(api.settings.firmwarePatterns(folder().uri).includes('./*.img'), 'the old value still applies');
			assert.deepEqual(api.testSeam.errors, []);
		} finally {
			await config().update('firmwareGlobs', undefined, Workspace);
		}
	});

	it('the moved patterns drive the Explorer menu keys and the Firmware Files view', async () => {
		const root = folder().uri.fsPath;
		const nested = path.join(root, 'sub', 'fw-nested.ota');
		fs.mkdirSync(path.dirname(nested), { recursive: true });
		fs.writeFileSync(nested, Buffer.alloc(512, 1));
		try {
			await config().update('extraFirmwarePatterns', ['fw-*.ota'], Global);
			await waitFor(() => config().inspect('extraFirmwarePatterns')?.globalValue === undefined, 'the move');
			api.views.firmware.rescan();
			const listed = await waitFor(async () => {
				const files = await api.views.firmware.files();
				return files.some((f) => f.relativePath === 'sub/fw-nested.ota') && files;
			}, 'the nested .ota file in Firmware Files');
			assert.equal(listed.find((f) => f.relativePath === 'sub/fw-nested.ota')?.kind, 'custom');
			await waitFor(() => api.firmwarePatternContext().names.includes('fw-nested.ota'), 'the Explorer menu key');
		} finally {
			fs.rmSync(path.join(root, 'sub'), { recursive: true, force: true });
		}
	});
});
