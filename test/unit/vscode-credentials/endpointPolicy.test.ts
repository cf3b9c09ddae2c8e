import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confirmationKey, isInsecureEndpoint, planEndpoint } from '../../../src/vscode/credentials/endpointPolicy';

const base = { workspaceTrusted: true, confirmed: [] as string[] };

void test('no endpoint anywhere → the region endpoint', () => {
	assert.deepEqual(planEndpoint(base), { source: 'default' });
});

void test('user settings are honoured; plain http to a remote host needs a confirmation', () => {
	assert.deepEqual(planEndpoint({ ...base, userEndpoint: 'https://iot.example.com' }), {
		endpoint: 'https://iot.example.com',
		source: 'user',
	});
	assert.equal(planEndpoint({ ...base, userEndpoint: 'http://127.0.0.1:4000' }).confirm, undefined);
	assert.equal(planEndpoint({ ...base, userEndpoint: 'http://gw.corp:80' }).confirm, 'insecure');
	assert.equal(
		planEndpoint({ ...base, userEndpoint: 'http://gw.corp:80', confirmed: [confirmationKey('http://gw.corp:80/', 'insecure')] })
			.confirm,
		undefined,
	);
});

void test('workspace endpoints: ignored when untrusted, confirmed once when trusted', () => {
	const untrusted = planEndpoint({ ...base, workspaceTrusted: false, userEndpoint: 'https://mine', workspaceEndpoint: 'https://evil' });
	assert.equal(untrusted.endpoint, 'https://mine');
	assert.equal(untrusted.source, 'user');
	assert.deepEqual(untrusted.ignored, { endpoint: 'https://evil', reason: 'untrusted-workspace' });
	const ask = planEndpoint({ ...base, workspaceEndpoint: 'https://evil' });
	assert.deepEqual(ask, { endpoint: 'https://evil', source: 'workspace', confirm: 'workspace' });
	const remembered = planEndpoint({
		...base,
		workspaceEndpoint: 'https://evil',
		confirmed: [confirmationKey('https://EVIL', 'workspace')],
	});
	assert.deepEqual(remembered, { endpoint: 'https://evil', source: 'workspace' });
	const insecureAfter = planEndpoint({
		...base,
		workspaceEndpoint: 'http://evil',
		confirmed: [confirmationKey('http://evil', 'workspace')],
	});
	assert.equal(insecureAfter.confirm, 'insecure');
	assert.equal(planEndpoint({ ...base, userEndpoint: 'https://same', workspaceEndpoint: 'https://same/' }).source, 'user');
});

void test('a profile endpoint (the sandbox) wins and loopback http needs no confirmation', () => {
	assert.deepEqual(planEndpoint({ ...base, profileEndpoint: 'http://127.0.0.1:5000', workspaceEndpoint: 'https://evil' }), {
		endpoint: 'http://127.0.0.1:5000',
		source: 'profile',
	});
	assert.equal(isInsecureEndpoint('http://[::1]:80'), false);
	assert.equal(isInsecureEndpoint('https://x'), false);
	assert.equal(isInsecureEndpoint('not a url'), false);
});

void test("a workspace endpoint declined in this window: the user's (or the region's) endpoint, no question, the decline named", () => {
	const declined = [confirmationKey('https://EVIL/', 'workspace')];
	assert.deepEqual(planEndpoint({ ...base, userEndpoint: 'https://mine', workspaceEndpoint: 'https://evil', declined }), {
		endpoint: 'https://mine',
		source: 'user',
		ignored: { endpoint: 'https://evil', reason: 'declined' },
	});
	assert.deepEqual(planEndpoint({ ...base, workspaceEndpoint: 'https://evil', declined }), {
		source: 'default',
		ignored: { endpoint: 'https://evil', reason: 'declined' },
	});
	// Confirmed (in another window, remembered) wins over a decline of this window; another endpoint is still asked for.
	assert.equal(planEndpoint({ ...base, workspaceEndpoint: 'https://evil', declined, confirmed: [declined[0]] }).source, 'workspace');
	assert.equal(planEndpoint({ ...base, workspaceEndpoint: 'https://other', declined }).confirm, 'workspace');
});
