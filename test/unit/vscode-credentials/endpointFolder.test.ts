// The one-time confirmation of a workspace's custom endpoint names the folder whose settings chose it in a multi-root
// workspace (the folder the log names too), and stays as it was in a single-folder window. The workspace, its folders
// and the settings are stubbed; the modal's answer is "Use This Endpoint".
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EndpointDeclines } from '../../../src/vscode/credentials/endpointDeclines';
import type { ProfileRecord } from '../../../src/vscode/model';
import type { ScopedValue } from '../../../src/vscode/settings';
import { installVscodeStub } from '../../support/vscodeStub';

const stub = installVscodeStub();
const uri = (text: string) => ({ toString: () => text, path: new URL(text).pathname });
const FOLDER = 'file:///work/mono/product-a';
const FILE = uri(`${FOLDER}/fw.bin`);
const workspace: { isTrusted: boolean; workspaceFile?: unknown; getWorkspaceFolder: (file: unknown) => unknown } = {
	isTrusted: true,
	getWorkspaceFolder: () => ({ name: 'product-a', uri: uri(FOLDER), index: 0 }),
};
Object.assign(stub, { workspace });

const profile: ProfileRecord = { name: 'p', accessKeyId: 'AK', region: 'cn-shanghai', hasSecurityToken: false, kind: 'user' };

/** Resolves the connection of FILE, whose endpoint `endpoint` sets: the modals asked (message, newline, detail), in order. */
async function confirmations(endpoint: ScopedValue<string>): Promise<string[]> {
	const { resolveConnection } = await import('../../../src/vscode/workspaceTrust.js');
	const asked: string[] = [];
	const stored = new Map<string, unknown>();
	const deps = {
		globalState: { get: (key: string) => stored.get(key), update: async (key: string, value: unknown) => void stored.set(key, value) },
		settings: { endpoint: () => endpoint, iotInstanceId: () => ({}), regionSetting: () => ({}) },
		prompter: {
			message: async (_id: string, _severity: string, message: string, options: { detail: string }, ...actions: string[]) => {
				asked.push(`${message}\n${options.detail}`);
				return actions[0];
			},
		},
		log: { info: () => undefined, warn: () => undefined },
		declines: new EndpointDeclines(),
	};
	const resolved = await resolveConnection(profile, deps as never, FILE as never);
	assert.equal(resolved.endpoint, endpoint.workspace, 'the confirmed endpoint is used');
	return asked;
}

const messageOf = (asked: string) => asked.split('\n')[0];

void describe('the confirmation of a workspace endpoint', () => {
	void test('in a multi-root workspace names the folder whose settings set it, like the log', async () => {
		workspace.workspaceFile = uri('file:///work/mono/mono.code-workspace');
		const asked = await confirmations({ workspace: 'https://iot.example.com', workspaceOrigin: 'folder' });
		assert.deepEqual(asked.map(messageOf), [
			'The settings of folder "product-a" in this workspace set the IoT endpoint to https://iot.example.com. Your AccessKey signs every request sent there. Use it?',
		]);
	});

	void test('a plain-http endpoint a folder set: its modal says which folder set it', async () => {
		workspace.workspaceFile = uri('file:///work/mono/mono.code-workspace');
		const asked = await confirmations({ workspace: 'http://10.0.0.2:8080', workspaceOrigin: 'folder' });
		assert.equal(asked.length, 2, 'the workspace question, then the plain-http one');
		assert.match(asked[0], /^The settings of folder "product-a" in this workspace set the IoT endpoint to http:\/\/10\.0\.0\.2:8080\./);
		assert.match(
			asked[1],
			/^The IoT endpoint http:\/\/10\.0\.0\.2:8080 uses plain http.*\nThe settings of folder "product-a" set it\.\n/,
		);
	});

	void test('the workspace’s own value (not a folder’s), or a single-folder window: the workspace sets it', async () => {
		const workspaceText =
			'This workspace sets the IoT endpoint to https://iot.example.com. Your AccessKey signs every request sent there. Use it?';
		workspace.workspaceFile = uri('file:///work/mono/mono.code-workspace');
		assert.deepEqual((await confirmations({ workspace: 'https://iot.example.com', workspaceOrigin: 'workspace' })).map(messageOf), [
			workspaceText,
		]);
		workspace.workspaceFile = undefined;
		assert.deepEqual((await confirmations({ workspace: 'https://iot.example.com', workspaceOrigin: 'folder' })).map(messageOf), [
			workspaceText,
		]);
	});
});
