// Upload flow against the suite's own sandbox: history, status bar, suffixes, cancel, ticket renewal, bad files, trust.
import * as assert from 'node:assert/strict';
import { renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import { errorTexts, fileUri, md5Of, setSetting, useSuite, waitFor } from './helpers/ota';

async function upload(uri: vscode.Uri): Promise<HistoryEntry | undefined> {
	return vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFirmware, uri);
}

describe('IoT OTA upload', () => {
	const ctx = useSuite();

	it('uploads firmware.bin: history entry uploaded with hashes, live status bar, result notification', async () => {
		const { api, sandbox } = ctx;
		sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'delay', ms: 400 });
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'delay', ms: 400 });
		const firmware = fileUri('firmware.bin');
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const seen = new Set<string>();
		const sampler = setInterval(() => seen.add(api.statusBar().text), 20);
		let entry: HistoryEntry | undefined;
		try {
			entry = await upload(firmware);
		} finally {
			clearInterval(sampler);
		}
		assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		assert.equal(entry.md5, md5Of(firmware));
		assert.match(entry.sha256 ?? '', /^[0-9a-f]{64}$/);
		assert.match(entry.firmwareUrl ?? '', /\.bin$/);
		assert.equal(entry.size, 64 * 1024);
		assert.deepEqual(api.history.get(entry.id)?.status, 'uploaded');
		assert.equal(sandbox.stats.ossUploads, 1);
		assert.ok(
			[...seen].some((text) => /firmware\.bin · ticket/.test(text)),
			`no ticket phase in ${[...seen].join(' | ')}`,
		);
		assert.ok(
			[...seen].some((text) => /^\$\(cloud-upload\) \d+% firmware\.bin · /.test(text)),
			`no progress in ${[...seen].join(' | ')}`,
		);
		assert.equal(api.statusBar().text, '$(check) firmware.bin');
		assert.match(api.statusBar().tooltip, new RegExp(entry.md5));
		const suffixPick = api.testSeam.calls.find((c) => c.id === 'upload.suffix');
		assert.equal(suffixPick?.options?.[0], 'bin', 'the inferred suffix comes first');
		const result = api.testSeam.messages('info').find((c) => c.id === 'upload.result');
		assert.deepEqual(result?.options, ['Insert into Config', 'Copy URL', 'Create OTA Firmware…']);
		assert.equal(errorTexts(api).length, 0);
	});

	it('infers tar.gz for build/app.tar.gz, and skips the question with suffixMode alwaysInfer', async () => {
		const { api } = ctx;
		api.testSeam.queue({ id: 'upload.suffix', pick: 'tar.gz' });
		const first = await upload(fileUri('build', 'app.tar.gz'));
		assert.equal(api.testSeam.calls.find((c) => c.id === 'upload.suffix')?.options?.[0], 'tar.gz');
		assert.equal(first?.suffix, 'tar.gz');
		assert.match(first?.firmwareUrl ?? '', /\.tar\.gz$/);
		await setSetting('suffixMode', 'alwaysInfer', vscode.ConfigurationTarget.Workspace);
		api.testSeam.reset();
		const second = await upload(fileUri('build', 'app.tar.gz'));
		await setSetting('suffixMode', undefined, vscode.ConfigurationTarget.Workspace);
		assert.equal(second?.suffix, 'tar.gz');
		assert.equal(
			api.testSeam.calls.some((c) => c.id === 'upload.suffix'),
			false,
		);
	});

	it('lets the result fade from the status bar after iotOta.statusBar.resultSeconds', async () => {
		const { api } = ctx;
		await setSetting('statusBar.resultSeconds', 1);
		try {
			api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
			assert.equal((await upload(fileUri('firmware.bin')))?.status, 'uploaded');
			assert.equal(api.statusBar().visible, true);
			await waitFor(() => !api.statusBar().visible, 'the result to fade', 5000);
			await setSetting('statusBar.showWhenIdle', true);
			await waitFor(() => api.statusBar().visible && /IoT OTA/.test(api.statusBar().text), 'the idle item');
		} finally {
			await setSetting('statusBar.resultSeconds', undefined);
			await setSetting('statusBar.showWhenIdle', undefined);
		}
	});

	it('uploads every file of an explorer multi-selection, one after the other ("A package per file")', async () => {
		const { api, sandbox } = ctx;
		const files = [fileUri('firmware.bin'), fileUri('.pio', 'build', 'esp32dev', 'firmware.bin')];
		api.testSeam.queue(
			{ id: 'upload.packaging', pick: 'A package per file' },
			{ id: 'upload.suffix', pick: 'bin' },
			{ id: 'upload.suffix', pick: 'bin' },
		);
		await vscode.commands.executeCommand(Commands.uploadFirmware, files[0], files);
		assert.equal(sandbox.stats.ossUploads, 2);
		const recent = api.history.all().slice(0, 2);
		assert.deepEqual(new Set(recent.map((e) => e.fileUri)), new Set(files.map((f) => f.toString())));
		assert.ok(recent.every((e) => e.status === 'uploaded'));
	});

	it('cancels mid-upload at once: history cancelled, nothing stored, no error shown', async () => {
		const { api, sandbox } = ctx;
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'stall' });
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const running = upload(fileUri('.pio', 'build', 'esp32dev', 'firmware.bin'));
		// Mid-upload: the PostObject request reached the sandbox (which consumed the stall rule).
		const current = await waitFor(
			() => sandbox.faults.list().length === 0 && api.uploads.current?.progress?.phase === 'uploading' && api.uploads.current,
			'the upload to start',
		);
		assert.match(api.statusBar().text, /^\$\(cloud-upload\) \d+% firmware\.bin/, 'the item shows the upload');
		const cancelledAt = Date.now();
		await vscode.commands.executeCommand(Commands.cancelUpload);
		const result = await running;
		assert.ok(Date.now() - cancelledAt < 3000, 'the request was aborted at once');
		assert.equal(result, undefined);
		assert.equal(api.history.get(current.entryId)?.status, 'cancelled');
		assert.equal(api.uploads.current, undefined);
		assert.equal(sandbox.stats.ossUploads, 0);
		assert.deepEqual(errorTexts(api), []);
		assert.equal(api.statusBar().text, '$(circle-slash) firmware.bin');
	});

	it('the status-bar menu of a running upload offers Cancel, which aborts it', async () => {
		const { api, sandbox } = ctx;
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'stall' });
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const running = upload(fileUri('firmware.bin'));
		await waitFor(
			() => sandbox.faults.list().length === 0 && api.uploads.current?.progress?.phase === 'uploading',
			'the upload to reach the sandbox',
		);
		assert.equal(api.statusBar().command, Commands.showUploadProgress);
		api.testSeam.queue({ id: 'upload.progress', pick: 'Cancel upload of firmware.bin' });
		await vscode.commands.executeCommand(Commands.showUploadProgress);
		assert.equal(await running, undefined);
		assert.equal(api.history.all()[0].status, 'cancelled');
		assert.equal(sandbox.stats.ossUploads, 0);
	});

	it('renews an expired upload ticket and succeeds', async () => {
		const { api, sandbox } = ctx;
		sandbox.faults.add({ target: 'api', action: 'GenerateOTAUploadURL', kind: 'expirePolicy' });
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const entry = await upload(fileUri('firmware.bin'));
		assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(api)));
		assert.ok((sandbox.stats.apiCalls.GenerateOTAUploadURL ?? 0) >= 2, JSON.stringify(sandbox.stats.apiCalls));
		assert.equal(sandbox.stats.ossUploads, 1);
	});

	it('Upload Latest Build uploads the most recently modified build output through the usual flow, rescanning first', async () => {
		const { api, sandbox } = ctx;
		const tarball = fileUri('build', 'app.tar.gz');
		const pio = fileUri('.pio', 'build', 'esp32dev', 'firmware.bin');
		const originalTimes = [tarball, pio].map((uri) => ({ uri, mtime: statSync(uri.fsPath).mtime }));
		const touch = (uri: vscode.Uri, msAhead: number) =>
			utimesSync(uri.fsPath, new Date(Date.now() + msAhead), new Date(Date.now() + msAhead));
		try {
			touch(tarball, 60_000);
			api.testSeam.queue({ id: 'upload.suffix', pick: 'tar.gz' });
			const first = await vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadLatestBuild);
			assert.equal(first?.status, 'uploaded', JSON.stringify(errorTexts(api)));
			assert.equal(first.fileUri, tarball.toString());
			assert.equal(first.md5, md5Of(tarball));
			assert.equal(api.testSeam.calls.find((c) => c.id === 'upload.suffix')?.options?.[0], 'tar.gz', 'the usual suffix question');
			assert.ok(
				api.testSeam.messages('info').some((c) => c.id === 'upload.result'),
				'the usual result notification',
			);

			// A rebuild right before the command: the view's debounced rescan has not run yet.
			touch(pio, 120_000);
			api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
			const second = await vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadLatestBuild);
			assert.equal(second?.fileUri, pio.toString(), 'the newer PlatformIO build is uploaded');
			assert.equal(sandbox.stats.ossUploads, 2);
		} finally {
			for (const { uri, mtime } of originalTimes) {
				utimesSync(uri.fsPath, mtime, mtime);
			}
		}
	});

	it('Upload Latest Build without build outputs: one message naming what was searched, Open Setting, no upload', async () => {
		const { api, sandbox } = ctx;
		const moves = ['.pio', 'build'].map((name) => [fileUri(name).fsPath, fileUri(`${name}-hidden`).fsPath] as const);
		const uploadsBefore = api.history.all().length;
		moves.forEach(([from, to]) => renameSync(from, to));
		try {
			api.testSeam.queue({ id: 'upload.noBuild', button: 'Open Setting' });
			assert.equal(await vscode.commands.executeCommand(Commands.uploadLatestBuild), undefined);
			const messages = api.testSeam.calls.filter((c) => c.kind === 'message');
			assert.equal(messages.length, 1, JSON.stringify(messages));
			assert.equal(messages[0].severity, 'warning');
			assert.match(
				messages[0].text,
				/PlatformIO \(\.pio\/build\/<env>\/firmware\.bin\), ESP-IDF .* Zephyr .* iotOta\.firmwarePatterns setting/,
			);
			assert.deepEqual(messages[0].options, ['Open Setting']);
			await waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Settings', 'the Settings editor to open');
			assert.deepEqual(sandbox.stats.apiCalls, {}, 'no API call was made');
			assert.equal(api.history.all().length, uploadsBefore);
		} finally {
			moves.forEach(([from, to]) => renameSync(to, from));
			await vscode.commands.executeCommand('workbench.action.closeAllEditors');
		}
	});

	it('refuses an empty file and an unknown suffix with one clear message and no network call', async () => {
		const { api, sandbox } = ctx;
		const empty = fileUri('empty.bin');
		const hex = fileUri('firmware.hex');
		writeFileSync(empty.fsPath, '');
		writeFileSync(hex.fsPath, ':10010000214601360121470136007EFE09D2190140\n');
		assert.equal(await upload(empty), undefined);
		assert.equal(errorTexts(api).length, 1);
		assert.match(errorTexts(api)[0], /empty/);

		api.testSeam.reset();
		await setSetting('suffixMode', 'alwaysInfer', vscode.ConfigurationTarget.Workspace);
		assert.equal(await upload(hex), undefined);
		await setSetting('suffixMode', undefined, vscode.ConfigurationTarget.Workspace);
		assert.equal(errorTexts(api).length, 1);
		assert.match(errorTexts(api)[0], /no allowed OTA suffix/);

		api.testSeam.reset();
		api.testSeam.queue({ id: 'upload.suffix', cancel: true });
		assert.equal(await upload(hex), undefined);
		const pick = api.testSeam.calls.find((c) => c.id === 'upload.suffix');
		assert.match(pick?.text ?? '', /firmware\.hex/);
		assert.equal(errorTexts(api).length, 0, 'backing out is not an error');
		assert.deepEqual(sandbox.stats.apiCalls, {}, 'no API call was made');
		assert.equal(
			api.history.all().some((e) => e.fileName === 'empty.bin' || e.fileName === 'firmware.hex'),
			false,
		);
	});

	it('ignores a workspace endpoint the user does not confirm', async () => {
		const { api, sandbox } = ctx;
		await setSetting('endpoint', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Workspace);
		try {
			api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' }, { id: 'endpoint.confirm', cancel: true });
			const entry = await upload(fileUri('firmware.bin'));
			assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(api)));
			const confirm = api.testSeam.calls.find((c) => c.id === 'endpoint.confirm');
			assert.equal(confirm?.modal, true);
			assert.match(confirm?.text ?? '', /127\.0\.0\.1:9/);
			assert.equal(sandbox.stats.ossUploads, 1, 'the upload went to the user-level (sandbox) endpoint');
		} finally {
			await setSetting('endpoint', undefined, vscode.ConfigurationTarget.Workspace);
		}
	});

	it('reports a failed upload once, with Retry and Show Log, and marks the entry failed', async () => {
		const { api, sandbox } = ctx;
		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'status', status: 403, code: 'AccessDenied', times: 10 });
		await setSetting('upload.maxAttempts', 1);
		try {
			api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
			assert.equal(await upload(fileUri('firmware.bin')), undefined);
		} finally {
			await setSetting('upload.maxAttempts', undefined);
		}
		const errors = api.testSeam.messages('error');
		assert.equal(errors.length, 1);
		assert.deepEqual(errors[0].options, ['Retry', 'Show Log']);
		assert.equal(api.history.all()[0].status, 'failed');
		assert.match(api.statusBar().text, /^\$\(error\) firmware\.bin/);
		assert.ok(!errors[0].text.includes(sandbox.accessKeySecret));
	});
});
