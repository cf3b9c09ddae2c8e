// Reliability and security inside a real VS Code extension host (mocha BDD, run by `npm run test:vscode`):
//  - secret leak audit: the upload flow (success, failures, cancel) runs with unique marker credentials, then the
//    log (the LogOutputChannel's file), settings, globalState/workspaceState, the history, every message shown and
//    the status bar are searched for the markers (raw, URL-encoded, base64) and for signature values;
//  - a workspace-level endpoint is never sent a signed request unless the user confirms it (a counting server on
//    127.0.0.1 stands in for a hostile endpoint chosen by a cloned repository).
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { Commands, OUTPUT_CHANNEL_NAME } from '../../src/vscode/constants';
import type { HistoryEntry } from '../../src/vscode/model';
import type { IotOtaTestApi } from '../extension/testApi';
import { credentialAnswers, errorTexts, extensionApi, fileUri, folder, resetExtensionState, setSetting, waitFor } from './helpers/ota';

const hex = (n: number): string => randomBytes(n).toString('hex');
const MARKER = {
	secret: `MkExtSecret${hex(12)}`,
	stsSecret: `MkExtSts${hex(10)}`,
	token: `CAISMkExtToken/${hex(14)}+${hex(6)}==`,
	wrongSecret: `MkExtWrong${hex(12)}`,
};
const MARKERS = Object.values(MARKER);
const SIGNATURE_VALUE = /Signature=(?!\*\*\*)[A-Za-z0-9%+/=_-]{6,}/i;

function spellings(marker: string): string[] {
	const uri = encodeURIComponent(marker);
	return [
		...new Set([marker, uri, encodeURIComponent(uri), Buffer.from(marker).toString('base64'), JSON.stringify(marker).slice(1, -1)]),
	];
}

/** "where: marker…" for every marker spelling found in `text`. */
function leaks(where: string, text: string): string[] {
	return MARKERS.flatMap((marker) =>
		spellings(marker)
			.filter((form) => text.includes(form))
			.map(() => `${where}: ${marker.slice(0, 8)}…`),
	);
}

function filesBelow(dir: string, depth = 8): string[] {
	if (depth < 0 || !existsSync(dir)) {
		return [];
	}
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? filesBelow(full, depth - 1) : entry.isFile() ? [full] : [];
	});
}

/**
 * The LogOutputChannel's file. VS Code writes it under the extension host's logs folder as
 * `<logs>/…/<extension id>/<channel name>.log`; the folder is found from the extension host's own arguments
 * or environment, then by looking in the parents of the user data dirs the launchers use.
 */
function findLogFiles(): string[] {
	const roots = new Set<string>();
	for (const arg of process.argv) {
		const m = /^--(?:logsPath|logsHome|user-data-dir|server-data-dir)=(.+)$/.exec(arg);
		if (m) {
			roots.add(m[1]);
		}
	}
	for (const [name, value] of Object.entries(process.env)) {
		if (
			value &&
			/LOG|DATA|HOME|USER/i.test(name) &&
			path.isAbsolute(value) &&
			existsSync(value) &&
			statSync(value).isDirectory() &&
			value !== os.homedir() &&
			value !== '/'
		) {
			roots.add(value);
		}
	}
	for (const entry of readdirSync(os.tmpdir())) {
		if (entry.startsWith('iot-ota-vscode-server-')) {
			roots.add(path.join(os.tmpdir(), entry));
		}
	}
	roots.add(path.resolve(__dirname, '..', '..', '..', '.vscode-test'));
	const wanted = `${OUTPUT_CHANNEL_NAME}.log`;
	return [...roots].flatMap((root) =>
		filesBelow(root).filter((file) => path.basename(file) === wanted && file.includes('alibaba-iot-ota')),
	);
}

