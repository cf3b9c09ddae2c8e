// What the image says about itself, in the extension: the Firmware Files view shows version and integrity, a damaged
// image is not uploaded, Create OTA Firmware takes the image's version, and an image already registered is offered
// instead of being uploaded or registered again.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { IotClient } from '../../src/core/iotClient';
import { Commands } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import type { FirmwareNode } from '../../src/vscode/views/firmwareTree';
import { espImage, flipByte, pattern } from '../support/firmware';
import { errorTexts, fileUri, useSuite, waitFor } from './helpers/ota';

const VERSION = '2.4.0';
/** A tooltip's Markdown as the reader sees it (the view escapes every Markdown character). */
const tooltipText = (item: vscode.TreeItem): string => (item.tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1');
const image = espImage({ app: { version: VERSION, projectName: 'identity_app' } });

describe('IoT OTA firmware identity', () => {
	const ctx = useSuite();
	let registered: HistoryEntry | undefined;

	before(() => {
		mkdirSync(fileUri('identity').fsPath, { recursive: true });
		writeFileSync(fileUri('identity', 'app.bin').fsPath, image);
		writeFileSync(fileUri('identity', 'broken.bin').fsPath, flipByte(image, -1));
	});

	const sent = (): string[] => ctx.sandbox.requests.entries.map((e) => e.action);
	const product = { id: 'create.product', pick: (item: vscode.QuickPickItem) => item.description === ctx.sandbox.productKey };

	it('the Firmware Files view shows each image’s embedded version and integrity, read in the background', async () => {
		const { views } = ctx.api;
		for (const [env, bytes] of [
			['identity-ok', image],
			['identity-bad', flipByte(image, -1)],
		] as const) {
			mkdirSync(fileUri('.pio', 'build', env).fsPath, { recursive: true });
			writeFileSync(fileUri('.pio', 'build', env, 'firmware.bin').fsPath, bytes);
		}
		try {
			views.firmware.rescan();
			const row = async (env: string): Promise<vscode.TreeItem | undefined> => {
				const nodes = await views.firmware.getChildren();
				const node = nodes.find((n: FirmwareNode) => n.type === 'file' && n.file.relativePath === `.pio/build/${env}/firmware.bin`);
				return node ? views.firmware.getTreeItem(node) : undefined;
			};
			const ok = await waitFor(async () => {
				const item = await row('identity-ok');
				return String(item?.description).includes(VERSION) && item;
			}, 'the version of identity-ok in its row');
			assert.match(String(ok.description), /^identity-ok · 2\.4\.0 · /);
			const tooltip = tooltipText(ok);
			assert.match(tooltip, /Image: ESP-IDF application image, ESP32-S3, identity_app/);
			assert.match(tooltip, /Version: 2\.4\.0 \(ESP-IDF app description\)/);
			assert.match(tooltip, /Integrity: verified \(ESP image checksum, ESP image SHA-256\)/);

			const bad = await waitFor(async () => {
				const item = await row('identity-bad');
				return String(item?.description).includes('damaged') && item;
			}, 'identity-bad shown as damaged');
			assert.equal((bad.iconPath as vscode.ThemeIcon).id, 'error');
			assert.match(tooltipText(bad), /Integrity: DAMAGED\. The image is damaged \(ESP image SHA-256: stored/);
		} finally {
			rmSync(fileUri('.pio', 'build', 'identity-ok').fsPath, { recursive: true, force: true });
			rmSync(fileUri('.pio', 'build', 'identity-bad').fsPath, { recursive: true, force: true });
			views.firmware.rescan();
		}
	});

	it('iotOta.image.versionMarker gives unknown contents their version (view and upload); a file moved over another is read anew', async () => {
		const { api } = ctx;
		const { views } = api;
		const marked = (version: string, seed: number): Buffer =>
			Buffer.concat([pattern(4000, seed), Buffer.from(`FW_VERSION=${version};`)]);
		const dir = fileUri('.pio', 'build', 'marker-env').fsPath;
		const firmware = fileUri('.pio', 'build', 'marker-env', 'firmware.bin');
		mkdirSync(dir, { recursive: true });
		writeFileSync(firmware.fsPath, marked('7.1.0', 1));
		const config = vscode.workspace.getConfiguration('iotOta');
		await config.update('image.versionMarker', 'FW_VERSION=([0-9.]+)', vscode.ConfigurationTarget.Global);
		try {
			// A workspace's pattern counts only in a trusted workspace; the user's counts everywhere.
			await config.update('image.versionMarker', 'WS=(.+)', vscode.ConfigurationTarget.Workspace);
			assert.equal(api.settings.versionMarker(true), 'WS=(.+)');
			assert.equal(api.settings.versionMarker(false), 'FW_VERSION=([0-9.]+)');
			await config.update('image.versionMarker', undefined, vscode.ConfigurationTarget.Workspace);
			assert.equal(api.settings.versionMarker(true), 'FW_VERSION=([0-9.]+)');
			views.firmware.rescan();
			const description = async (): Promise<string> => {
				const nodes = await views.firmware.getChildren();
				const node = nodes.find(
					(n: FirmwareNode) => n.type === 'file' && n.file.relativePath === '.pio/build/marker-env/firmware.bin',
				);
				return node ? String(views.firmware.getTreeItem(node).description) : '';
			};
			await waitFor(async () => (await description()).includes('7.1.0'), 'the marked version in the row');
			// Another build moved over it: same size, the old modification time kept.
			const { mtime } = statSync(firmware.fsPath);
			writeFileSync(`${firmware.fsPath}.new`, marked('7.2.0', 2));
			utimesSync(`${firmware.fsPath}.new`, mtime, mtime);
			renameSync(`${firmware.fsPath}.new`, firmware.fsPath);
			views.firmware.rescan();
			await waitFor(async () => (await description()).includes('7.2.0'), 'the new file read anew');

			api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
			const entry = await vscode.commands.executeCommand<HistoryEntry>(Commands.uploadFirmware, firmware);
			assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(api)));
			assert.equal(entry.image?.declared?.version, '7.2.0');
		} finally {
			await config.update('image.versionMarker', undefined, vscode.ConfigurationTarget.Workspace);
			await config.update('image.versionMarker', undefined, vscode.ConfigurationTarget.Global);
			rmSync(dir, { recursive: true, force: true });
			views.firmware.rescan();
		}
	});

	it('a bad iotOta.image.versionMarker does not blank the view; the upload refuses it with one message', async () => {
		const { api } = ctx;
		const { views } = api;
		const dir = fileUri('.pio', 'build', 'bad-marker').fsPath;
		mkdirSync(dir, { recursive: true });
		writeFileSync(fileUri('.pio', 'build', 'bad-marker', 'firmware.bin').fsPath, image);
		const config = vscode.workspace.getConfiguration('iotOta');
		await config.update('image.versionMarker', '(', vscode.ConfigurationTarget.Global);
		try {
			views.firmware.rescan();
			await waitFor(async () => {
				const nodes = await views.firmware.getChildren();
				const node = nodes.find(
					(n: FirmwareNode) => n.type === 'file' && n.file.relativePath === '.pio/build/bad-marker/firmware.bin',
				);
				return node && String(views.firmware.getTreeItem(node).description).includes(VERSION);
			}, 'the ESP-IDF version in the row despite the bad marker');
			const entry = await vscode.commands.executeCommand<HistoryEntry | undefined>(
				Commands.uploadFirmware,
				fileUri('.pio', 'build', 'bad-marker', 'firmware.bin'),
			);
			assert.equal(entry, undefined);
			const errors = errorTexts(api);
			assert.equal(errors.length, 1, JSON.stringify(errors));
			assert.match(errors[0], /^The version marker is not a valid regular expression/);
			assert.deepEqual(sent(), []);
		} finally {
			await config.update('image.versionMarker', undefined, vscode.ConfigurationTarget.Global);
			rmSync(dir, { recursive: true, force: true });
			views.firmware.rescan();
		}
	});

	it('a version marker too slow to search files does not blank the view and is logged once; the upload refuses it', async () => {
		const { api } = ctx;
		const { views } = api;
		// (a+)+$ backtracks for minutes on a run of "a" that does not reach the end; the match is stopped at 200 ms.
		const envs = ['slow-marker-1', 'slow-marker-2'];
		for (const [i, env] of envs.entries()) {
			mkdirSync(fileUri('.pio', 'build', env).fsPath, { recursive: true });
			writeFileSync(
				fileUri('.pio', 'build', env, 'firmware.bin').fsPath,
				Buffer.concat([Buffer.alloc(1024 * 1024 + i, 'a'), Buffer.from('b')]),
			);
		}
		const logFile = vscode.Uri.joinPath(api.context.logUri, 'IoT OTA.log').fsPath;
		const slowLines = (): string[] =>
			(existsSync(logFile) ? readFileSync(logFile, 'utf8') : '')
				.split('\n')
				.filter((line) => line.includes('(VersionMarkerTooSlow)'));
		const config = vscode.workspace.getConfiguration('iotOta');
		await config.update('image.versionMarker', '(a+)+$', vscode.ConfigurationTarget.Global);
		try {
			views.firmware.rescan();
			for (const env of envs) {
				await waitFor(async () => {
					const nodes = await views.firmware.getChildren();
					const node = nodes.find(
						(n: FirmwareNode) => n.type === 'file' && n.file.relativePath === `.pio/build/${env}/firmware.bin`,
					);
					return node && tooltipText(views.firmware.getTreeItem(node)).includes('Version: the image declares none');
				}, `${env} read without the marker`);
			}
			await waitFor(async () => slowLines().length > 0, `the slow marker in ${logFile}`);
			const lines = slowLines();
			assert.equal(lines.length, 1, JSON.stringify(lines));
			assert.match(
				lines[0],
				/\[warning\] \[views\] The Firmware Files view reads files without iotOta\.image\.versionMarker until it changes: The version marker took longer than 200 milliseconds to search a MB of .*firmware\.bin and was stopped\. Give a pattern that runs in linear time: .* \(VersionMarkerTooSlow\)$/,
			);
			const entry = await vscode.commands.executeCommand<HistoryEntry | undefined>(
				Commands.uploadFirmware,
				fileUri('.pio', 'build', envs[0], 'firmware.bin'),
			);
			assert.equal(entry, undefined);
			const errors = errorTexts(api);
			assert.equal(errors.length, 1, JSON.stringify(errors));
			assert.match(
				errors[0],
				/^The version marker took longer than 200 milliseconds to search a MB of .*slow-marker-1.firmware\.bin and was stopped\./,
			);
			assert.deepEqual(sent(), []);
		} finally {
			await config.update('image.versionMarker', undefined, vscode.ConfigurationTarget.Global);
			for (const env of envs) {
				rmSync(fileUri('.pio', 'build', env).fsPath, { recursive: true, force: true });
			}
			views.firmware.rescan();
		}
	});

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
