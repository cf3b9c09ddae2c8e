// What the image says about itself in the Firmware Files view: version and integrity read in the background, and
// iotOta.image.versionMarker (a pattern for unknown contents; a bad one or one too slow does not blank the view and is
// refused by the upload). Uploading and registering by the image's identity: identity.test.ts.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import type { FirmwareNode } from '../../src/vscode/views/firmwareTree';
import { flipByte, pattern } from '../support/firmware';
import { actionsSent, image, VERSION } from './helpers/identity';
import { errorTexts, fileUri, useSuite, waitFor } from './helpers/ota';

/** A tooltip's Markdown as the reader sees it (the view escapes every Markdown character). */
const tooltipText = (item: vscode.TreeItem): string => (item.tooltip as vscode.MarkdownString).value.replace(/\\(.)/g, '$1');

describe('IoT OTA firmware identity in the Firmware Files view', () => {
	const ctx = useSuite();
	const sent = (): string[] => actionsSent(ctx);

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
});
