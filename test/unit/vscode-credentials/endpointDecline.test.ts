// A workspace endpoint the user declined is not asked for again in this window: later connections go to the region's
// endpoint without a question, and the decline is told once (the OTA Packages view then shows the rows anew). The
// workspace and the settings are stubbed; the modal's answer is "no".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EndpointDeclines } from '../../../src/vscode/credentials/endpointDeclines';
import type { ProfileRecord } from '../../../src/vscode/model';
import { installVscodeStub } from '../../support/vscodeStub';

const stub = installVscodeStub();
const uri = (text: string) => ({ toString: () => text, path: new URL(text).pathname });
Object.assign(stub, {
	workspace: { isTrusted: true, getWorkspaceFolder: () => ({ name: 'product-a', uri: uri('file:///w/a'), index: 0 }) },
});

const profile: ProfileRecord = { name: 'p', accessKeyId: 'AK', region: 'cn-shanghai', hasSecurityToken: false, kind: 'user' };

void test('declined once: the region endpoint, not asked again in the window, the decline told once', async () => {
	const { resolveConnection } = await import('../../../src/vscode/workspaceTrust.js');
	const asked: string[] = [];
	const details: string[] = [];
	const declines = new EndpointDeclines();
	let told = 0;
	declines.onDidChange(() => told++);
	const deps = {
		globalState: { get: () => undefined, update: async () => undefined },
		settings: {
			endpoint: () => ({ workspace: 'https://gw.example.com', workspaceOrigin: 'folder' }),
			iotInstanceId: () => ({}),
			regionSetting: () => ({}),
		},
		prompter: {
			message: async (_id: string, _severity: string, message: string, options: { detail: string }) => {
				asked.push(message);
				details.push(options.detail);
				return undefined;
			},
		},
		log: { info: () => undefined, warn: () => undefined },
		declines,
	};
	const file = uri('file:///w/a/fw.bin');
	const first = await resolveConnection(profile, deps as never, file as never);
	assert.equal(first.endpoint, undefined, 'the region endpoint');
	assert.equal(first.endpointSource, 'default');
	assert.equal(asked.length, 1);
	assert.match(details[0] ?? '', /not asked again for it until the window reloads/, 'the question says its "no" lasts the window');
	const second = await resolveConnection(profile, deps as never, file as never);
	assert.equal(second.endpoint, undefined);
	assert.equal(asked.length, 1, 'not asked again');
	assert.equal(told, 1);
	assert.deepEqual(declines.list(), ['workspace:https://gw.example.com']);
});

void test('a decline confirmed since in another window no longer counts: the rows show the endpoint the calls use', async () => {
	const { confirmedEndpoints } = await import('../../../src/vscode/workspaceTrust.js');
	const { planEndpoint } = await import('../../../src/vscode/credentials/endpointPolicy.js');
	// The confirmations are globalState's, which every window of the machine shares.
	let saved: unknown = undefined;
	const globalState = { get: () => saved };
	const declines = new EndpointDeclines(() => confirmedEndpoints(globalState));
	declines.add('https://gw.example.com/');
	assert.deepEqual(declines.list(), ['workspace:https://gw.example.com']);
	saved = ['workspace:https://gw.example.com', 42];
	assert.deepEqual(declines.list(), [], 'confirmed in another window');
	// What the rows compute (confirmed: [], as workspaceTrust's connectionChoice) now agrees with what the calls use.
	const workspace = { workspaceEndpoint: 'https://gw.example.com', workspaceTrusted: true };
	const calls = planEndpoint({ ...workspace, confirmed: confirmedEndpoints(globalState), declined: declines.list() });
	const rows = planEndpoint({ ...workspace, confirmed: [], declined: declines.list() });
	assert.equal(calls.endpoint, 'https://gw.example.com');
	assert.equal(rows.endpoint, calls.endpoint);
});

void test('the decline is told to every listener once per endpoint, and no more to a disposed one', () => {
	const declines = new EndpointDeclines();
	const told: string[] = [];
	const first = declines.onDidChange(() => told.push('first'));
	declines.onDidChange(() => told.push('second'));
	declines.add('https://gw.example.com');
	declines.add('https://GW.example.com/');
	assert.deepEqual(told, ['first', 'second'], 'the same endpoint (as compared) is told once');
	first.dispose();
	declines.add('https://other.example.com');
	assert.deepEqual(told, ['first', 'second', 'second']);
});