/** A server that only counts: stands in for an endpoint chosen by a cloned repository. */
async function countingEndpoint(): Promise<{ url: string; hits: () => number; close: () => Promise<void>; server: Server }> {
	let hits = 0;
	const server = createServer((_req, res) => {
		hits++;
		res.writeHead(500).end();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		hits: () => hits,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
		server,
	};
}

describe('reliability: the extension leaks no secret and ignores unconfirmed workspace endpoints', () => {
	let api: IotOtaTestApi;
	let sandbox: Sandbox;
	let dataDir: string;
	const shown: string[] = [];

	async function upload(uri: vscode.Uri): Promise<HistoryEntry | undefined> {
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const entry = await vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFirmware, uri);
		shown.push(
			...api.testSeam.calls.map((c) => [c.text, ...(c.options ?? []), c.answer ?? ''].join('\n')),
			api.statusBar().text,
			api.statusBar().tooltip,
		);
		api.testSeam.reset();
		return entry;
	}

	async function configure(name: string, accessKeyId: string, secret: string, token?: string): Promise<void> {
		api.testSeam.queue(...credentialAnswers(name, accessKeyId, secret, { token }));
		await vscode.commands.executeCommand(Commands.configureCredentials);
		assert.equal(api.testSeam.pending(), 0, `unanswered prompts: ${JSON.stringify(api.testSeam.calls.map((c) => c.id))}`);
		shown.push(...api.testSeam.calls.map((c) => [c.text, c.answer ?? ''].join('\n')));
		api.testSeam.reset();
	}

	before(async () => {
		api = await extensionApi();
		await resetExtensionState(api);
		dataDir = mkdtempSync(path.join(os.tmpdir(), 'iot-ota-rel-ext-'));
		mkdirSync(dataDir, { recursive: true });
		// The sandbox issues the marker STS key (its own identity file) and accepts the marker main secret.
		writeFileSync(
			path.join(dataDir, 'identity.json'),
			JSON.stringify({
				accessKeySecret: `unused${hex(6)}`,
				stsSecret: MARKER.stsSecret,
				stsToken: MARKER.token,
				ossSecret: `Oss${hex(8)}`,
			}),
		);
		sandbox = await startSandbox({ dataDir, accessKeySecret: MARKER.secret, qps: 1000 });
		assert.equal(sandbox.sts.securityToken, MARKER.token);
		await setSetting('endpoint', sandbox.endpoint);
	});

	after(async () => {
		await resetExtensionState(api);
		await Promise.race([sandbox?.stop(), new Promise((resolve) => setTimeout(resolve, 5000))]);
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('upload with marker credentials — success, failures, cancel — leaves no marker in the log, settings, state, history or messages', async () => {
		const firmware = fileUri('firmware.bin');

		await configure('marker-main', sandbox.accessKeyId, MARKER.secret);
		assert.equal((await upload(firmware))?.status, 'uploaded', JSON.stringify(errorTexts(api)));

		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'status', status: 503, times: 10 });
		await setSetting('upload.maxAttempts', 2);
		assert.equal(await upload(firmware), undefined, 'the OSS 503 upload did not fail');
		await setSetting('upload.maxAttempts', undefined);
		sandbox.faults.clear();

		sandbox.faults.add({ target: 'oss', action: 'PostObject', kind: 'stall' });
		api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' });
		const running = vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFirmware, firmware);
		await waitFor(
			() => sandbox.faults.list().length === 0 && api.uploads.current?.progress?.phase === 'uploading',
			'the upload to reach OSS',
		);
		await vscode.commands.executeCommand(Commands.cancelUpload);
		assert.equal(await running, undefined);
		api.testSeam.reset();
		sandbox.faults.clear();

		await configure('marker-sts', sandbox.sts.accessKeyId, MARKER.stsSecret, MARKER.token);
		assert.equal((await upload(firmware))?.status, 'uploaded', JSON.stringify(errorTexts(api)));

		await configure('marker-wrong', sandbox.accessKeyId, MARKER.wrongSecret);
		assert.equal(await upload(firmware), undefined, 'the wrong secret was accepted');

		await vscode.commands.executeCommand(Commands.showLog);
		// Only this run's log: other VS Code servers (parallel runs) may have left logs in the same places.
		const ours = (text: string) => text.includes(sandbox.ossHost) || text.includes(sandbox.endpoint);
		const logFiles = findLogFiles().filter((f) => ours(readFileSync(f, 'utf8')));
		const outputDocs = vscode.workspace.textDocuments.filter(
			(d) => (d.uri.scheme === 'output' || d.fileName.endsWith(`${OUTPUT_CHANNEL_NAME}.log`)) && ours(d.getText()),
		);
		const logText = [...logFiles.map((f) => readFileSync(f, 'utf8')), ...outputDocs.map((d) => d.getText())].join('\n');
		assert.ok(
			logFiles.length + outputDocs.length > 0 && logText.includes('GenerateOTAUploadURL'),
			'the extension log of this run was not found',
		);

		const userSettingsFiles = logFiles.flatMap((f) => {
			const hits: string[] = [];
			for (let dir = path.dirname(f); dir !== path.dirname(dir); dir = path.dirname(dir)) {
				for (const candidate of [path.join(dir, 'User', 'settings.json'), path.join(dir, 'data', 'User', 'settings.json')]) {
					if (existsSync(candidate)) {
						hits.push(candidate);
					}
				}
			}
			return hits;
		});
		const workspaceSettings = path.join(folder().uri.fsPath, '.vscode', 'settings.json');
		console.log(
			`reliability audit: log files ${JSON.stringify(logFiles)}, output documents ${outputDocs.length}, user settings ${JSON.stringify(userSettingsFiles)}`,
		);
		const found = [
			...leaks('log', logText),
			...leaks('globalState/workspaceState', api.persistedState()),
			...leaks('history', JSON.stringify(api.history.all())),
			...leaks('iotOta settings', JSON.stringify(vscode.workspace.getConfiguration('iotOta'))),
			...[...userSettingsFiles, workspaceSettings].filter(existsSync).flatMap((f) => leaks(f, readFileSync(f, 'utf8'))),
			...leaks('messages and status bar', shown.join('\n')),
		];
		assert.deepEqual(found, []);
		assert.doesNotMatch(logText, SIGNATURE_VALUE, 'a signature value reached the log');
		assert.doesNotMatch(shown.join('\n'), SIGNATURE_VALUE, 'a signature value was shown');
		assert.doesNotMatch(JSON.stringify(api.history.all()), SIGNATURE_VALUE, 'a signature value reached the history');
	});

	it('a workspace-level endpoint gets no signed request unless the user confirms it', async () => {
		await configure('marker-main-2', sandbox.accessKeyId, MARKER.secret);
		const hostile = await countingEndpoint();
		try {
			await vscode.workspace
				.getConfiguration('iotOta', folder().uri)
				.update('endpoint', hostile.url, vscode.ConfigurationTarget.Workspace);
			api.testSeam.queue({ id: 'upload.suffix', pick: 'bin' }, { id: 'endpoint.confirm', cancel: true });
			const uploadsBefore = sandbox.stats.ossUploads;
			const entry = await vscode.commands.executeCommand<HistoryEntry | undefined>(Commands.uploadFirmware, fileUri('firmware.bin'));
			const confirm = api.testSeam.calls.find((c) => c.id === 'endpoint.confirm');
			assert.ok(confirm?.modal, 'the workspace endpoint was used without asking');
			assert.equal(hostile.hits(), 0, 'a request went to the unconfirmed workspace endpoint');
			assert.equal(entry?.status, 'uploaded', JSON.stringify(errorTexts(api)));
			assert.equal(sandbox.stats.ossUploads, uploadsBefore + 1, 'the upload did not fall back to the user-level endpoint');
		} finally {
			await vscode.workspace
				.getConfiguration('iotOta', folder().uri)
				.update('endpoint', undefined, vscode.ConfigurationTarget.Workspace);
			api.testSeam.reset();
			await hostile.close();
		}
	});
});
