// What the image says about itself when it is uploaded and registered in the extension: a damaged image is not
// uploaded, Create OTA Firmware takes the image's version, and an image already registered is offered instead of being
// uploaded or registered again. What the Firmware Files view shows of it: identityView.test.ts.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { IotClient } from '../../src/core/iotClient';
import { Commands } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import { flipByte } from '../support/firmware';
import { actionsSent, image, VERSION } from './helpers/identity';
import { errorTexts, fileUri, useSuite, waitFor } from './helpers/ota';

describe('IoT OTA firmware identity', () => {
	const ctx = useSuite();
	let registered: HistoryEntry | undefined;

	before(() => {
		mkdirSync(fileUri('identity').fsPath, { recursive: true });
		writeFileSync(fileUri('identity', 'app.bin').fsPath, image);
		writeFileSync(fileUri('identity', 'broken.bin').fsPath, flipByte(image, -1));
	});

	const sent = (): string[] => actionsSent(ctx);
	const product = { id: 'create.product', pick: (item: vscode.QuickPickItem) => item.description === ctx.sandbox.productKey };

	it('a damaged image gets one clear message and is not uploaded', async () => {
		const { api } = ctx;
		const entry = await vscode.commands.executeCommand<HistoryEntry | undefined>(
			Commands.uploadFirmware,
			fileUri('identity', 'broken.bin'),
		);
		assert.equal(entry, undefined);
		const errors = errorTexts(api);
		assert.equal(errors.length, 1, JSON.stringify(errors));
		assert.match(
			errors[0],
			/^The image is damaged \(ESP image SHA-256: stored [0-9a-f]{64}, computed [0-9a-f]{64}\); rebuild it or copy it again\./,
		);
		assert.deepEqual(sent(), []);
		assert.equal(
			api.testSeam.calls.some((c) => c.id === 'upload.suffix'),
			false,
			'no question before the refusal',
		);
		assert.equal(
			api.history.all().some((e) => e.fileName === 'broken.bin'),
			false,
		);
	});

	it('Create OTA Firmware prefills DestVersion from the image; on a mismatch its button takes the image version', async () => {
		const { api, sandbox } = ctx;
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const entry = await vscode.commands.executeCommand<HistoryEntry>(Commands.uploadFirmware, fileUri('identity', 'app.bin'));
		assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		assert.deepEqual(entry.image, {
			format: 'esp-idf',
			declared: { version: VERSION, source: 'ESP-IDF app description', sourceParts: { source: 'esp-app-desc' } },
		});
		assert.deepEqual(sent().slice(0, 2), ['ListOTAFirmware', 'GenerateOTAUploadURL'], 'the account was searched for the image first');
		api.testSeam.reset();
		api.testSeam.queue(
			product,
			{ id: 'create.destVersion', input: '9.9.9' },
			{ id: 'create.versionMismatch', button: `Use ${VERSION}` },
			{ id: 'create.firmwareName', input: 'identity-app' },
			{ id: 'create.signMethod', pick: 'MD5' },
		);
		registered = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, entry);
		assert.equal(registered?.status, 'registered', JSON.stringify(errorTexts(api)));
		assert.equal(api.testSeam.calls.find((c) => c.id === 'create.destVersion')?.value, VERSION, 'prefilled from the image');
		const warning = api.testSeam.calls.find((c) => c.id === 'create.versionMismatch');
		assert.equal(
			warning?.text,
			'app.bin declares version 2.4.0 (ESP-IDF app description) but DestVersion is 9.9.9: devices would report 2.4.0 after the update and the OTA verification would fail.',
		);
		assert.deepEqual(warning?.options, ['Use 2.4.0', 'Register as 9.9.9']);
		assert.match(api.testSeam.calls.find((c) => c.id === 'create.firmwareName')?.value ?? '', /^app-2_4_0-[0-9a-f]{8}$/);
		const client = new IotClient({ region: 'cn-shanghai', endpoint: sandbox.endpoint, credentials: sandbox.sts });
		assert.equal((await client.queryOtaFirmware(registered.firmwareId ?? '')).destVersion, VERSION);
	});

	it('the same image again: the upload notification offers the existing package, and nothing is uploaded', async () => {
		const { api } = ctx;
		assert.ok(registered?.firmwareId, 'the previous test registered the image');
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' }, { id: 'upload.duplicate', button: 'Use Existing Package' });
		const entry = await vscode.commands.executeCommand<HistoryEntry>(Commands.uploadFirmware, fileUri('identity', 'app.bin'));
		assert.equal(entry?.status, 'registered', JSON.stringify(errorTexts(api)));
		assert.equal(entry.reused, true);
		assert.equal(entry.firmwareId, registered.firmwareId);
		assert.equal(entry.firmwareUrl, registered.firmwareUrl);
		assert.deepEqual(sent(), ['ListOTAFirmware'], 'no upload ticket, no upload');
		const offer = api.testSeam.calls.find((c) => c.id === 'upload.duplicate');
		assert.equal(offer?.modal, true);
		assert.match(
			offer?.text ?? '',
			/^app\.bin \(version 2\.4\.0\) is already registered as OTA package identity-app \(FirmwareId \S+\) of product /,
		);
		const result = await waitFor(() => api.testSeam.calls.find((c) => c.id === 'upload.result'), 'the result notification');
		assert.match(result.text, /nothing was uploaded/);
		assert.deepEqual(result.options, ['Insert into Config', 'Copy URL']);
	});

	it('Upload Anyway, then Create in the same product: the existing package is offered again and taken', async () => {
		const { api, sandbox } = ctx;
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' }, { id: 'upload.duplicate', button: 'Upload Anyway' });
		const uploaded = await vscode.commands.executeCommand<HistoryEntry>(Commands.uploadFirmware, fileUri('identity', 'app.bin'));
		assert.equal(uploaded?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		api.testSeam.reset();
		const creates = sandbox.stats.apiCalls.CreateOTAFirmware ?? 0;
		api.testSeam.queue(
			product,
			{ id: 'create.destVersion', input: VERSION },
			{ id: 'create.firmwareName', input: 'identity-second' },
			{ id: 'create.signMethod', pick: 'MD5' },
			{ id: 'create.duplicate', button: 'Use Existing Package' },
		);
		const reused = await vscode.commands.executeCommand<HistoryEntry>(Commands.createOtaFirmware, uploaded);
		assert.equal(reused?.status, 'registered', JSON.stringify(errorTexts(api)));
		assert.equal(reused.reused, true);
		assert.equal(reused.firmwareId, registered?.firmwareId);
		assert.equal(reused.firmwareUrl, registered?.firmwareUrl, 'the history row names the existing package’s URL');
		assert.equal(sandbox.stats.apiCalls.CreateOTAFirmware ?? 0, creates, 'no second package');
	});
});
