// The Account view's endpoint line: the region's own host from the one rule (core/regions.ts regionEndpoint), a custom
// endpoint's host, and never a user name, password or secret query of an endpoint typed with them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProfileRecord } from '../../../src/vscode/model';
import { installVscodeStub } from '../../support/vscodeStub';

installVscodeStub();

const profile = (endpoint?: string): ProfileRecord =>
	({ name: 'dev', kind: 'aliyun', region: 'cn-shanghai', accessKeyId: 'LTAI0000000000000000', endpoint }) as unknown as ProfileRecord;

void test('a profile without an endpoint shows its region endpoint host', async () => {
	const { endpointKind } = await import('../../../src/vscode/views/accountTree.js');
	const { regionEndpoint } = await import('../../../src/core/regions.js');
	assert.deepEqual(endpointKind(profile()), { kind: 'cloud', host: new URL(regionEndpoint('cn-shanghai')).host });
});

void test('a custom endpoint shows its host; one that is no URL shows no user info or signature', async () => {
	const { endpointKind } = await import('../../../src/vscode/views/accountTree.js');
	assert.deepEqual(endpointKind(profile('https://gw.example.com:8443/iot')), { kind: 'custom', host: 'gw.example.com:8443' });
	const typed = endpointKind(profile('//me:s3cret@gw.example.com/?Signature=abc123'));
	assert.ok(!typed.host.includes('s3cret') && !typed.host.includes('abc123'), typed.host);
});
